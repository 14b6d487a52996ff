#!/usr/bin/env node
/**
 * npm run bench [-- options]: load-test the public read path of the production server and write
 * docs/benchmarks.md (overwritten on each run).
 *
 * Builds, creates a fresh database, runs the real seed plus generated projects, counts SQL queries
 * per request, then starts `strapi start` once per cache mode (memory, off, redis) and measures
 * each case with autocannon, next to a bare Node HTTP server returning the same bytes (the ceiling).
 *
 * Options:
 *   --sqlite             SQLite (a file under /tmp/bench-<ts>/) instead of PostgreSQL
 *   --keep               keep the database (and its DATABASE_URL / file is printed)
 *   --no-build           use dist/ as it is (run `npm run build` first)
 *   --no-redis           skip the Redis cache mode
 *   --projects=2000      generated projects (each in zh-Hans and en, draft + published)
 *   --duration=10        seconds measured per case
 *   --warmup=3           seconds of load before each measurement, not counted
 *   --connections=50     concurrent connections
 *   --q=西工             the Chinese search term
 *   --log-level=warn     the server's LOG_LEVEL (Strapi's default, http, logs every request)
 *   --out=docs/benchmarks.md
 */
const { spawn, spawnSync } = require('child_process');
const { randomBytes } = require('crypto');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const autocannon = require('autocannon');

const ROOT = path.resolve(__dirname, '..');
const STAMP = new Date().toISOString().replace(/[-:T]/g, '').replace(/\..*/, '').toLowerCase();

const options = (() => {
  const defaults = {
    sqlite: false,
    keep: false,
    build: true,
    redis: true,
    projects: 2000,
    duration: 10,
    warmup: 3,
    connections: 50,
    q: '西工',
    'log-level': 'warn',
    out: 'docs/benchmarks.md',
  };
  for (const arg of process.argv.slice(2)) {
    const [, negated, name, value] = /^--(no-)?([a-z-]+)(?:=(.*))?$/.exec(arg) ?? [];
    if (!name || !(name in defaults)) {
      console.error(`bench: unknown option ${arg} (see the top of scripts/bench.js)`);
      process.exit(2);
    }
    const fallback = defaults[name];
    defaults[name] = negated
      ? false
      : value === undefined
        ? true
        : typeof fallback === 'number'
          ? Number(value)
          : value;
  }
  return defaults;
})();

const WORK = path.join(os.tmpdir(), `bench-${STAMP}`);
const log = (line) => console.log(`bench: ${line}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const children = new Set();

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** Production needs its own secrets (src/lib/env.ts envSecret): random ones for this run. */
const secrets = () => {
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
};

// ---------------------------------------------------------------- database

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

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

const createDatabase = async () => {
  if (options.sqlite) {
    const file = path.join(WORK, 'bench.db');
    return {
      env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: file },
      label: 'SQLite',
      drop: async () => {
        for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${file}${suffix}`, { force: true });
      },
    };
  }
  const name = `wutong_bench_${STAMP}`;
  await withPg(ADMIN_URL, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const version = await withPg(url.toString(), async (client) => (await client.query('SHOW server_version')).rows[0]);
  return {
    env: { DATABASE_URL: url.toString() },
    url: url.toString(),
    label: `PostgreSQL ${version.server_version.split(' ')[0]}`,
    drop: () => withPg(ADMIN_URL, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
};

// ---------------------------------------------------------------- processes

const baseEnv = (database) => ({
  ...process.env,
  ...database.env,
  STRAPI_TELEMETRY_DISABLED: 'true',
  WUTONG_SEED_ON_EMPTY: 'false',
  // The load comes from one address: the public API's rate limits are off for the measurement.
  RATE_LIMIT_PER_MINUTE: '0',
  RATE_LIMIT_SEARCH_PER_MINUTE: '0',
});

/** Runs a child to the end; resolves with its stdout's last JSON line. */
const runJson = (args, env, label) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      for (const line of String(chunk).split('\n')) if (/^(bench|seed):/.test(line)) console.log(`  ${line}`);
    });
    child.on('exit', (code) => {
      children.delete(child);
      const json = stdout
        .split('\n')
        .reverse()
        .find((line) => line.startsWith('{'));
      if (code === 0 && json) resolve(JSON.parse(json));
      else reject(new Error(`${label} failed (exit ${code}):\n${(stderr || stdout).slice(-3000)}`));
    });
  });

