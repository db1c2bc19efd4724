// The date histogram: documents per year (the year facet). Click a bar for that year, or drag
// across bars to brush a range; either becomes a `date:FROM..TO` filter. Keyboard: Tab to a
// bar, Enter picks its year, Shift+Enter extends the range from the last picked year.
import { useRef, useState } from 'preact/hooks';
import type { FacetValue } from '../api';

const kMaxSpan = 120; // years; wider (a stray 1970 or 2099 date) shows only years with documents

export function Histogram({
  values,
  onRange,
}: {
  values: FacetValue[];
  onRange: (from: number, to: number) => void;
}) {
  const counts = new Map<number, number>();
  for (const v of values) {
    const year = Number(v.value);
    if (Number.isInteger(year)) counts.set(year, (counts.get(year) ?? 0) + v.count);
  }
  const present = [...counts.keys()].sort((a, b) => a - b);
  const [brush, setBrush] = useState<{ from: number; to: number } | null>(null);
  const anchor = useRef<number | null>(null);
  if (present.length === 0) return null;
  const first = present[0];
  const last = present[present.length - 1];
  const years =
    last - first <= kMaxSpan ? Array.from({ length: last - first + 1 }, (_, i) => first + i) : present;
  const max = Math.max(...years.map((y) => counts.get(y) ?? 0), 1);
  const barWidth = 14;
  const gap = 2;
  const height = 60;
  const width = Math.max(years.length * (barWidth + gap), 80);
  const inBrush = (y: number) =>
    brush !== null && y >= Math.min(brush.from, brush.to) && y <= Math.max(brush.from, brush.to);

  const finish = () => {
    if (brush !== null) onRange(Math.min(brush.from, brush.to), Math.max(brush.from, brush.to));
    setBrush(null);
  };

  return (
    <div class="histogram" data-testid="histogram">
      <svg
        viewBox={`0 0 ${width} ${height + 14}`}
        width={Math.min(width, 600)}
        height={height + 14}
        role="group"
        aria-label="Documents per year: click a bar or drag across bars to filter by date"
        onPointerUp={finish}
        onPointerLeave={() => setBrush(null)}
      >
        {years.map((year, i) => {
          const count = counts.get(year) ?? 0;
          const h = count === 0 ? 0 : Math.max(2, Math.round((count / max) * height));
          const x = i * (barWidth + gap);
          return (
            <g
              key={year}
              class={'bar' + (inBrush(year) ? ' brushed' : '') + (count === 0 ? ' empty' : '')}
              tabIndex={count === 0 ? -1 : 0}
              role="button"
              aria-label={`${year}: ${count} documents`}
              data-year={year}
              onPointerDown={(e) => {
                e.preventDefault();
                setBrush({ from: year, to: year });
              }}
              onPointerEnter={() => {
                if (brush !== null) setBrush({ from: brush.from, to: year });
              }}
              onKeyDown={(e) => {
                if (e.key !== 'Enter' && e.key !== ' ') return;
                e.preventDefault();
                if (e.shiftKey && anchor.current !== null) {
                  onRange(Math.min(anchor.current, year), Math.max(anchor.current, year));
                } else {
                  anchor.current = year;
                  onRange(year, year);
                }
              }}
            >
              <title>{`${year}: ${count}`}</title>
              <rect class="hit-area" x={x} y={0} width={barWidth} height={height} />
              <rect class="fill" x={x} y={height - h} width={barWidth} height={h} />
            </g>
          );
        })}
        <text x={0} y={height + 12} class="axis">
          {String(years[0])}
        </text>
        {years.length > 1 && (
          <text x={width} y={height + 12} class="axis" text-anchor="end">
            {String(years[years.length - 1])}
          </text>
        )}
      </svg>
    </div>
  );
}
