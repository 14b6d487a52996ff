#!/usr/bin/env node
/**
 * npm run bench [-- options]: load-test Wutong's public read path beside a vanilla Strapi 5 app
 * measured in the same run, and write docs/benchmarks.md (overwritten on each run).
 *
 * One run: build; create the databases; seed Wutong (its real seed plus --projects generated
 * projects in zh-Hans and en) and a vanilla Strapi app generated into a scratch folder (same
 * @strapi packages, same generated projects); then, with wrk on the same machine, measure
 *   - Wutong, response cache off: list, sorted list, `$containsi` list, one project, search;
 *   - Wutong, in-process cache: the list and one project, and a bare Node server answering
 *     the same bytes (the ceiling);
 *   - vanilla Strapi: list, sorted list, `$containsi` list, one project (`populate=*`);
 *   - 1 and 2 Wutong processes behind nginx on PostgreSQL + Redis, with publish-to-fresh;
 *   - with --scale, the uncached cases again after growing the data set;
 * and compare against the targets (scripts/bench/options.js).
 *
 * Options (scripts/bench/options.js):
 *   --projects=2000      generated projects (each in zh-Hans and en, draft + published)
 *   --scale=100000       then grow to this many and measure the uncached cases again
 *   --seed-only          seed both apps with --projects, print the times, clean up (100,000
 *                        projects × 2 languages, measured on a busy 2-core machine: Wutong's bulk
 *                        insert 13 min, the vanilla app's 5 min, VACUUM ANALYZE 9 s each)
 *   --duration=20        seconds measured per case      --warmup=5   seconds of load before
 *   --threads=2 --connections=50                        wrk's
 *   --sqlite             SQLite instead of PostgreSQL (no nginx/Redis runs)
 *   --no-vanilla --no-cluster --no-build --queries --keep
 *   --q=西工 --log-level=warn --out=docs/benchmarks.md
 * Environment: BENCH_POSTGRES_URL (the server's maintenance database, default
 * postgres://postgres@127.0.0.1:5432/postgres), BENCH_DB_PREFIX (default wutong_bench_),
 * BENCH_REDIS_URL (default redis://127.0.0.1:6379).
 *
 * Every server gets DATABASE_CLIENT and its connection explicitly (a `.env` cannot point it
 * elsewhere: options.js serverEnv), and the report names the database each server reported once
 * running. The project's .env is only read by Strapi, never written.
 */
const { spawn, spawnSync, execSync } = require('child_process');
const { randomBytes } = require('crypto');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { parseOptions, serverEnv, nodeFlagsOf, targets } = require('./bench/options');
const {
  freePort,
  ensureTools,
  startProcess,
  stopChildren,
  measure,
  underLoad,
  fetchOnce,
  sleep,
  memoryOf,
} = require('./bench/run');
const { writeVanillaApp } = require('./bench/vanilla');

const ROOT = path.resolve(__dirname, '..');
const WUTONG_NODE_FLAGS = nodeFlagsOf(require('../package.json').scripts.start);
const STAMP = new Date().toISOString().replace(/[-:T]/g, '').replace(/\..*/, '').toLowerCase();

let options;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  console.error(`bench: ${error.message}`);
  process.exit(2);
}

const log = (line) => console.log(`bench: ${line}`);
const mb = (bytes) => bytes / 2 ** 20;
const fixed = (n, digits = 0) => Number(n).toFixed(digits);
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PREFIX = process.env.BENCH_DB_PREFIX ?? 'wutong_bench_';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const REDIS_PREFIX = `wutong-bench-${STAMP}:`;

/** Production needs its own secrets (src/lib/env.ts envSecret): random ones for this run. */
const SECRETS = (() => {
  const random = () => randomBytes(32).toString('base64');
  return {
    APP_KEYS: `${random()},${random()}`,
    API_TOKEN_SALT: random(),
    ADMIN_JWT_SECRET: random(),
    TRANSFER_TOKEN_SALT: random(),
    JWT_SECRET: random(),
    ENCRYPTION_KEY: random(),
    PREVIEW_SECRET: random(),
  };
})();

// ---------------------------------------------------------------- databases

const withPg = async (url, fn) => {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
};

/** A fresh database for one app: { client, url | filename, drop() }. */
const createDatabase = async (work, app) => {
  if (options.sqlite) {
    const filename = path.join(work, `${app}.db`);
    return { client: 'sqlite', filename, label: filename, drop: async () => undefined };
  }
  const name = `${PREFIX}${STAMP}_${app}`;
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`BENCH_DB_PREFIX gives an unusable database name ${name}`);
  await withPg(ADMIN_URL, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    client: 'postgres',
    url: url.toString(),
    label: name,
    drop: () => withPg(ADMIN_URL, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
};

// ---------------------------------------------------------------- processes

/** Runs a child to the end; resolves with its stdout's last JSON line. */
const runJson = (args, { env, cwd = ROOT, label }) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      for (const line of String(chunk).split('\n')) if (/^(bench|seed):/.test(line)) console.log(`  ${line}`);
    });
    child.on('exit', (code) => {
      const json = stdout
        .split('\n')
        .reverse()
        .find((line) => line.startsWith('{'));
      if (code === 0 && json) resolve(JSON.parse(json));
      else reject(new Error(`${label} failed (exit ${code}):\n${(stderr || stdout).slice(-3000)}`));
    });
  });

