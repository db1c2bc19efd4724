// The JSON API (docs/api.md): one fetch wrapper that sends the CSRF token on every
// state-changing request and turns the API's error shape into an ApiError.

export type Span = [number, number]; // (byte offset, byte length) in a UTF-8 text

export interface Session {
  mode: 'local' | 'team';
  user: string;
  role: string; // reader, editor, admin; "" when logged out in team mode
  csrf: string;
}

export interface Hit {
  id: string;
  title: string;
  name: string;
  path: string;
  parent: string;
  type: string;
  lang: string;
  date: string;
  size: number;
  from: string[];
  places: number;
  score: number;
  snippet: { text: string; marks: Span[] };
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface SearchResult {
  total: number;
  total_is_exact: boolean;
  query: string;
  notice?: string;
  offset: number;
  limit: number;
  hits: Hit[];
  facets?: Record<string, FacetValue[]>;
  // The matches the facets counted: fewer than total when the server counted a sample.
  facet_documents?: number;
  entity_facet_documents?: number;
}

export interface Mention {
  type: string;
  value: string;
  begin: number;
  end: number;
}

export interface Child {
  id: string;
  name: string;
  type: string;
  size: number;
  state: string;
  reason: string;
}

export interface Note {
  id: number;
  user: string;
  text: string;
  created: string;
}

export interface ThreadMessage {
  id: string | null; // null: the message is not in the collection
  message_id: string;
  subject: string;
  from: string;
  date: string | null;
  depth: number;
  inclusive: boolean;
}

export interface NearDuplicate {
  id: string;
  title: string;
  path: string;
  similarity: number;
}

export interface StarredDocument {
  id: string;
  title: string;
  name: string;
  path: string;
  type: string;
  date: string;
  missing: boolean;
}

// The graphs and the timeline count the first `documents_counted` of the `total` matches (the
// timeline's own months count them all); `documents` is the older name of documents_counted
// in the graphs.
export interface EntityGraph {
  total: number;
  documents: number;
  documents_counted: number;
  nodes: { id: string; type: string; field: string; value: string; documents: number }[];
  edges: { source: string; target: string; documents: number }[];
}

export interface EmailGraph {
  total: number;
  documents: number;
  documents_counted: number;
  messages: number;
  nodes: { id: string; address: string; name: string; sent: number; received: number }[];
  edges: { source: string; target: string; messages: number }[];
}

export interface Timeline {
  total: number;
  documents: number;
  documents_counted: number; // the matches whose mentioned dates were counted
  undated: number;
  months: { month: string; documents: number }[];
  mentioned: { month: string; documents: number; mentions: number }[];
}

export interface RetryStatus {
  running: boolean;
  started: string;
  finished: string;
  started_by: string;
  exit_code: number | null;
  last_line: string;
}

// Watch lists (docs/api.md, "Watch lists"): the lists, the hits ingests kept, an upload's
// report, and an on-demand cross-reference.
export interface WatchList {
  name: string;
  format: string;
  source: string;
  entries: number;
  added: string;
  matched_run: number;
  hits: number;
  new_hits: number; // of the latest ingest run
}

export interface WatchHit {
  list: string;
  line: number; // the entry's line in the list's file
  id: string; // the list's own id of the entry
  entry: string; // the entry's name
  schema: string;
  name: string; // the entry's name or alias that matched
  type: string; // person, org, email (an entity of the document) or text
  matched: string; // what the document writes
  kind: string;
  score: number;
  doc_id: string;
  path: string;
  title: string;
  run: number;
  found: string;
  new: boolean;
}

export interface WatchHits {
  list: string;
  latest_run: number;
  new: boolean;
  total: number;
  offset: number;
  limit: number;
  hits: WatchHit[];
}

export interface WatchUpload {
  list: string;
  format: string;
  entries: number;
  names: number;
  skipped: number;
  problems_total: number;
  problems: { line: number; message: string }[];
  report: string[];
}

export interface XrefMatch {
  line: number;
  id: string;
  schema: string;
  name: string;
  aliases: string[];
  score: number;
  documents: number;
  hits: { name: string; type: string; matched: string; kind: string; score: number; documents: number; ids: string[] }[];
}

export interface XrefResult {
  list: string;
  entries: number;
  entries_total: number;
  offset: number;
  next_offset: number | null;
  matched: number;
  seconds: number;
  matches: XrefMatch[];
}

export interface DocumentView {
  id: string;
  path: string;
  paths: { path: string; parent: string }[];
  parent: string;
  name: string;
  title: string;
  type: string;
  media_type: string;
  size: number;
  date: string;
  lang: string;
  state: string;
  reason: string;
  author: string;
  pages: number;
  from: string[];
  to: string[];
  cc: string[];
  bcc: string[];
  message_id: string;
  in_reply_to: string;
  references: string[];
  metadata: Record<string, string>;
  is_truncated: boolean;
  ocr: { state: string; pages: number; mean_confidence: number; languages: string[] | string };
  text: string;
  entities: Mention[];
  children: Child[];
  highlights?: Span[];
  tags: string[];
  notes: Note[];
  starred: boolean;
  has_original: boolean;
  // Added by the server when it knows them (e-mail threads, near-duplicates).
  thread?: { messages: ThreadMessage[]; truncated?: boolean };
  near_duplicates?: NearDuplicate[];
  near_duplicates_total?: number;
}

export interface EntityCount {
  type: string;
  value: string;
  documents: number;
}

// A saved search as the UI stores it (the API keeps the object as given).
export interface SavedQuery {
  q?: string;
  filters?: string[];
  sort?: string;
  exact?: boolean;
}

export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
  ) {
    super(message);
  }
}

