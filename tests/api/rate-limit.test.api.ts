/**
 * Rate limits on the public API (finding 10a): per client IP (from X-Forwarded-For only behind a
 * trusted proxy) and per API token, cached answers included, /api/search stricter, the admin side
 * untouched; the count shared through Redis, and answers still given when Redis is down.
 */
import { execSync } from 'child_process';
import nodeHttp from 'http';
import type { AddressInfo } from 'net';
import type { Core } from '@strapi/strapi';
import request from 'supertest';
import { apiToken, asHit, headerValue, http, masked, rawGet, startStrapi, stopStrapi } from '../helpers/strapi';
import { startWorker, type Worker } from '../helpers/workers';

const marker = `rate-${process.pid}-${Date.now()}`;
const ENV = { IS_PROXIED: 'true', RATE_LIMIT_PER_MINUTE: '5', RATE_LIMIT_SEARCH_PER_MINUTE: '3' };
const saved: Record<string, string | undefined> = {};
let app: Core.Strapi;

beforeAll(async () => {
  for (const [name, value] of Object.entries(ENV)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
  app = await startStrapi();
});

afterAll(async () => {
  await stopStrapi(app);
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const LIST = '/api/projects?locale=en';
let clients = 0;
/** A client address of its own (sent as X-Forwarded-For: this server trusts its proxy). */
const newClient = () => `203.0.113.${(clients += 1)}`;

const expectRefused = (response: request.Response, code = 'rate-limit.api') => {
  expect(response.status).toBe(429);
  expect(response.body).toEqual({
    data: null,
    error: {
      status: 429,
      name: 'RateLimitError',
      message: 'Too many requests, please try again later.',
      details: { code, retryAfterSeconds: expect.any(Number) },
    },
  });
  const retryAfter = Number(response.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(response.headers['x-ratelimit-remaining']).toBe('0');
};

describe('public API rate limits', () => {
  it('refuse a client over its limit with a 429, cached answers and the Koa path alike', async () => {
    const ip = newClient();
    const caches: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const response = await http(app).get(LIST).set('X-Forwarded-For', ip).expect(200);
      expect(response.headers).toMatchObject({ 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': String(4 - i) });
      caches.push(response.headers['x-cache']);
    }
    expect(caches).toContain('HIT'); // answered from the cache, and counted
    // A cache hit answered before Koa, a miss through Koa, a browser's request (Koa): all refused.
    expectRefused(await http(app).get(LIST).set('X-Forwarded-For', ip));
    expectRefused(await http(app).get('/api/parks?locale=en&pagination[pageSize]=3').set('X-Forwarded-For', ip));
    const browser = await http(app).get(LIST).set('X-Forwarded-For', ip).set('Origin', 'https://www.example.gov.cn');
    expectRefused(browser);
    expect(browser.headers['access-control-allow-origin']).toBe('https://www.example.gov.cn');
    expectRefused(
      await http(app).post('/graphql').set('X-Forwarded-For', ip).send({ query: '{ projects { documentId } }' }),
    );
  });

  it('put their headers on a hit answered before Koa where Koa puts them, and refuse it as Koa does', async () => {
    const ip = newClient();
    const url = `${LIST}&pagination[pageSize]=2`;
    const get = (path: string) => rawGet(app, path, { 'X-Forwarded-For': ip, Origin: 'https://www.example.gov.cn' });
    await app.plugin('delivery').service('delivery').cache.clear();
    const miss = await get(url);
    const hit = await get(url);
    expect(headerValue(hit, 'x-cache')).toBe('HIT');
    expect(headerValue(hit, 'x-ratelimit-remaining')).toBe('3');
    expect(masked(hit)).toEqual(masked({ ...miss, headers: asHit(miss.headers) }));
    for (let i = 0; i < 3; i += 1) expect((await get(url)).status).toBe(200);
    // Over the limit: a cached URL and an uncached one are refused with the same answer.
    const refusedHit = await get(url);
    const refusedMiss = await get(`${LIST}&pagination[pageSize]=1`);
    expect(refusedHit.status).toBe(429);
    expect(masked(refusedHit)).toEqual(masked(refusedMiss));
  });

  it('count each address and each API token on its own', async () => {
    const ip = newClient();
    for (let i = 0; i < 6; i += 1) await http(app).get(LIST).set('X-Forwarded-For', ip);
    expect((await http(app).get(LIST).set('X-Forwarded-For', ip)).status).toBe(429);
    await http(app).get(LIST).set('X-Forwarded-For', newClient()).expect(200);
    // A site's server sends its token for all its visitors: once the token has authenticated, it
    // is the client, whatever the address.
    const token = await apiToken(app, 'read-only');
    const bearer = { Authorization: `Bearer ${token}` };
    await http(app).get(LIST).set('X-Forwarded-For', newClient()).set(bearer).expect(200);
    for (let i = 0; i < 5; i += 1) {
      const response = await http(app)
        .get(LIST)
        .set('X-Forwarded-For', i % 2 ? ip : newClient())
        .set(bearer)
        .expect(200);
      expect(response.headers['x-ratelimit-remaining']).toBe(String(4 - i));
    }
    expectRefused(await http(app).get(LIST).set('X-Forwarded-For', newClient()).set(bearer));
  });

  it('count made-up tokens against their address', async () => {
    const ip = newClient();
    for (let i = 0; i < 5; i += 1)
      await http(app).get(LIST).set('X-Forwarded-For', ip).set('Authorization', `Bearer made-up-${i}`).expect(401);
    expectRefused(await http(app).get(LIST).set('X-Forwarded-For', ip).set('Authorization', 'Bearer made-up-5'));
    expectRefused(await http(app).get(LIST).set('X-Forwarded-For', ip));
  });

  it('are stricter on /api/search, counted apart from the rest', async () => {
    const ip = newClient();
    for (let i = 0; i < 3; i += 1) {
      const response = await http(app)
        .get('/api/search')
        .query({ q: '酒店', locale: 'zh-Hans' })
        .set('X-Forwarded-For', ip)
        .expect(200);
      expect(response.headers['x-ratelimit-limit']).toBe('3');
    }
    expectRefused(
      await http(app).get('/api/search').query({ q: 'hotel', locale: 'en' }).set('X-Forwarded-For', ip),
      'rate-limit.search',
    );
    await http(app).get(LIST).set('X-Forwarded-For', ip).expect(200);
  });

  it('leave the admin side alone (its login keeps its own limit)', async () => {
    const ip = newClient();
    for (let i = 0; i < 6; i += 1) await http(app).get(LIST).set('X-Forwarded-For', ip);
    for (let i = 0; i < 8; i += 1) {
      const response = await http(app).get('/admin/init').set('X-Forwarded-For', ip).expect(200);
      expect(response.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });
});

describe('with several processes', () => {
  const get = (port: number, headers: Record<string, string> = {}) =>
    request(`http://127.0.0.1:${port}`).get(LIST).set(headers);

  it('share one count through Redis, and ignore X-Forwarded-For without a trusted proxy', async () => {
    const env = {
      IS_PROXIED: 'false',
      RATE_LIMIT_PER_MINUTE: '5',
      REDIS_URL: 'redis://127.0.0.1:6379',
      WUTONG_CACHE: 'redis',
      CACHE_REDIS_PREFIX: `${marker}:cache:`,
      RATE_LIMIT_REDIS_PREFIX: `${marker}:rate:`,
      // Sharing is what is tested here: a command slowed past the 100 ms deadline by a busy CI
      // machine would count in memory instead (the fault tests cover that fallback).
      REDIS_COMMAND_TIMEOUT_MS: '5000',
    };
    const workers: Worker[] = [];
    try {
      workers.push(...(await Promise.all([startWorker(0, env), startWorker(0, env)])));
      const [a, b] = await Promise.all(workers.map((worker) => worker.send<number>('listen')));
      await Promise.all(workers.map((worker) => worker.send('redisTrusted')));
      for (const port of [a, b, a, b, a]) await get(port).expect(200);
      expect((await get(b)).status).toBe(429);
      // a forged header does not make a new client here
      expectRefused(await get(a, { 'X-Forwarded-For': '198.51.100.7' }));
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
      execSync(
        `redis-cli -h 127.0.0.1 -p 6379 --scan --pattern '${marker}:*' | xargs -r redis-cli -h 127.0.0.1 -p 6379 del`,
      );
    }
  });

  it('still answer when Redis is unreachable, limited in memory meanwhile', async () => {
    const closed = nodeHttp.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port: redisPort } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const worker = await startWorker(0, {
      IS_PROXIED: 'false',
      RATE_LIMIT_PER_MINUTE: '5',
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      WUTONG_CACHE: 'memory',
    });
    try {
      const port = await worker.send<number>('listen');
      const started = Date.now();
      for (let i = 0; i < 5; i += 1) await get(port).expect(200);
      expect(Date.now() - started).toBeLessThan(5000);
      expectRefused(await get(port));
    } finally {
      await worker.stop();
    }
  });
});
