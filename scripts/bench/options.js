/**
 * The pure part of `npm run bench`: command-line options, the environment each server process
 * gets, wrk's command line and output, and the targets the report checks. No I/O here, so that
 * tests/unit/bench.test.ts can check it.
 */

const DEFAULTS = {
  sqlite: false, // SQLite instead of PostgreSQL (no nginx/Redis runs, no comparison target checked)
  keep: false, // keep the databases and the scratch folder
  build: true, // `npm run build` first
  vanilla: true, // measure the vanilla Strapi reference
  cluster: true, // the 1- and 2-process runs behind nginx (PostgreSQL + Redis)
  queries: false, // count SQL queries per request (one more Strapi load)
  projects: 2000, // generated projects, each in zh-Hans and en
  scale: 0, // then grow the set to this many and measure the uncached cases again (e.g. 100000)
  'seed-only': false, // seed --projects (both apps), report the time, drop everything
  duration: 20, // seconds measured per case
  warmup: 5, // seconds of load before each measurement, not counted
  threads: 2,
  connections: 50,
  q: '西工',
  'log-level': 'warn',
  out: 'docs/benchmarks.md',
};

const POSITIVE = ['projects', 'duration', 'threads', 'connections'];
const NON_NEGATIVE = ['scale', 'warmup'];

