// A small history router: the server answers index.html for every path that is not a file, so
// views are plain URLs (/search?q=..., /doc/ID, /entity?type=&value=) that can be bookmarked.

import { useEffect, useState } from 'preact/hooks';

export interface Location {
  path: string;
  params: URLSearchParams;
}

function current(): Location {
  return { path: window.location.pathname, params: new URLSearchParams(window.location.search) };
}

const listeners = new Set<() => void>();

export function navigate(url: string, replace = false): void {
  if (replace) {
    window.history.replaceState(null, '', url);
  } else {
    window.history.pushState(null, '', url);
    window.scrollTo(0, 0);
  }
  for (const l of listeners) l();
}

window.addEventListener('popstate', () => {
  for (const l of listeners) l();
});

export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = () => setLocation(current());
    listeners.add(update);
    return () => {
      listeners.delete(update);
    };
  }, []);
  return location;
}

// An in-app link: a real <a href> (open in new tab works), routed without a reload.
export function onLinkClick(event: MouseEvent): void {
  const anchor = (event.currentTarget as HTMLAnchorElement | null) ?? null;
  if (
    anchor === null ||
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  ) {
    return;
  }
  const href = anchor.getAttribute('href') ?? '';
  if (!href.startsWith('/') || href.startsWith('/api/')) return;
  event.preventDefault();
  navigate(href);
}

// The last search page shown, so that a document's "back to the results" keeps its filters,
// sort and page.
let lastSearch = '';
export function rememberSearch(url: string): void {
  lastSearch = url;
}
export function lastSearchUrl(): string {
  return lastSearch;
}