const rssOf = (pid) => {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name) => Number((new RegExp(`${name}:\\s+(\\d+)`).exec(status) ?? [])[1] ?? 0) * 1024;
    return { rss: field('VmRSS'), hwm: field('VmHWM') };
  } catch {
    return { rss: 0, hwm: 0 };
  }
};

/** CPU time so far, in clock ticks: the whole machine's busy time, and per process. */
const cpuTicks = () => {
  const [, ...fields] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields; // idle and iowait are not busy
  const processes = new Map();
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [comm, rest] = [
        stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
        stat.slice(stat.lastIndexOf(')') + 2),
      ];
      const parts = rest.split(' ');
      processes.set(Number(pid), { comm, ticks: Number(parts[11]) + Number(parts[12]) }); // utime + stime
    } catch {
      // gone meanwhile
    }
  }
  return { busy: user + nice + system + irq + softirq + steal, processes, at: Date.now() };
};

/**
 * Where the CPU went between two readings, in cores: the server, the load generator (this
 * process), PostgreSQL and Redis, and everything else on the machine (other work competes for the cores).
 */
const cpuSplit = (before, after, serverPid) => {
  const seconds = (after.at - before.at) / 1000;
  const ticks = (pid) => (after.processes.get(pid)?.ticks ?? 0) - (before.processes.get(pid)?.ticks ?? 0);
  let stores = 0; // PostgreSQL backends and Redis
  for (const [pid, { comm }] of after.processes) if (/^(postgres|redis-server)/.test(comm)) stores += ticks(pid);
  const hz = 100; // USER_HZ, the unit of /proc/stat and /proc/<pid>/stat
  const cores = (value) => value / hz / seconds;
  const server = cores(ticks(serverPid));
  const loadgen = cores(ticks(process.pid));
  const db = cores(stores);
  const busy = cores(after.busy - before.busy);
  return { server, loadgen, db, other: Math.max(0, busy - server - loadgen - db), busy };
};

/** Peak RSS of a process over `fn`: the kernel's high-water mark, reset first, and polled RSS as a floor. */
const measuringRss = async (pid, fn) => {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5'); // resets VmHWM to the current RSS
  } catch {
    // not permitted: polling alone
  }
  let peak = rssOf(pid).rss;
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(pid).rss)), 100);
  try {
    const result = await fn();
    return { result, peakRss: Math.max(peak, rssOf(pid).hwm) };
  } finally {
    clearInterval(timer);
  }
};

