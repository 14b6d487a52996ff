/**
 * Site search: query parsing, ranking, highlights, and the SQL of the search index. Chinese has no
 * spaces between words, so a term is matched as a substring; English terms are matched
 * case-insensitively. Every term must occur somewhere in the entry.
 *
 * The database ranks and pages (see the search index below); `scoreEntry` is the same ranking
 * written in JavaScript, the definition the SQL is tested against.
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
  const phrase = terms.join(' ');
  for (const [name, text] of Object.entries(lower)) {
    const weight = weights[name] ?? 1;
    const hits = terms.reduce((sum, term) => sum + Math.min(3, occurrences(text, term)), 0);
    if (!hits) continue;
    score += weight * hits;
    if (terms.length > 1 && text.includes(phrase)) score += weight * 2;
  }
  // A title that names what was asked for outranks any number of mentions in the text.
  const title = lower[titleField] ?? '';
  if (title === phrase) score += 30;
  else if (title.startsWith(phrase)) score += 20;
  else if (terms.every((term) => title.includes(term))) score += 10;
  return { score: Math.round(score * 100) / 100, highlights: highlightFields(fields, terms) };
};

/** A snippet of each field that holds a term, terms marked (the fields without one are left out). */
export const highlightFields = (fields: Record<string, string>, given: string[]): Record<string, string> => {
  const terms = given.filter(Boolean);
  const highlights: Record<string, string> = {};
  for (const [name, text] of Object.entries(fields)) {
    const lower = text.toLowerCase();
    if (terms.some((term) => lower.includes(term))) highlights[name] = highlight(text, terms);
  }
  return highlights;
};

// ---- The search index: ranked and paged by the database ----
//
// One row per published entry of every searched type and locale, its searched fields as
// lower-cased plain text, kept by triggers on the content tables in the writing transaction (so
// every write path is covered and a draft never enters it). SQLite: an FTS5 table with the
// trigram tokenizer. PostgreSQL: a table with a pg_trgm GIN index over the fields joined.
//
// Terms of one or two characters (西工, 园, ai) have no trigram: a second index holds each
// entry's grams (textGrams: every character and every pair of neighbours), the title's apart, so
// that such a term is an index lookup too. PostgreSQL: GIN indexes over an array of the grams
// (core GIN, no extension). SQLite: a contentless FTS5 table whose words are the grams in hex.

export type Dialect = 'postgres' | 'sqlite';

export const SEARCH_TABLE = 'wutong_search';
/** The definition the index was built from (one row): a different one rebuilds the index. */
export const SEARCH_META_TABLE = 'wutong_search_meta';
/** PostgreSQL's reader of rich text (blocks) as plain text, for the triggers. */
export const PG_TEXT_FUNCTION = 'wutong_search_text';
/** A row's key: the content row's id × KEY_SPAN + its type's number (one integer for every type: FTS5's rowid). */
export const KEY_SPAN = 16;
/** Terms shorter than a trigram have none to look up: the gram index (textGrams) answers them. */
export const TRIGRAM = 3;
/** SQLite's gram index (FTS5, contentless: its rowid is the search row's). */
export const GRAM_TABLE = 'wutong_search_grams';
/** SQLite: the numbers 0 … NUMBERS - 1, to walk a text's characters in a trigger (no recursive CTE there). */
export const NUMBERS_TABLE = 'wutong_search_numbers';
const NUMBERS = 1000;
/** PostgreSQL's gram function, the GIN indexes' expression. */
export const PG_GRAMS_FUNCTION = 'wutong_search_grams';

/** Whether a term is too short for the trigram indexes (the gram index answers it). */
export const isShortTerm = (term: string) => [...term].length < TRIGRAM;

/**
 * A text's grams as the gram index holds them: each character and each pair of neighbouring
 * characters (code points), once each. A term of one or two characters occurs in the text only if
 * it is one of them.
 */
export const textGrams = (text: string): string[] => {
  const chars = [...text];
  const grams = new Set<string>();
  chars.forEach((char, i) => {
    grams.add(char);
    if (i + 1 < chars.length) grams.add(char + chars[i + 1]);
  });
  return [...grams];
};

