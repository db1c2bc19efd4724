// A document: its text with the query's hits and the entity mentions marked, and everything
// known about it. The text and every field are hostile (a leak is written by anyone): they are
// rendered as text nodes only; an HTML e-mail body arrives as extracted text and stays text.
import type { ComponentChild } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, canEdit, type DocumentView, type Mention } from '../api';
import { docHref, entityHref, ErrorBox, Link, searchHref } from '../components';
import { entityField, fieldTerm, formatSize } from '../query';
import { fromSpans, segment, type Ranges } from '../spans';
import { lastSearchUrl } from '../router';

// The e-mail thread the document is in, in tree order; a message the collection lacks is named
// but not linked. Nothing when the server sends no thread.
function Thread({ doc, q }: { doc: DocumentView; q: string }) {
  const messages = doc.thread?.messages ?? [];
  if (messages.length < 2) return null;
  return (
    <section class="side-box" data-testid="thread">
      <h3>Thread ({messages.length})</h3>
      <ol class="thread">
        {messages.map((m, i) => {
          const label = `${m.subject || '(no subject)'}`;
          return (
            <li key={i} class={`depth-${Math.min(Math.max(0, m.depth), 8)}${m.id === doc.id ? ' current' : ''}`}>
              {m.id === null ? (
                <span class="muted" title={m.message_id}>
                  {label} (not in the collection)
                </span>
              ) : m.id === doc.id ? (
                <strong>{label}</strong>
              ) : (
                <Link href={docHref(m.id, q)}>{label}</Link>
              )}
              <div class="muted small">
                {m.from}
                {m.date ? ` · ${m.date.slice(0, 10)}` : ''}
                {m.inclusive ? ' · quotes the whole thread' : ''}
              </div>
            </li>
          );
        })}
      </ol>
      {doc.thread?.truncated && <p class="muted small">The thread is longer; not every message is listed.</p>}
    </section>
  );
}

