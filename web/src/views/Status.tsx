// Ingest status (documents by state, type and language; the last run) and the failures list.
// While a run is in progress the page refreshes itself.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { ErrorBox } from '../components';

const kRefreshMs = 3000;

type Counts = Record<string, number>;

function CountTable({ title, counts }: { title: string; counts: unknown }) {
  if (!counts || typeof counts !== 'object') return null;
  const entries = Object.entries(counts as Counts).sort((a, b) => Number(b[1]) - Number(a[1]));
  if (entries.length === 0) return null;
  return (
    <section class="side-box">
      <h3>{title}</h3>
      <table>
        <tbody>
          {entries.map(([k, v]) => (
            <tr key={k}>
              <td>{k}</td>
              <td class="num">{Number(v).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function StatusPage() {
  const [status, setStatus] = useState<Record<string, unknown> | null>(null);
  const [failures, setFailures] = useState<
    { path: string; state: string; reason: string; media_type: string }[] | null
  >(null);
  const [error, setError] = useState('');
  const [filter, setFilter] = useState('');

  useEffect(() => {
    let live = true;
    let timer = 0;
    const load = async () => {
      try {
        const [s, f] = await Promise.all([api.status(), api.failures()]);
        if (!live) return;
        setStatus(s);
        setFailures(f.failures);
        setError('');
        const run = s.last_run as { state?: string } | undefined;
        if (run && run.state === 'interrupted or running') timer = window.setTimeout(load, kRefreshMs);
      } catch (e) {
        if (live) setError(e instanceof ApiError ? e.message : String(e));
      }
    };
    void load();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, []);

  const run = status?.last_run as
    | { id: number; started: string; finished: string; state: string; summary: unknown }
    | undefined;
  const shown = (failures ?? []).filter(
    (f) => !filter || (f.path + ' ' + f.reason + ' ' + f.state).toLowerCase().includes(filter.toLowerCase()),
  );
  return (
    <main class="page status-page">
      <h1>Ingest</h1>
      <ErrorBox message={error} />
      {status && (
        <>
          <p data-testid="status-summary">
            <strong>{Number(status.documents ?? 0).toLocaleString()}</strong> documents from{' '}
            <strong>{Number(status.source_files ?? 0).toLocaleString()}</strong> source files in{' '}
            <code>{String(status.collection ?? '')}</code>
          </p>
          {run && (
            <p>
              Last run #{run.id}: started {run.started}
              {run.finished ? `, finished ${run.finished}` : ''} — <strong>{run.state}</strong>
            </p>
          )}
          <div class="status-grid">
            <CountTable title="Source files by state" counts={status.by_state} />
            <CountTable title="Documents by state" counts={status.documents_by_state} />
            <CountTable title="Documents by type" counts={status.by_type} />
            <CountTable title="Documents by language" counts={status.by_lang} />
          </div>
        </>
      )}
      {failures && (
        <section>
          <h2>Failures and skipped files ({failures.length.toLocaleString()})</h2>
          {failures.length > 0 && (
            <input
              type="search"
              aria-label="Filter failures"
              placeholder="filter by path or reason"
              value={filter}
              onInput={(e) => setFilter(e.currentTarget.value)}
            />
          )}
          <table class="failures" data-testid="failures">
            <thead>
              <tr>
                <th>Path</th>
                <th>State</th>
                <th>Reason</th>
                <th>Type</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((f, i) => (
                <tr key={i}>
                  <td class="path">{f.path}</td>
                  <td>{f.state}</td>
                  <td>{f.reason}</td>
                  <td>{f.media_type}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </main>
  );
}
