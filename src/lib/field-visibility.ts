/**
 * History and diffs show only the fields the reader may read in the Content Manager. Pure: the
 * caller asks Strapi's permission checker about each field path.
 */
import { summarizeChanges, type FieldChange, type Snapshot } from './snapshot';

/**
 * Top-level fields a reader may see: a field is visible only when every field path under it (a
 * component's leaves, as role permissions list them) is readable, so a partly hidden component
 * is hidden whole.
 */
export const visibleFields = (fields: string[], paths: string[], canRead: (path: string) => boolean): Set<string> =>
  new Set(
    fields.filter((field) => {
      const under = paths.filter((path) => path === field || path.startsWith(`${field}.`));
      return (under.length ? under : [field]).every(canRead);
    }),
  );

export const redactSnapshot = (snapshot: Snapshot | null, visible: Set<string>): Snapshot | null =>
  snapshot && Object.fromEntries(Object.entries(snapshot).filter(([field]) => visible.has(field)));

export const redactChanges = (changes: FieldChange[], visible: Set<string>): FieldChange[] =>
  changes.filter(({ field }) => visible.has(field));

interface VersionSummary {
  summary: string | null;
  fields: string[] | null;
  version?: string;
}

/**
 * A history entry as the reader may see it: hidden fields' names dropped from its list and its
 * summary, and the content hash dropped when anything is hidden (with every other field known, a
 * hash would let a reader test guesses of the hidden values).
 */
export const redactVersion = <T extends VersionSummary>(row: T, visible: Set<string>, hidden: Set<string>): T => {
  if (!hidden.size) return row;
  const { version: _version, ...rest } = row;
  void _version;
  const fields = row.fields?.filter((field) => visible.has(field)) ?? null;
  let summary = row.summary;
  if (summary?.startsWith('created')) {
    // "created <title>" names the title: keep only the verb when the title is hidden.
    if (hidden.has('title') || hidden.has('name')) summary = 'created';
  } else if (row.fields && fields && fields.length !== row.fields.length) {
    summary = summarizeChanges(fields.map((field) => ({ field, before: null, after: null })));
  }
  return { ...rest, fields, summary } as T;
};
