#!/usr/bin/env node
/**
 * Bulk seeding for `npm run bench`, the same for Wutong and the vanilla reference.
 *
 * The Document Service with Wutong's editorial middlewares takes ~0.35 s per project and language
 * pair (history, audit, translation bases, events): over ten minutes for 2,000 projects, days for
 * 100,000. insertProjects writes what it would write for a published document, in bulk through
 * Strapi's query engine (createMany, knex batch inserts): a draft and a published row per locale
 * sharing one documentId, their components, and links to the industries (and parks, where the
 * type has them) of the same locale and status. Only the attributes the app's model has are
 * written, so the same generated projects (scripts/bench-data.js) fill both apps.
 *
 * As a program, it seeds the vanilla app (loaded from its folder) on the environment's database:
 *
 *   node scripts/bench/seed.js <vanillaAppDir> <projects>
 *
 * and prints one JSON line with the seconds it took.
 */
const { randomBytes } = require('crypto');
const path = require('path');
const { projectData } = require('../bench-data');

const PROJECT = 'api::project.project';
const INDUSTRY = 'api::industry.industry';
const LOCALES = ['zh-Hans', 'en'];
// Projects per round of inserts: 1,000 project rows of ~20 columns, under both databases'
// limits on bound parameters (PostgreSQL 65,535, SQLite 32,766).
const BATCH = 250;

const log = (line) => process.stderr.write(`${line}\n`);

/** A documentId like Strapi's own (24 lower-case letters and digits, starting with a letter). */
const documentId = () => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(24);
  return [...bytes].map((byte, index) => alphabet[byte % (index === 0 ? 26 : 36)]).join('');
};

/** documentId, names and row ids per (locale, status) of a seeded type, e.g. the industries. */
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

/** Projects `from` … `to - 1` (project n has code BX-<n+1>), published in both languages. */
const insertProjects = async (strapi, { from = 0, to }) => {
  const model = strapi.getModel(PROJECT);
  const has = (name, type) => model.attributes[name]?.type === type;
  const parks = has('park', 'relation') ? await seeded(strapi, 'api::park.park', 'name') : [];
  const industries = await seeded(strapi, INDUSTRY, 'name');
  if (!industries.length) throw new Error('bench: no industries to link the projects to');
  const meta = strapi.db.metadata.get(PROJECT);
  const knex = strapi.db.connection;
  const componentFields = Object.keys(model.attributes).filter((name) => has(name, 'component'));
  const cmps = componentFields.length ? meta.attributes[componentFields[0]].joinTable : undefined;
  const industryLinks = meta.attributes.industries.joinTable;
  const parkLinks = parks.length ? meta.attributes.park.joinTable : undefined;
  const scalar = (name) =>
    model.attributes[name] && !['component', 'relation', 'dynamiczone', 'media'].includes(model.attributes[name].type);

  // A park's projects keep their order (the inverse side's ord), after the ones it has.
  const parkOrd = new Map();
  if (parkLinks) {
    for (const row of await knex(parkLinks.name)
      .select(parkLinks.inverseJoinColumn.name)
      .max(`${parkLinks.inverseOrderColumnName} as ord`)
      .groupBy(parkLinks.inverseJoinColumn.name)) {
      parkOrd.set(row[parkLinks.inverseJoinColumn.name], Number(row.ord ?? 0));
    }
  }

  const started = Date.now();
  for (let start = from; start < to; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, to - start) }, (_, k) => ({
      documentId: documentId(),
      ...projectData(start + k, { parks, industries }),
    }));
    const now = new Date();
    const rows = []; // one per project × locale × status
    for (const project of batch) {
      for (const locale of LOCALES) {
        for (const status of ['draft', 'published']) rows.push({ project, locale, status });
      }
    }
    const { ids } = await strapi.db.query(PROJECT).createMany({
      data: rows.map(({ project, locale, status }) => ({
        ...Object.fromEntries(
          Object.entries({ ...project.shared, ...project.locales[locale] }).filter(([name]) => scalar(name)),
        ),
        documentId: project.documentId,
        locale,
        createdAt: now,
        updatedAt: now,
        publishedAt: status === 'published' ? now : null,
      })),
    });
    if (ids.length !== rows.length) throw new Error(`bench: ${ids.length} ids for ${rows.length} rows`);
    rows.forEach((row, index) => (row.id = ids[index]));

    // Components: each row has its own copies, as Strapi writes them.
    for (const field of componentFields) {
      const { component, repeatable } = model.attributes[field];
      const owned = rows.flatMap((row) =>
        [].concat(row.project.locales[row.locale][field] ?? []).map((value, order) => ({ row, value, order })),
      );
      if (!owned.length) continue;
      const created = await strapi.db.query(component).createMany({ data: owned.map(({ value }) => value) });
      await knex.batchInsert(
        cmps.name,
        owned.map(({ row, order }, index) => ({
          [cmps.joinColumn.name]: row.id,
          [cmps.inverseJoinColumn.name]: created.ids[index],
          component_type: component,
          field,
          [cmps.orderColumnName]: repeatable ? order + 1 : null,
        })),
        500,
      );
    }

    // Relations: a draft links to the draft of the target, a published row to its published row.
    const target = (list, documentIdOf, row) =>
      list.find((one) => one.documentId === documentIdOf)?.ids[`${row.locale} ${row.status}`];
    await knex.batchInsert(
      industryLinks.name,
      rows.flatMap((row) =>
        row.project.shared.industries.map((id, order) => ({
          [industryLinks.joinColumn.name]: row.id,
          [industryLinks.inverseJoinColumn.name]: target(industries, id, row),
          [industryLinks.orderColumnName]: order + 1,
        })),
      ),
      500,
    );
    if (parkLinks) {
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
    }

    const done = start + batch.length;
    if ((done - from) % 5000 < BATCH || done === to) {
      const seconds = (Date.now() - started) / 1000;
      log(`bench: ${done - from}/${to - from} projects (${(done - from) * 4} rows) in ${seconds.toFixed(1)} s`);
    }
  }
};

