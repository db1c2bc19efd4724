// An entity: the documents that mention it and the entities mentioned with it.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError, type EntityCount, type EntityGraph, type SearchResult } from '../api';
import { entityGraphParts, GraphCanvas } from './Graph';
import { docHref, entityHref, ErrorBox, Link, Marked, searchHref } from '../components';
import { entityField, fieldTerm, formatDate } from '../query';

const kDocuments = 25;

export function EntityPage({ params }: { params: URLSearchParams }) {
  const type = params.get('type') ?? 'person';
  const value = params.get('value') ?? '';
  const query = fieldTerm(entityField(type), value);
  const [docs, setDocs] = useState<SearchResult | null>(null);
  const [related, setRelated] = useState<EntityCount[] | null>(null);
  const [graph, setGraph] = useState<EntityGraph | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    let live = true;
    setDocs(null);
    setRelated(null);
    const fail = (e: unknown) => live && setError(e instanceof ApiError ? e.message : String(e));
    api
      .search({ q: query, filters: [], sort: 'relevance', offset: 0, limit: kDocuments, exact: false })
      .then((r) => live && setDocs(r))
      .catch(fail);
    setGraph(null);
    api
      .entityGraph({ q: query, filters: [], sort: 'relevance', offset: 0, limit: 0, exact: false }, undefined, 'person,org,place,email')
      .then((g) => live && setGraph(g))
      .catch(fail);
    api
      .entities('', value, 60)
      .then((r) => live && setRelated(r.entities))
      .catch(fail);
    return () => {
      live = false;
    };
  }, [type, value]);

  const graphParts = useMemo(
    () =>
      graph && entityGraphParts({ q: query, filters: [], sort: 'relevance', offset: 0, limit: 20, exact: false }, graph),
    [graph, query],
  );
  const max = Math.max(1, ...(related ?? []).map((e) => e.documents));
  return (
    <main class="page entity-page">
      <h1>
        <span class={`entity entity-${type.replace(/[^a-z]/g, '')}`} data-testid="entity-name">
          {value}
        </span>{' '}
        <span class="muted small">{type}</span>
      </h1>
      <p>
        <Link href={searchHref(query)} data-testid="entity-search">
          Search <code>{query}</code>
        </Link>
      </p>
      <ErrorBox message={error} />
      {graph && graphParts && graph.nodes.length > 1 && (
        <section data-testid="entity-graph">
          <h2>Co-mentions</h2>
          <p class="muted">
            What the {graph.documents_counted < graph.total ? `first ${graph.documents_counted.toLocaleString()} of the ` : ''}
            {graph.total.toLocaleString()} documents mentioning it also mention; click a node or a link for the
            documents.
          </p>
          <GraphCanvas
            nodes={graphParts!.nodes}
            edges={graphParts!.edges}
            label={`Co-mention graph of ${value}`}
          />
        </section>
      )}
      <div class="entity-columns">
        <section>
          <h2>
            Mentioned in {docs ? `${docs.total_is_exact ? '' : 'about '}${docs.total.toLocaleString()}` : '…'}{' '}
            documents
          </h2>
          <ol class="hits">
            {docs?.hits.map((hit) => (
              <li class="hit" key={hit.id}>
                <Link href={docHref(hit.id, query)} class="hit-title">
                  {hit.title || hit.name || hit.id}
                </Link>
                <div class="hit-meta">
                  <span class="badge">{hit.type}</span>
                  {hit.date && <span>{formatDate(hit.date)}</span>}
                </div>
                {hit.snippet?.text && (
                  <p class="snippet">
                    <Marked text={hit.snippet.text} marks={hit.snippet.marks} />
                  </p>
                )}
              </li>
            ))}
          </ol>
          {docs && docs.total > kDocuments && (
            <Link href={searchHref(query)}>All {docs.total.toLocaleString()} documents</Link>
          )}
        </section>
        <section>
          <h2>Mentioned with it</h2>
          {related && related.length === 0 && <p class="muted">Nothing else is mentioned with it.</p>}
          <table class="co-mentions" data-testid="co-mentions">
            <tbody>
              {related?.map((e) => (
                <tr key={e.type + '\u0000' + e.value}>
                  <td>
                    <Link href={entityHref(e.type, e.value)} class={`entity entity-${e.type.replace(/[^a-z]/g, '')}`}>
                      {e.value}
                    </Link>{' '}
                    <span class="muted small">{e.type}</span>
                  </td>
                  <td class="bar-cell">
                    <meter min={0} max={max} value={e.documents} />
                  </td>
                  <td class="num">
                    <Link
                      href={searchHref(`${query} ${fieldTerm(entityField(e.type), e.value)}`)}
                      title="Documents mentioning both"
                    >
                      {e.documents.toLocaleString()}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </main>
  );
}
