// Graphs of a search: entities mentioned together, and who wrote to whom. Drawn by cytoscape on
// a canvas (labels are painted, never markup), with the same nodes and edges listed as links
// below for the keyboard and screen readers. Clicking a node or an edge opens the search for
// its documents.
import { useEffect, useRef, useState } from 'preact/hooks';
import type cytoscape from 'cytoscape';
import {
  api,
  ApiError,
  type EmailGraph,
  type EntityGraph,
  type SearchParams,
} from '../api';
import { ErrorBox, Link } from '../components';
import { fieldTerm } from '../query';
import { navigate } from '../router';
import { paramsOf, searchUrl } from './Search';

export interface GraphNode {
  id: string;
  label: string;
  weight: number;
  kind: string; // a class for the colour: person, org, place, email...
  href: string;
  detail?: string; // shown in the list beside the label
}

export interface GraphEdge {
  source: string;
  target: string;
  weight: number;
  href: string;
}

// cytoscape adds a <style> element to the page unless one with this id exists; the CSP forbids
// inline styles, so a marker stands in for it and style.css gives the container its position.
function preventInlineStylesheet(): void {
  const id = '__________cytoscape_stylesheet';
  if (document.getElementById(id) !== null) return;
  const marker = document.createElement('meta');
  marker.id = id;
  document.head.appendChild(marker);
}

const kColours: Record<string, string> = {
  person: '#1f5fbf',
  org: '#8e44ad',
  place: '#1e8449',
  email: '#b9770e',
  address: '#b9770e',
};

export function GraphCanvas({
  nodes,
  edges,
  directed = false,
  label,
}: {
  nodes: GraphNode[];
  edges: GraphEdge[];
  directed?: boolean;
  label: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (box.current === null || nodes.length === 0) return;
    let live = true;
    let cy: cytoscape.Core | null = null;
    // cytoscape is loaded with the first graph: the search page does not wait for it.
    void import('cytoscape').then(({ default: makeGraph }) => {
      if (!live || box.current === null) return;
      cy = draw(makeGraph, box.current);
    });
    return () => {
      live = false;
      cy?.destroy();
    };
  }, [nodes, edges, directed]);

  const draw = (makeGraph: typeof cytoscape, container: HTMLDivElement): cytoscape.Core => {
    preventInlineStylesheet();
    const maxNode = Math.max(1, ...nodes.map((n) => n.weight));
    const maxEdge = Math.max(1, ...edges.map((e) => e.weight));
    const hrefs = new Map<string, string>();
    const elements: cytoscape.ElementDefinition[] = [];
    nodes.forEach((n, i) => {
      const id = `n${i}`;
      hrefs.set(id, n.href);
      elements.push({
        data: {
          id,
          label: n.label.length > 40 ? n.label.slice(0, 39) + '…' : n.label,
          size: 12 + 32 * Math.sqrt(n.weight / maxNode),
          colour: kColours[n.kind] ?? '#5f6b76',
        },
      });
    });
    const index = new Map(nodes.map((n, i) => [n.id, `n${i}`]));
    edges.forEach((e, i) => {
      const source = index.get(e.source);
      const target = index.get(e.target);
      if (source === undefined || target === undefined) return;
      const id = `e${i}`;
      hrefs.set(id, e.href);
      elements.push({ data: { id, source, target, width: 1 + 7 * (e.weight / maxEdge) } });
    });
    const cy = makeGraph({
      container,
      elements,
      style: [
        {
          selector: 'node',
          style: {
            label: 'data(label)',
            width: 'data(size)',
            height: 'data(size)',
            'background-color': 'data(colour)',
            'font-size': 11,
            color: '#1d2125',
            'text-valign': 'bottom',
            'text-margin-y': 3,
          },
        },
        {
          selector: 'edge',
          style: {
            width: 'data(width)',
            'line-color': '#9aa7b3',
            'curve-style': directed ? 'bezier' : 'straight',
            'target-arrow-shape': directed ? 'triangle' : 'none',
            'target-arrow-color': '#9aa7b3',
            opacity: 0.7,
          },
        },
        { selector: ':selected', style: { 'background-color': '#ff9f1c', 'line-color': '#ff9f1c' } },
      ],
      layout: {
        name: 'cose',
        animate: false,
        randomize: false,
        nodeRepulsion: () => 12000,
        idealEdgeLength: () => 90,
        nodeOverlap: 24,
        componentSpacing: 80,
      },
      minZoom: 0.2,
      maxZoom: 4,
    });
    cy.on('tap', 'node, edge', (event) => {
      const href = hrefs.get(event.target.id());
      if (href) navigate(href);
    });
    // Where the heaviest node was drawn, for a test (or a tool) that clicks it.
    const first = cy.nodes()[0]?.renderedPosition();
    if (first) container.setAttribute('data-first-node', `${Math.round(first.x)},${Math.round(first.y)}`);
    container.setAttribute('data-ready', 'true');
    return cy;
  };
  return (
    <div
      ref={box}
      class="graph-canvas"
      role="img"
      aria-label={label}
      data-testid="graph-canvas"
      data-nodes={String(nodes.length)}
      data-edges={String(edges.length)}
    />
  );
}

