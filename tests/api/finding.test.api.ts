/**
 * Finding content: search in Chinese and English (ranked, highlighted, published only), distance
 * filters and GeoJSON, sitemaps with hreflang alternates, and the 400s for bad parameters.
 */
import type { Core } from '@strapi/strapi';
import { asSystem, deleteDocuments, http, publishEdit, startStrapi, stopStrapi } from '../helpers/strapi';
import { fromDist } from '../helpers/paths';
import { readSitemap } from '../helpers/sitemap';

const PROJECT = 'api::project.project';
const { SEARCHABLE } = fromDist<typeof import('../../src/plugins/delivery/server/services/finding')>(
  'src/plugins/delivery/server/services/finding',
);
const SITE = 'plugin::delivery.site';
const marker = `find${Date.now()}`;

let app: Core.Strapi;
const created: { uid: string; documentId: string }[] = [];

const create = async (uid: string, locales: Record<string, Record<string, unknown>>, shared = {}) => {
  const [first, ...others] = Object.entries(locales);
  const { documentId } = (await asSystem(() =>
    app
      .documents(uid as never)
      .create({ locale: first[0], data: { ...shared, ...first[1] }, status: 'published' } as never),
  )) as { documentId: string };
  for (const [locale, data] of others) {
    await asSystem(() =>
      app
        .documents(uid as never)
        .update({ documentId, locale, data: { ...shared, ...data }, status: 'published' } as never),
    );
  }
  created.push({ uid, documentId });
  return documentId;
};

let titleHit: string;
let bodyHit: string;
let richBodyHit: string;
let draftOnly: string;

const paragraph = (text: string) => ({ type: 'paragraph', children: [{ type: 'text', text }] });
const ids = (body: { data: { documentId: string }[] }) => body.data.map((hit) => hit.documentId);
const search = (query: Record<string, unknown>) => http(app).get('/api/search').query(query);

beforeAll(async () => {
  app = await startStrapi();
  const project = { kind: 'land_parcel', stage: 'open' };
  // Two projects that mention a made-up place: one in its title, one only in its summary.
  titleHit = await create(
    PROJECT,
    {
      'zh-Hans': { title: `梧桐谷${marker}地块`, slug: `${marker}-title`, summary: '用地约50亩。' },
      en: { title: `Tongvale ${marker} Plot`, slug: `${marker}-title`, summary: 'About 50 mu.' },
    },
    { ...project, latitude: 34.7, longitude: 112.4 },
  );
  bodyHit = await create(
    PROJECT,
    {
      'zh-Hans': { title: `滨河${marker}仓储项目`, slug: `${marker}-body`, summary: '毗邻梧桐谷，交通便利。' },
      en: { title: `Riverside ${marker} Warehouse`, slug: `${marker}-body`, summary: 'Next to the Tongvale plot.' },
    },
    { ...project, latitude: 34.9, longitude: 112.9 },
  );
  // The place only in the body (rich text), in Chinese only.
  richBodyHit = await create(
    PROJECT,
    { 'zh-Hans': { title: `山前${marker}项目`, slug: `${marker}-rich`, body: [paragraph('北临梧桐谷。')] } },
    project,
  );
  // Published once, then given a draft that mentions the place: the draft must not be found.
  draftOnly = await create(PROJECT, { 'zh-Hans': { title: `草稿${marker}项目`, slug: `${marker}-draft` } }, project);
  await asSystem(() =>
    app.documents(PROJECT as never).update({
      documentId: draftOnly,
      locale: 'zh-Hans',
      data: { summary: '梧桐谷草稿' },
    } as never),
  );
});

afterAll(async () => {
  await deleteDocuments(
    app,
    created.reverse().map(({ uid, documentId }) => [uid, documentId]),
  );
  await stopStrapi(app);
});