let session: Session | null = null;
// Called when the server answers 401: the app shows the login form.
let onUnauthorized: () => void = () => {};

export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export function currentSession(): Session | null {
  return session;
}

async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') {
    if (session === null) await loadSession();
    headers['X-CSRF-Token'] = session?.csrf ?? '';
  }
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'the trove server does not answer (is `trove serve` running?)');
  }
  let payload: unknown = null;
  const text = await res.text();
  if (text !== '') {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = null;
    }
  }
  if (!res.ok) {
    const message =
      (payload as { error?: { message?: string } } | null)?.error?.message ??
      `${method} ${url}: HTTP ${res.status}`;
    if (res.status === 401 && url !== '/api/login') onUnauthorized();
    throw new ApiError(res.status, message);
  }
  return payload as T;
}

export async function loadSession(): Promise<Session> {
  session = await request<Session>('GET', '/api/session');
  return session;
}

export async function login(name: string, password: string): Promise<Session> {
  const s = await request<Session>('POST', '/api/login', { name, password });
  session = { mode: 'team', user: s.user, role: s.role, csrf: s.csrf };
  return session;
}

export async function logout(): Promise<void> {
  await request('POST', '/api/logout');
  session = null;
  await loadSession();
}

// What a team-mode role may do; local mode may do everything.
export function canEdit(): boolean {
  return session?.mode === 'local' || session?.role === 'editor' || session?.role === 'admin';
}

export interface SearchParams {
  q: string;
  filters: string[];
  sort: string;
  offset: number;
  limit: number;
  exact: boolean;
}

// What an empty query box searches: every document. (The API's own empty query is refused by
// the parser as a bare '*' today; this query means the same.)
export const kAllDocuments = 'state:indexed OR state:failed OR state:skipped';

export function searchQueryString(p: SearchParams, extra: Record<string, string> = {}): string {
  const qs = new URLSearchParams();
  qs.set('q', p.q.trim() === '' ? kAllDocuments : p.q);
  for (const f of p.filters) qs.append('filter', f);
  if (p.sort !== 'relevance') qs.set('sort', p.sort);
  if (p.exact) qs.set('exact', '1');
  for (const [k, v] of Object.entries(extra)) qs.set(k, v);
  return qs.toString();
}