/** Wutong (appDir ROOT, dist/) or the vanilla app (appDir = distDir), through scripts/bench/serve.js. */
const startServer = async ({ name, database, appDir, distDir, extra, work, healthPath }) => {
  const port = await freePort();
  const env = serverEnv({
    parent: process.env,
    database,
    extra: {
      ...SECRETS,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: options['log-level'],
      // Background timers of other features only add noise to a measurement.
      WUTONG_SCHEDULER_INTERVAL_MS: '3600000',
      ...extra,
    },
  });
  const server = await startProcess({
    name,
    command: process.execPath,
    // Wutong as `npm start` runs it (its Node flags bound its memory); the vanilla app as Strapi's own start.
    args: [...(appDir === ROOT ? WUTONG_NODE_FLAGS : []), path.join(__dirname, 'bench', 'serve.js'), appDir, distDir],
    cwd: appDir,
    env,
    healthUrl: `http://127.0.0.1:${port}${healthPath}`,
    work,
    ipc: true,
  });
  // The report names what the server runs on, and it must be what this run prepared.
  const where = database.client === 'sqlite' ? database.filename : new URL(database.url).pathname.slice(1);
  if (server.info.client !== database.client || server.info.database !== where) {
    await server.stop();
    throw new Error(
      `${name} runs on ${server.info.client} ${server.info.database}, not on the benchmark's ${database.client} ${database.label}`,
    );
  }
  log(
    `${name}: ready in ${fixed(server.readySeconds, 1)} s on ${server.info.client} ${server.info.version} ` +
      `(${server.info.database}), start-up RSS peak ${fixed(mb(server.startupPeak))} MB`,
  );
  return { ...server, base: `http://127.0.0.1:${port}`, port };
};

/**
 * The ceiling: Node's http module answering fixed bytes. BODIES: { "/path": [file, headers] }, headers
 * as [name, value] pairs: /path answers the body with those (the same bytes as the cached answer),
 * /path/body with its Content-Type alone (the body's bytes, for reference).
 */
const BARE_SERVER = `
const http = require('http');
const fs = require('fs');
const bodies = {};
for (const [path, [file, headers]] of Object.entries(JSON.parse(process.env.BODIES))) {
  const body = fs.readFileSync(file);
  const length = ['Content-Length', String(body.length)];
  bodies[path] = { body, headers: [...headers.flat(), ...length] };
  const type = headers.find(([name]) => name.toLowerCase() === 'content-type');
  bodies[path + '/body'] = { body, headers: [...(type ?? []), ...length] };
}
http.createServer((req, res) => {
  const hit = bodies[req.url];
  if (!hit) return res.writeHead(204).end();
  res.writeHead(200, hit.headers);
  res.end(hit.body);
}).listen(+process.env.PORT, '127.0.0.1');
`;

/** nginx in front of the Wutong processes, on 127.0.0.1 only, everything inside `dir`. */
const nginxConfig = ({ dir, port, upstreams }) => `
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream wutong {
${upstreams.map((upstream) => `    server 127.0.0.1:${upstream};`).join('\n')}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://wutong;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      # Answers are held in memory (a list is ~60 KB), never in temporary files.
      proxy_buffers 64 8k;
      proxy_max_temp_file_size 0;
    }
  }
}
`;

const startNginx = async (work, upstreams) => {
  const dir = path.join(work, `nginx-${upstreams.length}`);
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'nginx.conf'), nginxConfig({ dir, port, upstreams }));
  const server = await startProcess({
    name: `nginx-${upstreams.length}`,
    command: 'nginx',
    args: ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', path.join(dir, 'nginx.conf')],
    cwd: dir,
    env: process.env,
    healthUrl: `http://127.0.0.1:${port}/_health`,
    work,
    pidFile: path.join(dir, 'nginx.pid'),
  });
  return { ...server, base: `http://127.0.0.1:${port}` };
};

const redisAvailable = () =>
  new Promise((resolve) => {
    const { hostname, port } = new URL(REDIS_URL);
    const socket = net.connect(Number(port || 6379), hostname);
    socket.setTimeout(1000);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => {
      resolve(String(data).startsWith('+PONG'));
      socket.destroy();
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      resolve(false);
      socket.destroy();
    });
  });

/** Drops this run's Redis keys (the cache's and the rate limiter's). */
const clearRedis = async () => {
  if (!(await redisAvailable())) return;
  const Redis = require('ioredis');
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${REDIS_PREFIX}*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
};

// ---------------------------------------------------------------- cases