describe('GET /api/search', () => {
  it('finds Chinese text without word boundaries, ranked, with highlights', async () => {
    const { body } = await http(app).get('/api/search').query({ q: '梧桐谷', locale: 'zh-Hans' }).expect(200);
    const found = ids(body);
    // A title match outranks a summary match, which outranks a body match.
    expect(found.filter((id) => [titleHit, bodyHit, richBodyHit].includes(id))).toEqual([
      titleHit,
      bodyHit,
      richBodyHit,
    ]);
    expect(found.slice(0, 2)).toEqual([titleHit, bodyHit]);
    expect(found).not.toContain(draftOnly);
    expect(body.data[0]).toMatchObject({
      type: 'project',
      collection: 'projects',
      locale: 'zh-Hans',
      title: `梧桐谷${marker}地块`,
      slug: `${marker}-title`,
    });
    expect(body.data[0].score).toBeGreaterThan(body.data[1].score);
    expect(JSON.stringify(body.data[1].highlights)).toContain('<mark>梧桐谷</mark>');
    expect(body.meta).toMatchObject({
      query: '梧桐谷',
      locale: 'zh-Hans',
      pagination: { page: 1, total: found.length },
    });
    const rich = body.data.find((hit: { documentId: string }) => hit.documentId === richBodyHit);
    expect(rich.highlights).toEqual({ body: '北临<mark>梧桐谷</mark>。' }); // the words of the rich text, not its JSON
  });

  it('finds the real seed in both languages', async () => {
    const zh = await http(app).get('/api/search').query({ q: '五星级酒店', locale: 'zh-Hans' }).expect(200);
    expect(zh.body.data[0]).toMatchObject({ slug: 'five-star-hotel-project', title: '五星级酒店招商项目' });
    const en = await http(app).get('/api/search').query({ q: 'five-star hotel', locale: 'en' }).expect(200);
    expect(en.body.data[0]).toMatchObject({ slug: 'five-star-hotel-project', locale: 'en' });
    expect(JSON.stringify(en.body.data[0].highlights)).toMatch(/<mark>Five-Star<\/mark>|<mark>Hotel<\/mark>/i);
  });

  it('matches English case-insensitively, every word required, and filters by type', async () => {
    const both = await http(app).get('/api/search').query({ q: 'TONGVALE', locale: 'en' }).expect(200);
    expect(both.body.data.map((hit: { documentId: string }) => hit.documentId)).toEqual([titleHit, bodyHit]);
    const one = await http(app)
      .get('/api/search')
      .query({ q: `tongvale ${marker} about`, locale: 'en' })
      .expect(200);
    expect(one.body.data.map((hit: { documentId: string }) => hit.documentId)).toEqual([titleHit]);
    const news = await http(app).get('/api/search').query({ q: 'Tongvale', locale: 'en', types: 'news' }).expect(200);
    expect(news.body.data).toEqual([]);
  });

  it('treats LIKE wildcards as text', async () => {
    // As wildcards both would match "Tongvale"; as text neither occurs.
    for (const q of ['Tong%vale', 'Tong_ale']) {
      const { body } = await http(app).get('/api/search').query({ q, locale: 'en' }).expect(200);
      expect(body.data).toEqual([]);
    }
    // A literal percent sign is found where the text has one (the seed: "grew by 51%").
    const percent = await http(app).get('/api/search').query({ q: '51%', locale: 'en' }).expect(200);
    expect(JSON.stringify(percent.body.data)).toContain('<mark>51%</mark>');
  });

  it('pages in the database: pages do not overlap, the total counts every match', async () => {
    const all = (await search({ q: '梧桐谷', locale: 'zh-Hans' }).expect(200)).body;
    expect(all.meta.pagination).toMatchObject({ page: 1, total: 3, pageCount: 1 });
    const pages = [];
    for (const page of [1, 2, 3]) {
      const { body } = await search({ q: '梧桐谷', locale: 'zh-Hans', pageSize: 1, page }).expect(200);
      expect(body.meta.pagination).toEqual({ page, pageSize: 1, pageCount: 3, total: 3 });
      pages.push(...ids(body));
    }
    expect(pages).toEqual(ids(all));
    expect(pages[1]).toBe(bodyHit);
    const past = (await search({ q: '梧桐谷', locale: 'zh-Hans', pageSize: 2, page: 5 }).expect(200)).body;
    expect(past.data).toEqual([]);
    expect(past.meta.pagination).toEqual({ page: 5, pageSize: 2, pageCount: 2, total: 3 });
    expect(past.meta.totalCapped).toBe(false);
  });

  it('ranks a bounded number of matches, titles holding the terms first, on either database', async () => {
    const { searchSql, parseQuery, KEY_SPAN } = fromDist<typeof import('../../src/lib/search')>('src/lib/search');
    const { indexedTypes } = fromDist<typeof import('../../src/plugins/delivery/server/services/search-index')>(
      'src/plugins/delivery/server/services/search-index',
    );
    const types = indexedTypes(app, SEARCHABLE).map(({ indexed }) => indexed);
    const rank = async (q: string, candidates: number) => {
      const { sql, bindings } = searchSql(app.db.dialect.client === 'postgres' ? 'postgres' : 'sqlite', types, {
        terms: parseQuery(q),
        locale: 'zh-Hans',
        types,
        limit: 10,
        offset: 0,
        candidates,
      });
      const result = (await app.db.connection.raw(sql, bindings)) as unknown;
      const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
        row_key: number | string;
        total: number | string;
      }[];
      const documentIds = [];
      for (const row of rows) {
        const found = (await app.db.query(PROJECT as never).findOne({
          where: { id: Math.floor(Number(row.row_key) / KEY_SPAN) },
          select: ['documentId'],
        } as never)) as { documentId: string };
        documentIds.push(found.documentId);
      }
      return { documentIds, total: rows.length ? Number(rows[0].total) : 0 };
    };
    // 梧桐谷 (three characters: the trigram indexes) and 梧桐 (two: a scan); the title match comes first
    // however few candidates are ranked, and one more than those is counted ("more").
    for (const q of [`梧桐谷 ${marker}`, `梧桐 ${marker}`]) {
      expect(await rank(q, 1)).toEqual({ documentIds: [titleHit, expect.any(String)], total: 2 });
      expect(await rank(q, 2)).toEqual({ documentIds: [titleHit, bodyHit, richBodyHit], total: 3 });
      expect(await rank(q, 3)).toEqual({ documentIds: [titleHit, bodyHit, richBodyHit], total: 3 });
    }
  });

  it('on PostgreSQL, a common short term read in the table’s order finds what its index lookup finds', async () => {
    if (app.db.dialect.client !== 'postgres') return; // SQLite never probes (searchSql)
    const { searchSql, parseQuery, textColumns } = fromDist<typeof import('../../src/lib/search')>('src/lib/search');
    const { indexedTypes } = fromDist<typeof import('../../src/plugins/delivery/server/services/search-index')>(
      'src/plugins/delivery/server/services/search-index',
    );
    const types = indexedTypes(app, SEARCHABLE).map(({ indexed }) => indexed);
    /** How many entries hold every term in the title, and how many elsewhere only (each branch's matches). */
    const matches = async (q: string, locale: string) => {
      const terms = parseQuery(q);
      const document = `concat_ws(E'\\x01', ${textColumns(types).join(', ')})`;
      const all = (text: string) => terms.map(() => `strpos(${text}, ?) > 0`).join(' AND ');
      const { rows } = (await app.db.connection.raw(
        `SELECT count(*) FILTER (WHERE ${all('title')}) AS title, ` +
          `count(*) FILTER (WHERE NOT (${all('title')}) AND ${all(document)}) AS elsewhere ` +
          `FROM wutong_search WHERE locale = ?`,
        [...terms, ...terms, ...terms, locale],
      )) as { rows: { title: string; elsewhere: string }[] };
      return { title: Number(rows[0].title), elsewhere: Number(rows[0].elsewhere) };
    };
    /** The ranked rows, and whether an index lookup ran (the plan's bitmap index scans that executed). */
    const rank = async (q: string, locale: string, candidates: number, probe: number) => {
      const request = { terms: parseQuery(q), locale, types, limit: 50, offset: 0, candidates, probe };
      const { sql, bindings } = searchSql('postgres', types, request);
      const trx = await app.db.connection.transaction();
      try {
        // One plan for both: a parallel scan returns its rows in no fixed order.
        await trx.raw('SET LOCAL max_parallel_workers_per_gather = 0');
        const { rows } = (await trx.raw(sql, bindings)) as { rows: unknown[] };
        const explained = (await trx.raw(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, bindings)) as {
          rows: { 'QUERY PLAN': { Plan: unknown }[] }[];
        };
        const looked: string[] = [];
        const walk = (node: { 'Node Type': string; 'Actual Loops': number; 'Index Name'?: string; Plans?: [] }) => {
          if (node['Node Type'] === 'Bitmap Index Scan' && node['Actual Loops'] > 0) looked.push(node['Index Name']!);
          (node.Plans ?? []).forEach(walk);
        };
        walk(explained.rows[0]['QUERY PLAN'][0].Plan as never);
        return { rows, looked };
      } finally {
        await trx.rollback();
      }
    };
    // Common in the seed (西工: the district's name; a, e: English), alone and together, with fewer
    // candidates than matches and more.
    for (const [q, locale] of [
      ['西工', 'zh-Hans'],
      ['工', 'zh-Hans'],
      ['e', 'en'],
      ['a e', 'en'],
    ]) {
      for (const candidates of [3, 12, 200]) {
        const lookedUp = await rank(q, locale, candidates, 0);
        expect({ q, candidates, lookup: lookedUp.looked.length > 0, some: lookedUp.rows.length > 0 }).toEqual({
          q,
          candidates,
          lookup: true,
          some: true,
        });
        // Every row read: no index lookup ran where the rows read held more matches than the
        // candidates (the title's, else those elsewhere too), and the very same rows, scores and total.
        const probed = await rank(q, locale, candidates, 100_000);
        const { title, elsewhere } = await matches(q, locale);
        const expected = title > candidates ? [] : elsewhere > candidates ? ['wutong_search_title_grams'] : undefined;
        if (expected) expect({ q, candidates, looked: probed.looked }).toEqual({ q, candidates, looked: expected });
        expect({
          q,
          candidates,
          probedSome: title > candidates || elsewhere > candidates || candidates === 200,
        }).toEqual({ q, candidates, probedSome: true });
        expect({ q, candidates, rows: probed.rows }).toEqual({ q, candidates, rows: lookedUp.rows });
        // Too few rows read to fill the candidates: the index lookup finds them, the same again.
        const fellBack = await rank(q, locale, candidates, 1);
        expect(fellBack.looked.length).toBeGreaterThan(0);
        expect({ q, candidates, rows: fellBack.rows }).toEqual({ q, candidates, rows: lookedUp.rows });
      }
    }
  });

  it('finds a two-character Chinese term (no trigram to look up), title first', async () => {
    // 甪直 occurs nowhere in the seed: these two are every match.
    const inBody = await create(PROJECT, {
      'zh-Hans': { title: `水乡${marker}项目`, slug: `${marker}-lu-body`, body: [paragraph('毗邻甪直古镇。')] },
    });
    const inTitle = await create(PROJECT, { 'zh-Hans': { title: `甪直${marker}地块`, slug: `${marker}-lu-title` } });
    const { body } = await search({ q: '甪直', locale: 'zh-Hans' }).expect(200);
    expect(ids(body)).toEqual([inTitle, inBody]);
    expect(body.meta.pagination.total).toBe(2);
    expect(body.data[1].highlights.body).toBe('毗邻<mark>甪直</mark>古镇。');
    expect((await search({ q: '甪直', locale: 'en' }).expect(200)).body.data).toEqual([]);
    expect(ids((await search({ q: '甪', locale: 'zh-Hans' }).expect(200)).body)).toEqual([inTitle, inBody]);
  });

  it('finds 1- and 2-character terms (Chinese and Latin) exactly as scoreEntry ranks every published entry', async () => {
    const { plainText, parseQuery, scoreEntry } = fromDist<typeof import('../../src/lib/search')>('src/lib/search');
    // Made-up pairs (nowhere in the seed) in a title, a summary and rich text, in both languages.
    await create(PROJECT, {
      'zh-Hans': { title: `鼋头${marker}渚`, slug: `${marker}-short-1`, summary: 'qx 码头' },
      en: { title: `Qx ${marker} quay`, slug: `${marker}-short-1`, summary: '鼋 pier' },
    });
    await create(PROJECT, {
      'zh-Hans': { title: `湖滨${marker}项目`, slug: `${marker}-short-2`, body: [paragraph('近鼋头渚，qx')] },
      en: { title: `Lakeside ${marker}`, slug: `${marker}-short-2`, body: [paragraph('By the qx dock')] },
    });
    /** Every published entry of the locale, scored in JavaScript: what a scan of them all finds. */
    const everyMatch = async (q: string, locale: string) => {
      const scored: { documentId: string; score: number; title: string; key: number }[] = [];
      for (const [uid, { type, title, weights }] of Object.entries(SEARCHABLE)) {
        const rows = (await app.db
          .query(uid as never)
          .findMany({ where: { locale, publishedAt: { $notNull: true } } })) as Record<string, unknown>[];
        for (const row of rows) {
          const text = Object.fromEntries(Object.keys(weights).map((field) => [field, plainText(row[field])]));
          const hit = scoreEntry(text, parseQuery(q), weights, title);
          if (hit) {
            const key = Number(row.id) * 16 + type;
            scored.push({
              documentId: row.documentId as string,
              score: hit.score,
              title: text[title].toLowerCase(),
              key,
            });
          }
        }
      }
      // The index's order: score, then title (code points, as the C collation and SQLite compare), then key.
      const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      return scored.sort((a, b) => b.score - a.score || byCodePoint(a.title, b.title) || a.key - b.key);
    };
    for (const [q, locale] of [
      ['鼋头', 'zh-Hans'],
      ['鼋', 'zh-Hans'],
      ['鼋', 'en'],
      ['qx', 'en'],
      ['qx', 'zh-Hans'],
      ['q', 'en'],
      ['鼋 qx', 'zh-Hans'],
      [`qx ${marker}`, 'en'],
    ]) {
      const expected = await everyMatch(q, locale);
      expect({ q, locale, some: expected.length > 0, underCap: expected.length <= 50 }).toEqual({
        q,
        locale,
        some: true,
        underCap: true,
      });
      const { body } = await search({ q, locale, pageSize: 50 }).expect(200);
      expect({
        q,
        locale,
        hits: body.data.map((hit: { documentId: string; score: number }) => [hit.documentId, hit.score]),
      }).toEqual({ q, locale, hits: expected.map((hit) => [hit.documentId, hit.score]) });
      expect(body.meta.pagination.total).toBe(expected.length);
      expect(body.meta.totalCapped).toBe(false);
    }
  });

  it('never finds a word that only a draft holds', async () => {
    const word = `drafty${marker}`;
    // Never published at all, and published with the word only in a later draft.
    const never = (await asSystem(() =>
      app.documents(PROJECT as never).create({
        locale: 'en',
        data: { title: `${word} plot`, slug: `${marker}-never`, summary: word },
        status: 'draft',
      } as never),
    )) as { documentId: string };
    created.push({ uid: PROJECT, documentId: never.documentId });
    const later = await create(PROJECT, { en: { title: `Quiet ${marker} plot`, slug: `${marker}-later` } });
    await asSystem(() =>
      app.documents(PROJECT as never).update({
        documentId: later,
        locale: 'en',
        data: { title: `${word} plot`, body: [paragraph(word)] },
      } as never),
    );
    for (const q of [word, `${word} plot`, word.slice(0, 8)]) {
      const { body } = await search({ q, locale: 'en' }).expect(200);
      expect(body).toMatchObject({ data: [], meta: { pagination: { total: 0 } } });
    }
    expect(ids((await search({ q: `quiet ${marker}`, locale: 'en' }).expect(200)).body)).toEqual([later]);
  });

  it('follows publish, edit, unpublish and delete at once, whatever path wrote them', async () => {
    const word = `tidal${marker}`;
    const id = await create(PROJECT, { en: { title: `${word} pier`, slug: `${marker}-tidal` } });
    const find = async (q: string) => ids((await search({ q, locale: 'en' }).expect(200)).body);
    expect(await find(word)).toEqual([id]);
    await publishEdit(app, PROJECT, id, 'en', { title: `Harbour ${marker} pier`, summary: 'No longer tidal.' });
    expect(await find(`${word} pier`)).toEqual([]);
    expect(await find(`harbour ${marker}`)).toEqual([id]);
    await asSystem(() => app.documents(PROJECT as never).unpublish({ documentId: id, locale: 'en' } as never));
    expect(await find(`harbour ${marker}`)).toEqual([]);
    await asSystem(() => app.documents(PROJECT as never).publish({ documentId: id, locale: 'en' } as never));
    expect(await find(`harbour ${marker}`)).toEqual([id]);
    // A write straight to the table (a bulk import, a script) is indexed too.
    await app.db.query(PROJECT as never).updateMany({
      where: { documentId: id, locale: 'en', publishedAt: { $notNull: true } },
      data: { summary: `Ebb ${marker}` },
    } as never);
    expect(await find(`ebb ${marker}`)).toEqual([id]);
    await asSystem(() => app.documents(PROJECT as never).delete({ documentId: id, locale: '*' } as never));
    expect(await find(`harbour ${marker}`)).toEqual([]);
    created.splice(
      created.findIndex((entry) => entry.documentId === id),
      1,
    );
  });

  it('treats quotes and FTS5 syntax as text, and answers 200 whatever the query', async () => {
    const odd = await create(PROJECT, {
      en: { title: `Quay ${marker} "NEAR" OR * AND title:x`, slug: `${marker}-odd`, summary: `It's 100% a_b (c)` },
    });
    const find = async (q: string) => ids((await search({ q, locale: 'en' }).expect(200)).body);
    expect(await find(`${marker} "near"`)).toEqual([odd]);
    expect(await find(`${marker} "\\"near\\""`)).toEqual([]);
    expect(await find(`${marker} title:x`)).toEqual([odd]);
    expect(await find(`${marker} it's`)).toEqual([odd]);
    expect(await find(`${marker} (c)`)).toEqual([odd]);
    // OR, AND and NEAR are words here, not operators: every term must occur.
    expect(await find(`tongvale OR ${marker}zzz`)).toEqual([]);
    expect(await find(`quay ${marker} OR`)).toEqual([odd]);
    expect(await find(`NEAR(quay ${marker})`)).toEqual([]);
    expect(await find(`${marker}*`)).toEqual([]);
    const odds = ['"', '""', '"""', '*', 'a*', 'NEAR', 'NEAR(a b)', 'OR', 'AND', 'NOT', '-x', '^x', 'x:y', '(', ')'];
    for (const q of [...odds, "'", "''", '\\', '%', '_', '%_', '\\%', '{}', '[', '西"工', '西*']) {
      await search({ q, locale: 'en' }).expect(200);
      await search({ q, locale: 'zh-Hans' }).expect(200);
    }
  });

  it('scores as scoreEntry, the ranking written in JavaScript, on either database', async () => {
    const { plainText, parseQuery, scoreEntry } = fromDist<typeof import('../../src/lib/search')>('src/lib/search');
    for (const [q, locale] of [
      ['梧桐谷', 'zh-Hans'],
      ['five-star hotel', 'en'],
      ['洛阳 产业', 'zh-Hans'],
      ['park', 'en'],
    ]) {
      const { body } = await search({ q, locale, pageSize: 50 }).expect(200);
      expect(body.data.length).toBeGreaterThan(0);
      for (const hit of body.data) {
        const uid = Object.keys(SEARCHABLE).find((key) => key.endsWith(`.${hit.type}`)) as string;
        const { title, weights } = SEARCHABLE[uid];
        const row = (await app.db.query(uid as never).findOne({
          where: { documentId: hit.documentId, locale, publishedAt: { $notNull: true } },
        })) as Record<string, unknown>;
        const text = Object.fromEntries(Object.keys(weights).map((field) => [field, plainText(row[field])]));
        expect({ q, documentId: hit.documentId, score: hit.score }).toEqual({
          q,
          documentId: hit.documentId,
          score: scoreEntry(text, parseQuery(q), weights, title)?.score,
        });
      }
      const scores = body.data.map((hit: { score: number }) => hit.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    }
  });

  it('on PostgreSQL, answers from the trigram index (the old per-column indexes are gone)', async () => {
    if (app.db.dialect.client !== 'postgres') return; // SQLite: FTS5, tested in tests/unit/search-index.test.ts
    const { rows } = (await app.db.connection.raw(
      `SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'wutong_search%'`,
    )) as { rows: { indexname: string; indexdef: string }[] };
    expect(rows.map(({ indexname }) => indexname).sort()).toEqual([
      'wutong_search_grams',
      'wutong_search_pkey',
      'wutong_search_title_grams',
      'wutong_search_title_trgm',
      'wutong_search_trgm',
    ]);
    expect(rows.find(({ indexname }) => indexname === 'wutong_search_trgm')?.indexdef).toMatch(
      /USING gin .*gin_trgm_ops/,
    );
    // The query's LIKE is on the indexed expression. Few rows here, so the planner would read
    // them all: sequential scans are off inside a transaction that is rolled back.
    const { searchSql } = fromDist<typeof import('../../src/lib/search')>('src/lib/search');
    const { indexedTypes } = fromDist<typeof import('../../src/plugins/delivery/server/services/search-index')>(
      'src/plugins/delivery/server/services/search-index',
    );
    const types = indexedTypes(app, SEARCHABLE).map(({ indexed }) => indexed);
    const explain = async (terms: string[]) => {
      const request = { terms, locale: 'zh-Hans', types, limit: 10, offset: 0 };
      const { sql, bindings } = searchSql('postgres', types, request);
      const trx = await app.db.connection.transaction();
      try {
        await trx.raw('SET LOCAL enable_seqscan = off');
        const result = (await trx.raw(`EXPLAIN ${sql}`, bindings)) as { rows: Record<string, string>[] };
        return result.rows.map((row) => row['QUERY PLAN']).join('\n');
      } finally {
        await trx.rollback();
      }
    };
    expect(await explain(['梧桐谷'])).toMatch(/Bitmap Index Scan on wutong_search_trgm/);
    // Terms under three characters: the gram indexes, the title's for the first branch.
    const short = await explain(['西工', 'a']);
    expect(short).toMatch(/Bitmap Index Scan on wutong_search_title_grams/);
    expect(short).toMatch(/Bitmap Index Scan on wutong_search_grams/);
  });

  it('re-creates lost triggers at start and re-indexes only that type', async () => {
    const postgres = app.db.dialect.client === 'postgres';
    const triggers = postgres
      ? ['DROP TRIGGER wutong_search_sync ON projects']
      : ['insert', 'update', 'delete'].map((event) => `DROP TRIGGER wutong_search_projects_${event}`);
    for (const sql of triggers) await app.db.connection.raw(sql);
    const lost = await create(PROJECT, { en: { title: `Unseen ${marker} wharf`, slug: `${marker}-unseen` } });
    expect(ids((await search({ q: `unseen ${marker}`, locale: 'en' }).expect(200)).body)).toEqual([]);
    const { ensureSearchIndexes } = fromDist<typeof import('../../src/plugins/delivery/server/services/finding')>(
      'src/plugins/delivery/server/services/finding',
    );
    await ensureSearchIndexes(app);
    // New queries: the response cache still holds the answers above (nothing was published).
    expect(ids((await search({ q: `wharf ${marker}`, locale: 'en' }).expect(200)).body)).toEqual([lost]);
    expect(ids((await search({ q: `${marker} tongvale`, locale: 'en' }).expect(200)).body)).toEqual([
      titleHit,
      bodyHit,
    ]);
  });

  it.each([
    [{}, 'q'],
    [{ q: 'x', locale: 'xx' }, 'locale'],
    [{ q: 'x', types: 'projects,unicorns' }, 'types'],
    [{ q: 'x', pageSize: '500' }, 'pageSize'],
    [{ q: 'x', page: '0' }, 'page'],
  ])('refuses %j with a 400 naming %s', async (query, path) => {
    const { body } = await http(app).get('/api/search').query(query).expect(400);
    expect(body.error).toMatchObject({ status: 400, name: 'ValidationError', details: { errors: [{ path: [path] }] } });
  });
});