// The nodes and edges as links, heaviest first.
function GraphLists({ nodes, edges, arrow }: { nodes: GraphNode[]; edges: GraphEdge[]; arrow: string }) {
  const name = new Map(nodes.map((n) => [n.id, n.label]));
  return (
    <div class="graph-lists">
      <section>
        <h2>Nodes</h2>
        <ol data-testid="graph-nodes">
          {nodes.map((n) => (
            <li key={n.id}>
              <Link href={n.href} class={`entity entity-${n.kind.replace(/[^a-z]/g, '')}`}>
                {n.label}
              </Link>{' '}
              {n.detail && <span class="muted small">{n.detail} </span>}
              <span class="count">{n.weight.toLocaleString()}</span>
            </li>
          ))}
        </ol>
      </section>
      <section>
        <h2>Links</h2>
        <ol data-testid="graph-edges">
          {edges.slice(0, 200).map((e) => (
            <li key={e.source + '\u0000' + e.target}>
              <Link href={e.href}>
                {name.get(e.source)} {arrow} {name.get(e.target)}
              </Link>{' '}
              <span class="count">{e.weight.toLocaleString()}</span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

function withFilters(p: SearchParams, extra: string[]): string {
  return searchUrl({ ...p, offset: 0, filters: [...p.filters, ...extra.filter((f) => !p.filters.includes(f))] });
}

export function entityGraphParts(p: SearchParams, graph: EntityGraph): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const term = new Map(graph.nodes.map((n) => [n.id, fieldTerm(n.field, n.value)]));
  return {
    nodes: graph.nodes.map((n) => ({
      id: n.id,
      label: n.value,
      weight: n.documents,
      kind: n.type,
      href: withFilters(p, [term.get(n.id)!]),
    })),
    edges: graph.edges.map((e) => ({
      source: e.source,
      target: e.target,
      weight: e.documents,
      href: withFilters(p, [term.get(e.source)!, term.get(e.target)!]),
    })),
  };
}

function emailGraphParts(p: SearchParams, graph: EmailGraph): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const address = (a: string) => fieldTerm('from', a).slice('from:'.length);
  return {
    nodes: graph.nodes.map((n) => ({
      id: n.id,
      label: n.name || n.address,
      detail: n.name ? n.address : undefined,
      weight: n.sent + n.received,
      kind: 'email',
      href: withFilters(p, [`from:${address(n.address)} OR to:${address(n.address)} OR cc:${address(n.address)}`]),
    })),
    edges: graph.edges.map((e) => ({
      source: e.source,
      target: e.target,
      weight: e.messages,
      href: withFilters(p, [`from:${address(e.source)}`, `to:${address(e.target)} OR cc:${address(e.target)}`]),
    })),
  };
}

// The most matches a graph may count (the API's limit for `hits`).
const kMaxHits = 20000;

// "Counts over the first 5,000 of 120,000 matches" when a sample was counted.
export function countedOver(counted: number, total: number): string {
  return counted < total
    ? `Counts over the first ${counted.toLocaleString()} of ${total.toLocaleString()} matches`
    : `Counts over all ${total.toLocaleString()} matches`;
}

// /graph?kind=entities|email&q=&f=...[&hits=N]: a graph of the search in the URL, counted over
// its first `hits` matches (the server's default without it).
export function GraphPage({ params: url }: { params: URLSearchParams }) {
  const params = paramsOf(url);
  const kind = url.get('kind') === 'email' ? 'email' : 'entities';
  const asked = Number(url.get('hits') ?? '');
  const hits = url.get('hits') && asked > 0 ? Math.min(kMaxHits, Math.floor(asked)) : undefined;
  const key = searchUrl(params) + `&kind=${kind}&hits=${hits ?? ''}`;
  const [parts, setParts] = useState<{ nodes: GraphNode[]; edges: GraphEdge[] } | null>(null);
  const [info, setInfo] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    setParts(null);
    const load =
      kind === 'email'
        ? api.emailGraph(params, hits).then((g) => {
            if (!live) return;
            setParts(emailGraphParts(params, g));
            setInfo(`${g.messages.toLocaleString()} messages. ${countedOver(g.documents_counted, g.total)}`);
          })
        : api.entityGraph(params, hits).then((g) => {
            if (!live) return;
            setParts(entityGraphParts(params, g));
            setInfo(countedOver(g.documents_counted, g.total));
          });
    load.then(() => live && setError('')).catch((e) => live && setError(e instanceof ApiError ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [key]);
  const other = new URLSearchParams(url);
  other.set('kind', kind === 'email' ? 'entities' : 'email');
  return (
    <main class="page graph-page">
      <h1>{kind === 'email' ? 'Who wrote to whom' : 'Entities mentioned together'}</h1>
      <p>
        For <Link href={searchUrl(params)}>{params.q || 'all documents'}</Link>
        {params.filters.length > 0 && <span class="muted"> ({params.filters.join(', ')})</span>}
        {' · '}
        <Link href={'/graph?' + other.toString()} data-testid="graph-switch">
          {kind === 'email' ? 'entity graph' : 'e-mail graph'}
        </Link>
        {' · '}
        <Link href={'/timeline?' + new URLSearchParams([...url].filter(([k]) => k !== 'kind')).toString()}>
          timeline
        </Link>
      </p>
      <ErrorBox message={error} />
      {parts === null && !error && <p class="muted">Loading…</p>}
      {parts && (
        <>
          <p class="muted" data-testid="graph-info">
            {info}. Click a node or a link for its documents.
          </p>
          {parts.nodes.length === 0 ? (
            <p class="muted" data-testid="graph-empty">
              {kind === 'email' ? 'No messages with senders and recipients here.' : 'No entities here.'}
            </p>
          ) : (
            <>
              <GraphCanvas
                nodes={parts.nodes}
                edges={parts.edges}
                directed={kind === 'email'}
                label={kind === 'email' ? 'E-mail graph' : 'Co-mention graph'}
              />
              <GraphLists nodes={parts.nodes} edges={parts.edges} arrow={kind === 'email' ? '→' : '–'} />
            </>
          )}
        </>
      )}
    </main>
  );
}