const startProcess = async (args, env, name, healthPath) => {
  const logFile = path.join(WORK, `${name}.log`);
  const out = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', out, out] });
  children.add(child);
  let exited;
  child.on('exit', (code, signal) => {
    exited = code ?? signal;
    children.delete(child);
  });
  const base = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (exited !== undefined) {
      throw new Error(`${name} exited (${exited}):\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
    }
    if (Date.now() > deadline) throw new Error(`${name} did not answer ${healthPath} within 3 minutes`);
    const status = await fetch(`${base}${healthPath}`).then(
      (response) => response.status,
      () => 0,
    );
    if (status >= 200 && status < 300) break;
    await sleep(250);
  }
  return {
    base,
    pid: child.pid,
    startupRss: rssOf(child.pid).hwm,
    async stop() {
      if (exited !== undefined) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await gone;
      clearTimeout(killer);
      fs.closeSync(out);
    },
  };
};

const startStrapi = async (database, cacheEnv, name) => {
  const port = await freePort();
  const env = {
    ...baseEnv(database),
    ...secrets(),
    ...cacheEnv,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: options['log-level'],
  };
  return startProcess([path.join(ROOT, 'node_modules/@strapi/strapi/bin/strapi.js'), 'start'], env, name, '/_health');
};

/**
 * The ceiling: Node's http module answering with fixed bytes and nothing else. BODIES is JSON
 * { "/path": [file, content type] }; every other path answers 204 (the health check).
 */
const CEILING_SERVER = `
const http = require('http');
const fs = require('fs');
const bodies = {};
for (const [path, [file, type]] of Object.entries(JSON.parse(process.env.BODIES))) {
  const body = fs.readFileSync(file);
  bodies[path] = { body, headers: { 'Content-Type': type, 'Content-Length': String(body.length) } };
}
http.createServer((req, res) => {
  const hit = bodies[req.url];
  if (!hit) return res.writeHead(204).end();
  res.writeHead(200, hit.headers);
  res.end(hit.body);
}).listen(+process.env.PORT, '127.0.0.1');
`;

// ---------------------------------------------------------------- measuring

const fetchOnce = async (url) => {
  const response = await fetch(url);
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${body.toString().slice(0, 300)}`);
  return {
    body,
    type: response.headers.get('content-type'),
    cache: response.headers.get('x-cache'),
    readModel: response.headers.get('x-read-model'),
  };
};

const load = (url, seconds) => autocannon({ url, connections: options.connections, duration: seconds, timeout: 30 });

/** Warms the endpoint, then measures it: req/s, latency, bytes, the server's peak RSS. */
const measure = async (server, label, cache, pathAndQuery) => {
  const url = `${server.base}${pathAndQuery}`;
  await fetchOnce(url);
  if (options.warmup > 0) await load(url, options.warmup);
  const sample = await fetchOnce(url); // after the warm-up: a hit if the response is cached
  const before = cpuTicks();
  const { result, peakRss } = await measuringRss(server.pid, () => load(url, options.duration));
  const cpu = cpuSplit(before, cpuTicks(), server.pid);
  const failed = result.non2xx + result.errors + result.timeouts;
  const row = {
    label,
    cache,
    path: pathAndQuery,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bytes: sample.body.length,
    peakRss,
    hit: sample.cache === 'HIT',
    readModel: sample.readModel === 'hit',
    failed,
    total: result.requests.total,
    cpu,
  };
  log(
    `${label} [${cache}${!cache.startsWith('off') && cache !== '—' ? (row.hit ? ', hit' : ', not cached') : ''}]: ` +
      `${row.rps.toFixed(0)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, ${row.bytes} B, ` +
      `peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB; CPU cores: server ${cpu.server.toFixed(2)}, ` +
      `load generator ${cpu.loadgen.toFixed(2)}, PostgreSQL/Redis ${cpu.db.toFixed(2)}, other ${cpu.other.toFixed(2)}` +
      `${failed ? `, ${failed} FAILED` : ''}`,
  );
  return { row, sample };
};

// ---------------------------------------------------------------- report

const mb = (bytes) => (bytes / 2 ** 20).toFixed(0);
const fixed = (n, digits = 0) => Number(n).toFixed(digits);

const CONTENDED = 0.25; // cores used by other processes during a case worth a warning

const report = ({ machine, dataset, seedTimes, queries, rows, ceilings, skipped }) => {
  const [ceiling, detailCeiling] = ceilings;
  const find = (label, cache) => rows.find((row) => row.label === label && row.cache === cache);
  const cachedList = find('project list', 'memory');
  const uncachedList = find('project list', 'off');
  const listCounts = queries.results.filter((result) => result.url.startsWith('/api/projects?'));
  const fixedCount = new Set(listCounts.map((result) => result.queries)).size === 1;
  const verdict = (ok) => (ok ? '**PASS**' : '**MISS**');
  const ratioCached = cachedList.rps / ceiling.rps;
  const ratioUncached = uncachedList.rps / 100;
  const cachedDetail = find('one project', 'memory');
  const contended = rows.concat(ceilings).filter((row) => row.cpu.other >= CONTENDED);

  const table = [
    '| case | cache | req/s | p50 ms | p99 ms | bytes | peak RSS MB |',
    '| --- | --- | --: | --: | --: | --: | --: |',
    ...rows.map(
      (row) =>
        `| ${row.label} | ${row.cache}${!row.cache.startsWith('off') && !row.hit ? ' (not stored)' : ''}${row.readModel ? ' (read model)' : ''} | ${fixed(row.rps)} | ${row.p50} | ${row.p99} | ${row.bytes} | ${mb(row.peakRss)} |`,
    ),
    ...ceilings.map(
      (row) => `| ${row.label} | — | ${fixed(row.rps)} | ${row.p50} | ${row.p99} | ${row.bytes} | ${mb(row.peakRss)} |`,
    ),
  ];
  const failures = rows.concat(ceilings).filter((row) => row.failed);

  return `# Benchmarks

Written by \`npm run bench\` (scripts/bench.js) on ${machine.date}; every run overwrites this file.
Figures are from one run on the machine below, load generator included; they move by several
per cent between runs.

## Machine and set-up

- ${machine.cpus} × ${machine.cpuModel}, ${machine.memory} GB RAM, ${machine.os}
- Node ${machine.node}, Strapi ${machine.strapi}, ${machine.database}, commit \`${machine.commit}\`${machine.dirty ? ' with uncommitted changes' : ''}
- Production server (\`strapi start\`, \`NODE_ENV=production\`, \`LOG_LEVEL=${options['log-level']}\`), one
  process; the load generator (autocannon ${machine.autocannon}, ${options.connections} connections,
  ${options.warmup} s warm-up then ${options.duration} s per case) runs on the same ${machine.cpus} cores.
- Anonymous requests (Public role). "memory" is the delivery plugin's in-process response cache
  (the default), "redis" the shared one (\`REDIS_URL\`), "off" is \`WUTONG_CACHE=off\`: every
  request goes through Koa, Strapi and the database, except plain lists (\`locale\` and pagination
  only), which the read model answers (precomputed entry JSON, two indexed queries; "(read model)"
  in the table). "off, no read model" is the same list through Strapi's own pipeline
  (\`WUTONG_READ_MODEL=off\`), for comparison. The read model is built in the background after
  start (Strapi answers until then) and was ready ${machine.readModelReady}.

## Data set

${dataset.projects} generated projects plus the real seed (data/seed: ${dataset.seedProjects} projects, 6 parks, 31 industries,
platforms, talent programmes, news): ${dataset.published['zh-Hans']} published projects in zh-Hans and
${dataset.published.en} in en, each with its draft (${dataset.projectRows} project rows), their location,
key figures and SEO components, and links to parks and industries of the same language.
The real seed took ${fixed(seedTimes.realSeconds, 1)} s through the Document Service; the generated projects
${fixed(seedTimes.bulkSeconds, 1)} s, inserted in bulk through Strapi's query engine (the Document Service with our editorial
middlewares takes about 0.35 s per project in two languages, over ten minutes for 2,000), then read back
through the Document Service as a check. The editorial side tables (audit log, versions, review
stages) are not written for them: the public API never reads those. ${
    options.sqlite ? '`ANALYZE`' : '`VACUUM ANALYZE`'
  } afterwards (${fixed(seedTimes.analyzeSeconds, 1)} s), as autovacuum would soon do on its own. The whole seeding step, Strapi's load included, took ${fixed(seedTimes.wallSeconds, 0)} s.

## Results

| case | request |
| --- | --- |
| project list | \`${rows.find((row) => row.label === 'project list').path}\` (default populate) |
| one project | \`${rows.find((row) => row.label === 'one project').path}\` |
| Chinese search | \`${rows.find((row) => row.label === 'Chinese search').path}\` (\`q=${options.q}\`) |

${table.join('\n')}
${skipped.length ? `\n${skipped.map((line) => `- ${line}`).join('\n')}\n` : ''}${
    failures.length
      ? `\nNon-2xx answers, errors or timeouts: ${failures.map((row) => `${row.label} (${row.cache}): ${row.failed}`).join(', ')}.\n`
      : '\nEvery request of every case answered 200.\n'
  }
Where the CPU went during each measured case, in cores (of ${machine.cpus}): the server process (Strapi, or the
bare server for the ceilings) and its CPU time per request, PostgreSQL and Redis, the load
generator, and other processes on the machine: work unrelated to the benchmark, which takes cores
from it${contended.length ? ` (⚠: ${CONTENDED} cores or more; those figures are lower than the machine can do on its own)` : ''}.

| case | cache | server | server ms/request | PostgreSQL, Redis | load generator | other processes |
| --- | --- | --: | --: | --: | --: | --: |
${rows
  .concat(ceilings)
  .map(
    (row) =>
      `| ${row.label} | ${row.cache} | ${fixed(row.cpu.server, 2)} | ${fixed((row.cpu.server * 1000) / row.rps, 2)} | ${fixed(row.cpu.db, 2)} | ${fixed(row.cpu.loadgen, 2)} | ${fixed(row.cpu.other, 2)}${row.cpu.other >= CONTENDED ? ' ⚠' : ''} |`,
  )
  .join('\n')}

Peak RSS is the server process's high-water mark (\`VmHWM\`, reset before each case) during the
measured seconds. One Strapi process serves the three cases of a cache mode in turn (list, one
project, search), so memory it keeps from an earlier case counts in the later ones. RSS right after
start-up: ${machine.startupRss}.

## Targets

| target | measured | |
| --- | --- | --- |
| cached list ≥ 50 % of the ceiling (same bytes) | ${fixed(cachedList.rps)} / ${fixed(ceiling.rps)} req/s = ${fixed(ratioCached * 100)} % | ${verdict(ratioCached >= 0.5)} |
| uncached list ≥ 3 × vanilla Strapi 5.54 (~100 req/s with \`populate=*\`, p99 0.8 s, on PostgreSQL) | ${fixed(uncachedList.rps)} req/s = ${fixed(ratioUncached, 1)} × | ${verdict(ratioUncached >= 3)} |
| a fixed number of SQL queries per list request, whatever the page size | ${listCounts.map((result) => result.queries).join(', ')} for pageSize ${listCounts.map((result) => result.items).join(', ')} | ${verdict(fixedCount)} |

The vanilla reference was measured separately (not by this script) on the same kind of machine,
with its own data. For comparison without a target: cached one project ${fixed(cachedDetail.rps)} req/s = ${fixed(
    (cachedDetail.rps / detailCeiling.rps) * 100,
  )} % of its ceiling (${fixed(detailCeiling.rps)} req/s for the same ${detailCeiling.bytes} bytes).
${
  ceiling.cpu.loadgen > 2 * ceiling.cpu.server
    ? `With ${fixed(ceiling.bytes / 1024)} KB per answer the list's ceiling is set by the load generator reading the answers
on the same cores (${fixed(ceiling.cpu.loadgen, 2)} cores, the bare server ${fixed(ceiling.cpu.server, 2)}), not by the server.
`
    : ''
}${
    options.sqlite
      ? '\nThis run used SQLite; the reference is on PostgreSQL, so the uncached comparison is indicative only.\n'
      : ''
  }
## SQL queries per request

Counted in a separate process on the same database (scripts/bench-app.js \`queries\`, cache and read model
off, i.e. Strapi's own pipeline; the read model answers a plain list with two queries of its own on
\`wutong_read_model\`, the page and its count): Knex's
\`query\` event, for the queries run inside each request (Strapi's request context), the second of two
identical requests (the first also fills what Strapi keeps per process).

| request | items | bytes | SQL queries | of which BEGIN/COMMIT | tables read |
| --- | --: | --: | --: | --: | --- |
${queries.results
  .map(
    (result) =>
      `| \`${result.url}\` | ${result.items} | ${result.bytes} | ${result.queries} | ${result.transactionControl} | ${result.tables.join(', ')} |`,
  )
  .join('\n')}