// Documents with nearly the same text. Nothing when the server sends none.
function NearDuplicates({ doc, q }: { doc: DocumentView; q: string }) {
  const near = doc.near_duplicates ?? [];
  if (near.length === 0) return null;
  return (
    <section class="side-box" data-testid="near-duplicates">
      <h3>Near-duplicates ({Math.max(near.length, doc.near_duplicates_total ?? 0).toLocaleString()})</h3>
      <ul>
        {near.map((d) => (
          <li key={d.id}>
            <Link href={docHref(d.id, q)} title={d.path}>
              {d.title || d.path || d.id}
            </Link>{' '}
            <span class="muted small">{Math.round(d.similarity * 100)}% similar</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function DocText({
  doc,
  current,
}: {
  doc: DocumentView;
  current: number;
}) {
  const parts = useMemo(() => {
    const hits = fromSpans(doc.highlights);
    const mentions: Ranges = doc.entities.map((m) => [m.begin, m.end]);
    return segment(doc.text, [hits, mentions]);
  }, [doc]);
  return (
    <pre class="doctext" data-testid="doctext">
      {parts.map((p, i) => {
        const [hit, mention] = p.cover;
        let node: ComponentChild = withPageBreaks(p.text);
        if (hit < 0 && mention < 0) return node;
        if (hit >= 0) {
          node = (
            <mark data-hit={hit} class={hit === current ? 'current' : ''}>
              {node}
            </mark>
          );
        }
        if (mention >= 0) {
          const m: Mention = doc.entities[mention];
          node = (
            <Link
              href={entityHref(m.type, m.value)}
              class={`entity entity-${m.type.replace(/[^a-z]/g, '')}`}
              title={`${m.type}: ${m.value}`}
            >
              {node}
            </Link>
          );
        }
        return <span key={i}>{node}</span>;
      })}
    </pre>
  );
}

// Extracted text marks page breaks with form feeds: show them as a rule.
function withPageBreaks(text: string): ComponentChild {
  if (!text.includes('\f')) return text;
  const pieces = text.split('\f');
  return pieces.map((piece, i) => (
    <>
      {i > 0 && <span class="page-break" role="separator" aria-label={`page ${i + 1}`} />}
      {piece}
    </>
  ));
}

// The search this document was opened from, with its filters and page, when it is the last one.
function backToResults(q: string): string {
  const last = lastSearchUrl();
  if (last && new URLSearchParams(last.slice(last.indexOf('?'))).get('q') === q) return last;
  return searchHref(q);
}

function PathChain({ path }: { path: string }) {
  const parts = path.split('!/');
  return (
    <span class="path-chain">
      {parts.map((p, i) => (
        <span key={i}>
          {i > 0 && <span class="sep"> › </span>}
          <span class="path-part">{p}</span>
        </span>
      ))}
    </span>
  );
}

function Field({ label, value }: { label: string; value: string | string[] | number | undefined }) {
  if (value === undefined || value === '' || value === 0) return null;
  if (Array.isArray(value) && value.length === 0) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>{Array.isArray(value) ? value.join(', ') : String(value)}</dd>
    </>
  );
}

// Runs one edit of the side boxes (tags, notes): its error shown, or the document reloaded.
async function runEdit(
  action: () => Promise<unknown>,
  setError: (message: string) => void,
  onChange: () => void,
) {
  try {
    await action();
    setError('');
    onChange();
  } catch (e) {
    setError(e instanceof ApiError ? e.message : String(e));
  }
}

function Tags({ doc, onChange }: { doc: DocumentView; onChange: () => void }) {
  const [tag, setTag] = useState('');
  const [error, setError] = useState('');
  const [known, setKnown] = useState<string[]>([]);
  const editable = canEdit();
  useEffect(() => {
    api
      .tags()
      .then((r) => setKnown(r.tags.map((t) => t.tag)))
      .catch(() => setKnown([]));
  }, [doc.id]);
  const run = (action: () => Promise<unknown>) => runEdit(action, setError, onChange);
  return (
    <section class="side-box" data-testid="tags">
      <h3>Tags</h3>
      <div class="chips">
        {doc.tags.map((t) => (
          <span class="chip" key={t}>
            <Link href={searchHref(fieldTerm('tag', t))} title={`Documents tagged ${t}`}>
              {t}
            </Link>
            {editable && (
              <button
                type="button"
                class="chip-x"
                aria-label={`remove tag ${t}`}
                onClick={() => void run(() => api.removeTag(doc.id, t))}
              >
                ×
              </button>
            )}
          </span>
        ))}
        {doc.tags.length === 0 && <span class="muted">none</span>}
      </div>
      {editable && (
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const t = tag.trim();
            if (t) void run(() => api.addTag(doc.id, t)).then(() => setTag(''));
          }}
        >
          <input
            aria-label="New tag"
            placeholder="add a tag"
            list="known-tags"
            value={tag}
            onInput={(e) => setTag(e.currentTarget.value)}
            data-testid="tag-input"
          />
          <datalist id="known-tags">
            {known.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
          <button type="submit">Add</button>
        </form>
      )}
      <ErrorBox message={error} />
    </section>
  );
}

function Notes({ doc, onChange }: { doc: DocumentView; onChange: () => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const editable = canEdit();
  const run = (action: () => Promise<unknown>) => runEdit(action, setError, onChange);
  return (
    <section class="side-box" data-testid="notes">
      <h3>Notes</h3>
      {doc.notes.map((n) => (
        <div class="note" key={n.id}>
          <div class="note-meta">
            {n.user || 'local'} · {n.created.slice(0, 16).replace('T', ' ')}
            {editable && (
              <button
                type="button"
                class="link"
                onClick={() => void run(() => api.deleteNote(n.id))}
              >
                delete
              </button>
            )}
          </div>
          <div class="note-text">{n.text}</div>
        </div>
      ))}
      {editable && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) void run(() => api.addNote(doc.id, text)).then(() => setText(''));
          }}
        >
          <textarea
            aria-label="New note"
            rows={3}
            placeholder="add a note"
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          <button type="submit">Add note</button>
        </form>
      )}
      <ErrorBox message={error} />
    </section>
  );
}

