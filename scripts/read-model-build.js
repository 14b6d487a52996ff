#!/usr/bin/env node
/**
 * Times a full build of the read model on the database the environment names (seed it first,
 * e.g. `node scripts/bench-app.js seed 10000` for 20,000 published projects), from empty, and
 * samples the process's memory while it runs; then a restart's start-up (which must build
 * nothing). Prints one JSON line: entries, seconds, peak RSS before/while building, restart seconds.
 *
 *   WUTONG_READ_MODEL_CATCH_UP_SECONDS=0 DATABASE_FILENAME=… node scripts/read-model-build.js
 */
const withStrapi = require('./with-strapi');

withStrapi(async (strapi) => {
  const readModel = strapi.plugin('delivery').service('delivery').readModel;
  await readModel.settle();
  const knex = strapi.db.connection;
  // From empty: no rows, no lists, no cursor (what a first start sees).
  await knex('wutong_read_model').delete();
  await knex('wutong_read_model_lists').delete();
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 200);
  const started = Date.now();
  const before = { ...readModel.stats };
  await readModel.rebuildAll();
  await readModel.settle();
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  const [{ total }] = await knex('wutong_read_model').whereNotNull('json').count('* as total');
  console.log(
    JSON.stringify({
      entries: Number(total),
      rendered: readModel.stats.rendered - before.rendered,
      seconds,
      entriesPerSecond: Math.round(Number(total) / seconds),
      rssBeforeMB: Math.round(baseline / 2 ** 20),
      rssPeakMB: Math.round(peak / 2 ** 20),
    }),
  );
});