describe('geo', () => {
  it('filters projects by distance, nearest first, with distanceKm', async () => {
    const { body } = await http(app)
      .get('/api/projects')
      .query({ locale: 'en', near: '34.70,112.40', radius: '30' })
      .expect(200);
    const distances = body.data.map((entry: { distanceKm: number }) => entry.distanceKm);
    expect(body.data[0]).toMatchObject({ documentId: titleHit });
    expect(distances[0]).toBeLessThan(0.01);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
    expect(Math.max(...distances)).toBeLessThanOrEqual(30);
    // The other test project is ~50 km away: outside 30 km, inside 60 km.
    expect(body.data.map((entry: { documentId: string }) => entry.documentId)).not.toContain(bodyHit);
    const wider = await http(app).get('/api/projects').query({ locale: 'en', near: '34.70,112.40', radius: '60' });
    expect(wider.body.data.map((entry: { documentId: string }) => entry.documentId)).toContain(bodyHit);
    expect(body.meta.near).toMatchObject({ lat: 34.7, lng: 112.4, radiusKm: 30 });
    expect(body.meta.pagination.total).toBe(body.data.length);
  });

  it('combines with filters', async () => {
    const { body } = await http(app)
      .get('/api/projects')
      .query({ locale: 'en', near: '34.70,112.40', radius: '60', filters: { slug: { $startsWith: marker } } })
      .expect(200);
    expect(body.data.map((entry: { documentId: string }) => entry.documentId).sort()).toEqual(
      [titleHit, bodyHit].sort(),
    );
  });

  it.each([
    ['/api/projects', { near: 'north', radius: '5' }, 'near'],
    ['/api/projects', { near: '95,112', radius: '5' }, 'near'],
    ['/api/projects', { near: '34.7,112.4', radius: '-1' }, 'radius'],
    ['/api/news', { near: '34.7,112.4', radius: '5' }, 'near'],
    ['/api/geo', { near: '34.7', radius: '5' }, 'near'],
  ])('%s refuses %j with a 400', async (url, query, path) => {
    const { body } = await http(app).get(url).query(query).expect(400);
    expect(body.error).toMatchObject({ status: 400, name: 'ValidationError', details: { errors: [{ path: [path] }] } });
  });

  it('serves GeoJSON of located projects and parks for maps', async () => {
    const response = await http(app).get('/api/geo').query({ locale: 'en' }).expect(200);
    expect(response.headers['content-type']).toMatch(/application\/geo\+json/);
    expect(response.body.type).toBe('FeatureCollection');
    const mine = response.body.features.find(
      (feature: { properties: { documentId: string } }) => feature.properties.documentId === titleHit,
    );
    expect(mine).toMatchObject({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [112.4, 34.7] }, // GeoJSON order: longitude, latitude
      properties: { type: 'project', collection: 'projects', title: `Tongvale ${marker} Plot`, locale: 'en' },
    });
    const types = new Set(
      response.body.features.map((feature: { properties: { type: string } }) => feature.properties.type),
    );
    expect(types).toEqual(new Set(['project', 'park']));
    // A project without coordinates (the seed's headquarters base) is not on the map.
    expect(JSON.stringify(response.body)).not.toContain('headquarters-economy-base-project');
    const near = await http(app).get('/api/geo').query({ locale: 'en', near: '34.9,112.9', radius: '1' }).expect(200);
    expect(
      near.body.features.map((feature: { properties: { documentId: string } }) => feature.properties.documentId),
    ).toEqual([bodyHit]);
  });
});