function EntityList({ doc }: { doc: DocumentView }) {
  const byType = new Map<string, Map<string, number>>();
  for (const m of doc.entities) {
    const values = byType.get(m.type) ?? new Map<string, number>();
    values.set(m.value, (values.get(m.value) ?? 0) + 1);
    byType.set(m.type, values);
  }
  if (byType.size === 0) return null;
  return (
    <section class="side-box" data-testid="entities">
      <h3>Mentioned</h3>
      {[...byType.entries()].map(([type, values]) => (
        <div key={type} class="entity-group">
          <h4>{type}</h4>
          <ul>
            {[...values.entries()]
              .sort((a, b) => b[1] - a[1])
              .map(([value, count]) => (
                <li key={value}>
                  <Link href={entityHref(type, value)} class={`entity entity-${type.replace(/[^a-z]/g, '')}`}>
                    {value}
                  </Link>{' '}
                  <span class="count">{count}</span>{' '}
                  <Link
                    href={searchHref(fieldTerm(entityField(type), value))}
                    class="muted small"
                    title="Search documents mentioning it"
                  >
                    search
                  </Link>
                </li>
              ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

export function DocumentPage({ id, params }: { id: string; params: URLSearchParams }) {
  const q = params.get('q') ?? '';
  const exact = params.get('exact') === '1';
  const [doc, setDoc] = useState<DocumentView | null>(null);
  const [error, setError] = useState('');
  const [current, setCurrent] = useState(0);
  const [version, setVersion] = useState(0);
  const textBox = useRef<HTMLDivElement>(null);
  const hitCount = doc?.highlights?.length ?? 0;

  useEffect(() => {
    let live = true;
    api
      .document(id, q, exact)
      .then((d) => {
        if (!live) return;
        setDoc(d);
        setError('');
      })
      .catch((e) => live && setError(e instanceof ApiError ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [id, q, exact, version]);

  useEffect(() => setCurrent(0), [id, q]);
  useEffect(() => {
    if (doc) document.title = `${doc.title || doc.name || doc.id} · trove`;
  }, [doc]);

  // Bring the current hit into view.
  useEffect(() => {
    if (!doc || hitCount === 0) return;
    const el = textBox.current?.querySelector(`mark[data-hit="${current}"]`);
    el?.scrollIntoView({ block: 'center' });
  }, [doc, current]);

  const step = (delta: number) => {
    if (hitCount === 0) return;
    setCurrent((c) => (c + delta + hitCount) % hitCount);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest('input, textarea, select') || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'n') step(1);
      else if (e.key === 'p') step(-1);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (error) {
    return (
      <main class="page">
        <ErrorBox message={error} />
      </main>
    );
  }
  if (!doc) return <main class="page muted">Loading…</main>;
  const reload = () => setVersion((v) => v + 1);
  const back = q ? backToResults(q) : lastSearchUrl();
  const toggleStar = async () => {
    try {
      await api.star(doc.id, !doc.starred);
      reload();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };

  return (
    <main class="doc-page">
      <div class="doc-head">
        {back && (
          <Link href={back} class="back" data-testid="back">
            ‹ results{q ? ` for ${q}` : ''}
          </Link>
        )}
        <h1 data-testid="doc-title">{doc.title || doc.name || doc.id}</h1>
        <div class="doc-actions">
          <button
            type="button"
            class={'star' + (doc.starred ? ' on' : '')}
            aria-pressed={doc.starred}
            onClick={() => void toggleStar()}
            data-testid="star"
          >
            {doc.starred ? '★ Starred' : '☆ Star'}
          </button>
          {doc.has_original ? (
            <a class="button" href={api.originalUrl(doc.id)} download data-testid="download">
              Download original
            </a>
          ) : doc.parent ? (
            <span class="muted">
              Inside another file: <Link href={docHref(doc.parent)}>open its parent</Link>
            </span>
          ) : null}
          {hitCount > 0 ? (
            <span class="hit-nav" data-testid="hit-nav">
              <button type="button" onClick={() => step(-1)} title="Previous hit (p)" data-testid="hit-prev">
                ‹ Prev
              </button>
              <span data-testid="hit-position">
                Hit {current + 1} of {hitCount}
              </span>
              <button type="button" onClick={() => step(1)} title="Next hit (n)" data-testid="hit-next">
                Next ›
              </button>
            </span>
          ) : q ? (
            <span class="muted">No hits for the query in this text.</span>
          ) : null}
        </div>
        <div class="doc-path">
          <PathChain path={doc.path} />
        </div>
      </div>
      <div class="doc-body">
        <div class="doc-text-box" ref={textBox}>
          {doc.state !== 'indexed' && (
            <p class="notice">
              {doc.state}: {doc.reason}
            </p>
          )}
          {doc.is_truncated && <p class="notice">The text was cut: the document is longer.</p>}
          {doc.text ? <DocText doc={doc} current={current} /> : <p class="muted">No text.</p>}
        </div>
        <aside class="doc-side">
          <section class="side-box">
            <h3>Document</h3>
            <dl class="meta" data-testid="metadata">
              <Field label="Name" value={doc.name} />
              <Field label="Type" value={`${doc.type} (${doc.media_type})`} />
              <Field label="Size" value={formatSize(doc.size)} />
              <Field label="Date" value={doc.date} />
              <Field label="Language" value={doc.lang} />
              <Field label="Author" value={doc.author} />
              <Field label="From" value={doc.from} />
              <Field label="To" value={doc.to} />
              <Field label="Cc" value={doc.cc} />
              <Field label="Bcc" value={doc.bcc} />
              <Field label="Message-ID" value={doc.message_id} />
              <Field label="In reply to" value={doc.in_reply_to} />
              <Field label="Pages" value={doc.pages} />
              {doc.ocr && doc.ocr.state && doc.ocr.state !== 'none' && (
                <Field
                  label="OCR"
                  value={`${doc.ocr.state}${doc.ocr.mean_confidence ? `, confidence ${Math.round(doc.ocr.mean_confidence)}` : ''}`}
                />
              )}
              {Object.entries(doc.metadata ?? {}).map(([k, v]) => (
                <Field key={k} label={k} value={v} />
              ))}
              <Field label="Id" value={doc.id} />
            </dl>
          </section>
          {doc.parent && (
            <section class="side-box">
              <h3>Inside</h3>
              <Link href={docHref(doc.parent, q)} data-testid="parent">
                the parent document
              </Link>
            </section>
          )}
          {doc.children.length > 0 && (
            <section class="side-box" data-testid="children">
              <h3>Attachments and members ({doc.children.length})</h3>
              <ul>
                {doc.children.map((c) => (
                  <li key={c.id}>
                    <Link href={docHref(c.id, q)}>{c.name || c.id}</Link>{' '}
                    <span class="muted small">
                      {c.type} · {formatSize(c.size)}
                      {c.state !== 'indexed' ? ` · ${c.state}${c.reason ? ': ' + c.reason : ''}` : ''}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <Thread doc={doc} q={q} />
          <NearDuplicates doc={doc} q={q} />
          {doc.paths.length > 1 && (
            <section class="side-box">
              <h3>Also found at</h3>
              <ul>
                {doc.paths.map((p, i) => (
                  <li key={i}>
                    <PathChain path={p.path} />
                  </li>
                ))}
              </ul>
            </section>
          )}
          <Tags doc={doc} onChange={reload} />
          <Notes doc={doc} onChange={reload} />
          <EntityList doc={doc} />
        </aside>
      </div>
    </main>
  );
}
