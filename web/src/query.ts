// Building query-language fragments (docs/search.md) from values the user clicked.

// The query field of an entity type (EntityMention::type): dates mentioned are `mentions:`.
export function entityField(type: string): string {
  return type === 'date' ? 'mentions' : type;
}

// `field:value`, quoted as a phrase unless the value is one plain word.
export function fieldTerm(field: string, value: string): string {
  // Addresses, numbers and dates stay whole (`email:a@b.org`, `mentions:2011-11-21`).
  if (/^[\p{L}\p{N}_][\p{L}\p{N}_.@+-]*$/u.test(value)) return `${field}:${value}`;
  return `${field}:"${value.replace(/"/g, ' ')}"`;
}

// A facet value as a filter; the year facet becomes a date range.
export function facetFilter(facet: string, value: string): string {
  if (facet === 'year' && /^\d{4}$/.test(value)) return `date:${value}-01-01..${value}-12-31`;
  return fieldTerm(facet, value);
}

export function dateRange(fromYear: number, toYear: number): string {
  const [a, b] = fromYear <= toYear ? [fromYear, toYear] : [toYear, fromYear];
  return `date:${a}-01-01..${b}-12-31`;
}

export function isDateFilter(filter: string): boolean {
  return /^-?date:/.test(filter);
}

export const facetLabels: Record<string, string> = {
  type: 'Type',
  lang: 'Language',
  year: 'Year',
  from: 'Sender',
  person: 'People',
  org: 'Organisations',
  place: 'Places',
  email: 'E-mail addresses',
  phone: 'Phones',
  iban: 'IBANs',
  url: 'URLs',
  domain: 'Domains',
  ip: 'IP addresses',
  money: 'Money',
  mentions: 'Dates mentioned',
  marking: 'Markings',
};

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function formatDate(iso: string): string {
  return iso ? iso.slice(0, 10) : '';
}
