/**
 * Searching the audit log as people read it. Each entry's search text holds what the audit page
 * shows for it in every interface language (action, who, content type, summary) beside the stored
 * English and the machine names; the database matches a term against it with LIKE. Pure: the
 * audit service composes the parts, these rules keep the text and the term comparable.
 */
/** The longest search term taken: enough for a sentence, short of a pasted document. */
export const AUDIT_SEARCH_MAX_LENGTH = 100;

/** Case folded the same way on both sides, so LIKE needs no per-database case rules. */
const fold = (text: string) => text.normalize('NFKC').toLowerCase();

/** The stored search text: distinct non-empty parts, one per line, folded. */
export const searchText = (parts: readonly unknown[]): string =>
  [
    ...new Set(
      parts
        .filter((part) => part !== null && part !== undefined)
        .map((part) => fold(String(part)).trim())
        .filter(Boolean),
    ),
  ].join('\n');

export type SearchTerm = { ok: true; term: string } | { ok: false; reason: 'too-long' | 'not-text' };

/** A term as typed: trimmed and folded; refused when longer than AUDIT_SEARCH_MAX_LENGTH. */
export const parseSearchTerm = (value: unknown): SearchTerm => {
  if (value === undefined || value === null) return { ok: true, term: '' };
  if (typeof value !== 'string') return { ok: false, reason: 'not-text' };
  const term = value.trim();
  // Counted in characters (code points), as the editor sees them, not UTF-16 units.
  if ([...term].length > AUDIT_SEARCH_MAX_LENGTH) return { ok: false, reason: 'too-long' };
  return { ok: true, term: fold(term) };
};

/** A LIKE pattern for "contains term" with % _ and the escape character itself taken literally (ESCAPE '\'). */
export const containsPattern = (term: string): string => `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
