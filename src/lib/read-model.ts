/**
 * The read model's pure side: which requests it may answer, the response bodies it writes, the
 * version of its rendering, and how far its event cursor may move. Anything it is not sure to
 * answer exactly as Strapi would falls through to Strapi.
 */
import { createHash } from 'crypto';
import { parseQuery } from './public-query';

/** A list filter the read model answers: `filters[slug][$eq]=…` or `filters[documentId][$eq]=…`. */
export interface ListFilter {
  field: 'slug' | 'documentId';
  value: string;
}

export interface ListRequest {
  locale: string;
  page: number;
  pageSize: number;
  filter?: ListFilter;
  /**
   * Filters and sort on the type's own scalar columns only, as the client sent them: the page is
   * chosen in SQL by Strapi's own query builder, its entries come from the model.
   */
  query?: { filters?: Record<string, unknown>; sort?: string | string[] };
}

export interface DetailRequest {
  locale: string;
}

const PLAIN_INT = /^[1-9][0-9]{0,8}$/;
const LOCALE = /^[A-Za-z0-9-]{1,20}$/;
/** What the public allow-list accepts as a filter value (longer is its 400). */
const MAX_VALUE = 1000;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

/** `filters[<field>][$eq]=<text>` and nothing else: one field, one operator, one string. */
const parseFilter = (filters: unknown, slugged: boolean): ListFilter | undefined => {
  if (!isRecord(filters)) return undefined;
  const names = Object.keys(filters);
  if (names.length !== 1) return undefined;
  const field = names[0];
  if (field !== 'documentId' && !(field === 'slug' && slugged)) return undefined;
  const condition = filters[field];
  if (!isRecord(condition) || Object.keys(condition).length !== 1) return undefined;
  const value = condition.$eq;
  // null (`filters[slug][$eq]` without a value) is Strapi's IS NULL: left to it.
  if (typeof value !== 'string' || value.length > MAX_VALUE || value.includes('\0')) return undefined;
  return { field, value };
};

const LOGIC = new Set(['$and', '$or', '$not']);
const MAX_NESTING = 8;

/** A condition on one column: values, or operators (`$…`) over values and conditions; no attribute names. */
const ownCondition = (value: unknown, depth: number): boolean => {
  if (depth > MAX_NESTING) return false;
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every((item) => ownCondition(item, depth + 1));
  return Object.entries(value).every(([key, item]) => key.startsWith('$') && ownCondition(item, depth + 1));
};

/**
 * Filters that name only the type's own columns (`columns`), combined with $and/$or/$not: no
 * relation, component or media, so Strapi's query joins nothing and selects rows of one table.
 */
const ownColumnFilters = (filters: unknown, columns: ReadonlySet<string>, depth = 0): boolean => {
  if (depth > MAX_NESTING || !isRecord(filters)) return false;
  const entries = Object.entries(filters);
  return (
    entries.length > 0 &&
    entries.every(([key, item]) => {
      if (LOGIC.has(key))
        return Array.isArray(item)
          ? item.length > 0 && item.every((each) => ownColumnFilters(each, columns, depth + 1))
          : ownColumnFilters(item, columns, depth + 1);
      return columns.has(key) && ownCondition(item, depth + 1);
    })
  );
};

const SORT_ITEM = /^([A-Za-z_][A-Za-z0-9_]*)(?::(?:asc|desc))?$/i;

/** `sort=title:asc,id:desc` or `sort[0]=title&sort[1]=id:desc` on the type's own columns. */
const ownColumnSort = (sort: unknown, columns: ReadonlySet<string>): boolean => {
  const items = Array.isArray(sort) ? sort : [sort];
  if (!items.length || items.length > MAX_NESTING) return false;
  return items.every(
    (item) =>
      typeof item === 'string' &&
      item.split(',').every((part) => {
        const match = SORT_ITEM.exec(part.trim());
        return !!match && columns.has(match[1]);
      }),
  );
};

const TEXT_MATCH = /^\$(contains|startsWith|endsWith)i?$/;

/**
 * Whether filters match text inside values (`$containsi`, `$startsWith`, …) anywhere: a search
 * box's filter, which a trigram index answers when counting (no ORDER BY … LIMIT to tempt the
 * planner into walking the table in id order hoping for early hits), so its total is read first.
 */
export const matchesText = (filters: unknown, depth = 0): boolean => {
  if (depth > MAX_NESTING || !filters || typeof filters !== 'object') return false;
  return Object.entries(filters).some(([key, item]) => TEXT_MATCH.test(key) || matchesText(item, depth + 1));
};

/** At most this many matches of a text filter are read whole to pick a page among them (matchesFirst). */
export const MATCHES_READ_WHOLE = 1000;

/**
 * Whether a text-filtered page is picked among its matches read whole (found by the trigram
 * index, then sorted) rather than by walking the sort order until the page is full. With a LIMIT
 * the planner walks the order (the id or sort index) checking each row, and a filter with few
 * matches then reads the whole language; reading the matches costs their number instead. Whole
 * while there are few (MATCHES_READ_WHOLE) or not many more than the page reaches; past that the
 * matches are dense enough for the walk to stop early.
 */