const LIST = '/api/projects?locale=en&pagination[pageSize]=25';
const CASES = {
  list: { label: 'list', path: LIST },
  'list sorted': { label: 'list, `sort=title:asc`', path: `${LIST}&sort=title:asc` },
  'list containsi': { label: 'list, `filters[title][$containsi]=xyz`', path: `${LIST}&filters[title][$containsi]=xyz` },
  detail: { label: 'one project', path: (id) => `/api/projects/${id}?locale=en` },
  search: { label: 'search', path: `/api/search?q=${encodeURIComponent(options.q)}&locale=zh-Hans` },
};
const UNCACHED = ['list', 'list sorted', 'list containsi', 'detail', 'search'];
// Vanilla Strapi populates nothing by default; `populate=*` gives the same components and relations.
const vanillaPath = (key, id) => {
  const base = typeof CASES[key].path === 'function' ? CASES[key].path(id) : CASES[key].path;
  return `${base}&populate=*`;
};
const casePath = (key, id) => (typeof CASES[key].path === 'function' ? CASES[key].path(id) : CASES[key].path);

const DETAIL_CODE = () => `BX-${String(Math.ceil(options.projects / 2)).padStart(4, '0')}`;

const documentIdByCode = async (base, code) => {
  const found = JSON.parse(
    (await fetchOnce(`${base}/api/projects?locale=en&filters[code][$eq]=${code}&fields[0]=code&fields[1]=title`)).body,
  );
  if (!found.data?.[0]) throw new Error(`project ${code} is not served by ${base}`);
  return found.data[0];
};

const logRow = (key, app, row) =>
  log(
    `${app} ${key}: ${fixed(row.rps)} req/s, p50 ${fixed(row.p50, 1)} ms, p99 ${fixed(row.p99, 1)} ms, ${row.bytes} B, ` +
      `peak RSS ${fixed(mb(row.peakRss))} MB; cores: wrk ${fixed(row.cpu.loadgen, 2)}, servers ${fixed(row.cpu.servers, 2)}, ` +
      `PostgreSQL/Redis ${fixed(row.cpu.stores, 2)}, machine ${fixed(row.cpu.busy, 2)}${row.failed ? `, ${row.failed} FAILED` : ''}`,
  );

/** Waits until the read model answers plain lists (built in the background after start). */
const waitForReadModel = async (server) => {
  const since = Date.now();
  for (let page = 1; ; page += 1) {
    const response = await fetch(
      `${server.base}/api/projects?locale=en&pagination[pageSize]=1&pagination[page]=${page}`,
    );
    await response.arrayBuffer();
    if (response.headers.get('x-read-model') === 'hit') return (Date.now() - since) / 1000;
    // A build without the read model (or its header) must not stop the benchmark.
    if (Date.now() - since > 180_000) return undefined;
    await sleep(200);
  }
};

/**
 * Publish-to-fresh under load: while wrk loads `detailPath` through nginx, publishes a new title
 * through one process (in turn), then polls every process directly until each serves it. The
 * slowest process of each publish counts.
 */
const publishToFresh = async ({ processes, detail }) => {
  const results = [];
  for (let round = 1; round <= 3; round += 1) {
    const title = `${detail.title} [bench ${Date.now()}]`; // new each time, whatever the last run left
    const through = processes[(round - 1) % processes.length];
    const began = Date.now();
    const published = await through.publish({
      uid: 'api::project.project',
      documentId: detail.documentId,
      locale: 'en',
      data: { title },
    });
    if (published.error) throw new Error(`publishing through ${through.name} failed: ${published.error}`);
    const fresh = await Promise.all(
      processes.map(async (server) => {
        for (;;) {
          const response = await fetch(`${server.base}${detail.path}`);
          const text = await response.text();
          if (text.includes(JSON.stringify(title).slice(1, -1))) return Date.now() - began;
          if (Date.now() - began > 15_000) return Infinity;
          await sleep(20);
        }
      }),
    );
    results.push({
      through: through.name,
      publishMs: published.ms,
      freshMs: Math.max(...fresh),
    });
    log(
      `publish ${round} through ${through.name} (${published.ms} ms): fresh everywhere after ${Math.max(...fresh)} ms (${processes.map((server, at) => `${server.name} ${fresh[at]}`).join(', ')})`,
    );
    await sleep(1000);
  }
  return results;
};

// ---------------------------------------------------------------- main