describe('GET /api/sitemap.xml', () => {
  let site: string;
  beforeAll(async () => {
    site = (
      (await asSystem(() =>
        app.documents(SITE as never).create({
          data: {
            name: `${marker}-investor`,
            title: 'Investor site',
            baseUrl: 'https://invest.example.org/',
            locales: ['zh-Hans', 'en'],
            contentTypes: [PROJECT],
            pathPattern: '/{lang}/{collection}/{slug}',
            localePaths: { 'zh-Hans': 'zh', en: 'en' },
            enabled: true,
          },
        } as never),
      )) as { documentId: string }
    ).documentId;
    created.push({ uid: SITE, documentId: site });
  });

  it('lists every published page of a site with hreflang alternates for each language', async () => {
    const { pages, urls } = await readSitemap(app, { site: `${marker}-investor` });
    expect(pages.length).toBeGreaterThan(0);
    for (const page of pages) expect(page.url.searchParams.get('type')).toBe('projects');
    const find = (loc: string) => {
      const found = urls.filter((url) => url.loc === loc);
      expect(found).toHaveLength(1);
      return found[0];
    };
    const en = find(`https://invest.example.org/en/projects/${marker}-title`);
    expect(en.alternates).toEqual({
      'zh-Hans': `https://invest.example.org/zh/projects/${marker}-title`,
      en: `https://invest.example.org/en/projects/${marker}-title`,
      'x-default': `https://invest.example.org/zh/projects/${marker}-title`,
    });
    expect(en.lastmod).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
    find(`https://invest.example.org/zh/projects/${marker}-title`);
    // The draft-only version and other types are not listed; the real seed's projects are.
    const locs = urls.map((url) => url.loc);
    expect(locs.filter((loc) => loc.includes(`/projects/${marker}-draft`))).toEqual([
      `https://invest.example.org/zh/projects/${marker}-draft`,
    ]);
    expect(locs).toContain('https://invest.example.org/en/projects/five-star-hotel-project');
    expect(locs.filter((loc) => loc.includes('/news/'))).toEqual([]);
  });

  it('covers every site without ?site=, and 404s an unknown one', async () => {
    const all = await readSitemap(app);
    expect(all.urls.map((url) => url.loc)).toContain(`https://invest.example.org/en/projects/${marker}-title`);
    const { body } = await http(app).get('/api/sitemap.xml').query({ site: 'no-such-site' }).expect(404);
    expect(body.error).toMatchObject({ status: 404, name: 'NotFoundError' });
  });

  it('drops a page once it is unpublished', async () => {
    await asSystem(() => app.documents(PROJECT as never).unpublish({ documentId: bodyHit, locale: 'en' } as never));
    const { urls } = await readSitemap(app, { site: `${marker}-investor` });
    const locs = urls.map((url) => url.loc);
    expect(locs).not.toContain(`https://invest.example.org/en/projects/${marker}-body`);
    const zh = urls.find((url) => url.loc === `https://invest.example.org/zh/projects/${marker}-body`);
    expect(zh?.alternates).toEqual({
      'zh-Hans': `https://invest.example.org/zh/projects/${marker}-body`,
      'x-default': `https://invest.example.org/zh/projects/${marker}-body`,
    });
  });
});