export const matchesFirst = (total: number, pageEnd: number): boolean =>
  total <= Math.max(MATCHES_READ_WHOLE, 4 * pageEnd);

/**
 * A list request the read model answers: `locale` (required), optional `pagination[page]` /
 * `pagination[pageSize]` (plain positive integers, pageSize ≤ maxLimit) and either one filter
 * `filters[slug][$eq]` (types with a slug) or `filters[documentId][$eq]`, each once, or (given the
 * type's own scalar `columns`) filters and a sort naming only those columns. Anything else
 * (relations, components, populate, fields, status, fallback, start/limit, repeated or malformed
 * values) → undefined, and Strapi answers. Decided on the query as Strapi parses it; whether the
 * public API allows the filters and sort is the caller's to check (src/lib/public-query.ts).
 */
export const parseListQuery = (
  querystring: string,
  { defaultLimit, maxLimit }: { defaultLimit: number; maxLimit: number },
  { slugged = false, columns }: { slugged?: boolean; columns?: ReadonlySet<string> } = {},
): ListRequest | undefined => {
  const { locale, pagination, filters, sort, ...rest } = parseQuery(querystring);
  if (Object.keys(rest).length || typeof locale !== 'string' || !LOCALE.test(locale)) return undefined;
  const filter = filters === undefined || sort !== undefined ? undefined : parseFilter(filters, slugged);
  let query: ListRequest['query'];
  if ((filters !== undefined && !filter) || sort !== undefined) {
    if (!columns) return undefined;
    if (filters !== undefined && !ownColumnFilters(filters, columns)) return undefined;
    if (sort !== undefined && !ownColumnSort(sort, columns)) return undefined;
    query = {
      ...(filters !== undefined ? { filters: filters as Record<string, unknown> } : {}),
      ...(sort !== undefined ? { sort: sort as string | string[] } : {}),
    };
  }
  if (pagination !== undefined && !isRecord(pagination)) return undefined;
  const { page = '1', pageSize = String(defaultLimit), ...others } = (pagination ?? {}) as Record<string, unknown>;
  if (Object.keys(others).length) return undefined;
  if (typeof page !== 'string' || typeof pageSize !== 'string') return undefined;
  if (!PLAIN_INT.test(page) || !PLAIN_INT.test(pageSize)) return undefined;
  if (Number(pageSize) > maxLimit) return undefined;
  return {
    locale,
    page: Number(page),
    pageSize: Number(pageSize),
    ...(filter ? { filter } : {}),
    ...(query ? { query } : {}),
  };
};

/** A detail request (`/api/<type>/<documentId>`) the read model answers: `locale` only. */
export const parseDetailQuery = (querystring: string): DetailRequest | undefined => {
  const { locale, ...rest } = parseQuery(querystring);
  if (Object.keys(rest).length || typeof locale !== 'string' || !LOCALE.test(locale)) return undefined;
  return { locale };
};

/** A documentId as Strapi makes them; anything else is left to Strapi's router. */
export const plainDocumentId = (value: string | undefined): value is string =>
  typeof value === 'string' && /^[A-Za-z0-9]{1,64}$/.test(value);

/** Strapi's list body, `{"data":[…],"meta":{"pagination":{…}}}`, from entries already serialized. */
export const listBody = (entries: string[], { page, pageSize }: ListRequest, total: number): string =>
  `{"data":[${entries.join(',')}],"meta":{"pagination":${JSON.stringify({
    page,
    pageSize,
    pageCount: Math.ceil(total / pageSize),
    total,
  })}}}`;

/** Strapi's findOne body for an entry already serialized. */
export const detailBody = (entry: string): string => `{"data":${entry},"meta":{}}`;

/**
 * An entry rendered with the detail populate, as the list shows it: without what only the detail
 * populate adds (the detail populate is the list's plus these keys, so the rest is identical).
 */
export const listEntryOf = (detail: Record<string, unknown>, detailOnly: string[]): Record<string, unknown> => {
  if (!detailOnly.length) return detail;
  const entry = { ...detail };
  for (const key of detailOnly) delete entry[key];
  return entry;
};

/**
 * The version of the rendering: a hash of everything that shapes an entry's JSON besides its
 * content (schemas, components, default populates, Strapi's version, this code's format). A stored
 * model rendered under another version is rebuilt; under the same one, it is kept across restarts.
 */
export const renderVersion = (inputs: unknown): string =>
  createHash('sha256')
    .update(JSON.stringify(inputs, (_key, value: unknown) => (isRecord(value) ? sortedObject(value) : value)))
    .digest('hex')
    .slice(0, 32);

const sortedObject = (value: Record<string, unknown>) =>
  Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, value[key]]),
  );

/**
 * How far the durable cursor may move: every public event at or below it has been applied. Given
 * the events found above it and which of them are applied, it moves to just below the first one
 * not applied, or to the last one found. (Whoever reads from the cursor also reads a window below
 * it: a transaction can commit an event with a lower id after a higher one was read.)
 */
export const advanceCursor = (cursor: number, found: { id: number; applied: boolean }[]): number => {
  let next = cursor;
  for (const { id, applied } of [...found].sort((a, b) => a.id - b.id)) {
    if (id <= cursor) continue;
    if (!applied) return next;
    next = id;
  }
  return next;
};
