// Batch search: a list of names or queries, one a line (pasted or from a file), and the number
// of documents for each; the table exports as CSV.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { ErrorBox, Link, searchHref } from '../components';

const kChunk = 200; // queries per request, so that a long list shows progress

interface Row {
  query: string;
  total?: number;
  exact?: boolean;
  error?: string;
}

// A CSV cell; a cell a spreadsheet would run as a formula is quoted as text.
function cell(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) ? "'" + value : value;
  return '"' + text.replace(/"/g, '""') + '"';
}

function toCsv(rows: Row[]): string {
  const lines = ['query,documents,error'];
  for (const r of rows) {
    lines.push([cell(r.query), r.total === undefined ? '' : String(r.total), cell(r.error ?? '')].join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

export function BatchPage() {
  const [text, setText] = useState('');
  const [rows, setRows] = useState<Row[]>([]);
  const [error, setError] = useState('');
  const [progress, setProgress] = useState<string>('');
  const [busy, setBusy] = useState(false);

  const run = async (event: Event) => {
    event.preventDefault();
    const queries = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '');
    setRows([]);
    setError('');
    if (queries.length === 0) {
      setError('Write or upload one name or query per line.');
      return;
    }
    setBusy(true);
    const out: Row[] = [];
    try {
      for (let i = 0; i < queries.length; i += kChunk) {
        setProgress(`${i} of ${queries.length}`);
        const answer = await api.batch(queries.slice(i, i + kChunk), []);
        for (const r of answer.results) {
          if ('error' in r) out.push({ query: r.query, error: r.error });
          else out.push({ query: r.query, total: r.total, exact: r.total_is_exact });
        }
        setRows([...out]);
      }
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setProgress('');
      setBusy(false);
    }
  };

  const upload = async (event: Event) => {
    const file = (event.currentTarget as HTMLInputElement).files?.[0];
    if (file) setText(await file.text());
  };

  const download = () => {
    const url = URL.createObjectURL(new Blob([toCsv(rows)], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'trove-batch.csv';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <main class="page batch-page">
      <h1>Batch search</h1>
      <p class="muted">
        One name or query per line (any query syntax: <code>"Jane Doe"</code>,{' '}
        <code>person:"Jane Doe"</code>, <code>email:jane@example.org</code>). Each line gets its
        number of documents.
      </p>
      <form onSubmit={(e) => void run(e)}>
        <textarea
          rows={10}
          class="batch-input"
          aria-label="Queries, one per line"
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          data-testid="batch-input"
        />
        <div class="row">
          <label class="button">
            Upload a list…
            <input type="file" accept=".txt,.csv,text/plain,text/csv" class="file-input" onChange={(e) => void upload(e)} />
          </label>
          <button type="submit" disabled={busy} data-testid="batch-run">
            Count documents
          </button>
          {progress && <span class="muted">{progress}</span>}
          {rows.length > 0 && !busy && (
            <button type="button" onClick={download} data-testid="batch-csv">
              Export CSV
            </button>
          )}
        </div>
      </form>
      <ErrorBox message={error} />
      {rows.length > 0 && (
        <table class="batch-results" data-testid="batch-results">
          <thead>
            <tr>
              <th>Query</th>
              <th class="num">Documents</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i} class={r.error ? 'error-row' : r.total === 0 ? 'zero' : ''}>
                <td>
                  <Link href={searchHref(r.query)}>{r.query}</Link>
                </td>
                <td class="num">
                  {r.error ? <span class="error">{r.error}</span> : `${r.exact === false ? '~' : ''}${r.total!.toLocaleString()}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
