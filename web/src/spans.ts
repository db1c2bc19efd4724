// The API gives spans as UTF-8 byte offsets into a text; the DOM counts UTF-16 units. Text is
// cut into segments at every span boundary (in bytes), and each segment is decoded on its own.
// Nothing here builds markup: callers render segments as text nodes.

import type { Span } from './api';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

export interface Segment {
  text: string;
  // Indexes into the `layers` passed to segment(): for each layer, the index of the span of that
  // layer covering this segment, or -1.
  cover: number[];
}

// A span set: spans as [begin, end) byte ranges.
export type Ranges = [number, number][];

export function fromSpans(spans: Span[] | undefined): Ranges {
  return (spans ?? []).map(([offset, length]) => [offset, offset + length]);
}

// Cuts `text` at every boundary of every layer's ranges. Ranges of one layer that overlap are
// allowed: the first one that covers a segment wins.
export function segment(text: string, layers: Ranges[]): Segment[] {
  const bytes = encoder.encode(text);
  const size = bytes.length;
  const cuts = new Set<number>([0, size]);
  for (const layer of layers) {
    for (const [begin, end] of layer) {
      if (begin >= 0 && begin <= size) cuts.add(begin);
      if (end >= 0 && end <= size) cuts.add(end);
    }
  }
  const points = [...cuts].sort((a, b) => a - b);
  // For each layer, ranges sorted by begin, walked with a cursor.
  const sorted = layers.map((layer) =>
    layer.map((r, index) => ({ begin: r[0], end: r[1], index })).sort((a, b) => a.begin - b.begin),
  );
  const active: { begin: number; end: number; index: number }[][] = layers.map(() => []);
  const next = layers.map(() => 0);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < points.length; ++i) {
    const from = points[i];
    const to = points[i + 1];
    const cover: number[] = [];
    for (let l = 0; l < sorted.length; ++l) {
      while (next[l] < sorted[l].length && sorted[l][next[l]].begin <= from) {
        active[l].push(sorted[l][next[l]]);
        ++next[l];
      }
      active[l] = active[l].filter((r) => r.end > from);
      let best = -1;
      for (const r of active[l]) {
        if (r.end >= to && (best === -1 || r.index < best)) best = r.index;
      }
      cover.push(best);
    }
    out.push({ text: decoder.decode(bytes.subarray(from, to)), cover });
  }
  return out;
}
