import { databaseSettings } from '../../src/lib/env';

type Env = Record<string, string | undefined>;
interface Row {
  rps: number;
  p50: number;
  p99: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bench = require('../../scripts/bench/options') as {
  DEFAULTS: Record<string, unknown>;
  parseOptions: (argv: string[]) => Record<string, unknown>;
  serverEnv: (input: { parent: Env; database: Record<string, string>; extra?: Env }) => Env;
  nodeFlagsOf: (startScript: string) => string[];
  withDotenv: (env: Env, dotenv: Env) => Env;
  parseWrk: (output: string) => Row & { requests: number; non2xx: number; socketErrors: number };
  statTicks: (stat: string) => { self: number; children: number };
  targets: (
    measured: Record<string, unknown>,
    options: { projects: number; scale: number },
  ) => { target: string; measured?: string; met: boolean | null }[];
};

const POSTGRES = { client: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/wutong_bench_1_wutong' };

// What a developer's .env might hold: SQLite, and other settings that would move the server.
const DOTENV = {
  DATABASE_CLIENT: 'sqlite',
  DATABASE_FILENAME: '.tmp/data.db',
  DATABASE_SCHEMA: 'other',
  DATABASE_NAME: 'production',
  WUTONG_CACHE: 'redis',
  REDIS_URL: 'redis://10.0.0.5:6379',
};

describe('the environment of a benchmarked server', () => {
  it('runs on the benchmark database even when .env says SQLite (the process environment wins over .env)', () => {
    const env = bench.withDotenv(bench.serverEnv({ parent: {}, database: POSTGRES }), DOTENV);
    expect(env.DATABASE_CLIENT).toBe('postgres');
    expect(env.DATABASE_URL).toBe(POSTGRES.url);
    expect(databaseSettings(env)).toMatchObject({
      client: 'postgres',
      connectionString: POSTGRES.url,
      schema: 'public',
    });
  });

  it('overrides a shell export of another database, and .env settings of the cache', () => {
    const parent = { DATABASE_CLIENT: 'sqlite', DATABASE_URL: 'postgres://elsewhere/db', PATH: '/usr/bin' };
    const env = bench.withDotenv(
      bench.serverEnv({ parent, database: POSTGRES, extra: { WUTONG_CACHE: 'off' } }),
      DOTENV,
    );
    expect(env).toMatchObject({ DATABASE_CLIENT: 'postgres', DATABASE_URL: POSTGRES.url, PATH: '/usr/bin' });
    expect(env.WUTONG_CACHE).toBe('off');
    expect(env.REDIS_URL).toBe(''); // read as unset: no Redis unless the run asks for it
    expect(env.RATE_LIMIT_PER_MINUTE).toBe('0');
  });

  it('names the SQLite file explicitly for a SQLite run', () => {
    const database = { client: 'sqlite', filename: '/tmp/wutong-bench-x/wutong.db' };
    const env = bench.withDotenv(bench.serverEnv({ parent: {}, database }), {
      DATABASE_URL: 'postgres://postgres@127.0.0.1/wutong',
    });
    expect(databaseSettings(env)).toEqual({ client: 'sqlite', filename: '/tmp/wutong-bench-x/wutong.db' });
  });

  it('refuses a database it does not know', () => {
    expect(() => bench.serverEnv({ parent: {}, database: { client: 'mysql' } })).toThrow(/unknown database client/);
  });
});

describe('the Node flags of a benchmarked Wutong server', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const start = (require('../../package.json') as { scripts: { start: string } }).scripts.start;

  it('are those of `npm start`, which bound the heap (the RSS target)', () => {
    const flags = bench.nodeFlagsOf(start);
    expect(flags).toEqual(expect.arrayContaining([expect.stringMatching(/^--max-old-space-size=\d+$/)]));
    expect(flags).toEqual(expect.arrayContaining([expect.stringMatching(/^--max-semi-space-size=\d+$/)]));
  });

  it('are read from any `node <flags> <strapi bin> start`, and a start of another form is refused', () => {
    expect(bench.nodeFlagsOf('node node_modules/@strapi/strapi/bin/strapi.js start')).toEqual([]);
    expect(bench.nodeFlagsOf('node --max-old-space-size=512 --expose-gc node_modules/.bin/strapi start')).toEqual([
      '--max-old-space-size=512',
      '--expose-gc',
    ]);
    expect(() => bench.nodeFlagsOf('strapi start')).toThrow(/package.json start/);
    expect(() => bench.nodeFlagsOf('node --max-old-space-size=512 strapi develop')).toThrow(/package.json start/);
  });
});

describe('options', () => {
  it('has the issue defaults: 2,000 projects, wrk with 2 threads and 50 connections, 20 s after 5 s', () => {
    expect(bench.parseOptions([])).toMatchObject({
      projects: 2000,
      threads: 2,
      connections: 50,
      duration: 20,
      warmup: 5,
      scale: 0,
    });
  });

  it('reads numbers, flags and negations', () => {
    expect(
      bench.parseOptions(['--projects=100_000', '--duration=5', '--warmup=0', '--no-vanilla', '--seed-only']),
    ).toMatchObject({ projects: 100000, duration: 5, warmup: 0, vanilla: false, 'seed-only': true });
  });

  it('refuses unknown options, bad numbers and a scale below the data set', () => {
    expect(() => bench.parseOptions(['--projets=5'])).toThrow(/unknown option/);
    expect(() => bench.parseOptions(['--duration=0'])).toThrow(/--duration must be an integer ≥ 1/);
    expect(() => bench.parseOptions(['--projects=2k'])).toThrow(/--projects/);
    expect(() => bench.parseOptions(['--duration'])).toThrow(/needs a value/);
    expect(() => bench.parseOptions(['--keep=yes'])).toThrow(/takes no value/);
    expect(() => bench.parseOptions(['--scale=1000'])).toThrow(/--scale/);
  });
});

const WRK = `Running 5s test @ http://127.0.0.1:39017/api/projects?locale=en
  2 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   150.12ms   80.01ms   2.00s    90.00%
    Req/Sec   160.00     40.00   250.00     70.00%
  Latency Distribution
     50%  850.00us
     75%    1.20ms
     90%    3.40ms
     99%    1.50s
  1552 requests in 5.01s, 94.30MB read
  Socket errors: connect 0, read 0, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:    309.78
Transfer/sec:     18.82MB
`;

describe('wrk', () => {
  it("reads req/s, p50 and p99 in ms, and the failures from wrk's report", () => {
    expect(bench.parseWrk(WRK)).toEqual({
      rps: 309.78,
      requests: 1552,
      p50: 0.85,
      p99: 1500,
      non2xx: 7,
      socketErrors: 3,
    });
  });

  it('gives no latency when no request finished within the measured seconds', () => {
    const none = WRK.replace('1552 requests in', '0 requests in')
      .replace('Requests/sec:    309.78', 'Requests/sec:      0.00')
      .replace(/\d+(\.\d+)?(us|ms|s)$/gm, '0.00us');
    expect(bench.parseWrk(none)).toMatchObject({ rps: 0, requests: 0, p50: Infinity, p99: Infinity });
    const [, , , search] = bench.targets({ search: bench.parseWrk(none) }, { projects: 2000, scale: 0 });
    expect(search).toMatchObject({ met: false, measured: '0 req/s, p99 none finished' });
  });

  it('refuses output it cannot read rather than report zeros', () => {
    expect(() => bench.parseWrk('unable to connect to 127.0.0.1:1 Connection refused')).toThrow(/unexpected output/);
  });

  it("takes wrk's CPU time from its waiting shell's children fields of /proc/<pid>/stat", () => {
    const stat = '4242 (sh) S 1 4242 4242 0 -1 4194304 100 200 0 0 3 4 150 25 20 0 1 0 500 1000 100';
    expect(bench.statTicks(stat)).toEqual({ self: 7, children: 175 });
  });
});

describe('targets', () => {
  const row = (rps: number, p99 = 10) => ({ rps, p50: 1, p99 });
  const measured = {
    detail: row(250),
    'vanilla detail': row(100),
    'list sorted': row(150),
    'vanilla list sorted': row(100),
    'list containsi': row(100),
    'vanilla list containsi': row(100),
    search: row(320, 250),
    rss: { load: 590, startup: 610 },
    ready: 30,
    'cached list': row(700),
    'bare list': row(1000),
    'cached detail': row(690),
    'bare detail': row(1000),
    fresh: 400,
  };

  it('compares every figure of one run with its target', () => {
    const verdicts = Object.fromEntries(
      bench.targets(measured, { projects: 2000, scale: 0 }).map((one) => [one.target, one.met]),
    );
    expect(verdicts).toEqual({
      'uncached detail ≥ 2 × vanilla Strapi': true,
      'sorted list ≥ 2 × vanilla Strapi': false,
      '`$containsi` list ≥ 1 × vanilla Strapi': true,
      'search ≥ 300 req/s and p99 ≤ 300 ms at 2,000 projects': true,
      'at 100,000 projects every uncached p99 within 2 × of its 2,000 figure': null,
      'RSS < 600 MB under load and during start-up': false,
      'ready within 60 s': true,
      'cached list ≥ 70 % of bare Node (same bytes)': true,
      'cached detail ≥ 70 % of bare Node (same bytes)': false,
      'publish → fresh within 1 s under load': true,
    });
  });

  it('says "not measured", never met, when a figure is missing (no vanilla, no cluster run)', () => {
    const { detail, search } = measured;
    const rows = bench.targets({ detail, search }, { projects: 2000, scale: 0 });
    expect(rows.find((one) => one.target.startsWith('uncached detail'))).toMatchObject({ met: null });
    expect(rows.find((one) => one.target.startsWith('publish'))).toMatchObject({ met: null });
    expect(rows.filter((one) => one.met === true).map((one) => one.target)).toEqual([
      'search ≥ 300 req/s and p99 ≤ 300 ms at 2,000 projects',
    ]);
  });

  it('at scale, holds each uncached p99 against its own figure at the smaller set', () => {
    const scaled = {
      ...measured,
      'scale detail': row(200, 19),
      'scale search': row(200, 525),
    };
    const [scale] = bench
      .targets(scaled, { projects: 2000, scale: 100000 })
      .filter((one) => one.target.startsWith('at 100,000'));
    expect(scale).toMatchObject({ met: false, measured: 'search 2.10 ×, detail 1.90 ×' });
  });
});
