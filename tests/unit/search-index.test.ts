/**
 * The search index's SQL (src/lib/search.ts), run on an in-memory SQLite database (the engine the
 * app bundles, FTS5 trigram included): its ranking must be scoreEntry's, its matching literal.
 * PostgreSQL's variant runs in tests/api/finding.test.api.ts.
 */
import {
  backfillSql,
  candidatePage,
  cappedTotal,
  fieldTextSql,
  ftsMatch,
  gramStatistics,
  gramMatch,
  gramWord,
  indexSchemaSql,
  isShortTerm,
  indexSignature,
  KEY_SPAN,
  parseQuery,
  plainText,
  probeRows,
  scoreEntry,
  SEARCH_CANDIDATES,
  SEARCH_PROBE_FACTOR,
  SEARCH_PROBE_MIN_MATCHES,
  searchSql,
  textColumns,
  textGrams,
  triggerSql,
  type IndexedType,
} from '../../src/lib/search';

interface Statement {
  run(...values: unknown[]): { lastInsertRowid: number | bigint };
  get(...values: unknown[]): Record<string, unknown> | undefined;
  all(...values: unknown[]): Record<string, unknown>[];
}
interface RawDatabase {
  exec(sql: string): void;
  prepare(sql: string): Statement;
  close(): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require('better-sqlite3') as new (file: string) => RawDatabase;

const paragraph = (...children: unknown[]) => ({ type: 'paragraph', children });
const text = (value: string, marks: Record<string, boolean> = {}) => ({ type: 'text', text: value, ...marks });

const ARTICLE: IndexedType = {
  type: 1,
  table: 'articles',
  columns: [
    { name: 'title', rich: false, weight: 5 },
    { name: 'summary', rich: false, weight: 3 },
    { name: 'body', rich: true, weight: 1 },
  ],
};
const PLACE: IndexedType = { type: 2, table: 'places', columns: [{ name: 'name', rich: false, weight: 5 }] };
const TYPES = [ARTICLE, PLACE];
const WEIGHTS = { title: 5, summary: 3, body: 1 };

describe('ftsMatch', () => {
  it('quotes each term of three characters or more as a phrase; shorter ones are left to a scan', () => {
    expect(ftsMatch(['梧桐谷', 'hotel'])).toBe('"梧桐谷" AND "hotel"');
    expect(ftsMatch(['西工', 'hotel'])).toBe('"hotel"');
    expect(ftsMatch(['西工', 'a'])).toBeUndefined();
    expect(ftsMatch([])).toBeUndefined();
  });

  it("doubles quotes, so that FTS5's own syntax inside a term is text", () => {
    expect(ftsMatch(['say"hi"'])).toBe('"say""hi"""');
    expect(ftsMatch(['near(a', 'or', 'title:x', 'ab*'])).toBe('"near(a" AND "title:x" AND "ab*"');
  });

  it('counts characters, not UTF-16 units', () => {
    expect(ftsMatch(['𠀋𠀋'])).toBeUndefined(); // two characters outside the BMP: four UTF-16 units
  });
});

describe('textGrams, gramWord and gramMatch (terms under three characters)', () => {
  it('has every character and every pair of neighbours, once', () => {
    expect(textGrams('西工区').sort()).toEqual(['区', '工', '工区', '西', '西工'].sort());
    expect(textGrams('abab').sort()).toEqual(['a', 'ab', 'b', 'ba'].sort());
    expect(textGrams('')).toEqual([]);
    expect(textGrams('𠀋x')).toEqual(['𠀋', '𠀋x', 'x']); // code points, not UTF-16 units
  });

  it('holds each 1- and 2-character substring of the text, and nothing else', () => {
    const sample = 'Luoyang 西工区, a_b';
    const chars = [...sample];
    const substrings = new Set(chars.flatMap((c, i) => [c, ...(i + 1 < chars.length ? [c + chars[i + 1]] : [])]));
    expect(new Set(textGrams(sample))).toEqual(substrings);
  });

  it('writes a gram as one ASCII word, apart for the title, and matches only the short terms', () => {
    expect(gramWord('西工', false)).toBe('de8a5bfe5b7a5');
    expect(gramWord('西工', true)).toBe('te8a5bfe5b7a5');
    expect(gramWord('a', false)).toBe('d61');
    expect(gramMatch(['西工', 'hotel', 'a'], true)).toBe('te8a5bfe5b7a5 AND t61');
    expect(gramMatch(['hotel'], false)).toBeUndefined();
    expect(['ab', '𠀋𠀋', 'abc'].map(isShortTerm)).toEqual([true, true, false]);
  });
});

describe('textColumns and indexSignature', () => {
  it('has a title and as many other columns as the widest type has fields', () => {
    expect(textColumns(TYPES)).toEqual(['title', 'f1', 'f2']);
    expect(textColumns([PLACE])).toEqual(['title']);
  });

  it('changes when a searched field or type changes, not when a weight does', () => {
    const base = indexSignature('sqlite', TYPES);
    const reweighted = [{ ...ARTICLE, columns: ARTICLE.columns.map((c) => ({ ...c, weight: 9 })) }, PLACE];
    expect(indexSignature('sqlite', reweighted)).toBe(base);
    expect(indexSignature('sqlite', [ARTICLE])).not.toBe(base);
    const widened = [{ ...ARTICLE, columns: [...ARTICLE.columns, { name: 'extra', rich: false, weight: 1 }] }, PLACE];
    expect(indexSignature('sqlite', widened)).not.toBe(base);
    expect(indexSignature('postgres', TYPES)).not.toBe(base);
  });
});

describe('candidatePage and cappedTotal', () => {
  it('asks for no row past the ranked candidates', () => {
    expect(candidatePage(0, 10, 25)).toEqual({ offset: 0, limit: 10 });
    expect(candidatePage(20, 10, 25)).toEqual({ offset: 20, limit: 5 });
    expect(candidatePage(30, 10, 25)).toEqual({ offset: 30, limit: 0 });
    expect(candidatePage(190, 50)).toEqual({ offset: 190, limit: SEARCH_CANDIDATES - 190 });
  });

  it('reports the cap and "more" when one more than the cap was counted', () => {
    expect(cappedTotal(0, 3)).toEqual({ total: 0, capped: false });
    expect(cappedTotal(3, 3)).toEqual({ total: 3, capped: false });
    expect(cappedTotal(4, 3)).toEqual({ total: 3, capped: true });
    expect(cappedTotal(SEARCH_CANDIDATES + 1)).toEqual({ total: SEARCH_CANDIDATES, capped: true });
  });
});

describe('probeRows (PostgreSQL: common short terms read the table in order first)', () => {
  const row = { grams: ['西工', '西', 'a', '园'], freqs: [0.99, 1, 0.5, 0.05], rows: 200_000 };
  const stats = gramStatistics(row);

  it('probes when every term is short and common, enough rows for the candidates', () => {
    expect(probeRows(['西工'], stats)).toBe(SEARCH_PROBE_FACTOR * (SEARCH_CANDIDATES + 1));
    expect(probeRows(['西', 'a'], stats, 3)).toBe(SEARCH_PROBE_FACTOR * 4);
  });

  it('does not when a term is rare, absent from the statistics, or long, or without statistics', () => {
    expect(probeRows(['园'], stats)).toBe(0); // one row in 20: its index lookup is cheap
    expect(probeRows(['豫'], stats)).toBe(0);
    expect(probeRows(['西工', '产业园'], stats)).toBe(0);
    expect(probeRows([], stats)).toBe(0);
    expect(probeRows(['西工'], gramStatistics(undefined))).toBe(0);
    expect(probeRows(['西工'], gramStatistics({ grams: null, freqs: null, rows: null }))).toBe(0);
  });

  it('does not in a table too small for a lookup to cost more than the probe', () => {
    expect(probeRows(['西工'], gramStatistics({ ...row, rows: 4_000 }))).toBe(0);
    expect(probeRows(['西'], gramStatistics({ ...row, rows: SEARCH_PROBE_MIN_MATCHES }))).toBeGreaterThan(0);
    expect(probeRows(['a'], gramStatistics({ ...row, rows: SEARCH_PROBE_MIN_MATCHES }))).toBe(0);
    expect(probeRows(['西工'], gramStatistics({ ...row, rows: -1 }))).toBe(0); // never analysed
  });
});

describe('searchSql', () => {
  const request = { terms: ['西工', 'hotel'], locale: 'en', types: TYPES, limit: 10, offset: 20 };

  it.each(['sqlite', 'postgres'] as const)('has one value for each placeholder (%s)', (dialect) => {
    const { sql, bindings } = searchSql(dialect, TYPES, request);
    expect(sql.split('?').length - 1).toBe(bindings.length);
    const probed = searchSql(dialect, TYPES, { ...request, probe: 100 });
    expect(probed.sql.split('?').length - 1).toBe(probed.bindings.length);
    // Only PostgreSQL probes (SQLite's gram index walks its matches in order and stops).
    expect(probed.sql.includes('WITH p AS MATERIALIZED')).toBe(dialect === 'postgres');
    expect(bindings.slice(-2)).toEqual([10, 20]);
    expect(bindings).toContain('en');
  });

  it('on PostgreSQL matches every term with LIKE on the indexed expression, wildcards escaped', () => {
    const { sql, bindings } = searchSql('postgres', TYPES, { ...request, terms: ['100%', 'a_b'] });
    expect(sql).toContain(`(s.title || E'\\x01' || s.f1 || E'\\x01' || s.f2) LIKE ? ESCAPE '\\'`);
    expect(bindings).toContain('%100\\%%');
    expect(bindings).toContain('%a\\_b%');
    expect(sql).not.toContain('MATCH');
  });

  it('never puts a term into the SQL text', () => {
    const evil = `x'); DROP TABLE articles; --`;
    for (const dialect of ['sqlite', 'postgres'] as const) {
      expect(searchSql(dialect, TYPES, { ...request, terms: [evil] }).sql).not.toContain('DROP');
    }
  });
});

describe('the index on SQLite', () => {
  let db: RawDatabase;
  let nextId = 1;

  const insert = (table: string, row: Record<string, unknown>) => {
    const values = { id: nextId++, document_id: `doc${nextId}`, locale: 'en', published_at: '2025-01-01', ...row };
    const columns = Object.keys(values);
    db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(
      ...Object.values(values).map((value) => (typeof value === 'object' && value ? JSON.stringify(value) : value)),
    );
    return values.id;
  };

  const search = (
    q: string,
    options: Partial<{ locale: string; types: IndexedType[]; limit: number; offset: number; candidates: number }> = {},
  ) => {
    const { sql, bindings } = searchSql('sqlite', TYPES, {
      terms: parseQuery(q),
      locale: 'en',
      types: TYPES,
      limit: 50,
      offset: 0,
      ...options,
    });
    return db.prepare(sql).all(...bindings) as { row_key: number; type: number; score: number; total: number }[];
  };
  const ids = (rows: { row_key: number }[]) => rows.map((row) => Math.floor(row.row_key / KEY_SPAN));

  beforeEach(() => {
    db = new Database(':memory:');
    db.exec(
      'CREATE TABLE articles (id integer PRIMARY KEY, document_id text, locale text, published_at text, title text, summary text, body text)',
    );
    db.exec(
      'CREATE TABLE places (id integer PRIMARY KEY, document_id text, locale text, published_at text, name text)',
    );
  });
  afterEach(() => db.close());

  const build = () => {
    for (const statement of indexSchemaSql('sqlite', TYPES, true)) db.exec(statement);
    for (const t of TYPES) for (const statement of triggerSql('sqlite', TYPES, t)) db.exec(statement);
  };

  it('reads rich text as plainText does, lower-cased (spaces between blocks aside)', () => {
    const blocks = [
      { type: 'heading', level: 2, children: [text('Wutong Valley')] },
      paragraph(
        text('位于'),
        text('洛阳', { bold: true }),
        text('市，'),
        text('Five-Star', { italic: true }),
        text(' hotel.'),
      ),
      paragraph(
        text('See '),
        { type: 'link', url: 'https://x.cn/type', children: [text('our '), text('site')] },
        text('.'),
      ),
      {
        type: 'list',
        format: 'unordered',
        children: [
          { type: 'list-item', children: [text('Land: '), text('280 mu', { bold: true })] },
          { type: 'list', format: 'ordered', children: [{ type: 'list-item', children: [text('nested')] }] },
        ],
      },
      { type: 'image', image: { url: '/uploads/a.jpg', alternativeText: 'alt' }, children: [text('')] },
    ];
    const read = (value: unknown) =>
      db.prepare(`SELECT ${fieldTextSql('sqlite', 'v.x', true)} AS t FROM (SELECT ? AS x) v`).get(value)?.t as string;
    const squeeze = (s: string) => s.replace(/\s+/g, ' ').trim();
    expect(squeeze(read(JSON.stringify(blocks)))).toBe(squeeze(plainText(blocks).toLowerCase()));
    expect(read(JSON.stringify(blocks))).not.toMatch(/paragraph|children|https|uploads|alt\b/);
    expect(read(null)).toBe('');
    expect(read('[Draft] Hotel')).toBe('[draft] hotel'); // not JSON: as it is
    expect(read('"quoted"')).toBe('"quoted"');
  });

  it('holds published rows only, kept in step by the triggers', () => {
    build();
    const draft = insert('articles', { title: 'Harbour hotel', published_at: null });
    const live = insert('articles', { title: 'Harbour hotel' });
    expect(ids(search('harbour'))).toEqual([live]);
    db.prepare("UPDATE articles SET title = 'Harbour inn' WHERE id = ?").run(live);
    expect(search('hotel')).toEqual([]);
    expect(ids(search('inn'))).toEqual([live]);
    db.prepare("UPDATE articles SET published_at = '2025-02-02', summary = 'Harbour hotel' WHERE id = ?").run(draft);
    expect(ids(search('hotel'))).toEqual([draft]); // a row that becomes published enters
    db.prepare('UPDATE articles SET published_at = NULL WHERE id = ?').run(draft);
    expect(search('hotel')).toEqual([]); // …and leaves when it stops being
    db.prepare('DELETE FROM articles WHERE id = ?').run(live);
    expect(search('harbour')).toEqual([]);
  });

  it('backfills what was published before the index existed', () => {
    const old = insert('articles', {
      title: 'Old pier',
      body: [paragraph(text('Pier'), text('side', { bold: true }))],
    });
    insert('articles', { title: 'Old draft pier', published_at: null });
    build();
    for (const t of TYPES) for (const statement of backfillSql('sqlite', TYPES, t)) db.exec(statement);
    expect(ids(search('pier'))).toEqual([old]);
    expect(ids(search('pierside'))).toEqual([old]); // formatted text joined as written
  });

  it('ranks as scoreEntry does, pages in the database, and counts every match', () => {
    build();
    const rows = [
      { title: 'Hotel', summary: '', body: [] },
      { title: 'Hotel Wutong', summary: 'a hotel', body: [] },
      { title: 'Wutong hotel', summary: '', body: [paragraph(text('hotel hotel hotel hotel'))] },
      { title: 'Harbour', summary: 'hotel and spa', body: [paragraph(text('Five-star hotel'))] },
      { title: 'Riverside', summary: '', body: [paragraph(text('a hotel'))] },
      { title: 'Spa', summary: 'spa', body: [] },
    ];
    const idOf = rows.map((row) => insert('articles', row));
    insert('articles', { title: 'Hotel in Chinese', locale: 'zh-Hans' });
    for (const q of ['hotel', 'hotel spa', 'wutong hotel', '"hotel and" spa']) {
      const terms = parseQuery(q);
      const expected = rows
        .map((row, i) => ({
          id: idOf[i],
          scored: scoreEntry(
            { title: row.title, summary: row.summary, body: plainText(row.body) },
            terms,
            WEIGHTS,
            'title',
          ),
          title: row.title.toLowerCase(),
        }))
        .filter((row) => row.scored)
        .sort((a, b) => b.scored!.score - a.scored!.score || (a.title < b.title ? -1 : 1));
      const found = search(q);
      expect({ q, ids: ids(found), scores: found.map((row) => row.score) }).toEqual({
        q,
        ids: expected.map((row) => row.id),
        scores: expected.map((row) => row.scored!.score),
      });
      expect(found.every((row) => row.total === expected.length)).toBe(true);
    }
    const all = ids(search('hotel'));
    expect(ids(search('hotel', { limit: 2, offset: 2 }))).toEqual(all.slice(2, 4));
    expect(search('hotel', { limit: 2, offset: 2 })[0].total).toBe(all.length);
    expect(ids(search('hotel', { locale: 'zh-Hans' }))).toHaveLength(1);
  });

  it('ranks a title match above a body match, and filters by type', () => {
    build();
    const inBody = insert('articles', { title: 'Riverside', body: [paragraph(text('梧桐谷酒店'))] });
    const inTitle = insert('articles', { title: '梧桐谷地块', body: [] });
    const place = insert('places', { name: '梧桐谷公园' });
    const found = search('梧桐谷');
    // Both titles start with the term (5 + 20), the tie broken by title (公 before 地); the body last (1).
    expect(ids(found)).toEqual([place, inTitle, inBody]);
    expect(found.map((row) => row.score)).toEqual([25, 25, 1]);
    expect(ids(search('梧桐谷', { types: [PLACE] }))).toEqual([place]);
    expect(found.find((row) => row.type === 2)?.row_key).toBe(place * KEY_SPAN + 2);
  });

  it('finds two- and one-character Chinese terms, which have no trigram', () => {
    build();
    const a = insert('articles', { title: '西工区产业园' });
    const b = insert('articles', { title: '洛阳', summary: '位于西工' });
    insert('articles', { title: '西 工' });
    expect(ids(search('西工'))).toEqual([a, b]);
    expect(ids(search('园'))).toEqual([a]);
    expect(ids(search('西工 产业园'))).toEqual([a]); // a short and a long term together
  });

  it.each([
    ['a two-character term (no trigram)', '西工', (n: number) => `西工${n}`, (n: number) => `位于西工区${n}`],
    ['a longer term (FTS5)', 'harbour', (n: number) => `Harbour ${n}`, (n: number) => `by the harbour ${n}`],
  ])(
    'ranks at most `candidates` matches, titles holding the terms first, and counts one more: %s',
    (_, q, inTitle, inText) => {
      build();
      // Written first, so a scan in the table's order meets them before the title matches.
      const textOnly = [1, 2, 3, 4].map((n) => insert('articles', { title: `Plot ${n}`, summary: inText(n) }));
      const titled = [1, 2].map((n) => insert('articles', { title: inTitle(n) }));
      insert('articles', { title: inTitle(9), locale: 'zh-Hans' });
      const capped = search(q, { candidates: 3 });
      expect(capped.every((row) => row.total === 4)).toBe(true); // one more than ranked: "more"
      expect(capped).toHaveLength(4);
      // Both title matches are among the ranked, above the text match that fills the candidates.
      expect(ids(capped).slice(0, 2).sort()).toEqual([...titled].sort());
      expect(
        ids(capped)
          .slice(2)
          .every((id) => textOnly.includes(id)),
      ).toBe(true);
      // Enough candidates: every match, ranked as before.
      const all = search(q, { candidates: 6 });
      expect(all.map((row) => row.total)).toEqual(Array(6).fill(6));
      expect(ids(all).slice(0, 2).sort()).toEqual([...titled].sort());
      expect(ids(all).slice(2).sort()).toEqual([...textOnly].sort());
    },
  );

  it('finds 1- and 2-character terms (Chinese and Latin) through the gram index, as scoreEntry ranks them', () => {
    build();
    const rows = [
      { title: '西工区产业园', summary: 'ai park', body: [] },
      { title: 'Luoyang', summary: '位于西工', body: [paragraph(text('An AI lab'))] },
      { title: '西 工', summary: '', body: [paragraph(text('x'), text('y', { bold: true }))] },
      { title: 'Xy plaza', summary: 'qz', body: [paragraph(text('园区'))] },
      { title: 'Harbour', summary: 'a_b 100%', body: [] },
    ];
    const idOf = rows.map((row) => insert('articles', row));
    insert('articles', { title: '西工 zh', locale: 'zh-Hans' });
    const expectedFor = (q: string) =>
      rows
        .map((row, i) => ({
          id: idOf[i],
          scored: scoreEntry(
            { title: row.title, summary: row.summary, body: plainText(row.body) },
            parseQuery(q),
            WEIGHTS,
            'title',
          ),
          title: row.title.toLowerCase(),
        }))
        .filter((row) => row.scored)
        .sort((a, b) => b.scored!.score - a.scored!.score || (a.title < b.title ? -1 : 1));
    for (const q of ['西工', '西', '园', '工区', 'ai', 'a', 'xy', 'qz', 'z', '%', '_b', '西 园', 'ai 西工', 'ai lab']) {
      const expected = expectedFor(q);
      const found = search(q);
      expect({ q, ids: ids(found), scores: found.map((row) => row.score) }).toEqual({
        q,
        ids: expected.map((row) => row.id),
        scores: expected.map((row) => row.scored!.score),
      });
    }
    expect(ids(search('西工'))).toHaveLength(2); // not the zh-Hans row, not "西 工"
  });

  it('looks short terms up in the gram index, never reading every row', () => {
    build();
    for (const q of ['西工', 'a', 'ab hotel']) {
      const { sql, bindings } = searchSql('sqlite', TYPES, {
        terms: parseQuery(q),
        locale: 'en',
        types: TYPES,
        limit: 10,
        offset: 0,
      });
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all(...bindings)
        .map((row) => String(row.detail));
      // The gram table leads by MATCH (FTS5's plan "M…"); the search rows are read by key ("="), not scanned.
      const grams = plan.filter((line) => /SCAN g\b/.test(line));
      const rows = plan.filter((line) => /SCAN s\b/.test(line));
      expect({ q, grams: grams.length, rows: rows.length }).toEqual({ q, grams: 2, rows: 2 });
      expect(grams.every((line) => /VIRTUAL TABLE INDEX \d+:M/.test(line))).toBe(true);
      expect(rows.every((line) => /VIRTUAL TABLE INDEX \d+:=/.test(line))).toBe(true);
    }
  });

  it('keeps the gram index in step with publishing, editing and deleting', () => {
    build();
    const draft = insert('articles', { title: 'Dock 西工', published_at: null });
    const live = insert('articles', { title: 'Pier', summary: '西工' });
    expect(ids(search('西工'))).toEqual([live]);
    db.prepare("UPDATE articles SET summary = 'moved' WHERE id = ?").run(live);
    expect(search('西工')).toEqual([]);
    expect(ids(search('mo'))).toEqual([live]);
    db.prepare("UPDATE articles SET published_at = '2025-02-02' WHERE id = ?").run(draft);
    expect(ids(search('西工'))).toEqual([draft]);
    db.prepare('UPDATE articles SET published_at = NULL WHERE id = ?').run(draft);
    expect(search('西工')).toEqual([]);
    db.prepare('DELETE FROM articles WHERE id = ?').run(live);
    expect(search('mo')).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM wutong_search_grams').get()?.n).toBe(0);
  });

  it('treats wildcards, quotes and FTS5 syntax as text, and never fails on them', () => {
    build();
    const percent = insert('articles', { title: 'Growth of 51% in a_b' });
    const quoted = insert('articles', { title: 'The "Harbour" NEAR pier OR dock' });
    insert('articles', { title: 'Growth of 510 in axb' });
    expect(ids(search('51%'))).toEqual([percent]);
    expect(ids(search('a_b'))).toEqual([percent]);
    expect(ids(search('%'))).toEqual([percent]);
    expect(ids(search('_'))).toEqual([percent]);
    expect(ids(search('"harbour"'))).toEqual([quoted]);
    expect(ids(search('"\\"harbour\\""'))).toEqual([]);
    expect(ids(search('near'))).toEqual([quoted]);
    expect(ids(search('OR'))).toEqual([quoted]);
    expect(ids(search('or dock'))).toEqual([quoted]);
    for (const q of [
      '"',
      '""',
      '*',
      'har*',
      'NEAR(pier dock)',
      'title:harbour',
      '^harbour',
      "'",
      "it's",
      '-',
      'AND',
      '(',
      ')',
      '\\',
    ]) {
      expect(() => search(q)).not.toThrow();
    }
    expect(search('har*')).toEqual([]);
    expect(search('title:harbour')).toEqual([]);
  });
});