/** The industries of Wutong's seed (data/seed), in both languages, draft and published. */
const insertIndustries = async (strapi) => {
  const entries = require(path.join(__dirname, '..', '..', 'data', 'seed', '01-industries.json')).entries;
  const now = new Date();
  await strapi.db.query(INDUSTRY).createMany({
    data: entries.flatMap((entry, index) => {
      const id = documentId();
      return LOCALES.flatMap((locale) =>
        [null, now].map((publishedAt) => ({
          documentId: id,
          locale,
          name: entry.locales[locale].name,
          slug: entry.slug,
          sortOrder: entry.data?.sortOrder ?? index,
          createdAt: now,
          updatedAt: now,
          publishedAt,
        })),
      );
    }),
  });
};

/** What autovacuum would soon do after so many inserts: without statistics the planner guesses. */
const analyze = async (strapi) => {
  const started = Date.now();
  await strapi.db.connection.raw(strapi.db.dialect.client === 'postgres' ? 'VACUUM ANALYZE' : 'ANALYZE');
  return (Date.now() - started) / 1000;
};

/**
 * Bulk inserts raise none of the events Wutong's read model follows, so a model built before them
 * (a restart trusts a complete one) would go on answering without the new projects: it is emptied,
 * and the server builds it again from the tables.
 */
const forgetReadModel = async (strapi) => {
  const knex = strapi.db.connection;
  for (const table of ['wutong_read_model_lists', 'wutong_read_model']) {
    if (await knex.schema.hasTable(table)) await knex(table).delete();
  }
};

module.exports = { insertProjects, analyze, forgetReadModel, seeded, PROJECT, LOCALES };

if (require.main === module) {
  const [appDir, count] = process.argv.slice(2);
  const { createStrapi } = require('@strapi/strapi');
  (async () => {
    const began = Date.now();
    const strapi = await createStrapi({ appDir, distDir: appDir }).load();
    const loadSeconds = (Date.now() - began) / 1000;
    let started = Date.now();
    await insertIndustries(strapi);
    await insertProjects(strapi, { to: Number(count) });
    const bulkSeconds = (Date.now() - started) / 1000;
    const analyzeSeconds = await analyze(strapi);
    started = Date.now();
    const published = {};
    for (const locale of LOCALES) {
      published[locale] = await strapi.db.query(PROJECT).count({ where: { locale, publishedAt: { $notNull: true } } });
    }
    await strapi.destroy();
    console.log(JSON.stringify({ loadSeconds, bulkSeconds, analyzeSeconds, published }));
    process.exit(0);
  })().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