${
  fixedCount
    ? 'The list costs the same number of queries for 5, 25 or 100 items: Strapi loads each populated relation and component for the whole page in one query (`WHERE id IN (…)`), not per entry.'
    : 'The number of queries of the list grows with the page size: some populated relation or component is loaded per entry.'
}
Strapi's Document Service runs the page and its count each in a transaction of its own (the
BEGIN/COMMIT pairs), and the users-permissions plugin reads the Public role's permissions on every
request (\`up_permissions\`). Search reads published rows straight from each type's table, one
query per type after the locale check.

## Reproduce

\`\`\`sh
npm ci
npm run bench                       # PostgreSQL on 127.0.0.1:5432 (user postgres), Redis on 127.0.0.1:6379
npm run bench -- --sqlite           # SQLite instead
npm run bench -- --no-build --duration=20 --keep
\`\`\`

The script builds (\`npm run build\`), creates the database \`wutong_bench_<timestamp>\` (dropped at the
end unless \`--keep\`; \`BENCH_POSTGRES_URL\` names the server), seeds it, starts
\`node node_modules/@strapi/strapi/bin/strapi.js start\` once per cache mode with random secrets on a
free port, and writes this file. Options are listed at the top of scripts/bench.js.
`;
};

// ---------------------------------------------------------------- main