const main = async () => {
  const began = Date.now();
  const clustered = options.cluster && !options.sqlite;
  ensureTools(clustered ? ['wrk', 'nginx'] : ['wrk']);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wutong-bench-'));
  log(`scratch files in ${work}`);
  if (!options['seed-only']) {
    if (options.build) {
      log('npm run build');
      const built = spawnSync('npm', ['run', 'build'], {
        cwd: ROOT,
        stdio: 'inherit',
        env: { ...process.env, STRAPI_TELEMETRY_DISABLED: 'true' },
      });
      if (built.status !== 0) throw new Error('npm run build failed');
    }
  }
  if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` or drop --no-build');
  }
  const distDir = path.join(ROOT, 'dist');
  const databases = [];
  const running = [];
  const stopAll = async () => {
    while (running.length)
      await running
        .pop()
        .stop()
        .catch(() => undefined);
  };
  try {
    const database = await createDatabase(work, 'wutong');
    databases.push(database);
    const vanillaDatabase = options.vanilla ? await createDatabase(work, 'vanilla') : undefined;
    if (vanillaDatabase) databases.push(vanillaDatabase);
    // No read model in the seeding processes: nothing would read it, and a background build racing
    // the bulk inserts could mark a list complete without them.
    const seedEnv = (db) =>
      serverEnv({
        parent: process.env,
        database: db,
        extra: { ...SECRETS, LOG_LEVEL: 'warn', WUTONG_READ_MODEL: 'off' },
      });

    // ------------------------------------------------------------ seeding
    log(`seeding Wutong: the real seed, then ${options.projects} projects × 2 languages`);
    let started = Date.now();
    const seeding = await runJson([path.join(__dirname, 'bench-app.js'), 'seed', String(options.projects)], {
      env: seedEnv(database),
      label: 'seeding Wutong',
    });
    seeding.wallSeconds = (Date.now() - started) / 1000;
    log(`Wutong seeded in ${fixed(seeding.wallSeconds)} s (generated projects ${fixed(seeding.bulkSeconds, 1)} s)`);
    let vanillaDir;
    let vanillaSeeding;
    if (vanillaDatabase) {
      vanillaDir = writeVanillaApp(path.join(work, 'vanilla'));
      log(`seeding vanilla Strapi (${vanillaDir}): ${options.projects} projects × 2 languages`);
      started = Date.now();
      vanillaSeeding = await runJson([path.join(__dirname, 'bench', 'seed.js'), vanillaDir, String(options.projects)], {
        env: { ...seedEnv(vanillaDatabase), NODE_ENV: 'production' },
        cwd: vanillaDir,
        label: 'seeding vanilla Strapi',
      });
      vanillaSeeding.wallSeconds = (Date.now() - started) / 1000;
      log(
        `vanilla seeded in ${fixed(vanillaSeeding.wallSeconds)} s (projects ${fixed(vanillaSeeding.bulkSeconds, 1)} s)`,
      );
    }
    if (options['seed-only']) {
      log(
        `seed only: ${options.projects} projects × 2 languages (${options.projects * 4} project rows per app); ` +
          `Wutong bulk insert ${fixed(seeding.bulkSeconds, 1)} s + VACUUM ANALYZE ${fixed(seeding.analyzeSeconds, 1)} s ` +
          `(whole step ${fixed(seeding.wallSeconds)} s)` +
          (vanillaSeeding
            ? `; vanilla bulk insert ${fixed(vanillaSeeding.bulkSeconds, 1)} s + VACUUM ANALYZE ${fixed(vanillaSeeding.analyzeSeconds, 1)} s (whole step ${fixed(vanillaSeeding.wallSeconds)} s)`
            : ''),
      );
      return;
    }

    let queries;
    if (options.queries) {
      log('counting SQL queries per request (cache and read model off)');
      queries = await runJson([path.join(__dirname, 'bench-app.js'), 'queries', DETAIL_CODE(), options.q], {
        env: {
          ...seedEnv(database),
          WUTONG_CACHE: 'off',
          WUTONG_READ_MODEL: 'off',
          WUTONG_EVENTS_POLL_MS: '3600000',
          WUTONG_SCHEDULER_INTERVAL_MS: '3600000',
        },
        label: 'query count',
      });
    }

    const m = {}; // measured rows by key (targets() reads them)
    const starts = []; // { app, mode, readySeconds, startupPeak, readModelSeconds }
    const loadPeaks = { wutong: 0, vanilla: 0 };
    const record = (key, app, row) => {
      m[key] = row;
      logRow(key, app, row);
      if (app in loadPeaks) loadPeaks[app] = Math.max(loadPeaks[app], row.peakRss);
      return row;
    };
    const wutong = async (mode, extra, name = `wutong-${mode}`) => {
      const server = await startServer({
        name,
        database,
        appDir: ROOT,
        distDir,
        extra,
        work,
        healthPath: '/_health/ready',
      });
      running.push(server);
      const entry = {
        app: 'Wutong',
        mode,
        readySeconds: server.readySeconds,
        startupPeak: server.startupPeak,
        info: server.info,
      };
      if (extra.WUTONG_READ_MODEL !== 'off') {
        const waited = await waitForReadModel(server);
        if (waited === undefined) log(`warning: ${name}: no list answered by the read model 3 minutes after start`);
        else {
          entry.readModelSeconds = server.readySeconds + waited;
          log(`${name}: read model ready ${fixed(entry.readModelSeconds, 1)} s after spawn`);
        }
        // Building it is part of starting up: the high-water mark now covers both.
        entry.startupPeak = memoryOf(server.pid).hwm;
      }
      starts.push(entry);
      return server;
    };

    // ------------------------------------------------------------ Wutong, uncached
    let server = await wutong('cache off', { WUTONG_CACHE: 'off' });
    const detail = await documentIdByCode(server.base, DETAIL_CODE());
    detail.path = casePath('detail', detail.documentId);
    for (const key of UNCACHED) {
      record(
        key,
        'wutong',
        await measure({ servers: [server], url: `${server.base}${casePath(key, detail.documentId)}`, options }),
      );
    }
    await stopAll();

    // ------------------------------------------------------------ Wutong, cached, and the bare ceiling
    server = await wutong('memory cache', { WUTONG_CACHE: 'memory' });
    for (const key of ['list', 'detail']) {
      const row = record(
        `cached ${key}`,
        'wutong',
        await measure({ servers: [server], url: `${server.base}${casePath(key, detail.documentId)}`, options }),
      );
      if (row.cache !== 'HIT') log(`warning: cached ${key} was not a cache hit after the warm-up`);
    }
    await stopAll();
    const bodies = {};
    for (const key of ['list', 'detail']) {
      const file = path.join(work, `${key}.body`);
      fs.writeFileSync(file, m[`cached ${key}`].sample.body);
      bodies[`/${key}`] = [file, m[`cached ${key}`].sample.headers];
    }
    const barePort = await freePort();
    const bare = await startProcess({
      name: 'bare-node',
      command: process.execPath,
      args: ['-e', BARE_SERVER],
      cwd: work,
      env: { ...process.env, PORT: String(barePort), BODIES: JSON.stringify(bodies) },
      healthUrl: `http://127.0.0.1:${barePort}/health`,
      work,
    });
    running.push(bare);
    for (const key of ['list', 'detail']) {
      for (const [name, suffix] of [
        [`bare ${key}`, ''],
        [`bare body ${key}`, '/body'],
      ])
        record(
          name,
          'bare',
          await measure({ servers: [bare], url: `http://127.0.0.1:${barePort}/${key}${suffix}`, options }),
        );
    }
    await stopAll();

    // ------------------------------------------------------------ vanilla Strapi
    if (vanillaDir) {
      const vanilla = await startServer({
        name: 'vanilla',
        database: vanillaDatabase,
        appDir: vanillaDir,
        distDir: vanillaDir,
        extra: {},
        work,
        healthPath: '/_health',
      });
      running.push(vanilla);
      starts.push({
        app: 'vanilla Strapi',
        mode: '—',
        readySeconds: vanilla.readySeconds,
        startupPeak: vanilla.startupPeak,
        info: vanilla.info,
      });
      const vanillaDetail = await documentIdByCode(vanilla.base, DETAIL_CODE());
      for (const key of ['list', 'list sorted', 'list containsi', 'detail']) {
        record(
          `vanilla ${key}`,
          'vanilla',
          await measure({
            servers: [vanilla],
            url: `${vanilla.base}${vanillaPath(key, vanillaDetail.documentId)}`,
            options,
          }),
        );
      }
      await stopAll();
    }

    // ------------------------------------------------------------ several processes behind nginx
    const clusterRuns = [];
    const skipped = [];
    if (clustered && !(await redisAvailable()))
      skipped.push(`No Redis at ${REDIS_URL}: the multi-process runs were skipped.`);
    else if (!clustered)
      skipped.push(
        options.sqlite
          ? 'SQLite run: the multi-process runs need PostgreSQL and Redis.'
          : 'Multi-process runs skipped (--no-cluster).',
      );
    if (clustered && !skipped.length) {
      for (const count of [1, 2]) {
        const processes = [];
        for (let i = 1; i <= count; i += 1) {
          processes.push(
            await wutong(
              `Redis cache, ${count} process${count > 1 ? 'es' : ''}`,
              {
                WUTONG_CACHE: 'redis',
                REDIS_URL,
                CACHE_REDIS_PREFIX: REDIS_PREFIX,
                RATE_LIMIT_REDIS_PREFIX: `${REDIS_PREFIX}rate:`,
                IS_PROXIED: 'true',
              },
              `wutong-${count}p-${i}`,
            ),
          );
        }
        const nginx = await startNginx(
          work,
          processes.map((one) => one.port),
        );
        running.push(nginx);
        const run = { count, rows: {} };
        for (const key of ['list', 'detail']) {
          run.rows[key] = record(
            `${count}p ${key}`,
            'wutong',
            await measure({
              servers: [...processes, nginx],
              url: `${nginx.base}${casePath(key, detail.documentId)}`,
              options,
            }),
          );
        }
        // Publish-to-fresh under the same load, apart from the measured seconds.
        run.fresh = await underLoad(
          { url: `${nginx.base}${detail.path}`, threads: options.threads, connections: options.connections },
          () => publishToFresh({ processes, detail }),
        );
        clusterRuns.push(run);
        await stopAll();
      }
      m.fresh = Math.max(...clusterRuns.flatMap((run) => run.fresh.map((one) => one.freshMs)));
    }

    // ------------------------------------------------------------ scale
    let growing;
    if (options.scale) {
      log(`growing the data set to ${options.scale} projects`);
      started = Date.now();
      growing = await runJson(
        [path.join(__dirname, 'bench-app.js'), 'grow', String(options.projects), String(options.scale)],
        {
          env: seedEnv(database),
          label: 'growing the data set',
        },
      );
      growing.wallSeconds = (Date.now() - started) / 1000;
      log(`grown in ${fixed(growing.wallSeconds)} s`);
      // The import step: bulk inserts raise no events, so the read model is built offline, as an
      // operator would after an import (scripts/read-model-build.js, with the production Node
      // flags), timed apart; the server then starts on a complete model and builds nothing.
      log('building the read model offline (import step)');
      started = Date.now();
      growing.import = await runJson([...WUTONG_NODE_FLAGS, path.join(__dirname, 'read-model-build.js')], {
        // Production: the built app, as `npm start` loads it (compiling would need more heap).
        env: {
          ...seedEnv(database),
          NODE_ENV: 'production',
          WUTONG_READ_MODEL: 'on',
          WUTONG_READ_MODEL_CATCH_UP_SECONDS: '0',
        },
        label: 'building the read model',
      });
      growing.import.wallSeconds = (Date.now() - started) / 1000;
      log(
        `read model imported: ${growing.import.entries} entries in ${fixed(growing.import.seconds)} s ` +
          `(whole step ${fixed(growing.import.wallSeconds)} s), peak RSS ${growing.import.rssPeakMB} MB`,
      );
      server = await wutong(`cache off, ${options.scale} projects`, { WUTONG_CACHE: 'off' });
      for (const key of UNCACHED) {
        record(
          `scale ${key}`,
          'wutong',
          await measure({ servers: [server], url: `${server.base}${casePath(key, detail.documentId)}`, options }),
        );
      }
      await stopAll();
    }

    const wutongStarts = starts.filter((one) => one.app === 'Wutong');
    m.rss = {
      load: mb(loadPeaks.wutong),
      startup: mb(Math.max(...wutongStarts.map((one) => one.startupPeak))),
    };
    m.ready = Math.max(...wutongStarts.map((one) => one.readySeconds));

    const cpus = os.cpus();
    const versions = spawnSync('wrk', ['-v']).stdout.toString() + spawnSync('wrk', ['-v']).stderr.toString();
    const machine = {
      date: new Date().toISOString().replace('T', ' ').replace(/\..*/, ' UTC'),
      nproc: execSync('nproc').toString().trim(),
      cpuModel: cpus[0]?.model.trim() ?? 'unknown CPU',
      memory: fixed(os.totalmem() / 2 ** 30, 1),
      os: `${os.type()} ${os.release()}`,
      node: process.version,
      strapi: require('@strapi/strapi/package.json').version,
      wrk: (/wrk (\S+)/.exec(versions) ?? [])[1] ?? 'unknown',
      nginx: clustered ? (/nginx\/(\S+)/.exec(spawnSync('nginx', ['-v']).stderr.toString()) ?? [])[1] : undefined,
      redis: clustered ? REDIS_URL : undefined,
      commit: execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim(),
      dirty: !!execSync(`git status --porcelain -- . ':!${options.out}'`, { cwd: ROOT }).toString().trim(),
      elapsed: (Date.now() - began) / 1000,
    };
    const markdown = report({
      machine,
      m,
      starts,
      seeding,
      vanillaSeeding,
      growing,
      clusterRuns,
      skipped,
      detail,
      queries,
      loadPeaks,
    });
    const prettier = require('prettier');
    const out = path.resolve(ROOT, options.out);
    const formatted = await prettier.format(markdown, { ...(await prettier.resolveConfig(out)), filepath: out });
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, formatted);
    log(`wrote ${path.relative(ROOT, out)} after ${fixed((Date.now() - began) / 1000)} s`);
  } finally {
    await stopAll();
    if (options.keep) {
      log(`kept ${databases.map((db) => db.label).join(', ')} and ${work}`);
    } else {
      for (const db of databases) await db.drop().catch((error) => log(`could not drop ${db.label}: ${error.message}`));
      await clearRedis().catch(() => undefined);
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
};

// ---------------------------------------------------------------- report

const latency = (value) => (Number.isFinite(value) ? fixed(value, 1) : '—');
const CONTENDED = 0.25; // cores taken by processes outside the benchmark worth a warning

const report = ({ machine, m, starts, seeding, vanillaSeeding, growing, clusterRuns, skipped, detail, queries }) => {
  const rows = targets(m, options);
  const verdict = (met) => (met === null ? 'not measured' : met ? '**met**' : '**not met**');
  const database = starts[0].info;
  const row = (name, key, app) => {
    const one = m[key];
    if (!one) return undefined;
    const cache = one.cache ? ` (\`x-cache: ${one.cache}\`)` : '';
    return `| ${name} | ${app}${cache} | ${fixed(one.rps)} | ${latency(one.p50)} | ${latency(one.p99)} | ${one.bytes} | ${fixed(mb(one.peakRss))} | ${fixed(one.cpu.loadgen, 2)} | ${fixed(one.cpu.servers, 2)} | ${fixed(one.cpu.stores, 2)} | ${fixed(one.cpu.other, 2)}${one.cpu.other >= CONTENDED ? ' ⚠' : ''} | ${one.failed || ''} |`;
  };
  const contended = Object.values(m).some((one) => one?.cpu?.other >= CONTENDED);
  const header =
    '| case | server | req/s | p50 ms | p99 ms | bytes | peak RSS MB | wrk cores | server cores | PostgreSQL/Redis cores | other processes cores | failed |\n| --- | --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |';
  const single = [
    ...UNCACHED.flatMap((key) => [
      row(CASES[key].label, key, 'Wutong, cache off'),
      row(CASES[key].label, `vanilla ${key}`, 'vanilla Strapi, `populate=*`'),
    ]),
    ...['list', 'detail'].flatMap((key) => [
      row(`${CASES[key].label}, cached`, `cached ${key}`, 'Wutong, memory cache'),
      row(`${CASES[key].label}'s bytes`, `bare ${key}`, 'bare Node `http`, same head and body'),
      row(`${CASES[key].label}'s body`, `bare body ${key}`, 'bare Node `http`, body and Content-Type'),
    ]),
  ].filter(Boolean);
  const scaleRows = options.scale
    ? UNCACHED.map((key) =>
        row(CASES[key].label, `scale ${key}`, `Wutong, cache off, ${options.scale.toLocaleString('en')} projects`),
      )
    : [];
  const cluster = clusterRuns.flatMap((run) =>
    ['list', 'detail'].map((key) =>
      row(
        CASES[key].label,
        `${run.count}p ${key}`,
        `nginx → ${run.count} Wutong process${run.count > 1 ? 'es' : ''}, Redis cache`,
      ),
    ),
  );
  const failures = Object.entries(m).filter(([, one]) => one?.failed);
  const pathOf = (key) => casePath(key, detail.documentId);

  return `# Benchmarks

Written by \`npm run bench\` (scripts/bench.js) on ${machine.date} in ${fixed(machine.elapsed / 60, 1)} minutes; every
run overwrites this file. Every figure and every ratio below comes from this one run, on one
machine, with the load generator on the same cores; figures move by several per cent between runs.

## Targets

| target | measured | |
| --- | --- | --- |
${rows.map((one) => `| ${one.target} | ${one.measured ?? '—'} | ${verdict(one.met)} |`).join('\n')}

## Machine and set-up

- \`nproc\` ${machine.nproc} (${machine.cpuModel}), ${machine.memory} GB RAM, ${machine.os}
- Node ${machine.node}, Strapi ${machine.strapi} (Wutong and the vanilla app run the same packages), wrk ${machine.wrk}${machine.nginx ? `, nginx ${machine.nginx}` : ''}
- Database, as each server reported it once running (\`strapi.db.dialect.client\`): ${database.client} ${database.version}${
    starts.some((one) => one.info.client !== database.client) ? ' ⚠ not every server ran on it' : ''
  }; one fresh database per app (\`${PREFIX}<timestamp>_wutong\`, \`…_vanilla\`), dropped afterwards
- Commit \`${machine.commit}\`${machine.dirty ? ' with uncommitted changes' : ''}; production servers (\`NODE_ENV=production\`, \`LOG_LEVEL=${options['log-level']}\`), rate limits off (all load comes from one address)
- wrk: ${options.threads} threads, ${options.connections} connections, ${options.warmup} s warm-up (not counted) then ${options.duration} s per case.
  wrk counts only answers that arrive within the measured seconds: a p99 near ${options.duration} s means slower ones were cut
  off, and "—" that none arrived.
  CPU columns are cores used during the measured seconds (from /proc): wrk's own, the server processes' (and
  nginx's), PostgreSQL's and Redis's, and other processes on the machine${
    contended
      ? ` (⚠: ${CONTENDED} cores or more; other work took cores from the benchmark, so those figures are lower than this machine can do alone)`
      : ''
  }
- Vanilla Strapi: an app generated into a scratch folder (scripts/bench/vanilla.js: \`project\` and
  \`industry\` types with the same fields, components and relation, i18n and draft & publish on, the Public
  role allowed find/findOne, no admin build) on this repository's node_modules, hit with \`populate=*\`

## Data set and seeding

${options.projects.toLocaleString('en')} generated projects (scripts/bench-data.js), each published in zh-Hans and en with its draft
(${(options.projects * 4).toLocaleString('en')} project rows per app), with location and key-figure components and links to industries. Wutong
also holds its real seed (data/seed: parks, industries, platforms, talent programmes, news), and its
generated projects link to parks as well: ${seeding.published['zh-Hans']} published projects in zh-Hans, ${seeding.published.en} in en.

Seeding writes in bulk through Strapi's query engine (createMany and knex batch inserts of 250 projects,
scripts/bench/seed.js), not through the Document Service, which with Wutong's editorial middlewares takes
about 0.35 s per project in two languages (days for 100,000); \`VACUUM ANALYZE\` afterwards.

| app | generated projects | bulk insert s | VACUUM ANALYZE s | whole step s (Strapi's load included) |
| --- | --: | --: | --: | --: |
| Wutong | ${options.projects.toLocaleString('en')} | ${fixed(seeding.bulkSeconds, 1)} | ${fixed(seeding.analyzeSeconds, 1)} | ${fixed(seeding.wallSeconds)} (real seed ${fixed(seeding.realSeconds, 1)} s through the Document Service) |
${vanillaSeeding ? `| vanilla Strapi | ${options.projects.toLocaleString('en')} | ${fixed(vanillaSeeding.bulkSeconds, 1)} | ${fixed(vanillaSeeding.analyzeSeconds, 1)} | ${fixed(vanillaSeeding.wallSeconds)} |\n` : ''}${
    growing
      ? `| Wutong, grown to ${options.scale.toLocaleString('en')} | ${(options.scale - options.projects).toLocaleString('en')} more | ${fixed(growing.bulkSeconds, 1)} | ${fixed(growing.analyzeSeconds, 1)} | ${fixed(growing.wallSeconds)} |\n` +
        (growing.import
          ? `\nImport step (read model built offline after growing, scripts/read-model-build.js with the flags of \`npm start\`): ${growing.import.entries.toLocaleString('en')} entries in ${fixed(growing.import.seconds)} s (whole step ${fixed(growing.import.wallSeconds)} s), peak RSS ${growing.import.rssPeakMB} MB.\n`
          : '')
      : ''
  }
## One process

| case | Wutong request | vanilla request |
| --- | --- | --- |
${UNCACHED.map((key) => `| ${CASES[key].label} | \`${pathOf(key)}\` | ${key === 'search' ? '— (no search in vanilla Strapi)' : `\`…&populate=*\``} |`).join('\n')}

"cache off" is \`WUTONG_CACHE=off\`: every request goes through Koa, Strapi and the database (plain lists
through the read model, Wutong's precomputed list answers). "cached" is the in-process response cache after
the warm-up; "bare Node" is Node's \`http\` module answering the cached answer's bytes, the ceiling: its
head and body as sent (the 70 % targets compare with this), and for reference the body alone.

${header}
${single.join('\n')}
${scaleRows.length ? `${scaleRows.join('\n')}\n` : ''}
## Start-up

| server | mode | ready s | RSS peak at start-up MB | read model ready s | database |
| --- | --- | --: | --: | --: | --- |
${starts.map((one) => `| ${one.app} | ${one.mode} | ${fixed(one.readySeconds, 1)} | ${fixed(mb(one.startupPeak))} | ${one.readModelSeconds === undefined ? '—' : fixed(one.readModelSeconds, 1)} | ${one.info.client} ${one.info.database} |`).join('\n')}

"Ready" is from spawning the process to its first 2xx on \`/_health/ready\` (Wutong) or \`/_health\` (vanilla);
the RSS peak at start-up is the kernel's high-water mark (\`VmHWM\`) once the read model is built (it is built in
the background after ready). Peak RSS under load is the high-water mark
during the measured seconds (reset before each case; one process serves its cases in turn).

## Several processes behind nginx

${
  cluster.length
    ? `Wutong processes on PostgreSQL with the shared Redis cache (\`WUTONG_CACHE=redis\`), behind nginx
(one worker, generated config on 127.0.0.1, keep-alive upstream). Then, while wrk loads one project through nginx
(same threads and connections, not a measured case), the benchmark publishes a new title for it through one process (in turn), then polls every process directly
until each serves the new title: publish → fresh is the time from sending the publish to the slowest process.

${header}
${cluster.join('\n')}

| processes | publish through | publish took ms | fresh on every process after ms |
| --: | --- | --: | --: |
${clusterRuns.flatMap((run) => run.fresh.map((one) => `| ${run.count} | ${one.through} | ${one.publishMs} | ${Number.isFinite(one.freshMs) ? one.freshMs : 'not within 15 s'} |`)).join('\n')}
`
    : ''
}${skipped.map((line) => `- ${line}`).join('\n')}
${
  failures.length
    ? `\nNon-2xx answers or socket errors: ${failures.map(([key, one]) => `${key}: ${one.failed}`).join(', ')}.\n`
    : '\nEvery request of every case answered 2xx.\n'
}${
    queries
      ? `
## SQL queries per request

Counted in a separate process (scripts/bench-app.js \`queries\`, cache and read model off), the second of two identical requests.

| request | items | bytes | SQL queries | of which BEGIN/COMMIT | tables read |
| --- | --: | --: | --: | --: | --- |
${queries.results.map((one) => `| \`${one.url}\` | ${one.items} | ${one.bytes} | ${one.queries} | ${one.transactionControl} | ${one.tables.join(', ')} |`).join('\n')}
`
      : ''
  }
Query plans and start-up CPU measured by hand: [performance-notes.md](performance-notes.md).

## Reproduce

\`\`\`sh
npm run bench                                   # PostgreSQL on 127.0.0.1:5432, Redis on 127.0.0.1:6379
npm run bench -- --duration=5 --warmup=2        # a short run
npm run bench -- --scale=100000                 # and the uncached cases again at 100,000 projects
npm run bench -- --seed-only --projects=100000  # seeding time alone
\`\`\`

Needs wrk and nginx (Debian packages; installed with apt-get when missing and run as root). Options are
listed at the top of scripts/bench.js.
`;
};

process.on('SIGINT', () => {
  stopChildren();
  process.exit(130);
});

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`bench: ${error instanceof Error ? error.message : error}`);
    stopChildren();
    process.exit(1);
  },
);
