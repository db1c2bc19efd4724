// Small shared pieces. Every piece of document text or metadata is rendered as a text node
// (JSX children); nothing in the UI sets innerHTML.
import type { ComponentChildren } from 'preact';
import type { Span } from './api';
import { fromSpans, segment } from './spans';
import { onLinkClick } from './router';

// A snippet: plain text with the matches (byte spans) marked.
export function Marked({ text, marks }: { text: string; marks: Span[] }) {
  const parts = segment(text, [fromSpans(marks)]);
  return (
    <>
      {parts.map((p, i) => (p.cover[0] >= 0 ? <mark key={i}>{p.text}</mark> : p.text))}
    </>
  );
}

export function Link({
  href,
  children,
  ...rest
}: {
  href: string;
  children: ComponentChildren;
  class?: string;
  title?: string;
  'data-testid'?: string;
}) {
  return (
    <a href={href} onClick={onLinkClick} {...rest}>
      {children}
    </a>
  );
}

export function ErrorBox({ message }: { message: string }) {
  if (!message) return null;
  return (
    <p class="error" role="alert">
      {message}
    </p>
  );
}

export function docHref(id: string, q?: string, exact?: boolean): string {
  const qs = new URLSearchParams();
  if (q) qs.set('q', q);
  if (exact) qs.set('exact', '1');
  const s = qs.toString();
  return `/doc/${id}${s ? '?' + s : ''}`;
}

export function searchHref(q: string, filters: string[] = []): string {
  const qs = new URLSearchParams();
  qs.set('q', q);
  for (const f of filters) qs.append('f', f);
  return '/search?' + qs.toString();
}

export function entityHref(type: string, value: string): string {
  const qs = new URLSearchParams({ type, value });
  return '/entity?' + qs.toString();
}
