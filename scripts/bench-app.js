#!/usr/bin/env node
/**
 * The in-process half of `npm run bench` (scripts/bench.js runs it as a child, on the benchmark's
 * database):
 *
 *   node scripts/bench-app.js seed <projects>   the real seed, then <projects> generated projects
 *                                               in zh-Hans and en, published
 *   node scripts/bench-app.js queries <code> <q>
 *                                               SQL queries per request of the public read path
 *                                               (the list, project <code>, a search for <q>)
 *
 * Each prints progress on stderr and its result as one JSON line on stdout.
 */
const { randomBytes, randomUUID } = require('crypto');
const path = require('path');
const withStrapi = require('./with-strapi');
const { projectData } = require('./bench-data');

const PROJECT = 'api::project.project';
const LOCALES = ['zh-Hans', 'en'];
const BATCH = 100; // projects per round of inserts: 400 rows, well under both databases' parameter limits

const log = (line) => process.stderr.write(`${line}\n`);

/** A documentId like Strapi's own (24 lower-case letters and digits, starting with a letter). */
const documentId = () => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(24);
  return [...bytes].map((byte, index) => alphabet[byte % (index === 0 ? 26 : 36)]).join('');
};

/** documentId, names and row ids per (locale, status) of a seeded type, e.g. the six parks. */
const seeded = async (strapi, uid, field) => {
  const rows = await strapi.db.query(uid).findMany({ select: ['id', 'documentId', 'locale', 'publishedAt', field] });
  const byDocument = new Map();
  for (const row of rows) {
    const entry = byDocument.get(row.documentId) ?? { documentId: row.documentId, ids: {} };
    entry.ids[`${row.locale} ${row.publishedAt ? 'published' : 'draft'}`] = row.id;
    if (row.locale === 'zh-Hans') entry.zh = row[field];
    if (row.locale === 'en') entry.en = row[field];
    byDocument.set(row.documentId, entry);
  }
  return [...byDocument.values()]
    .filter((entry) => entry.zh && entry.en)
    .sort((a, b) => a.ids['zh-Hans draft'] - b.ids['zh-Hans draft']);
};

/**
 * The Document Service with our editorial middlewares takes ~0.35 s per project and language pair
 * here (history, audit, translation bases, events), over ten minutes for 2,000 projects. These
 * rows are what it writes for a published document, inserted in bulk through Strapi's query
 * engine: a draft and a published row per locale sharing one documentId, their components, and
 * links to the parks and industries of the same locale and status. The editorial side tables
 * (audit log, versions, review stages) are not written: the public API never reads them.
 */