/**
 * SQLite's word for a gram: its UTF-8 bytes in hex after `t` (in the title) or `d` (in any field),
 * one word to FTS5's ascii tokenizer whatever the characters (SQL's lower(hex(…)) writes the same).
 */
export const gramWord = (gram: string, inTitle: boolean) =>
  `${inTitle ? 't' : 'd'}${Buffer.from(gram, 'utf8').toString('hex')}`;

/** The SQLite gram index's query for the short terms (in the title, or in any field), or undefined if none is short. */
export const gramMatch = (terms: string[], inTitle: boolean): string | undefined => {
  const short = terms.filter(isShortTerm);
  return short.length ? short.map((term) => gramWord(term, inTitle)).join(' AND ') : undefined;
};

/** A searched type as the index stores it. */
export interface IndexedType {
  /** 1 … KEY_SPAN - 1, part of every key of the type's rows: never reused for another type. */
  type: number;
  table: string;
  /** The searched columns, the title first; rich text (blocks, json) is reduced to its words. */
  columns: { name: string; rich: boolean; weight: number }[];
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The index's text columns: the title, then f1 … fn holding each type's other searched fields in order. */
export const textColumns = (types: IndexedType[]): string[] => {
  const slots = Math.max(1, ...types.map((t) => t.columns.length));
  return ['title', ...Array.from({ length: slots - 1 }, (_, i) => `f${i + 1}`)];
};

/** What the index is built from: a change (a type or field added, this code's version) rebuilds it. */
export const indexSignature = (dialect: Dialect, types: IndexedType[]): string =>
  JSON.stringify({
    version: 3,
    dialect,
    types: types.map(({ type, table, columns }) => [type, table, columns.map(({ name, rich }) => [name, rich])]),
  });

const PG_TEXT_FUNCTION_SQL =
  `CREATE OR REPLACE FUNCTION ${PG_TEXT_FUNCTION}(doc jsonb) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$ ` +
  `SELECT string_agg(CASE WHEN jsonb_typeof(o -> 'text') = 'string' THEN o ->> 'text' ` +
  `WHEN o ->> 'type' = 'link' THEN '' ELSE ' ' END, '' ORDER BY n) ` +
  `FROM jsonb_path_query(doc, 'strict $.**') WITH ORDINALITY AS x(o, n) WHERE jsonb_typeof(o) = 'object' $fn$`;

/**
 * A column's words as lower-cased SQL text, never NULL. Rich text (Strapi blocks) reads as
 * plainText does: a text node's text, joined to the rest of its line (links included), a space
 * before each block; only the number of spaces may differ, and a term holds none (a quoted phrase
 * across two blocks aside). PostgreSQL's lower() folds every script, SQLite's ASCII only (its
 * FTS5 index still matches case-blind).
 */
export const fieldTextSql = (dialect: Dialect, ref: string, rich: boolean): string => {
  if (dialect === 'postgres') {
    return rich ? `lower(coalesce(${PG_TEXT_FUNCTION}(${ref}), ''))` : `lower(coalesce(${ref}::text, ''))`;
  }
  if (!rich) return `lower(coalesce(${ref}, ''))`;
  const words =
    `SELECT group_concat(CASE WHEN json_type(j.value, '$.text') = 'text' THEN json_extract(j.value, '$.text') ` +
    `WHEN json_extract(j.value, '$.type') = 'link' THEN '' ELSE ' ' END, '' ORDER BY j.id) ` +
    `FROM json_tree(${ref}) j WHERE j.type = 'object'`;
  // Text that is no JSON (or a JSON scalar) is read as it is, like plainText does.
  return (
    `lower(coalesce(CASE WHEN NOT json_valid(${ref}) THEN ${ref} ` +
    `WHEN json_type(${ref}) IN ('array', 'object') THEN (${words}) ELSE ${ref} END, ''))`
  );
};

/** The text columns joined, as the PostgreSQL trigram index has them (\x01 between fields: no term spans two). */
const documentSql = (dialect: Dialect, text: string[], alias = '') =>
  text.map((column) => `${alias}${column}`).join(dialect === 'postgres' ? ` || E'\\x01' || ` : ` || char(1) || `);

/**
 * textGrams in SQL, in C-level string functions only (a per-character SQL loop took 9 ms an entry):
 * the characters, the pairs from the first character on and those from the second. Repeats are
 * left in: GIN keeps each key once per row. PL/pgSQL, so that it is never inlined and its COST
 * stands: the planner must never choose computing it row by row over the index.
 */
const PG_GRAMS_FUNCTION_SQL =
  `CREATE OR REPLACE FUNCTION ${PG_GRAMS_FUNCTION}(doc text) RETURNS text[] LANGUAGE plpgsql IMMUTABLE STRICT ` +
  `PARALLEL SAFE COST 1000 AS $fn$ BEGIN RETURN string_to_array(doc, NULL) ` +
  `|| string_to_array(regexp_replace(doc, '(..)', E'\\\\1\\x02', 'g'), E'\\x02') ` +
  `|| string_to_array(regexp_replace(substr(doc, 2), '(..)', E'\\\\1\\x02', 'g'), E'\\x02'); END $fn$`;

/** The tables the index is made of, to drop before building it anew. */
export const indexTables = (dialect: Dialect): string[] =>
  dialect === 'sqlite' ? [SEARCH_TABLE, GRAM_TABLE, NUMBERS_TABLE] : [SEARCH_TABLE];

/** Creates the index (on PostgreSQL with its trigram index when pg_trgm is there), the old one dropped first. */
export const indexSchemaSql = (dialect: Dialect, types: IndexedType[], trigram: boolean): string[] => {
  const text = textColumns(types);
  if (dialect === 'sqlite') {
    const digits = Array.from({ length: NUMBERS }, (_, i) => `(${i})`).join(', ');
    return [
      `CREATE VIRTUAL TABLE ${SEARCH_TABLE} USING fts5(type UNINDEXED, locale UNINDEXED, document_id UNINDEXED, ` +
        `${text.join(', ')}, tokenize = 'trigram')`,
      // Whether a word is there is all a lookup needs: no positions (detail = none), no copy of the text.
      `CREATE VIRTUAL TABLE ${GRAM_TABLE} USING fts5(grams, tokenize = 'ascii', content = '', ` +
        `contentless_delete = 1, detail = none)`,
      `CREATE TABLE ${NUMBERS_TABLE} (i INTEGER PRIMARY KEY)`,
      `INSERT INTO ${NUMBERS_TABLE} (i) VALUES ${digits}`,
    ];
  }
  return [
    PG_TEXT_FUNCTION_SQL,
    PG_GRAMS_FUNCTION_SQL,
    `CREATE TABLE ${SEARCH_TABLE} (row_key bigint PRIMARY KEY, type smallint NOT NULL, locale varchar(255) NOT NULL, ` +
      `document_id varchar(255) NOT NULL, ${text.map((column) => `${column} text NOT NULL`).join(', ')})`,
    // No index on the locale: a language is half the rows or more, and one tempted the planner to
    // AND every trigram or gram lookup with all of a language's keys, a cost growing with the table.
    ...(trigram
      ? [
          `CREATE INDEX ${SEARCH_TABLE}_trgm ON ${SEARCH_TABLE} USING gin ((${documentSql(dialect, text)}) gin_trgm_ops)`,
          // Search reads title matches first (searchSql).
          `CREATE INDEX ${SEARCH_TABLE}_title_trgm ON ${SEARCH_TABLE} USING gin (title gin_trgm_ops)`,
        ]
      : []),
    // The short terms' (isShortTerm): by the title first, then in any field, as for the trigrams.
    `CREATE INDEX ${SEARCH_TABLE}_grams ON ${SEARCH_TABLE} USING gin ((${PG_GRAMS_FUNCTION}(${documentSql(dialect, text)})))`,
    `CREATE INDEX ${SEARCH_TABLE}_title_grams ON ${SEARCH_TABLE} USING gin ((${PG_GRAMS_FUNCTION}(title)))`,
  ];
};

/**
 * SQLite: the gram words (gramWord) of the search row `s` in SQL, title grams and any field's, each
 * once. Texts up to NUMBERS² characters (a million): two numbers per character's offset.
 */
const sqliteGramsSql = (text: string[]) => {
  const walk = (ref: string, prefix: string) =>
    `SELECT '${prefix}' || lower(hex(substr(${ref}, a.i * ${NUMBERS} + b.i + 1, w.n))) AS g ` +
    `FROM ${NUMBERS_TABLE} a, ${NUMBERS_TABLE} b, (SELECT 1 AS n UNION ALL SELECT 2) w ` +
    `WHERE a.i <= length(${ref}) / ${NUMBERS} AND b.i < length(${ref}) - a.i * ${NUMBERS}`;
  return `(SELECT group_concat(g, ' ') FROM (${[walk('s.title', 't'), ...text.map((column) => walk(`s.${column}`, 'd'))].join(' UNION ')}))`;
};

/** SQLite: (re)writes the gram row of the search row with key `key` (no search row: nothing). */
const sqliteGramInsertSql = (text: string[], where: string) =>
  `INSERT INTO ${GRAM_TABLE} (rowid, grams) SELECT s.rowid, ${sqliteGramsSql(text)} FROM ${SEARCH_TABLE} s WHERE ${where}`;

const keyColumn = (dialect: Dialect) => (dialect === 'sqlite' ? 'rowid' : 'row_key');

/** The index row of a content row (`from`: NEW in a trigger, the table's alias in a backfill). */
const rowSql = (dialect: Dialect, types: IndexedType[], t: IndexedType, from: string) => {
  const text = textColumns(types);
  const columns = [keyColumn(dialect), 'type', 'locale', 'document_id', ...text];
  const values = [
    `${from}.id * ${KEY_SPAN} + ${t.type}`,
    String(t.type),
    `${from}.locale`,
    `${from}.document_id`,
    ...text.map((_, i) =>
      t.columns[i] ? fieldTextSql(dialect, `${from}.${ident(t.columns[i].name)}`, t.columns[i].rich) : `''`,
    ),
  ];
  return { columns, values };
};

/** Indexes a type's published rows: the one-time backfill of a new index (or of a type whose triggers were lost). */
export const backfillSql = (dialect: Dialect, types: IndexedType[], t: IndexedType): string[] => {
  const { columns, values } = rowSql(dialect, types, t, 'c');
  return [
    `INSERT INTO ${SEARCH_TABLE} (${columns.join(', ')}) SELECT ${values.join(', ')} ` +
      `FROM ${ident(t.table)} c WHERE c.published_at IS NOT NULL`,
    ...(dialect === 'sqlite' ? [sqliteGramInsertSql(textColumns(types), `s.type = ${t.type}`)] : []),
  ];
};

/** Removes a type's rows from the index (before backfilling them again). */
export const clearTypeSql = (dialect: Dialect, t: IndexedType): string[] => [
  ...(dialect === 'sqlite'
    ? [`DELETE FROM ${GRAM_TABLE} WHERE rowid IN (SELECT rowid FROM ${SEARCH_TABLE} WHERE type = ${t.type})`]
    : []),
  `DELETE FROM ${SEARCH_TABLE} WHERE type = ${t.type}`,
];

/** The names of a type's triggers (and on PostgreSQL of its trigger function). */
export const triggerNames = (dialect: Dialect, t: IndexedType): string[] =>
  dialect === 'sqlite'
    ? ['insert', 'update', 'delete'].map((event) => `${SEARCH_TABLE}_${t.table}_${event}`)
    : [`${SEARCH_TABLE}_sync`];

/**
 * Triggers that keep a type's published rows in the index, in the transaction that writes them
 * (a publish inserts the published row, an unpublish or delete deletes it, an edit of a published
 * row updates it). A draft row never enters the index. Replaces the type's old triggers.
 */
export const triggerSql = (dialect: Dialect, types: IndexedType[], t: IndexedType): string[] => {
  const table = ident(t.table);
  const key = (row: string) => `${row}.id * ${KEY_SPAN} + ${t.type}`;
  if (dialect === 'sqlite') {
    const [insertName, updateName, deleteName] = triggerNames(dialect, t);
    const { columns, values } = rowSql(dialect, types, t, 'NEW');
    // OR REPLACE: a row left over (however) never fails the content's own write.
    const text = textColumns(types);
    const insert = `INSERT OR REPLACE INTO ${SEARCH_TABLE} (${columns.join(', ')}) SELECT ${values.join(', ')}`;
    // Grams from the row just written (rich text read once); the old gram row goes first.
    const grams = `DELETE FROM ${GRAM_TABLE} WHERE rowid = ${key('NEW')}; ${sqliteGramInsertSql(text, `s.rowid = ${key('NEW')}`)}`;
    const remove = `DELETE FROM ${SEARCH_TABLE} WHERE rowid = ${key('OLD')}; DELETE FROM ${GRAM_TABLE} WHERE rowid = ${key('OLD')}`;
    return [
      ...triggerNames(dialect, t).map((name) => `DROP TRIGGER IF EXISTS ${name}`),
      `CREATE TRIGGER ${insertName} AFTER INSERT ON ${table} WHEN NEW.published_at IS NOT NULL BEGIN ${insert}; ${grams}; END`,
      `CREATE TRIGGER ${updateName} AFTER UPDATE ON ${table} ` +
        `WHEN OLD.published_at IS NOT NULL OR NEW.published_at IS NOT NULL ` +
        `BEGIN ${remove}; ${insert} WHERE NEW.published_at IS NOT NULL; ${grams}; END`,
      `CREATE TRIGGER ${deleteName} AFTER DELETE ON ${table} WHEN OLD.published_at IS NOT NULL BEGIN ${remove}; END`,
    ];
  }
  const [name] = triggerNames(dialect, t);
  const fn = `${SEARCH_TABLE}_sync_${t.table}`.slice(0, 63);
  const { columns, values } = rowSql(dialect, types, t, 'NEW');
  const update = columns
    .slice(1)
    .map((column) => `${column} = EXCLUDED.${column}`)
    .join(', ');
  return [
    `CREATE OR REPLACE FUNCTION ${ident(fn)}() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN ` +
      `IF TG_OP <> 'INSERT' THEN IF OLD.published_at IS NOT NULL THEN ` +
      `DELETE FROM ${SEARCH_TABLE} WHERE row_key = ${key('OLD')}; END IF; END IF; ` +
      `IF TG_OP <> 'DELETE' THEN IF NEW.published_at IS NOT NULL THEN ` +
      `INSERT INTO ${SEARCH_TABLE} (${columns.join(', ')}) VALUES (${values.join(', ')}) ` +
      `ON CONFLICT (row_key) DO UPDATE SET ${update}; END IF; END IF; ` +
      `RETURN NULL; END $fn$`,
    `DROP TRIGGER IF EXISTS ${name} ON ${table}`,
    `CREATE TRIGGER ${name} AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${ident(fn)}()`,
  ];
};

/**
 * The FTS5 query for the terms its trigram index can look up (three characters or more), each a
 * quoted phrase so that FTS5's own syntax in them (", *, NEAR, OR, AND, NOT, column:) is text.
 */
export const ftsMatch = (terms: string[]): string | undefined => {
  const long = terms.filter((term) => !isShortTerm(term));
  return long.length ? long.map((term) => `"${term.replace(/"/g, '""')}"`).join(' AND ') : undefined;
};

/**
 * At most this many matches are ranked: a common word (西工 is in every generated project) would
 * otherwise have its every match read and scored, a cost that grows with the content. Entries whose
 * title holds every term are taken first, then the others; beyond the cap the total is capped
 * too ("200 or more", `capped`).
 */
export const SEARCH_CANDIDATES = 200;

/** The page of the ranked candidates to ask for: none past the cap (offset and limit of the SQL). */
export const candidatePage = (offset: number, limit: number, candidates = SEARCH_CANDIDATES) => ({
  offset,
  limit: Math.max(0, Math.min(limit, candidates - offset)),
});

/** The total to report from the rows counted (the query counts one more than the cap: "more"). */
export const cappedTotal = (counted: number, candidates = SEARCH_CANDIDATES) => ({
  total: Math.min(counted, candidates),
  capped: counted > candidates,
});

/**
 * PostgreSQL: a term in one indexed row out of SEARCH_PROBE_FACTOR or more is common. Its index
 * lookup would cost all its matches; SEARCH_PROBE_FACTOR × (candidates + 1) rows read in the
 * table's order find the candidates instead (`probe`).
 */
export const SEARCH_PROBE_FACTOR = 10;

/**
 * A lookup is cheap below this many expected matches (a GIN bitmap of 2,000 rows took 2 ms, the
 * probe 3 ms): a common term is probed only in a table large enough for its bitmap to cost more.
 */
export const SEARCH_PROBE_MIN_MATCHES = 20_000;

/**
 * PostgreSQL's estimate of how often each gram occurs (the share of rows holding it, from ANALYZE
 * of the gram index's expression: the most common ones only, any other is rarer than those), and
 * the index's number of rows.
 */
export const GRAM_STATS_SQL =
  `SELECT s.most_common_elems::text::text[] AS grams, s.most_common_elem_freqs AS freqs, c.reltuples AS rows ` +
  `FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename AND c.relnamespace = current_schema()::regnamespace ` +
  `WHERE s.schemaname = current_schema() AND s.tablename = '${SEARCH_TABLE}_grams'`;

export interface GramStatistics {
  /** gram → share of rows holding it */
  frequencies: Map<string, number>;
  rows: number;
}

/** The gram statistics from GRAM_STATS_SQL's row (none: no statistics, every term rare). */
export const gramStatistics = (
  row: { grams: string[] | null; freqs: number[] | null; rows: number | string | null } | undefined,
): GramStatistics => ({
  frequencies: new Map((row?.grams ?? []).map((gram, i) => [gram, Number(row?.freqs?.[i] ?? 0)])),
  rows: Math.max(0, Number(row?.rows ?? 0)),
});

/**
 * The rows to probe for these terms (searchSql's `probe`): some when every term is short and
 * common (the statistics' share of rows holding it) in a table where its lookup would find
 * SEARCH_PROBE_MIN_MATCHES or more; none when a term is rare or unknown, or long: its trigram
 * index stays cheap, and with a long term beside a common short one the probe found too few rows
 * (西工 产业园: 30 → 45 ms at 100,000 projects).
 */
export const probeRows = (
  terms: string[],
  { frequencies, rows }: GramStatistics,
  candidates = SEARCH_CANDIDATES,
): number => {
  const share = (term: string) => (isShortTerm(term) ? (frequencies.get(term) ?? 0) : 0);
  const common =
    terms.length > 0 &&
    terms.every((term) => share(term) >= 1 / SEARCH_PROBE_FACTOR && share(term) * rows >= SEARCH_PROBE_MIN_MATCHES);
  return common ? SEARCH_PROBE_FACTOR * (candidates + 1) : 0;
};

export interface SearchRequest {
  /** From parseQuery: lower-cased, none empty. */
  terms: string[];
  locale: string;
  /** The types asked for (a subset of the index's). */
  types: IndexedType[];
  limit: number;
  offset: number;
  /** How many matches are ranked at most (SEARCH_CANDIDATES); one more is counted, to tell "more". */
  candidates?: number;
  /** PostgreSQL: rows read in the table's order before an index lookup (probeRows); none by default. */
  probe?: number;
}

/** SQL with `?` placeholders and their values, in order. */
export interface Sql {
  sql: string;
  bindings: (string | number)[];
}

/**
 * One page of the ranked matches and their number, in one query. The score is scoreEntry's:
 * per term and field its weight × the occurrences (at most 3), twice the weight for a field
 * holding the whole query (several terms), and 30/20/10 for a title that is, starts with or
 * holds it. Ties: by title, then key, so that pages never overlap.
 *
 * Matching: every term must occur in some field. Only the first `candidates` + 1 matches are read
 * (those whose title holds every term first, then the others; in the table's order within each):
 * the cost is bounded whatever the number of matches. SQLite asks FTS5 for the terms of three
 * characters or more (`ftsMatch`); PostgreSQL uses LIKE on the joined fields, which its trigram
 * index answers for three characters or more. A shorter term (西工: no trigram to look up) is
 * looked up in the gram index (`textGrams`): the cost follows the matches read, not the table.
 */
export const searchSql = (dialect: Dialect, all: IndexedType[], request: SearchRequest): Sql => {
  const bindings: (string | number)[] = [];
  const param = (value: string | number) => {
    bindings.push(value);
    return '?';
  };
  const postgres = dialect === 'postgres';
  const text = textColumns(all);
  const { terms } = request;
  const candidates = request.candidates ?? SEARCH_CANDIDATES;
  const contains = (column: string, value: string) =>
    postgres ? `strpos(${column}, ${param(value)}) > 0` : `instr(${column}, ${param(value)}) > 0`;
  const phrase = terms.join(' ');

  // Each candidate's occurrences of each term per field (at most 3), read once per row; whether
  // a field holds the whole query; the title's bonus.
  const measured: string[] = [];
  text.forEach((column, i) => {
    terms.forEach((term, j) => {
      const counted = `(octet_length(c.${column}) - octet_length(replace(c.${column}, ${param(term)}, ''))) / ${Buffer.byteLength(term)}`;
      measured.push(`${postgres ? 'least' : 'min'}(3, ${counted}) AS o${i}_${j}`);
    });
    if (terms.length > 1) measured.push(`CASE WHEN ${contains(`c.${column}`, phrase)} THEN 1 ELSE 0 END AS p${i}`);
  });
  measured.push(
    `CASE WHEN c.title = ${param(phrase)} THEN 30 ` +
      `WHEN substr(c.title, 1, ${[...phrase].length}) = ${param(phrase)} THEN 20 ` +
      `WHEN ${terms.map((term) => contains('c.title', term)).join(' AND ')} THEN 10 ELSE 0 END AS bonus`,
  );

  // The candidates: matches whose title holds every term, then the others, read until there are
  // enough (each branch stops at its LIMIT, the second runs only if the first fell short).
  const document = documentSql(dialect, text, 's.');
  const short = terms.filter(isShortTerm);
  const probe = postgres ? (request.probe ?? 0) : 0;
  const columns = [`s.${keyColumn(dialect)} AS row_key`, 's.type AS type', 's.document_id AS document_id'];
  const selected = [...columns, ...text.map((column) => `s.${column} AS ${column}`)].join(', ');
  const branch = (inTitle: boolean, alias: string) => {
    const searched = inTitle ? 's.title' : `(${document})`;
    // Built in the order they appear in the SQL (param() numbers the placeholders).
    const scope = () => [
      `s.locale = ${param(request.locale)}`,
      `s.type IN (${request.types.map((t) => param(t.type)).join(', ')})`,
    ];
    // PostgreSQL's trigram indexes answer LIKE (three characters or more), its gram indexes the
    // shorter terms: on the title for the first branch, on every field joined for the second.
    const lookups = () =>
      postgres && short.length
        ? [`${PG_GRAMS_FUNCTION}(${searched}) @> ARRAY[${short.map((term) => param(term)).join(', ')}]::text[]`]
        : [];
    // What a match is, row by row (a title holding a term is a match).
    const tests = () => {
      const where: string[] = [];
      for (const term of terms) {
        if (postgres && !isShortTerm(term)) where.push(`${searched} LIKE ${param(likePattern(term))} ESCAPE '\\'`);
        else if (!inTitle) where.push(contains(searched, term));
      }
      const held = terms.map((term) => contains('s.title', term)).join(' AND ');
      where.push(inTitle ? held : `NOT (${held})`);
      return where;
    };
    if (!postgres) {
      // SQLite: the gram index leads (its matches in key order, read until the LIMIT), the trigram
      // index checks the longer terms of each.
      const where: string[] = [];
      let from = `${SEARCH_TABLE} s`;
      const grams = gramMatch(terms, inTitle);
      if (grams) {
        from = `${GRAM_TABLE} g JOIN ${SEARCH_TABLE} s ON s.rowid = g.rowid`;
        where.push(`g.${GRAM_TABLE} MATCH ${param(grams)}`);
      }
      const match = ftsMatch(terms);
      if (match) where.push(`s.${SEARCH_TABLE} MATCH ${param(match)}`);
      where.push(...scope(), ...tests());
      return `SELECT * FROM (SELECT ${selected} FROM ${from} WHERE ${where.join(' AND ')} LIMIT ${param(candidates + 1)}) ${alias}`;
    }
    if (!probe) {
      return (
        `SELECT * FROM (SELECT ${selected} FROM ${SEARCH_TABLE} s WHERE ${[...scope(), ...lookups(), ...tests()].join(' AND ')} ` +
        `LIMIT ${param(candidates + 1)}) ${alias}`
      );
    }
    // PostgreSQL: a common term's index lookup costs all its matches (a bitmap of nearly every row
    // before the LIMIT), so the first `probe` rows of the scope are read in the table's order
    // first. If enough of them match, those are the candidates (the first in the table's order,
    // as the index's bitmap would give them); else, a rare term, the index finds every match. A
    // One-Time Filter on the probe's count runs only one of the two. The ctid condition makes the
    // probe a TID range scan: from the table's first page always, where a sequential scan of a
    // large table may start where another one is (synchronize_seqscans) and pick other rows.
    const probed =
      `WITH p AS MATERIALIZED (SELECT ${selected} FROM (SELECT * FROM ${SEARCH_TABLE} s WHERE s.ctid >= '(0,0)'::tid AND ${scope().join(' AND ')} ` +
      `LIMIT ${param(probe)}) s WHERE ${tests().join(' AND ')} LIMIT ${param(candidates + 1)})`;
    const enough = () => `(SELECT count(*) FROM p) > ${param(candidates)}`;
    const looked = () =>
      `SELECT * FROM (SELECT ${selected} FROM ${SEARCH_TABLE} s WHERE ${[...scope(), ...lookups(), ...tests()].join(' AND ')} ` +
      `LIMIT ${param(candidates + 1)}) i`;
    return `SELECT * FROM (${probed} SELECT * FROM p WHERE ${enough()} UNION ALL ${looked()} WHERE NOT ${enough()}) ${alias}`;
  };
  const pool =
    `SELECT * FROM (${branch(true, 't1')} UNION ALL ${branch(false, 't2')}) u ` + `LIMIT ${param(candidates + 1)}`;
  // A subquery whose rows are computed once (OFFSET: neither database merges it into the outer one).
  const fence = postgres ? 'OFFSET 0' : 'LIMIT -1 OFFSET 0';
  const inner =
    `SELECT c.row_key AS row_key, c.type AS type, c.document_id AS document_id, c.title AS title, ${measured.join(', ')} ` +
    `FROM (${pool}) c ${fence}`;

  // Then the score by each type's weights, and every term required somewhere.
  const byType = request.types.map((t) => {
    const parts = t.columns.flatMap(({ weight }, i) => [
      ...terms.map((_, j) => `${weight} * o${i}_${j}`),
      ...(terms.length > 1 ? [`${weight * 2} * p${i}`] : []),
    ]);
    return `WHEN ${t.type} THEN ${parts.join(' + ')}`;
  });
  const present = terms.map((_, j) => `${text.map((_, i) => `o${i}_${j}`).join(' + ')} > 0`);
  const scored =
    `SELECT row_key, type, document_id, title, CASE type ${byType.join(' ')} ELSE 0 END + bonus AS score ` +
    `FROM (${inner}) o WHERE ${present.join(' AND ')}`;
  return {
    sql:
      `SELECT row_key, type, document_id, score, count(*) OVER () AS total FROM (${scored}) r ` +
      `ORDER BY score DESC, title, row_key LIMIT ${param(request.limit)} OFFSET ${param(request.offset)}`,
    bindings,
  };
};
