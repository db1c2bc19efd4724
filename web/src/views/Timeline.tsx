// The timeline of a search: its documents by the month of their own date, and the dates their
// text mentions, by month. A bar narrows the search to its month.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type SearchParams, type Timeline } from '../api';
import { ErrorBox, Link } from '../components';
import { isDateFilter } from '../query';
import { paramsOf, searchUrl } from './Search';

// Every month from the first to the last, gaps included: "2011-11", "2011-12", "2012-01"...
function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  let y = Number(first.slice(0, 4));
  let m = Number(first.slice(5, 7));
  const endY = Number(last.slice(0, 4));
  const endM = Number(last.slice(5, 7));
  while ((y < endY || (y === endY && m <= endM)) && out.length < 2400) {
    out.push(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`);
    if (++m > 12) {
      m = 1;
      ++y;
    }
  }
  return out;
}

// A month's filters: the document's own date, or a date its text mentions.
export function monthFilter(month: string): string {
  return `date:${month}..${month}`;
}
export function mentionedFilter(month: string): string {
  return `mentions:"${month.replace('-', ' ')}"`;
}

function Bars({
  title,
  counts,
  months,
  testid,
  hrefOf,
}: {
  title: string;
  counts: Map<string, number>;
  months: string[];
  testid: string;
  hrefOf: (month: string) => string;
}) {
  const max = Math.max(1, ...counts.values());
  const height = 120;
  const barWidth = Math.max(3, Math.min(24, Math.floor(900 / Math.max(1, months.length)) - 1));
  const width = months.length * (barWidth + 1);
  const yearStep = [1, 2, 5, 10, 20, 50, 100].find((step) => 12 * step * (barWidth + 1) >= 36) ?? 100;
  return (
    <section class="timeline" data-testid={testid}>
      <h2>{title}</h2>
      {months.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <svg viewBox={`0 0 ${width} ${height + 14}`} width={Math.min(width, 960)} height={height + 14} role="group" aria-label={title}>
          {months.map((month, i) => {
            const count = counts.get(month) ?? 0;
            if (count === 0) return null;
            const h = Math.max(2, Math.round((count / max) * height));
            const x = i * (barWidth + 1);
            return (
              <a key={month} href={hrefOf(month)} class="bar" data-month={month} aria-label={`${month}: ${count}`}>
                <title>{`${month}: ${count.toLocaleString()}`}</title>
                <rect class="hit-area" x={x} y={0} width={barWidth} height={height} />
                <rect class="fill" x={x} y={height - h} width={barWidth} height={h} />
              </a>
            );
          })}
          {months.map((month, i) => {
            // A year's label at its January, as often as there is room for one.
            const year = Number(month.slice(0, 4));
            if (!month.endsWith('-01') || year % yearStep !== 0) return null;
            return (
              <text key={'y' + month} x={i * (barWidth + 1)} y={height + 12} class="axis">
                {String(year)}
              </text>
            );
          })}
        </svg>
      )}
    </section>
  );
}

function narrowed(p: SearchParams, filter: string): string {
  const kept = isDateFilter(filter) ? p.filters.filter((f) => !isDateFilter(f)) : p.filters;
  return searchUrl({ ...p, offset: 0, filters: kept.includes(filter) ? kept : [...kept, filter] });
}

// /timeline?q=&f=...
export function TimelinePage({ params: url }: { params: URLSearchParams }) {
  const params = paramsOf(url);
  const key = searchUrl(params);
  const [data, setData] = useState<Timeline | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    setData(null);
    api
      .timeline(params)
      .then((t) => live && (setData(t), setError('')))
      .catch((e) => live && setError(e instanceof ApiError ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [key]);
  const own = new Map((data?.months ?? []).map((m) => [m.month, m.documents]));
  const mentioned = new Map((data?.mentioned ?? []).map((m) => [m.month, m.documents]));
  // One axis for both charts, so that a document's date and the dates it mentions line up.
  const keys = [...own.keys(), ...mentioned.keys()].sort();
  const axis = keys.length ? monthsBetween(keys[0], keys[keys.length - 1]) : [];
  const graph = new URLSearchParams(url);
  graph.set('kind', 'entities');
  return (
    <main class="page timeline-page">
      <h1>Timeline</h1>
      <p>
        For <Link href={key}>{params.q || 'all documents'}</Link>
        {params.filters.length > 0 && <span class="muted"> ({params.filters.join(', ')})</span>}
        {' · '}
        <Link href={'/graph?' + graph.toString()}>graphs</Link>
      </p>
      <ErrorBox message={error} />
      {data === null && !error && <p class="muted">Loading…</p>}
      {data && (
        <>
          <p class="muted" data-testid="timeline-info">
            {data.total.toLocaleString()} results
            {data.undated > 0 ? `; ${data.undated.toLocaleString()} have no date of their own` : ''}.
            {data.documents_counted < data.total
              ? ` Dates mentioned: counts over the first ${data.documents_counted.toLocaleString()} of ${data.total.toLocaleString()} matches.`
              : ''}{' '}
            Click a month to narrow the search to it.
          </p>
          <Bars
            title="Documents by their date"
            counts={own}
            months={own.size ? axis : []}
            testid="timeline-own"
            hrefOf={(m) => narrowed(params, monthFilter(m))}
          />
          <Bars
            title="Dates mentioned in them"
            counts={mentioned}
            months={mentioned.size ? axis : []}
            testid="timeline-mentioned"
            hrefOf={(m) => narrowed(params, mentionedFilter(m))}
          />
        </>
      )}
    </main>
  );
}
