/**
 * Uniqueness enforced by the database.
 *
 * Strapi checks `uid` and `unique` attributes in application code only (and not at all for
 * drafts), so concurrent creates race: 20 parallel creates on PostgreSQL stored 6 copies of one
 * slug. Each such attribute gets two partial unique indexes, one over draft rows and one over
 * published rows, scoped by locale: one document-locale has one row of each, so "unique per
 * locale" is exactly "unique among the rows of the same locale and state".
 */
export interface UniqueIndex {
  name: string;
  table: string;
  column: string;
  attribute: string;
  localized: boolean;
  /** Which rows the index covers: drafts, published rows, or every row (no Draft & Publish). */
  state: 'draft' | 'published' | 'all';
}

const MAX_IDENTIFIER = 63; // PostgreSQL truncates longer names, which would break lookups

const hash = (text: string): string => {
  let h = 0;
  for (const char of text) h = (h * 31 + char.charCodeAt(0)) >>> 0;
  return h.toString(36);
};

export const indexName = (table: string, column: string, state: UniqueIndex['state']): string => {
  const name = `${table}_${column}_${state[0]}_uq`;
  return name.length <= MAX_IDENTIFIER ? name : `${name.slice(0, MAX_IDENTIFIER - 12)}_${hash(name)}_uq`;
};

export interface UniqueCandidate {
  table: string;
  localized: boolean;
  draftAndPublish: boolean;
  attributes: Record<string, { type: string; unique?: boolean; column: string }>;
}

/** Every `uid` attribute and every attribute marked `unique` gets database-enforced uniqueness. */
export const uniqueIndexes = (model: UniqueCandidate): UniqueIndex[] =>
  Object.entries(model.attributes)
    .filter(([, attribute]) => attribute.type === 'uid' || attribute.unique === true)
    .flatMap(([attribute, { column }]) =>
      (model.draftAndPublish ? (['draft', 'published'] as const) : (['all'] as const)).map((state) => ({
        name: indexName(model.table, column, state),
        table: model.table,
        column,
        attribute,
        localized: model.localized,
        state,
      })),
    );

const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;

/** DDL valid on both PostgreSQL and SQLite: a partial unique index, created only once. */
export const createIndexSql = (index: UniqueIndex): string => {
  const columns = [index.column, ...(index.localized ? ['locale'] : [])].map(quote).join(', ');
  const where =
    index.state === 'all' ? '' : ` WHERE ${quote('published_at')} IS ${index.state === 'draft' ? 'NULL' : 'NOT NULL'}`;
  return `CREATE UNIQUE INDEX IF NOT EXISTS ${quote(index.name)} ON ${quote(index.table)} (${columns})${where}`;
};

interface DriverError {
  code?: string;
  constraint?: string;
  message?: string;
}

/**
 * Which of our indexes a database error violated, if any: PostgreSQL names the constraint
 * (code 23505); SQLite lists the columns ("UNIQUE constraint failed: projects.slug, projects.locale").
 */
export const violatedIndex = (error: unknown, indexes: UniqueIndex[]): UniqueIndex | undefined => {
  if (!error || typeof error !== 'object') return undefined;
  const { code, constraint, message = '' } = error as DriverError;
  if (code === '23505' && constraint) return indexes.find((index) => index.name === constraint);
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(message)) {
    const failed = message
      .replace(/^.*UNIQUE constraint failed:\s*/s, '')
      .split(',')
      .map((part) => part.trim());
    return indexes.find((index) => failed.includes(`${index.table}.${index.column}`));
  }
  return undefined;
};
