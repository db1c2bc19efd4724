// Watch lists (docs/watchlists.md): the collection's lists, and for the one chosen the hits that
// ingests kept, grouped by entry, best first; editors upload and delete lists. The documents
// already there are found on demand by cross-referencing (`trove xref`).
// A list's names and the documents' words are data from outside: shown as text nodes only.
import { useEffect, useState } from 'preact/hooks';
import {
  api,
  ApiError,
  canEdit,
  type WatchHit,
  type WatchHits,
  type WatchList,
  type WatchUpload,
  type XrefResult,
} from '../api';
import { docHref, entityHref, ErrorBox, Link, searchHref } from '../components';
import { fieldTerm, formatDate } from '../query';
import { navigate } from '../router';

const kHitsPage = 1000;
// The server's limit on a request body (413 beyond).
const kMaxUploadBytes = 4 * 1024 * 1024;
const kTooLarge =
  'The file is over the 4 MB an upload may hold: add it with `trove watch add` on the command line.';

function listHref(list: string, onlyNew = false): string {
  const qs = new URLSearchParams({ list });
  if (onlyNew) qs.set('new', '1');
  return '/watchlists?' + qs.toString();
}

function phrase(words: string): string {
  return `"${words.replace(/"/g, ' ')}"`;
}

function score(value: number): string {
  return value.toFixed(2);
}

// Where a hit's matched words lead: an entity's page, or a search for the words in the text.
function MatchedLink({ type, matched }: { type: string; matched: string }) {
  if (type === 'person' || type === 'org' || type === 'email') {
    return (
      <Link href={entityHref(type, matched)} class={`entity entity-${type}`} title={`The ${type} entity`}>
        {matched}
      </Link>
    );
  }
  return (
    <Link href={searchHref(phrase(matched))} title="Search the text for these words">
      “{matched}”
    </Link>
  );
}

function entryAbout(schema: string, id: string, line: number): string {
  const parts = [schema, id ? `id ${id}` : '', `line ${line}`].filter((p) => p !== '');
  return parts.join(', ');
}

// Hits of one entry: consecutive in the answer's order (best score first, then line).
interface EntryGroup {
  line: number;
  hits: WatchHit[];
}

function groupByEntry(hits: WatchHit[]): EntryGroup[] {
  const groups = new Map<number, EntryGroup>();
  for (const hit of hits) {
    let group = groups.get(hit.line);
    if (!group) {
      group = { line: hit.line, hits: [] };
      groups.set(hit.line, group);
    }
    group.hits.push(hit);
  }
  // Map keeps insertion order: the order of each entry's best hit.
  return [...groups.values()];
}

