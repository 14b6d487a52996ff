/**
 * Site search: query parsing, ranking and highlights. Chinese has no spaces between words, so a
 * term is matched as a substring (LIKE on SQLite, ILIKE with pg_trgm indexes on PostgreSQL);
 * English terms are matched case-insensitively. Every term must occur somewhere in the entry.
 */

export const MAX_QUERY_LENGTH = 100;
const MAX_TERMS = 8;

/** Search terms: whitespace-separated, lower-cased, de-duplicated; quotes keep a phrase together. */
export const parseQuery = (q: string): string[] => {
  const terms: string[] = [];
  for (const match of q.slice(0, MAX_QUERY_LENGTH).matchAll(/"([^"]+)"|(\S+)/g)) {
    const term = (match[1] ?? match[2]).trim().toLowerCase();
    if (term && !terms.includes(term)) terms.push(term);
  }
  return terms.slice(0, MAX_TERMS);
};

/** A LIKE pattern matching the term anywhere, with LIKE's own wildcards escaped (ESCAPE '\\'). */
export const likePattern = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** A blocks text or link node: part of one line of text, joined to its neighbours as written. */
const isInline = (node: unknown) =>
  typeof node === 'object' &&
  node !== null &&
  (typeof (node as { text?: unknown }).text === 'string' || (node as { type?: unknown }).type === 'link');

/** Plain text of a rich-text (blocks) value, or of a string. */
export const plainText = (value: unknown): string => {
  if (value == null) return '';
  if (typeof value === 'string') {
    if (value.startsWith('[') || value.startsWith('{')) {
      try {
        return plainText(JSON.parse(value));
      } catch {
        return value;
      }
    }
    return value;
  }
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    // "Hello **world**" is [{text: 'Hello '}, {text: 'world', bold: true}]: no space added inside a line
    const separator = value.length && value.every(isInline) ? '' : ' ';
    return value.map(plainText).filter(Boolean).join(separator);
  }
  if (typeof value === 'object') {
    const node = value as { text?: unknown; children?: unknown };
    if (typeof node.text === 'string') return node.text;
    return plainText(node.children ?? []);
  }
  return '';
};

/** field name → weight (a title counts more than a body) */
export type FieldWeights = Record<string, number>;

export interface Scored {
  score: number;
  /** field → snippet with <mark> around the terms (HTML-escaped) */
  highlights: Record<string, string>;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const occurrences = (haystack: string, needle: string) => {
  let count = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) count += 1;
  return count;
};

/** A window of the text around the first match, terms marked. */
export const highlight = (text: string, given: string[], radius = 40): string => {
  const terms = given.filter(Boolean); // an empty term would match everywhere, forever
  const lower = text.toLowerCase();
  const first = Math.min(...terms.map((term) => lower.indexOf(term)).filter((at) => at >= 0));
  if (!Number.isFinite(first)) return '';
  const start = Math.max(0, first - radius);
  const end = Math.min(text.length, first + radius * 2);
  const window = text.slice(start, end);
  const lowerWindow = window.toLowerCase();
  // Mark ranges, longest terms first so that overlapping shorter ones do not split them.
  const marked = new Array<boolean>(window.length).fill(false);
  for (const term of [...terms].sort((a, b) => b.length - a.length)) {
    for (let at = lowerWindow.indexOf(term); at >= 0; at = lowerWindow.indexOf(term, at + term.length)) {
      for (let i = at; i < at + term.length; i += 1) marked[i] = true;
    }
  }
  let out = '';
  for (let i = 0; i < window.length; i += 1) {
    if (marked[i] && !marked[i - 1]) out += '<mark>';
    out += escapeHtml(window[i]);
    if (marked[i] && !marked[i + 1]) out += '</mark>';
  }
  return `${start > 0 ? '…' : ''}${out}${end < text.length ? '…' : ''}`;
};

/**
 * Scores an entry: every term must occur in some field (else null). Each occurrence counts its
 * field's weight (a few at most per field); the whole query as one phrase counts extra, and a
 * title holding every term (more: starting with the phrase, or being it) most.
 */
export const scoreEntry = (
  fields: Record<string, string>,
  terms: string[],
  weights: FieldWeights,
  titleField: string,
): Scored | null => {
  terms = terms.filter(Boolean);
  if (!terms.length) return null;
  const lower = Object.fromEntries(Object.entries(fields).map(([name, text]) => [name, text.toLowerCase()]));
  if (!terms.every((term) => Object.values(lower).some((text) => text.includes(term)))) return null;
  let score = 0;
  const highlights: Record<string, string> = {};
  const phrase = terms.join(' ');
  for (const [name, text] of Object.entries(lower)) {
    const weight = weights[name] ?? 1;
    const hits = terms.reduce((sum, term) => sum + Math.min(3, occurrences(text, term)), 0);
    if (!hits) continue;
    score += weight * hits;
    if (terms.length > 1 && text.includes(phrase)) score += weight * 2;
    highlights[name] = highlight(fields[name], terms);
  }
  // A title that names what was asked for outranks any number of mentions in the text.
  const title = lower[titleField] ?? '';
  if (title === phrase) score += 30;
  else if (title.startsWith(phrase)) score += 20;
  else if (terms.every((term) => title.includes(term))) score += 10;
  return { score: Math.round(score * 100) / 100, highlights };
};
