// The search page. Its whole state is in the URL (/search?q=&f=&sort=&exact=1&offset=), so
// back, forward, reload and bookmarks work, and a search is a link to share.
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  api,
  ApiError,
  type FacetValue,
  type SavedQuery,
  type SearchParams,
  type SearchResult,
  type StarredDocument,
} from '../api';
import { docHref, ErrorBox, Link, Marked } from '../components';
import {
  dateRange,
  facetFilter,
  facetLabels,
  fieldTerm,
  formatDate,
  formatSize,
  isDateFilter,
} from '../query';
import { navigate, rememberSearch } from '../router';
import { Histogram } from './Histogram';

const kPageSize = 20;
const kFacetRows = 8;
const kFacetOrder = ['type', 'lang', 'year', 'from', 'person', 'org', 'place', 'email'];

export function paramsOf(url: URLSearchParams): SearchParams {
  const offset = Number(url.get('offset') ?? '0');
  return {
    q: url.get('q') ?? '',
    filters: url.getAll('f'),
    sort: url.get('sort') ?? 'relevance',
    exact: url.get('exact') === '1',
    offset: Number.isFinite(offset) && offset > 0 ? Math.floor(offset) : 0,
    limit: kPageSize,
  };
}

export function searchUrl(p: SearchParams): string {
  const qs = new URLSearchParams();
  qs.set('q', p.q);
  for (const f of p.filters) qs.append('f', f);
  if (p.sort !== 'relevance') qs.set('sort', p.sort);
  if (p.exact) qs.set('exact', '1');
  if (p.offset > 0) qs.set('offset', String(p.offset));
  return '/search?' + qs.toString();
}