function ListHits({ list, onlyNew }: { list: string; onlyNew: boolean }) {
  const [hits, setHits] = useState<WatchHits | null>(null);
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState('');

  useEffect(() => setOffset(0), [list, onlyNew]);
  useEffect(() => {
    let live = true;
    setHits(null);
    setError('');
    api
      .watchHits(list, onlyNew, offset, kHitsPage)
      .then((h) => live && setHits(h))
      .catch((e) => live && setError(e instanceof ApiError ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [list, onlyNew, offset]);

  const groups = hits ? groupByEntry(hits.hits) : [];
  return (
    <section data-testid="watch-hits">
      <h2>
        Found by ingests in <span data-testid="watch-hits-list">{list}</span>
      </h2>
      <p class="row">
        <label class="inline">
          <input
            type="checkbox"
            checked={onlyNew}
            data-testid="watch-new"
            onChange={(e) => navigate(listHref(list, e.currentTarget.checked), true)}
          />{' '}
          only the latest ingest's{hits && hits.latest_run > 0 ? ` (run #${hits.latest_run})` : ''}
        </label>
      </p>
      <ErrorBox message={error} />
      {hits === null && !error && <p class="muted">Loading…</p>}
      {hits && (
        <p class="muted" data-testid="watch-hits-summary">
          {hits.total.toLocaleString()} {onlyNew ? 'new ' : ''}hit{hits.total === 1 ? '' : 's'} (one per entry and
          document){hits.total > hits.hits.length ? `; ${hits.offset + 1} to ${hits.offset + hits.hits.length} shown` : ''}.
          {hits.total === 0 &&
            ' Ingests match the list against the documents they index from the time it was added; the documents already there are found by cross-referencing, below.'}
        </p>
      )}
      {groups.map((group) => {
        const first = group.hits[0];
        const documents = new Set(group.hits.map((h) => h.doc_id)).size;
        return (
          <article class="watch-entry" key={group.line} data-testid="watch-entry">
            <h3>
              <span class="watch-score">{score(first.score)}</span>{' '}
              <span data-testid="watch-entry-name">{first.entry}</span>{' '}
              <span class="muted small">
                [{entryAbout(first.schema, first.id, first.line)}] {documents} document{documents === 1 ? '' : 's'}
              </span>{' '}
              <Link href={searchHref(phrase(first.entry))} class="small" title="Search every document for the name">
                search the name
              </Link>
            </h3>
            <table class="watch-table">
              <tbody>
                {group.hits.map((hit) => (
                  <tr key={hit.doc_id} data-testid="watch-hit">
                    <td class="num">{score(hit.score)}</td>
                    <td>
                      <span class="badge" data-testid="watch-kind">
                        {hit.kind}
                      </span>{' '}
                      <span class="muted small">{hit.type}</span>
                      {hit.new && (
                        <>
                          {' '}
                          <span class="badge new">new</span>
                        </>
                      )}
                    </td>
                    <td>
                      <MatchedLink type={hit.type} matched={hit.matched} />
                      {hit.name !== hit.entry && <span class="muted small"> (as {hit.name})</span>}
                    </td>
                    <td>
                      <Link href={docHref(hit.doc_id, phrase(hit.matched))} data-testid="watch-doc">
                        {hit.title || hit.path || hit.doc_id}
                      </Link>
                      {hit.path && <div class="muted small hit-path">{hit.path}</div>}
                    </td>
                    <td class="muted small">
                      run #{hit.run} {formatDate(hit.found)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </article>
        );
      })}
      {hits && hits.total > kHitsPage && (
        <p class="pager">
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - kHitsPage))}>
            Previous
          </button>{' '}
          <button type="button" disabled={offset + kHitsPage >= hits.total} onClick={() => setOffset(offset + kHitsPage)}>
            Next
          </button>
        </p>
      )}
    </section>
  );
}

// `trove xref` on demand: the whole collection, the documents already there included. The
// server matches at most 10,000 entries a request; "next" asks for the following ones.
function Xref({ list }: { list: string }) {
  const [minScore, setMinScore] = useState('0.75');
  const [result, setResult] = useState<XrefResult | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    setResult(null);
    setError('');
  }, [list]);

  const run = async (offset: number) => {
    setRunning(true);
    setError('');
    try {
      setResult(await api.xref(list, Number(minScore), offset));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setRunning(false);
    }
  };

  return (
    <section data-testid="xref">
      <h2>Cross-reference the whole collection</h2>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void run(0);
        }}
      >
        <label class="inline">
          least score{' '}
          <input
            type="number"
            min="0"
            max="1"
            step="0.05"
            value={minScore}
            aria-label="Least score"
            onInput={(e) => setMinScore(e.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={running} data-testid="xref-run">
          {running ? 'Matching…' : 'Match every document'}
        </button>
      </form>
      <ErrorBox message={error} />
      {result && (
        <>
          <p class="muted" data-testid="xref-summary">
            {result.matched.toLocaleString()} of entries {(result.offset + 1).toLocaleString()} to{' '}
            {(result.offset + result.entries).toLocaleString()} (of {result.entries_total.toLocaleString()}) found in{' '}
            {result.seconds} s.
            {result.next_offset !== null && (
              <>
                {' '}
                <button type="button" disabled={running} onClick={() => void run(result.next_offset!)}>
                  Next entries
                </button>
              </>
            )}
          </p>
          {result.matches.map((match) => (
            <article class="watch-entry" key={match.line} data-testid="xref-entry">
              <h3>
                <span class="watch-score">{score(match.score)}</span> <span>{match.name}</span>{' '}
                <span class="muted small">
                  [{entryAbout(match.schema, match.id, match.line)}] {match.documents} document
                  {match.documents === 1 ? '' : 's'}
                </span>
              </h3>
              <table class="watch-table">
                <tbody>
                  {match.hits.map((hit, i) => (
                    <tr key={i}>
                      <td class="num">{score(hit.score)}</td>
                      <td>
                        <span class="badge">{hit.kind}</span> <span class="muted small">{hit.type}</span>
                      </td>
                      <td>
                        <MatchedLink type={hit.type} matched={hit.matched} />
                      </td>
                      <td>
                        {hit.ids.map((id) => (
                          <span key={id}>
                            <Link href={docHref(id, phrase(hit.matched))} class="doc-id" title={id}>
                              {id.slice(0, 8)}
                            </Link>{' '}
                          </span>
                        ))}
                        {hit.documents > hit.ids.length && (
                          <Link
                            href={searchHref(
                              hit.type === 'text' ? phrase(hit.matched) : fieldTerm(hit.type, hit.matched),
                            )}
                          >
                            all {hit.documents.toLocaleString()}
                          </Link>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </article>
          ))}
        </>
      )}
    </section>
  );
}

function Upload({ onDone }: { onDone: (name: string) => void }) {
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState('');
  const [result, setResult] = useState<WatchUpload | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (!file) return;
    if (file.size > kMaxUploadBytes) {
      setError(kTooLarge);
      return;
    }
    setBusy(true);
    setError('');
    setResult(null);
    try {
      const uploaded = await api.uploadWatchList(name.trim(), file, file.name, format);
      setResult(uploaded);
      onDone(uploaded.list);
    } catch (e) {
      if (e instanceof ApiError && e.status === 413) {
        setError(kTooLarge);
      } else {
        setError(e instanceof ApiError ? e.message : String(e));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section data-testid="watchlist-upload">
      <h2>Add or replace a list</h2>
      <p class="muted small">
        CSV with a header row and a <code>name</code> column (also <code>aliases</code>, <code>type</code>,{' '}
        <code>id</code>, <code>email</code>), or FollowTheMoney JSON lines as OpenSanctions exports them; up to 4 MB
        (larger lists: <code>trove watch add</code>). A list of the same name is replaced and its hits dropped.
      </p>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <input
          aria-label="List name"
          placeholder="list name"
          required
          maxLength={100}
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <input
          type="file"
          aria-label="List file"
          accept=".csv,.tsv,.json,.jsonl,.ndjson,.ftm,text/csv,application/json"
          required
          onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
        />
        <select aria-label="Format" value={format} onChange={(e) => setFormat(e.currentTarget.value)}>
          <option value="">format from the file</option>
          <option value="csv">CSV</option>
          <option value="ftm">FollowTheMoney JSON lines</option>
        </select>
        <button type="submit" disabled={busy || !file} data-testid="watchlist-upload-submit">
          {busy ? 'Uploading…' : 'Upload'}
        </button>
      </form>
      <ErrorBox message={error} />
      {result && (
        <div data-testid="upload-result">
          <p>
            Stored <strong>{result.list}</strong>: {result.entries.toLocaleString()} entries ({result.names.toLocaleString()}{' '}
            names and aliases, {result.format})
            {result.problems_total > 0 && `, ${result.problems_total.toLocaleString()} lines skipped`}
            {result.skipped > 0 && `, ${result.skipped.toLocaleString()} unnamed entities left out`}. Documents
            ingested from now on are matched as they arrive.
          </p>
          {result.report.length > 0 && (
            <ul class="problems" data-testid="upload-problems">
              {result.report.map((line, i) => (
                <li key={i}>
                  <code>{line}</code>
                </li>
              ))}
              {result.problems_total > result.report.length && (
                <li class="muted">and {(result.problems_total - result.report.length).toLocaleString()} more</li>
              )}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

export function WatchListsPage({ params }: { params: URLSearchParams }) {
  const chosen = params.get('list') ?? '';
  const onlyNew = params.get('new') === '1';
  const [lists, setLists] = useState<WatchList[] | null>(null);
  const [error, setError] = useState('');
  const [confirming, setConfirming] = useState('');
  const [reload, setReload] = useState(0);
  const editor = canEdit();

  useEffect(() => {
    let live = true;
    api
      .watchLists()
      .then((r) => live && setLists(r.lists))
      .catch((e) => live && setError(e instanceof ApiError ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [reload]);

  const remove = async (name: string) => {
    setConfirming('');
    try {
      await api.removeWatchList(name);
      if (chosen === name) navigate('/watchlists', true);
      setReload((n) => n + 1);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };

  const known = lists?.some((l) => l.name === chosen) ?? false;
  return (
    <main class="page watchlists-page">
      <h1>Watch lists</h1>
      <p class="muted">
        Names to look for: every ingest matches them against the documents it indexes and keeps what it finds
        (docs/watchlists.md).
      </p>
      <ErrorBox message={error} />
      {lists && lists.length === 0 && <p data-testid="no-watchlists">No watch lists yet.</p>}
      {lists && lists.length > 0 && (
        <table data-testid="watchlists">
          <thead>
            <tr>
              <th>List</th>
              <th class="num">Entries</th>
              <th class="num">Hits</th>
              <th>Format</th>
              <th>Added</th>
              <th>From</th>
              {editor && <th />}
            </tr>
          </thead>
          <tbody>
            {lists.map((l) => (
              <tr key={l.name} class={l.name === chosen ? 'on' : ''}>
                <td>
                  <Link href={listHref(l.name)} data-testid="watchlist-link">
                    {l.name}
                  </Link>
                </td>
                <td class="num">{l.entries.toLocaleString()}</td>
                <td class="num">
                  {l.hits.toLocaleString()}
                  {l.new_hits > 0 && (
                    <>
                      {' '}
                      <Link href={listHref(l.name, true)} class="badge new">
                        {l.new_hits.toLocaleString()} new
                      </Link>
                    </>
                  )}
                </td>
                <td>{l.format}</td>
                <td>{formatDate(l.added)}</td>
                <td class="muted small">{l.source}</td>
                {editor && (
                  <td>
                    {confirming === l.name ? (
                      <>
                        <button type="button" data-testid="watchlist-delete-confirm" onClick={() => void remove(l.name)}>
                          Delete {l.name} and its hits
                        </button>{' '}
                        <button type="button" class="link" onClick={() => setConfirming('')}>
                          cancel
                        </button>
                      </>
                    ) : (
                      <button type="button" class="link" data-testid="watchlist-delete" onClick={() => setConfirming(l.name)}>
                        delete
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {chosen && lists && !known && <p class="error">There is no watch list {chosen}.</p>}
      {/* Keyed by the reload: a list uploaded again under its name has lost its hits. */}
      {chosen && known && <ListHits key={`${chosen}\u0000${reload}`} list={chosen} onlyNew={onlyNew} />}
      {chosen && known && <Xref key={`${chosen}\u0000${reload}`} list={chosen} />}
      {editor && (
        <Upload
          onDone={(name) => {
            setReload((n) => n + 1);
            navigate(listHref(name), true);
          }}
        />
      )}
    </main>
  );
}