/** `--name=value`, `--flag`, `--no-flag`; throws on anything unknown or out of range. */
const parseOptions = (argv) => {
  const options = { ...DEFAULTS };
  for (const arg of argv) {
    const [, negated, name, value] = /^--(no-)?([a-z-]+)(?:=(.*))?$/.exec(arg) ?? [];
    if (!name || !(name in DEFAULTS)) throw new Error(`unknown option ${arg} (see the top of scripts/bench.js)`);
    const fallback = DEFAULTS[name];
    if (typeof fallback === 'boolean') {
      if (value !== undefined) throw new Error(`--${name} takes no value`);
      options[name] = !negated;
    } else if (negated || value === undefined) {
      throw new Error(`--${name} needs a value, e.g. --${name}=${fallback}`);
    } else if (typeof fallback === 'number') {
      const number = Number(value.replace(/_/g, ''));
      const min = POSITIVE.includes(name) ? 1 : 0;
      if (!Number.isInteger(number) || number < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
      options[name] = number;
    } else {
      options[name] = value;
    }
  }
  for (const name of NON_NEGATIVE.concat(POSITIVE)) if (typeof options[name] !== 'number') throw new Error(name);
  if (options.scale && options.scale <= options.projects) {
    throw new Error(`--scale (${options.scale}) must be larger than --projects (${options.projects})`);
  }
  return options;
};

/**
 * Every variable by which the environment (a shell export or the project's `.env`) could point a
 * server elsewhere. Strapi loads `.env` with dotenv, which only fills variables the process does
 * not have: each of these is therefore set, to the benchmark's value or to '' (which the app's
 * config reads as unset, src/lib/env.ts), never inherited.
 */
const CONTROLLED = [
  'DATABASE_CLIENT',
  'DATABASE_URL',
  'DATABASE_HOST',
  'DATABASE_PORT',
  'DATABASE_NAME',
  'DATABASE_USERNAME',
  'DATABASE_PASSWORD',
  'DATABASE_SCHEMA',
  'DATABASE_SSL',
  'DATABASE_FILENAME',
  'DATABASE_POOL_MIN',
  'DATABASE_POOL_MAX',
  'DATABASE_CONNECTION_TIMEOUT',
  'WUTONG_CACHE',
  'REDIS_URL',
  'CACHE_REDIS_PREFIX',
  'WUTONG_READ_MODEL',
  'WUTONG_FALLBACK',
  'RATE_LIMIT_REDIS_PREFIX',
  'IS_PROXIED',
  'PUBLIC_URL',
];

/** DATABASE_CLIENT and its connection, both always explicit. */
const databaseEnv = (database) =>
  database.client === 'sqlite'
    ? { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: database.filename }
    : database.client === 'postgres'
      ? { DATABASE_CLIENT: 'postgres', DATABASE_URL: database.url }
      : (() => {
          throw new Error(`unknown database client ${database.client}`);
        })();

/**
 * The environment of a server (or seeding) process: the parent's, with every CONTROLLED variable
 * replaced, the database named explicitly, rate limits off (all load comes from one address) and
 * telemetry off; `extra` (cache mode, secrets, HOST/PORT…) last.
 */
const serverEnv = ({ parent, database, extra = {} }) => {
  const env = { ...parent };
  for (const name of CONTROLLED) env[name] = '';
  return {
    ...env,
    ...databaseEnv(database),
    STRAPI_TELEMETRY_DISABLED: 'true',
    WUTONG_SEED_ON_EMPTY: 'false',
    RATE_LIMIT_PER_MINUTE: '0',
    RATE_LIMIT_SEARCH_PER_MINUTE: '0',
    ...extra,
  };
};

/**
 * The Node/V8 flags of the app's own production start (package.json `start`: `node <flags>
 * <script> start`), so that every benchmarked Wutong process runs the way the docs say to run it
 * (its memory bounds are among the measured targets). Throws when `start` does not have that form.
 */
const nodeFlagsOf = (startScript) => {
  const [, flags] =
    /^node((?:\s+--[a-z0-9-]+(?:=\S+)?)*)\s+\S*strapi\S*\s+start$/.exec(String(startScript).trim()) ?? [];
  if (flags === undefined)
    throw new Error(`package.json start is not "node <flags> <strapi bin> start": ${startScript}`);
  return flags.trim().split(/\s+/).filter(Boolean);
};

/** What the process sees once Strapi has read `.env` (dotenv: the process environment wins). */
const withDotenv = (env, dotenvValues) => ({ ...dotenvValues, ...env });

// ---------------------------------------------------------------- wrk

const wrkArgs = ({ threads, connections, seconds, url }) => [
  `-t${threads}`,
  `-c${connections}`,
  `-d${seconds}s`,
  '--timeout',
  '30s',
  '--latency',
  url,
];

const UNITS = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `1.23ms`, `850.00us`, `2.01s` → milliseconds. */
const duration = (text) => {
  const [, number, unit] = /^([\d.]+)(us|ms|s|m|h)$/.exec(text.trim()) ?? [];
  if (!unit) throw new Error(`wrk: cannot read the duration "${text}"`);
  return Number(number) * UNITS[unit];
};

/** wrk's report (with --latency) → req/s, p50/p99 in ms, requests, non-2xx/3xx answers, socket errors. */
const parseWrk = (output) => {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(output);
  const total = /^\s*(\d+) requests in /m.exec(output);
  const p50 = /^\s+50(?:\.0+)?%\s+(\S+)/m.exec(output);
  const p99 = /^\s+99(?:\.0+)?%\s+(\S+)/m.exec(output);
  if (!rps || !total || !p50 || !p99) throw new Error(`wrk: unexpected output:\n${output}`);
  const non2xx = Number((/Non-2xx or 3xx responses:\s+(\d+)/.exec(output) ?? [])[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  const requests = Number(total[1]);
  // No answer within the measured seconds: wrk prints zeros, which are no latency at all.
  const latency = (text) => (requests ? duration(text) : Infinity);
  return {
    rps: Number(rps[1]),
    requests,
    p50: latency(p50[1]),
    p99: latency(p99[1]),
    non2xx,
    socketErrors,
  };
};

/** utime + stime + cutime + cstime (clock ticks) from a /proc/<pid>/stat line. */
const statTicks = (stat) => {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14–17 of proc(5); `fields` starts at field 3.
  return {
    self: Number(fields[11]) + Number(fields[12]),
    children: Number(fields[13]) + Number(fields[14]),
  };
};

// ---------------------------------------------------------------- targets

/**
 * The issue's targets beside the measured figures. `m` holds the rows by key (see bench.js);
 * a missing row makes its target "not measured" (met: null), never met.
 */
/** Milliseconds for the report; a case where nothing finished has no latency to show. */
const ms = (value, digits = 0) => (Number.isFinite(value) ? `${value.toFixed(digits)} ms` : 'none finished');

const targets = (m, { projects, scale }) => {
  const ratio = (a, b) => (a && b ? a.rps / b.rps : undefined);
  const times = (value) => (value === undefined ? 'not measured' : `${value.toFixed(2)} ×`);
  const rows = [];
  const add = (target, measured, met) => rows.push({ target, measured, met: measured === undefined ? null : met });
  const vs = (label, ours, theirs, factor) => {
    const value = ratio(m[ours], m[theirs]);
    add(
      `${label} ≥ ${factor} × vanilla Strapi`,
      value === undefined
        ? undefined
        : `${m[ours].rps.toFixed(0)} / ${m[theirs].rps.toFixed(0)} req/s = ${times(value)}`,
      value >= factor,
    );
  };
  vs('uncached detail', 'detail', 'vanilla detail', 2);
  vs('sorted list', 'list sorted', 'vanilla list sorted', 2);
  vs('`$containsi` list', 'list containsi', 'vanilla list containsi', 1);
  const search = m.search;
  add(
    `search ≥ 300 req/s and p99 ≤ 300 ms at ${projects.toLocaleString('en')} projects`,
    search && `${search.rps.toFixed(0)} req/s, p99 ${ms(search.p99)}`,
    search && search.rps >= 300 && search.p99 <= 300,
  );
  if (scale) {
    const grown = Object.keys(m).filter((key) => key.startsWith('scale '));
    const worst = grown
      .map((key) => {
        const base = m[key.slice(6)]?.p99;
        // Nothing finished at either size: no ratio to hold, so the target is not met.
        return { key: key.slice(6), factor: Number.isFinite(base) ? m[key].p99 / base : Infinity };
      })
      .sort((a, b) => b.factor - a.factor);
    add(
      `at ${scale.toLocaleString('en')} projects every uncached p99 within 2 × of its ${projects.toLocaleString('en')} figure`,
      worst.length
        ? worst
            .map(
              ({ key, factor }) => `${key} ${Number.isFinite(factor) ? `${factor.toFixed(2)} ×` : '(none finished)'}`,
            )
            .join(', ')
        : undefined,
      worst.length > 0 && worst[0].factor <= 2,
    );
  } else {
    add('at 100,000 projects every uncached p99 within 2 × of its 2,000 figure', undefined, false);
  }
  const rss = m.rss;
  add(
    'RSS < 600 MB under load and during start-up',
    rss && `${rss.load.toFixed(0)} MB under load, ${rss.startup.toFixed(0)} MB at start-up (highest of any process)`,
    rss && rss.load < 600 && rss.startup < 600,
  );
  add('ready within 60 s', m.ready && `${m.ready.toFixed(1)} s (slowest start)`, m.ready < 60);
  for (const kind of ['list', 'detail']) {
    const value = ratio(m[`cached ${kind}`], m[`bare ${kind}`]);
    add(
      `cached ${kind} ≥ 70 % of bare Node (same bytes)`,
      value === undefined
        ? undefined
        : `${m[`cached ${kind}`].rps.toFixed(0)} / ${m[`bare ${kind}`].rps.toFixed(0)} req/s = ${(value * 100).toFixed(1)} %`,
      value >= 0.7,
    );
  }
  add(
    'publish → fresh within 1 s under load',
    m.fresh === undefined ? undefined : `${m.fresh.toFixed(0)} ms (slowest process, slowest publish)`,
    m.fresh <= 1000,
  );
  return rows;
};

module.exports = {
  DEFAULTS,
  CONTROLLED,
  parseOptions,
  databaseEnv,
  serverEnv,
  nodeFlagsOf,
  withDotenv,
  wrkArgs,
  parseWrk,
  statTicks,
  targets,
  ms,
};