const insertProjects = async (strapi, count) => {
  const parks = await seeded(strapi, 'api::park.park', 'name');
  const industries = await seeded(strapi, 'api::industry.industry', 'name');
  if (!parks.length || !industries.length) throw new Error('bench: the real seed has no parks or industries');
  const meta = strapi.db.metadata.get(PROJECT);
  const knex = strapi.db.connection;
  const cmps = meta.attributes.location.joinTable;
  const industryLinks = meta.attributes.industries.joinTable;
  const parkLinks = meta.attributes.park.joinTable;
  const existing = await strapi.db.query(PROJECT).count({ where: { code: { $startsWith: 'BX-' } } });
  if (existing) throw new Error(`bench: the database already holds ${existing} generated project rows`);

  // A park's projects keep their order (the inverse side's ord), after the seed's own.
  const parkOrd = new Map();
  for (const row of await knex(parkLinks.name)
    .select(parkLinks.inverseJoinColumn.name)
    .max(`${parkLinks.inverseOrderColumnName} as ord`)
    .groupBy(parkLinks.inverseJoinColumn.name)) {
    parkOrd.set(row[parkLinks.inverseJoinColumn.name], Number(row.ord ?? 0));
  }

  const started = Date.now();
  for (let from = 0; from < count; from += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, count - from) }, (_, k) => ({
      n: from + k,
      documentId: documentId(),
      ...projectData(from + k, { parks, industries }),
    }));
    const now = new Date();
    const rows = []; // one per project × locale × status
    for (const project of batch) {
      for (const locale of LOCALES) {
        for (const status of ['draft', 'published']) rows.push({ project, locale, status });
      }
    }
    const { ids } = await strapi.db.query(PROJECT).createMany({
      data: rows.map(({ project, locale, status }) => {
        // eslint-disable-next-line @typescript-eslint/no-unused-vars
        const { location, highlights, seo, ...text } = project.locales[locale];
        const { industries: _industries, park: _park, ...shared } = project.shared;
        return {
          ...shared,
          ...text,
          documentId: project.documentId,
          locale,
          createdAt: now,
          updatedAt: now,
          publishedAt: status === 'published' ? now : null,
        };
      }),
    });
    if (ids.length !== rows.length) throw new Error(`bench: ${ids.length} ids for ${rows.length} rows`);
    rows.forEach((row, index) => (row.id = ids[index]));

    // Components: each row has its own copies, as Strapi writes them.
    const components = async (componentUid, field, pick) => {
      const owned = rows.flatMap((row) =>
        [].concat(pick(row.project.locales[row.locale]) ?? []).map((value, order) => ({ row, value, order })),
      );
      const created = await strapi.db.query(componentUid).createMany({ data: owned.map(({ value }) => value) });
      const { repeatable } = strapi.getModel(PROJECT).attributes[field];
      await knex.batchInsert(
        cmps.name,
        owned.map(({ row, order }, index) => ({
          [cmps.joinColumn.name]: row.id,
          [cmps.inverseJoinColumn.name]: created.ids[index],
          component_type: componentUid,
          field,
          [cmps.orderColumnName]: repeatable ? order + 1 : null,
        })),
        500,
      );
    };
    await components('place.location', 'location', (text) => text.location);
    await components('shared.key-figure', 'highlights', (text) => text.highlights);
    await components('shared.seo', 'seo', (text) => text.seo);

    // Relations: a draft links to the draft of the target, a published row to its published row.
    const target = (list, documentIdOf, row) =>
      list.find((one) => one.documentId === documentIdOf)?.ids[`${row.locale} ${row.status}`];
    const industryRows = rows.flatMap((row) =>
      row.project.shared.industries.map((id, order) => ({
        [industryLinks.joinColumn.name]: row.id,
        [industryLinks.inverseJoinColumn.name]: target(industries, id, row),
        [industryLinks.orderColumnName]: order + 1,
      })),
    );
    await knex.batchInsert(industryLinks.name, industryRows, 500);
    const parkRows = rows
      .filter((row) => row.project.shared.park)
      .map((row) => {
        const park = target(parks, row.project.shared.park, row);
        parkOrd.set(park, (parkOrd.get(park) ?? 0) + 1);
        return {
          [parkLinks.joinColumn.name]: row.id,
          [parkLinks.inverseJoinColumn.name]: park,
          [parkLinks.inverseOrderColumnName]: parkOrd.get(park),
        };
      });
    await knex.batchInsert(parkLinks.name, parkRows, 500);

    const done = from + batch.length;
    if (done % 500 === 0 || done === count)
      log(`bench: ${done}/${count} projects (${done * 4} rows) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
};

/** What the Document Service reads back for a generated project matches what was generated. */
const check = async (strapi, count) => {
  const parks = await seeded(strapi, 'api::park.park', 'name');
  const industries = await seeded(strapi, 'api::industry.industry', 'name');
  for (const n of [0, Math.floor(count / 2), count - 1]) {
    const expected = projectData(n, { parks, industries });
    const row = await strapi.db
      .query(PROJECT)
      .findOne({ where: { code: expected.shared.code }, select: ['documentId'] });
    for (const locale of LOCALES) {
      const doc = await strapi.documents(PROJECT).findOne({
        documentId: row.documentId,
        locale,
        status: 'published',
        populate: { location: true, highlights: true, seo: true, industries: true, park: true },
      });
      const want = expected.locales[locale];
      const problems = [
        doc?.title !== want.title && 'title',
        doc?.location?.address !== want.location.address && 'location',
        doc?.highlights?.length !== want.highlights.length && 'highlights',
        doc?.seo?.metaTitle !== want.seo.metaTitle && 'seo',
        doc?.industries?.length !== expected.shared.industries.length && 'industries',
        doc?.industries?.some((one) => one.locale !== locale || !one.publishedAt) && 'industries locale/status',
        (doc?.park?.documentId ?? undefined) !== expected.shared.park && 'park',
      ].filter(Boolean);
      if (problems.length) throw new Error(`bench: project ${n} (${locale}) reads back wrong: ${problems.join(', ')}`);
    }
  }
};

const seed = async (strapi, { distDir }, count) => {
  const { runSeed } = require(path.join(distDir, 'src', 'seed'));
  let started = Date.now();
  await runSeed(strapi, { log });
  const realSeconds = (Date.now() - started) / 1000;
  started = Date.now();
  await insertProjects(strapi, count);
  const bulkSeconds = (Date.now() - started) / 1000;
  // What autovacuum would soon do on its own after so many inserts: without statistics the
  // planner takes the list's 25 rows for a full scan and sort.
  started = Date.now();
  await strapi.db.connection.raw(strapi.db.dialect.client === 'postgres' ? 'VACUUM ANALYZE' : 'ANALYZE');
  const analyzeSeconds = (Date.now() - started) / 1000;
  await check(strapi, count);
  const total = {};
  for (const locale of LOCALES) {
    total[locale] = await strapi.db.query(PROJECT).count({ where: { locale, publishedAt: { $notNull: true } } });
  }
  console.log(JSON.stringify({ realSeconds, bulkSeconds, analyzeSeconds, projects: count, published: total }));
};

/**
 * SQL queries per request, counted on Knex's `query` event for the queries run inside each
 * request (Strapi's request context), one request at a time, in this process.
 */
const queries = async (strapi, code, q) => {
  await strapi.server.mount();
  await new Promise((resolve) => strapi.server.httpServer.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${strapi.server.httpServer.address().port}`;
  let current;
  strapi.db.connection.on('query', (query) => {
    const ctx = strapi.requestContext.get();
    if (current && ctx?.get?.('x-bench-count') === current.tag) current.sql.push(query.sql);
  });
  const count = async (url) => {
    current = { tag: randomUUID(), sql: [] };
    const response = await fetch(`${base}${url}`, { headers: { 'x-bench-count': current.tag } });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`bench: ${url} answered ${response.status}: ${body.slice(0, 200)}`);
    const json = JSON.parse(body);
    const items = Array.isArray(json.data) ? json.data.length : 1;
    const control = current.sql.filter((sql) => /^\s*(begin|commit|rollback|savepoint|release)\b/i.test(sql)).length;
    const result = {
      url,
      status: response.status,
      items,
      bytes: Buffer.byteLength(body),
      queries: current.sql.length,
      transactionControl: control,
    };
    result.tables = [
      ...new Set(current.sql.map((sql) => (/\bfrom\s+(?:"?\w+"?\.)?"?(\w+)"?/i.exec(sql) ?? [])[1]).filter(Boolean)),
    ];
    current = undefined;
    return result;
  };

  const one = await fetch(`${base}/api/projects?locale=en&filters[code][$eq]=${code}&fields[0]=code`).then((r) =>
    r.json(),
  );
  const id = one.data?.[0]?.documentId;
  if (!id) throw new Error(`bench: project ${code} not served by the API`);
  const urls = [
    ...[5, 25, 100].map((size) => `/api/projects?locale=en&pagination[pageSize]=${size}`),
    `/api/projects/${id}?locale=en`,
    `/api/search?q=${encodeURIComponent(q)}&locale=zh-Hans`,
  ];
  const results = [];
  for (const url of urls) {
    await count(url); // the first request of a kind also loads what Strapi caches per process
    results.push(await count(url));
  }
  strapi.server.httpServer.close();
  console.log(JSON.stringify({ results }));
};

const [task, ...args] = process.argv.slice(2);
if (!['seed', 'queries'].includes(task)) {
  console.error('usage: node scripts/bench-app.js seed <projects> | queries <project code> <search term>');
  process.exit(2);
}
// Measured requests all come from here: the public API's rate limits are off.
process.env.RATE_LIMIT_PER_MINUTE = '0';
process.env.RATE_LIMIT_SEARCH_PER_MINUTE = '0';

withStrapi((strapi, context) =>
  task === 'seed'
    ? seed(strapi, context, Number(args[0]) || 2000)
    : queries(strapi, args[0] ?? 'BX-0001', args[1] ?? '西工'),
);
