// Ingest status (documents by state, type and language; the last run) and the failures list.
// While a run is in progress the page refreshes itself.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, canEdit, type RetryStatus } from '../api';
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

type RunSummary = {
  sources_found?: number;
  discovery_done?: boolean;
  sources_done?: number;
  bytes_done?: number;
  failed?: number;
  documents?: number;
  seconds?: number;
  ocr_queued_pages?: number;
};

// A running ingest's progress, as of its last commit (every 10 s by default): files done of those
// found, rates, failures so far, and the time left once every file has been found.
function RunProgress({ summary }: { summary: unknown }) {
  const s = (summary ?? {}) as RunSummary;
  const done = s.sources_done ?? 0;
  const found = s.sources_found ?? 0;
  const seconds = s.seconds ?? 0;
  if (seconds <= 0) {
    return <p data-testid="run-progress">Starting: no commit yet.</p>;
  }
  const rate = done / seconds;
  const megabytes = (s.bytes_done ?? 0) / 1e6;
  const left = s.discovery_done && rate > 0 ? Math.max(0, found - done) / rate : null;
  const percent = found > 0 ? Math.floor((100 * done) / found) : 0;
  return (
    <div data-testid="run-progress">
      <progress max={found || 1} value={done} />
      <p>
        <strong>{done.toLocaleString()}</strong> of {found.toLocaleString()}
        {s.discovery_done ? '' : '+ (still finding files)'} source files done
        {s.discovery_done ? ` (${percent}%)` : ''}, {rate.toFixed(1)} files/s,{' '}
        {(megabytes / seconds).toFixed(2)} MB/s, {(s.failed ?? 0).toLocaleString()} failed,{' '}
        {(s.documents ?? 0).toLocaleString()} documents written
        {left !== null && `, about ${Math.ceil(left / 60)} min left`}
        {(s.ocr_queued_pages ?? 0) > 0 && `; ${s.ocr_queued_pages} pages waiting for OCR`}.
      </p>
    </div>
  );
}

export function StatusPage() {
  const [status, setStatus] = useState<Record<string, unknown> | null>(null);
  const [failures, setFailures] = useState<
    { path: string; state: string; reason: string; media_type: string }[] | null
  >(null);
  const [error, setError] = useState('');
  const [filter, setFilter] = useState('');
  const [retry, setRetry] = useState<RetryStatus | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    let timer = 0;
    const load = async () => {
      try {
        const [s, f, r] = await Promise.all([
          api.status(),
          api.failures(),
          api.retryStatus().catch(() => null),
        ]);
        if (!live) return;
        setStatus(s);
        setFailures(f.failures);
        setRetry(r);
        setError('');
        const run = s.last_run as { state?: string } | undefined;
        if ((run && run.state === 'running') || r?.running) {
          timer = window.setTimeout(load, kRefreshMs);
        }
      } catch (e) {
        if (live) setError(e instanceof ApiError ? e.message : String(e));
      }
    };
    void load();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [reload]);

  const startRetry = async () => {
    try {
      setRetry(await api.retryFailures());
      setError('');
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
    setReload((n) => n + 1);
  };

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
              {run.state === 'interrupted' && ' (run the same ingest again to finish it)'}
            </p>
          )}
          {run && run.state === 'running' && <RunProgress summary={run.summary} />}
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
          <div class="retry" data-testid="retry">
            {canEdit() && (
              <button
                type="button"
                disabled={retry?.running === true || failures.length === 0}
                onClick={() => void startRetry()}
                data-testid="retry-start"
              >
                Retry the failures
              </button>
            )}{' '}
            {retry?.running && (
              <span data-testid="retry-state">
                Retrying since {retry.started}… <code>{retry.last_line}</code>
              </span>
            )}
            {retry && !retry.running && retry.started && (
              <span data-testid="retry-state">
                The retry started {retry.started} {retry.exit_code === 0 ? 'finished' : `stopped (exit code ${retry.exit_code})`}{' '}
                at {retry.finished}
                {retry.last_line && (
                  <>
                    : <code>{retry.last_line}</code>
                  </>
                )}
              </span>
            )}
          </div>
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
