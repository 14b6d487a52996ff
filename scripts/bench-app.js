#!/usr/bin/env node
/**
 * The in-process half of `npm run bench` (scripts/bench.js runs it as a child, on the benchmark's
 * database):
 *
 *   node scripts/bench-app.js seed <projects>   the real seed, then <projects> generated projects
 *                                               in zh-Hans and en, published (scripts/bench/seed.js)
 *   node scripts/bench-app.js grow <from> <to>  more generated projects, up to <to>
 *   node scripts/bench-app.js queries <code> <q>
 *                                               SQL queries per request of the public read path
 *                                               (the list, project <code>, a search for <q>)
 *
 * Each prints progress on stderr and its result as one JSON line on stdout.
 */
const { randomUUID } = require('crypto');
const path = require('path');
const withStrapi = require('./with-strapi');
const { projectData } = require('./bench-data');
const { insertProjects, analyze, forgetReadModel, seeded, PROJECT, LOCALES } = require('./bench/seed');

const log = (line) => process.stderr.write(`${line}\n`);

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

const published = async (strapi) => {
  const total = {};
  for (const locale of LOCALES) {
    total[locale] = await strapi.db.query(PROJECT).count({ where: { locale, publishedAt: { $notNull: true } } });
  }
  return total;
};

const seed = async (strapi, { distDir }, count) => {
  const { runSeed } = require(path.join(distDir, 'src', 'seed'));
  let started = Date.now();
  await runSeed(strapi, { log });
  const realSeconds = (Date.now() - started) / 1000;
  started = Date.now();
  const existing = await strapi.db.query(PROJECT).count({ where: { code: { $startsWith: 'BX-' } } });
  if (existing) throw new Error(`bench: the database already holds ${existing} generated project rows`);
  await insertProjects(strapi, { to: count });
  await forgetReadModel(strapi);
  const bulkSeconds = (Date.now() - started) / 1000;
  const analyzeSeconds = await analyze(strapi);
  await check(strapi, count);
  console.log(
    JSON.stringify({ realSeconds, bulkSeconds, analyzeSeconds, projects: count, published: await published(strapi) }),
  );
};

/** Grows the generated set from `from` to `to` projects (the scale step). */
const grow = async (strapi, from, to) => {
  const started = Date.now();
  await insertProjects(strapi, { from, to });
  await forgetReadModel(strapi);
  const bulkSeconds = (Date.now() - started) / 1000;
  const analyzeSeconds = await analyze(strapi);
  await check(strapi, to);
  console.log(JSON.stringify({ bulkSeconds, analyzeSeconds, projects: to, published: await published(strapi) }));
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
if (!['seed', 'grow', 'queries'].includes(task)) {
  console.error(
    'usage: node scripts/bench-app.js seed <projects> | grow <from> <to> | queries <project code> <search term>',
  );
  process.exit(2);
}
// Measured requests all come from here: the public API's rate limits are off.
process.env.RATE_LIMIT_PER_MINUTE = '0';
process.env.RATE_LIMIT_SEARCH_PER_MINUTE = '0';

withStrapi((strapi, context) =>
  task === 'seed'
    ? seed(strapi, context, Number(args[0]) || 2000)
    : task === 'grow'
      ? grow(strapi, Number(args[0]), Number(args[1]))
      : queries(strapi, args[0] ?? 'BX-0001', args[1] ?? '西工'),
);