const redisAvailable = () =>
  new Promise((resolve) => {
    const socket = net.connect(6379, '127.0.0.1');
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

const main = async () => {
  const began = Date.now();
  fs.mkdirSync(WORK, { recursive: true });
  log(`scratch files in ${WORK}`);

  if (options.build) {
    log('npm run build');
    const built = spawnSync('npm', ['run', 'build'], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, STRAPI_TELEMETRY_DISABLED: 'true' },
    });
    if (built.status !== 0) throw new Error('npm run build failed');
  } else if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` or drop --no-build');
  }

  const database = await createDatabase();
  log(`database: ${database.label}${database.url ? ` ${database.url}` : ''}`);
  const servers = [];
  try {
    log(`seeding: the real seed, then ${options.projects} projects × 2 languages`);
    let started = Date.now();
    const seedResult = await runJson(
      [path.join(__dirname, 'bench-app.js'), 'seed', String(options.projects)],
      { ...baseEnv(database), LOG_LEVEL: 'warn' },
      'seeding',
    );
    const seedTimes = { ...seedResult, wallSeconds: (Date.now() - started) / 1000 };
    log(`seeded in ${fixed(seedTimes.wallSeconds)} s (generated projects: ${fixed(seedResult.bulkSeconds, 1)} s)`);

    // A generated project from the middle of the set, for "one project".
    const detailCode = `BX-${String(Math.ceil(options.projects / 2)).padStart(4, '0')}`;
    log('counting SQL queries per request (cache off)');
    const queries = await runJson(
      [path.join(__dirname, 'bench-app.js'), 'queries', detailCode, options.q],
      {
        ...baseEnv(database),
        LOG_LEVEL: 'warn',
        WUTONG_CACHE: 'off',
        // Strapi's own pipeline; the read model answers a plain list with two queries of its own.
        WUTONG_READ_MODEL: 'off',
        // Background timers would only add noise; requests are told apart by their context anyway.
        WUTONG_EVENTS_POLL_MS: '3600000',
        WUTONG_SCHEDULER_INTERVAL_MS: '3600000',
      },
      'query count',
    );
    for (const result of queries.results) log(`  ${result.queries} queries: ${result.url} (${result.items} items)`);

    const modes = [
      ['memory', { WUTONG_CACHE: 'memory' }],
      ['off', { WUTONG_CACHE: 'off' }],
      // The list through Strapi's own pipeline, for comparison with the read model's.
      ['off, no read model', { WUTONG_CACHE: 'off', WUTONG_READ_MODEL: 'off' }],
    ];
    const skipped = [];
    if (options.redis && (await redisAvailable())) {
      modes.push([
        'redis',
        {
          WUTONG_CACHE: 'redis',
          REDIS_URL: 'redis://127.0.0.1:6379',
          // Our own key space: the cache clears its prefix at start, nothing else is touched.
          CACHE_REDIS_PREFIX: `wutong-bench-${STAMP}:`,
        },
      ]);
    } else {
      skipped.push(
        options.redis ? 'Redis mode skipped: no Redis on 127.0.0.1:6379.' : 'Redis mode skipped (--no-redis).',
      );
    }

    const rows = [];
    const startupRss = [];
    const readModelReady = [];
    const samples = {}; // the cached answers, for the ceiling
    let detailPath;
    const listPath = '/api/projects?locale=en&pagination[pageSize]=25';
    const searchPath = `/api/search?q=${encodeURIComponent(options.q)}&locale=zh-Hans`;
    for (const [mode, cacheEnv] of modes) {
      log(`starting the production server, cache ${mode}`);
      started = Date.now();
      const server = await startStrapi(database, cacheEnv, `strapi-${mode}`);
      servers.push(server);
      log(`up in ${fixed((Date.now() - started) / 1000, 1)} s, pid ${server.pid}, RSS ${mb(server.startupRss)} MB`);
      startupRss.push(`${mb(server.startupRss)} MB (${mode})`);
      if (!cacheEnv.WUTONG_READ_MODEL) {
        // Built in the background after start; Strapi answers until then. A new page each time,
        // so that no cached answer hides it.
        const since = Date.now();
        for (let page = 1; ; page += 1) {
          const probe = await fetchOnce(
            `${server.base}/api/projects?locale=en&pagination[pageSize]=1&pagination[page]=${page}`,
          );
          if (probe.readModel === 'hit') break;
          if (Date.now() - since > 300_000) throw new Error('the read model was not ready 5 minutes after start');
          await sleep(200);
        }
        readModelReady.push(`${fixed((Date.now() - started) / 1000, 1)} s after start (${mode})`);
        log(`read model ready ${fixed((Date.now() - started) / 1000, 1)} s after start`);
      }
      if (!detailPath) {
        const found = JSON.parse(
          (await fetchOnce(`${server.base}/api/projects?locale=en&filters[code][$eq]=${detailCode}&fields[0]=code`))
            .body,
        );
        if (!found.data?.[0]) throw new Error(`project ${detailCode} is not served`);
        detailPath = `/api/projects/${found.data[0].documentId}?locale=en`;
      }
      for (const [label, pathAndQuery] of [
        ['project list', listPath],
        ['one project', detailPath],
        ['Chinese search', searchPath],
      ].slice(0, cacheEnv.WUTONG_READ_MODEL ? 1 : 3)) {
        const { row, sample } = await measure(server, label, mode, pathAndQuery);
        rows.push(row);
        if (mode === 'memory' && label !== 'Chinese search')
          samples[label === 'project list' ? 'list' : 'detail'] = sample;
      }
      await server.stop();
      servers.pop();
    }

    log('the ceiling: a bare Node http server with the same bytes as the list and one project');
    const bodies = {};
    for (const [name, sample] of Object.entries(samples)) {
      const file = path.join(WORK, `${name}.json`);
      fs.writeFileSync(file, sample.body);
      bodies[`/${name}`] = [file, sample.type];
    }
    const port = await freePort();
    const ceilingServer = await startProcess(
      ['-e', CEILING_SERVER],
      { ...process.env, PORT: String(port), BODIES: JSON.stringify(bodies) },
      'ceiling',
      '/health',
    );
    servers.push(ceilingServer);
    const ceilings = [
      (await measure(ceilingServer, "ceiling: bare Node `http`, the list's bytes", '—', '/list')).row,
      (await measure(ceilingServer, "ceiling: bare Node `http`, one project's bytes", '—', '/detail')).row,
    ];
    await ceilingServer.stop();
    servers.pop();

    const rowsByCase = [];
    for (const label of ['project list', 'one project', 'Chinese search']) {
      rowsByCase.push(...rows.filter((row) => row.label === label));
    }
    const { execSync } = require('child_process');
    const cpus = os.cpus();
    const machine = {
      date: new Date().toISOString().replace('T', ' ').replace(/\..*/, ' UTC'),
      cpus: cpus.length,
      cpuModel: cpus[0]?.model.trim() ?? 'unknown CPU',
      memory: fixed(os.totalmem() / 2 ** 30, 1),
      os: `${os.type()} ${os.release()}`,
      node: process.version,
      strapi: require('@strapi/strapi/package.json').version,
      autocannon: require('autocannon/package.json').version,
      database: database.label,
      commit: execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim(),
      dirty: !!execSync(`git status --porcelain -- . ':!${options.out}'`, { cwd: ROOT }).toString().trim(),
      startupRss: startupRss.join(', '),
      readModelReady: readModelReady.join(', '),
    };
    const dataset = {
      projects: options.projects,
      seedProjects: JSON.parse(fs.readFileSync(path.join(ROOT, 'data/seed/06-projects.json'), 'utf8')).entries.length,
      published: seedResult.published,
      projectRows: (seedResult.published['zh-Hans'] + seedResult.published.en) * 2,
    };
    const markdown = report({ machine, dataset, seedTimes, queries, rows: rowsByCase, ceilings, skipped });
    const prettier = require('prettier');
    const out = path.resolve(ROOT, options.out);
    const formatted = await prettier.format(markdown, {
      ...(await prettier.resolveConfig(out)),
      filepath: out,
    });
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, formatted);
    log(`wrote ${path.relative(ROOT, out)} after ${fixed((Date.now() - began) / 1000)} s`);
  } finally {
    for (const server of servers) await server.stop().catch(() => undefined);
    if (options.keep) log(`kept the database${database.url ? ` ${database.url}` : ` in ${WORK}`}`);
    else await database.drop();
    if (!options.keep && options.redis) await clearRedis().catch(() => undefined);
  }
};

/** Drops this run's Redis keys (they would expire within the cache TTL anyway). */
const clearRedis = async () => {
  if (!(await redisAvailable())) return;
  const Redis = require('ioredis');
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `wutong-bench-${STAMP}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
};

const stopChildren = () => children.forEach((child) => child.kill('SIGTERM'));
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