function SyntaxHelp() {
  const rows: [string, string][] = [
    ['contract bribe', 'both words (AND is the default)'],
    ['bribe OR kickback', 'either word'],
    ['bribe -draft', 'bribe but not draft (also NOT)'],
    ['"offshore account"', 'a phrase'],
    ['Hollande NEAR/3 Sarkozy', 'within 3 words of each other'],
    ['surveil*', 'words starting with surveil'],
    ['from:jane  to:bob@example.org', 'sender, recipients'],
    ['title:memo  name:report  path:2012', 'title or subject, file name, path'],
    ['type:pdf  lang:fr', 'kind of document, language'],
    ['date:2011-11-21..2012-09-29  date:2012', 'the document’s own date'],
    ['person:"Marine Le Pen"  org:CIA  place:Paris', 'entities mentioned in the text'],
    ['email:  phone:  iban:  url:  money:  marking:', 'patterns found in the text'],
    ['tag:urgent', 'documents tagged urgent'],
    ['parent:ID', 'attachments and members of a document'],
  ];
  return (
    <div class="syntax-help" data-testid="syntax-help">
      <table>
        <tbody>
          {rows.map(([q, what]) => (
            <tr key={q}>
              <td>
                <code>{q}</code>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">
        Operators in capitals. Accents and case do not matter, and words match their inflections,
        unless <em>exact</em> is ticked. Keys: <kbd>/</kbd> search box, <kbd>Esc</kbd> leaves it,{' '}
        <kbd>j</kbd>/<kbd>k</kbd> next/previous result, <kbd>n</kbd>/<kbd>p</kbd> next/previous hit
        in a document.
      </p>
    </div>
  );
}

const kMaxStarredLinked = 200;
const kStarredShown = 10;

// The query string of a graph or timeline of the search `p`.
function viewQuery(p: SearchParams, kind: string): string {
  const qs = new URLSearchParams();
  qs.set('q', p.q);
  for (const f of p.filters) qs.append('f', f);
  if (p.exact) qs.set('exact', '1');
  if (kind) qs.set('kind', kind);
  return qs.toString();
}

function simpleSearch(q: string): string {
  return searchUrl({ q, filters: [], sort: 'relevance', exact: false, offset: 0, limit: kPageSize });
}

// One's saved searches, starred documents and the collection's tags, each a link to a search.
function Workspace({ params }: { params: SearchParams }) {
  const [tags, setTags] = useState<{ tag: string; documents: number }[]>([]);
  const [starred, setStarred] = useState<StarredDocument[]>([]);
  const [saved, setSaved] = useState<{ id: number; name: string; query: SavedQuery }[]>([]);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  const [reload, setReload] = useState(0);
  useEffect(() => {
    api.tags().then((r) => setTags(r.tags)).catch(() => setTags([]));
    api.starred().then((r) => setStarred(r.documents)).catch(() => setStarred([]));
    api.savedSearches().then((r) => setSaved(r.searches)).catch(() => setSaved([]));
  }, [reload]);
  const act = async (action: () => Promise<unknown>) => {
    try {
      await action();
      setError('');
      setReload((n) => n + 1);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  const ids = starred.slice(0, kMaxStarredLinked).map((d) => d.id);
  return (
    <>
      <section class="facet" data-testid="saved-searches">
        <h3>Saved searches</h3>
        <ul>
          {saved.map((s) => (
            <li key={s.id}>
              <Link
                class="facet-value"
                href={searchUrl({
                  q: s.query.q ?? '',
                  filters: s.query.filters ?? [],
                  sort: s.query.sort ?? 'relevance',
                  exact: s.query.exact === true,
                  offset: 0,
                  limit: kPageSize,
                })}
              >
                {s.name}
              </Link>
              <button
                type="button"
                class="facet-exclude"
                aria-label={`delete saved search ${s.name}`}
                title="Delete this saved search"
                onClick={() => void act(() => api.deleteSavedSearch(s.id))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        {naming ? (
          <form
            class="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              const query: SavedQuery = { q: params.q, filters: params.filters, sort: params.sort, exact: params.exact };
              void act(() => api.saveSearch(name.trim() || params.q || 'all documents', query)).then(() => {
                setNaming(false);
                setName('');
              });
            }}
          >
            <input
              aria-label="Name of the saved search"
              placeholder="name"
              autoFocus
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
              onKeyDown={(e) => e.key === 'Escape' && setNaming(false)}
            />
            <button type="submit">Save</button>
          </form>
        ) : (
          <button type="button" class="link" onClick={() => setNaming(true)}>
            Save this search
          </button>
        )}
        <ErrorBox message={error} />
      </section>
      {ids.length > 0 && (
        <section class="facet">
          <h3>Starred</h3>
          <Link href={simpleSearch(ids.map((id) => `id:${id}`).join(' OR '))} class="facet-value">
            {starred.length.toLocaleString()} starred document{starred.length === 1 ? '' : 's'}
          </Link>
          <ul data-testid="starred-list">
            {starred.slice(0, kStarredShown).map((d) => (
              <li key={d.id}>
                {d.missing ? (
                  <span class="muted" title={d.id}>
                    (no longer in the collection)
                  </span>
                ) : (
                  <Link href={docHref(d.id)} class="facet-value" title={`${d.type} ${formatDate(d.date)} ${d.path}`}>
                    {d.title || d.name || d.id}
                  </Link>
                )}
                <span class="count">{d.type}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {tags.length > 0 && (
        <section class="facet" data-testid="tag-list">
          <h3>Tags</h3>
          <ul>
            {tags.map((t) => (
              <li key={t.tag}>
                <Link href={simpleSearch(fieldTerm('tag', t.tag))} class="facet-value">
                  {t.tag}
                </Link>
                <span class="count">{t.documents.toLocaleString()}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

function FilterChips({ filters, onRemove }: { filters: string[]; onRemove: (f: string) => void }) {
  if (filters.length === 0) return null;
  return (
    <div class="chips" data-testid="filters">
      {filters.map((f) => (
        <span class={'chip' + (f.startsWith('-') ? ' excluded' : '')} key={f}>
          {f.startsWith('-') ? 'not ' + f.slice(1) : f}
          <button
            type="button"
            class="chip-x"
            aria-label={`remove filter ${f}`}
            title="Remove this filter"
            onClick={() => onRemove(f)}
          >
            ×
          </button>
        </span>
      ))}
    </div>
  );
}

// The positive filter that holds a facet's picked values, OR-ed ("type:pdf OR type:email"), and
// those values' filters; a year range from the histogram is not one of them.
export function facetGroup(name: string, filters: string[]): { filter: string; parts: string[] } | null {
  if (name === 'year') return null;
  for (const f of filters) {
    if (f.startsWith('-')) continue;
    const parts = f.split(' OR ');
    if (parts.every((p) => p.startsWith(`${name}:`))) return { filter: f, parts };
  }
  return null;
}

function Facet({
  name,
  values,
  active,
  onAdd,
  onToggle,
}: {
  name: string;
  values: FacetValue[];
  active: string[];
  onAdd: (filter: string) => void;
  onToggle: (facet: string, filter: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const sorted = name === 'year' ? [...values].sort((a, b) => b.value.localeCompare(a.value)) : values;
  const shown = open ? sorted : sorted.slice(0, kFacetRows);
  const group = facetGroup(name, active);
  return (
    <section class="facet" data-facet={name}>
      <h3>{facetLabels[name] ?? name}</h3>
      <ul>
        {shown.map((v) => {
          const filter = facetFilter(name, v.value);
          const isOn = active.includes(filter) || (group?.parts.includes(filter) ?? false);
          return (
            <li key={v.value} class={isOn ? 'on' : ''}>
              <button
                type="button"
                class="facet-value"
                title={isOn ? `Leave ${v.value} out of this facet's choice` : group ? `Also ${v.value}` : `Only ${v.value}`}
                aria-pressed={isOn}
                disabled={name === 'year' && isOn}
                onClick={() => (name === 'year' ? onAdd(filter) : onToggle(name, filter))}
              >
                {v.value || '(none)'}
              </button>
              <span class="count">{v.count.toLocaleString()}</span>
              <button
                type="button"
                class="facet-exclude"
                title={`Leave out ${v.value}`}
                aria-label={`exclude ${v.value}`}
                onClick={() => onAdd('-' + filter)}
              >
                −
              </button>
            </li>
          );
        })}
      </ul>
      {sorted.length > kFacetRows && (
        <button type="button" class="link" onClick={() => setOpen(!open)}>
          {open ? 'fewer' : `${sorted.length - kFacetRows} more`}
        </button>
      )}
    </section>
  );
}

function Pager({
  params,
  result,
  go,
}: {
  params: SearchParams;
  result: SearchResult;
  go: (offset: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(result.total / params.limit));
  const page = Math.floor(params.offset / params.limit) + 1;
  const [typed, setTyped] = useState('');
  if (result.total <= params.limit && params.offset === 0) return null;
  return (
    <nav class="pager" aria-label="Result pages" data-testid="pager">
      <button type="button" disabled={page <= 1} onClick={() => go(0)}>
        « First
      </button>
      <button type="button" disabled={page <= 1} onClick={() => go(params.offset - params.limit)}>
        ‹ Previous
      </button>
      <span>
        Page {page.toLocaleString()} of {result.total_is_exact ? '' : 'about '}
        {pages.toLocaleString()}
      </span>
      <button
        type="button"
        disabled={page >= pages}
        onClick={() => go(params.offset + params.limit)}
        data-testid="next-page"
      >
        Next ›
      </button>
      <button type="button" disabled={page >= pages} onClick={() => go((pages - 1) * params.limit)}>
        Last »
      </button>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const n = Math.min(Math.max(1, Number(typed) || 1), pages);
          go((n - 1) * params.limit);
          setTyped('');
        }}
      >
        <input
          class="page-input"
          inputMode="numeric"
          aria-label="Go to page"
          placeholder="page"
          value={typed}
          onInput={(e) => setTyped(e.currentTarget.value)}
        />
      </form>
    </nav>
  );
}

export function SearchView({ params: url }: { params: URLSearchParams }) {
  const params = paramsOf(url);
  const key = searchUrl(params);
  const [text, setText] = useState(params.q);
  const [result, setResult] = useState<SearchResult | null>(null);
  const [shownKey, setShownKey] = useState(''); // the search that `result` answers
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(false);
  const [help, setHelp] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const serial = useRef(0);
  const list = useRef<HTMLOListElement>(null);

  useEffect(() => setText(params.q), [params.q]);
  useEffect(() => rememberSearch(key), [key]);
  useEffect(() => {
    document.title = params.q ? `${params.q} · trove` : 'trove';
  }, [params.q]);

  useEffect(() => {
    const mine = ++serial.current;
    setLoading(true);
    api
      .search(params)
      .then((r) => {
        if (mine !== serial.current) return;
        setResult(r);
        setShownKey(key);
        setError('');
      })
      .catch((e) => {
        if (mine !== serial.current) return;
        setError(e instanceof ApiError ? e.message : String(e));
        setResult(null);
      })
      .finally(() => {
        if (mine === serial.current) setLoading(false);
      });
  }, [key]);

  // A facet with picked values lists its other values too: its counts come from the same
  // search without its own filter.
  const [groupFacets, setGroupFacets] = useState<Record<string, FacetValue[]>>({});
  useEffect(() => {
    let live = true;
    setGroupFacets({});
    const names = [...new Set(params.filters.map((f) => /^([a-z]+):/.exec(f)?.[1] ?? ''))].filter(
      (n) => n !== '' && n !== 'date' && facetGroup(n, params.filters) !== null,
    );
    for (const name of names) {
      const group = facetGroup(name, params.filters)!;
      api
        .search({ ...params, offset: 0, limit: 0, filters: params.filters.filter((f) => f !== group.filter) })
        .then((r) => {
          const values = r.facets?.[name];
          if (live && values) setGroupFacets((old) => ({ ...old, [name]: values }));
        })
        .catch(() => {});
    }
    return () => {
      live = false;
    };
  }, [key]);

  // Keyboard: "/" to the query box, j/k through the results.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest('input, textarea, select') || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '/') {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
      } else if (e.key === 'j' || e.key === 'k') {
        const links = [...(list.current?.querySelectorAll<HTMLAnchorElement>('a.hit-title') ?? [])];
        if (links.length === 0) return;
        const at = links.indexOf(document.activeElement as HTMLAnchorElement);
        const next = e.key === 'j' ? Math.min(at + 1, links.length - 1) : Math.max(at - 1, 0);
        links[next].focus();
        e.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Documents picked for a zip of their originals; kept while paging.
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [zipping, setZipping] = useState(false);
  const [zipError, setZipError] = useState('');
  const downloadZip = async () => {
    setZipping(true);
    try {
      const blob = await api.zipOriginals([...selected]);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = 'trove-originals.zip';
      document.body.appendChild(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
      setZipError('');
    } catch (e) {
      setZipError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setZipping(false);
    }
  };

  const go = (changes: Partial<SearchParams>) =>
    navigate(searchUrl({ ...params, offset: 0, ...changes }));
  const addFilter = (f: string) => {
    // One date range at a time: a new one replaces the old.
    const kept = isDateFilter(f) ? params.filters.filter((x) => !isDateFilter(x)) : params.filters;
    if (!kept.includes(f)) go({ filters: [...kept, f] });
  };
  const removeFilter = (f: string) => go({ filters: params.filters.filter((x) => x !== f) });
  // Values of one facet are OR-ed in one filter; different facets AND.
  const toggleFacetValue = (facet: string, f: string) => {
    const group = facetGroup(facet, params.filters);
    if (group === null) {
      addFilter(f);
      return;
    }
    const parts = group.parts.includes(f) ? group.parts.filter((p) => p !== f) : [...group.parts, f];
    const filters = params.filters.flatMap((x) => (x !== group.filter ? [x] : parts.length ? [parts.join(' OR ')] : []));
    go({ filters });
  };

  const facets = { ...(result?.facets ?? {}), ...groupFacets };
  const facetNames = [
    ...kFacetOrder.filter((n) => facets[n]?.length),
    ...Object.keys(facets)
      .filter((n) => !kFacetOrder.includes(n) && facets[n].length)
      .sort(),
  ];

  return (
    <main class="search-page">
      <form
        class="query-bar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          go({ q: text.trim() });
        }}
      >
        <input
          ref={input}
          type="search"
          name="q"
          class="query-input"
          aria-label="Search"
          placeholder='Search: words, "phrases", from:, type:, person:, date:2012…'
          autoFocus
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Escape') return;
            e.preventDefault(); // keep the text (a search box would clear it)
            e.currentTarget.blur();
          }}
          data-testid="query"
        />
        <button type="submit">Search</button>
        <label class="inline">
          <input
            type="checkbox"
            checked={params.exact}
            onChange={(e) => go({ exact: e.currentTarget.checked, q: text.trim() })}
          />{' '}
          exact
        </label>
        <label class="inline">
          Sort{' '}
          <select
            value={params.sort}
            onChange={(e) => go({ sort: e.currentTarget.value, q: text.trim() })}
            data-testid="sort"
          >
            <option value="relevance">relevance</option>
            <option value="newest">newest first</option>
            <option value="oldest">oldest first</option>
          </select>
        </label>
        <button
          type="button"
          class="link"
          aria-expanded={help}
          onClick={() => setHelp(!help)}
        >
          {help ? 'Hide syntax' : 'Syntax'}
        </button>
      </form>
      {help && <SyntaxHelp />}
      <FilterChips filters={params.filters} onRemove={removeFilter} />
      <ErrorBox message={error} />
      {result && (
        <div class="search-body">
          <aside class="facets" data-testid="facets">
            <Workspace params={params} />
            {result.facet_documents !== undefined && result.facet_documents < result.total ? (
              <p class="facet-sample" data-testid="facet-sample">
                Counts over the first {result.facet_documents.toLocaleString()} of{' '}
                {result.total.toLocaleString()} matches
                {result.entity_facet_documents && result.entity_facet_documents < result.facet_documents
                  ? ` (names and other entities: the first ${result.entity_facet_documents.toLocaleString()})`
                  : ''}
                .
              </p>
            ) : null}
            {facets.year?.length ? (
              <section class="facet">
                <h3>Dates</h3>
                <Histogram values={facets.year} onRange={(a, b) => addFilter(dateRange(a, b))} />
              </section>
            ) : null}
            {facetNames.map((name) => (
              <Facet
                key={name}
                name={name}
                values={facets[name]}
                active={params.filters}
                onAdd={addFilter}
                onToggle={toggleFacetValue}
              />
            ))}
          </aside>
          <section
            class={'results' + (loading ? ' loading' : '')}
            aria-busy={loading}
            data-current={String(!loading && shownKey === key)}
          >
            <div class="summary" data-testid="summary">
              <span data-testid="total">
                {result.total_is_exact ? '' : 'about '}
                {result.total.toLocaleString()} document{result.total === 1 ? '' : 's'}
              </span>
              {params.q.trim() === '' && <span class="parsed"> in the collection</span>}
              {params.q.trim() !== '' && result.query && (
                <span class="parsed" title="How trove read the query">
                  {' '}
                  for <code data-testid="parsed">{result.query}</code>
                </span>
              )}
              <span class="views">
                <Link href={'/graph?' + viewQuery(params, 'entities')} data-testid="view-graph">
                  Entity graph
                </Link>{' '}
                <Link href={'/graph?' + viewQuery(params, 'email')} data-testid="view-email-graph">
                  E-mail graph
                </Link>{' '}
                <Link href={'/timeline?' + viewQuery(params, '')} data-testid="view-timeline">
                  Timeline
                </Link>
              </span>
              <span class="exports">
                Export:{' '}
                <a href={api.exportUrl(params, 'csv')} download data-testid="export-csv">
                  CSV
                </a>{' '}
                <a href={api.exportUrl(params, 'json')} download data-testid="export-json">
                  JSON
                </a>
              </span>
            </div>
            {selected.size > 0 && (
              <div class="selection" data-testid="selection">
                {selected.size.toLocaleString()} selected{' '}
                <button type="button" onClick={() => void downloadZip()} disabled={zipping} data-testid="zip-download">
                  {zipping ? 'Preparing the zip…' : 'Download originals (zip)'}
                </button>{' '}
                <button type="button" class="link" onClick={() => setSelected(new Set())}>
                  Clear
                </button>
                <ErrorBox message={zipError} />
              </div>
            )}
            {result.notice && <p class="notice">{result.notice}</p>}
            <ol class="hits" ref={list} start={params.offset + 1} data-testid="hits">
              {result.hits.map((hit) => (
                <li class="hit" key={hit.id}>
                  <input
                    type="checkbox"
                    class="hit-select"
                    aria-label={`select ${hit.title || hit.name || hit.id}`}
                    checked={selected.has(hit.id)}
                    onChange={(e) => {
                      const next = new Set(selected);
                      if (e.currentTarget.checked) next.add(hit.id);
                      else next.delete(hit.id);
                      setSelected(next);
                    }}
                    data-testid="hit-select"
                  />
                  <Link
                    href={docHref(hit.id, params.q, params.exact)}
                    class="hit-title"
                    data-testid="hit-title"
                  >
                    {hit.title || hit.name || hit.id}
                  </Link>
                  <div class="hit-meta">
                    <span class="badge">{hit.type}</span>
                    {hit.date && <span>{formatDate(hit.date)}</span>}
                    {hit.from?.length ? <span>{hit.from.join(', ')}</span> : null}
                    {hit.lang && <span>{hit.lang}</span>}
                    <span>{formatSize(hit.size)}</span>
                    {hit.places > 1 && <span>{hit.places} places</span>}
                  </div>
                  <div class="hit-path">{hit.path}</div>
                  {hit.snippet?.text && (
                    <p class="snippet">
                      <Marked text={hit.snippet.text} marks={hit.snippet.marks} />
                    </p>
                  )}
                </li>
              ))}
            </ol>
            {result.hits.length === 0 && <p class="muted">No documents match.</p>}
            <Pager params={params} result={result} go={(offset) => go({ offset: Math.max(0, offset) })} />
          </section>
        </div>
      )}
    </main>
  );
}