export const api = {
  search: (p: SearchParams) =>
    request<SearchResult>(
      'GET',
      '/api/search?' +
        searchQueryString(p, { offset: String(p.offset), limit: String(p.limit), facets: '1' }),
    ),
  exportUrl: (p: SearchParams, format: 'csv' | 'json') =>
    '/api/export?' + searchQueryString(p, { format }),
  document: (id: string, q: string, exact: boolean) =>
    request<DocumentView>(
      'GET',
      `/api/documents/${encodeURIComponent(id)}` +
        (q ? `?q=${encodeURIComponent(q)}${exact ? '&exact=1' : ''}` : ''),
    ),
  originalUrl: (id: string) => `/api/documents/${encodeURIComponent(id)}/original`,
  addTag: (id: string, tag: string) =>
    request('POST', `/api/documents/${encodeURIComponent(id)}/tags`, { tag }),
  removeTag: (id: string, tag: string) =>
    request(
      'DELETE',
      `/api/documents/${encodeURIComponent(id)}/tags/${encodeURIComponent(tag)}`,
    ),
  addNote: (id: string, text: string) =>
    request<Note>('POST', `/api/documents/${encodeURIComponent(id)}/notes`, { text }),
  deleteNote: (note: number) => request('DELETE', `/api/notes/${note}`),
  star: (id: string, on: boolean) =>
    request(on ? 'PUT' : 'DELETE', `/api/documents/${encodeURIComponent(id)}/star`),
  tags: () => request<{ tags: { tag: string; documents: number }[] }>('GET', '/api/tags'),
  starred: () => request<{ documents: StarredDocument[] }>('GET', '/api/starred'),
  // `hits`: the matches whose entities or correspondents are counted (the server's default when
  // undefined).
  entityGraph: (p: SearchParams, hits?: number, types = '') =>
    request<EntityGraph>(
      'GET',
      '/api/graph/entities?' +
        searchQueryString(p, {
          ...(hits === undefined ? {} : { hits: String(hits) }),
          ...(types ? { types } : {}),
        }),
    ),
  emailGraph: (p: SearchParams, hits?: number) =>
    request<EmailGraph>(
      'GET',
      '/api/graph/email?' + searchQueryString(p, hits === undefined ? {} : { hits: String(hits) }),
    ),
  timeline: (p: SearchParams) => request<Timeline>('GET', '/api/timeline?' + searchQueryString(p)),
  retryStatus: () => request<RetryStatus>('GET', '/api/ingest/retry'),
  retryFailures: () => request<RetryStatus>('POST', '/api/ingest/retry'),
  // The zip comes back as a file: fetched here (it needs the CSRF header), saved by the caller.
  zipOriginals: async (ids: string[]): Promise<Blob> => {
    if (session === null) await loadSession();
    const res = await fetch('/api/export/zip', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session?.csrf ?? '' },
      body: JSON.stringify({ ids }),
      credentials: 'same-origin',
    });
    if (!res.ok) {
      let message = `zip export: HTTP ${res.status}`;
      try {
        message = ((await res.json()) as { error?: { message?: string } }).error?.message ?? message;
      } catch {
        // not JSON: keep the status
      }
      if (res.status === 401) onUnauthorized();
      throw new ApiError(res.status, message);
    }
    return res.blob();
  },
  watchLists: () => request<{ latest_run: number; lists: WatchList[] }>('GET', '/api/watchlists'),
  watchHits: (list: string, onlyNew: boolean, offset: number, limit: number) => {
    const qs = new URLSearchParams({ offset: String(offset), limit: String(limit) });
    if (onlyNew) qs.set('new', '1');
    return request<WatchHits>('GET', `/api/watchlists/${encodeURIComponent(list)}/hits?${qs}`);
  },
  xref: (list: string, minScore: number, offset: number) => {
    const qs = new URLSearchParams({ min_score: String(minScore), offset: String(offset) });
    return request<XrefResult>('GET', `/api/watchlists/${encodeURIComponent(list)}/xref?${qs}`);
  },
  removeWatchList: (list: string) => request('DELETE', `/api/watchlists/${encodeURIComponent(list)}`),
  // The list's file is the body as it is (CSV or FollowTheMoney JSON lines); its name tells the
  // server the format when `format` is '' (as `trove watch add` does).
  uploadWatchList: async (list: string, file: Blob, fileName: string, format: string): Promise<WatchUpload> => {
    if (session === null) await loadSession();
    const qs = new URLSearchParams({ file: fileName });
    if (format) qs.set('format', format);
    let res: Response;
    try {
      res = await fetch(`/api/watchlists/${encodeURIComponent(list)}?${qs}`, {
        method: 'POST',
        headers: {
          Accept: 'application/json',
          'Content-Type': 'text/plain; charset=utf-8',
          'X-CSRF-Token': session?.csrf ?? '',
        },
        body: file,
        credentials: 'same-origin',
      });
    } catch {
      throw new ApiError(0, 'the trove server does not answer (is `trove serve` running?)');
    }
    let payload: unknown = null;
    try {
      payload = await res.json();
    } catch {
      payload = null;
    }
    if (!res.ok) {
      if (res.status === 401) onUnauthorized();
      const message =
        (payload as { error?: { message?: string } } | null)?.error?.message ?? `upload: HTTP ${res.status}`;
      throw new ApiError(res.status, message);
    }
    return payload as WatchUpload;
  },
  entities: (type: string, withName: string, limit: number) => {
    const qs = new URLSearchParams();
    if (type) qs.set('type', type);
    if (withName) qs.set('with', withName);
    qs.set('limit', String(limit));
    return request<{ entities: EntityCount[]; with?: string }>('GET', '/api/entities?' + qs);
  },
  status: () => request<Record<string, unknown>>('GET', '/api/status'),
  failures: () =>
    request<{ failures: { path: string; state: string; reason: string; media_type: string }[] }>(
      'GET',
      '/api/failures',
    ),
  savedSearches: () =>
    request<{ searches: { id: number; name: string; query: SavedQuery; created: string }[] }>(
      'GET',
      '/api/searches',
    ),
  saveSearch: (name: string, query: SavedQuery) => request('POST', '/api/searches', { name, query }),
  deleteSavedSearch: (id: number) => request('DELETE', `/api/searches/${id}`),
  users: () => request<{ users: { name: string; role: string; created: string }[] }>('GET', '/api/users'),
  addUser: (name: string, role: string, password: string) =>
    request('POST', '/api/users', { name, role, password }),
  deleteUser: (name: string) => request('DELETE', `/api/users/${encodeURIComponent(name)}`),
  audit: (offset: number, limit: number) =>
    request<{ entries: { id: number; time: string; user: string; action: string; detail: string }[] }>(
      'GET',
      `/api/audit?offset=${offset}&limit=${limit}`,
    ),
  batch: (queries: string[], filters: string[]) =>
    request<{
      results: ({ query: string; total: number; total_is_exact?: boolean } | { query: string; error: string })[];
    }>('POST', '/api/search/batch', filters.length ? { queries, filters } : { queries }),
};
