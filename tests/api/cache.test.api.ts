/**
 * HTTP caching of the public API: strong ETags and 304s, cache headers, the response cache's
 * hits (before Koa, and through CORS), precise invalidation on publish including through
 * relations, nothing authenticated, draft or preview ever stored, and freshness within a second
 * in other processes (in-process caches following the events table, and a shared Redis cache).
 */
import { execSync } from 'child_process';
import nodeHttp from 'http';
import type { Core } from '@strapi/strapi';
import request from 'supertest';
import { createAdmin, SUPER_ADMIN } from '../helpers/admin';
import {
  apiToken,
  asHit,
  asSystem,
  createDocument,
  deleteDocuments,
  http,
  publishEdit,
  rawGet,
  headerValue,
  masked,
  startStrapi,
  stopStrapi,
} from '../helpers/strapi';
import { startWorker, type Worker } from '../helpers/workers';
import { eventually } from '../helpers/receiver';

const PROJECT = 'api::project.project';
const PARK = 'api::park.park';
const INDUSTRY = 'api::industry.industry';
const marker = `cache-${Date.now()}`;

let app: Core.Strapi;
let park: string;
let project: string;
let industry: string;
let count = 0;

const publish = (uid: string, documentId: string, locale: string, data: Record<string, unknown>) =>
  publishEdit(app, uid, documentId, locale, data);
const create = (uid: string, data: Record<string, unknown>) => createDocument(app, uid, 'en', data);
const projectUrl = () => `/api/projects/${project}?locale=en`;
const listUrl = () => `/api/projects?locale=en&filters[slug][$startsWith]=${marker}`;

beforeAll(async () => {
  app = await startStrapi();
  industry = await create(INDUSTRY, { name: `Industry ${marker}`, slug: `${marker}-industry` });
  park = await create(PARK, { name: `Park ${marker}`, slug: `${marker}-park`, kind: 'industrial_park' });
  project = await create(PROJECT, {
    title: `Project ${marker}`,
    slug: `${marker}-project`,
    kind: 'hotel',
    stage: 'open',
    park,
  });
});

afterAll(async () => {
  await deleteDocuments(app, [
    [PROJECT, project],
    [PARK, park],
    [INDUSTRY, industry],
  ]);
  await stopStrapi(app);
});

const raw = (path: string, headers: Record<string, string> = {}) => rawGet(app, path, headers);

/** The request log lines written while `fn` runs, with the http level on (and nothing printed). */
const logged = async <T>(fn: () => Promise<T>) => {
  const transports = (app.log as unknown as { transports: { level?: string }[] }).transports;
  const levels = transports.map((transport) => transport.level);
  for (const transport of transports) transport.level = 'http';
  const spy = jest.spyOn(app.log, 'http').mockImplementation(() => app.log);
  try {
    const value = await fn();
    return { value, lines: spy.mock.calls.map(([line]) => String(line)) };
  } finally {
    spy.mockRestore();
    transports.forEach((transport, at) => (transport.level = levels[at]));
  }
};

describe('HTTP caching headers', () => {
  it('answers with a strong ETag, shared-cache lifetimes and the right Vary, and 304 on If-None-Match', async () => {
    const first = await http(app).get(projectUrl()).expect(200);
    expect(first.headers.etag).toMatch(/^"[\w-]+"$/); // strong: no W/ prefix
    expect(first.headers['cache-control']).toMatch(/public/);
    expect(first.headers['cache-control']).toMatch(/s-maxage=\d+/);
    expect(first.headers['cache-control']).toMatch(/stale-while-revalidate=\d+/);
    expect(first.headers.vary).toEqual(expect.stringContaining('Origin'));
    expect(first.headers.vary).toEqual(expect.stringContaining('Accept-Encoding'));
    expect(first.headers.vary).toEqual(expect.stringContaining('Authorization'));

    const again = await http(app).get(projectUrl()).set('If-None-Match', first.headers.etag).expect(304);
    expect(again.text).toBe('');
    expect(again.headers.etag).toBe(first.headers.etag);
    // A different ETag (or a weak form of ours) is compared as HTTP says.
    await http(app).get(projectUrl()).set('If-None-Match', '"something-else"').expect(200);
    await http(app).get(projectUrl()).set('If-None-Match', `W/${first.headers.etag}`).expect(304);
  });

  it('serves repeated anonymous requests from the cache, with or without an Origin', async () => {
    const url = `${listUrl()}&pagination[pageSize]=5`;
    const miss = await http(app).get(url).expect(200);
    expect(miss.headers['x-cache']).toBeUndefined();
    const { lines, value: hit } = await logged(() => http(app).get(url).expect(200));
    expect(hit.headers['x-cache']).toBe('HIT');
    // Answered before Koa, and still in the request log.
    expect(lines).toEqual([expect.stringMatching(/^GET \/api\/projects\?.* \(\d+ ms\) 200 cache hit$/)]);
    expect(hit.text).toBe(miss.text);
    expect(hit.headers.etag).toBe(miss.headers.etag);
    expect(hit.headers['content-type']).toMatch(/application\/json/);
    // The same query with its parameters in another order is the same entry.
    const reordered = await http(app).get(`/api/projects?pagination[pageSize]=5&${listUrl().split('?')[1]}`);
    expect(reordered.headers['x-cache']).toBe('HIT');
    // A browser's cross-origin request: still a hit, and CORS headers are added for it.
    const cors = await http(app).get(url).set('Origin', 'https://invest.example.org').expect(200);
    expect(cors.headers['x-cache']).toBe('HIT');
    expect(cors.headers['access-control-allow-origin']).toBeDefined();
    await http(app).get(url).set('If-None-Match', miss.headers.etag).expect(304);
  });

  it('never stores or shares authenticated responses', async () => {
    const token = await apiToken(app, 'read-only');
    for (let i = 0; i < 2; i += 1) {
      const response = await http(app).get(projectUrl()).set('Authorization', `Bearer ${token}`).expect(200);
      expect(response.headers['x-cache']).toBeUndefined();
      expect(response.headers['cache-control']).toBe('private, no-store');
    }
  });
});

describe('concurrent misses (request collapsing)', () => {
  it('compute a page once: requests arriving while it is computed are given that answer', async () => {
    const url = `${listUrl()}&pagination[pageSize]=7`;
    // Each computation takes a while (as under load), so that the requests overlap.
    const readModel = app.plugin('delivery').service('delivery').readModel;
    const answer = readModel.answer.bind(readModel);
    const slow = jest.spyOn(readModel, 'answer').mockImplementation(async (...args: unknown[]) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return answer(...args);
    });
    const answers = await Promise.all(Array.from({ length: 8 }, () => http(app).get(url).expect(200))).finally(() =>
      slow.mockRestore(),
    );
    expect(answers.filter((answer) => answer.headers['x-cache'] !== 'HIT')).toHaveLength(1);
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
    expect(new Set(answers.map((answer) => answer.headers.etag)).size).toBe(1);
  });

  it('after a publish, give the new version, computed once, while one begun before it is still running', async () => {
    const readModel = app.plugin('delivery').service('delivery').readModel;
    const answer = readModel.answer.bind(readModel);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // Each computation reads, then takes its time answering (as under load); the first the longest.
    let calls = 0;
    let firstRead = () => {};
    const read = new Promise<void>((resolve) => (firstRead = resolve));
    const slow = jest.spyOn(readModel, 'answer').mockImplementation(async (...args: unknown[]) => {
      const result = await answer(...args);
      calls += 1;
      if (calls === 1) firstRead();
      await sleep(calls === 1 ? 800 : 200);
      return result;
    });
    try {
      const before = `Project ${marker} before`;
      const title = `Project ${marker} collapsed`;
      await publish(PROJECT, project, 'en', { title: before });
      await readModel.settle();
      // (A supertest request starts when awaited: then() starts it now. A failure below must not
      // leave its rejection unhandled when the server stops.)
      const early = http(app)
        .get(projectUrl())
        .then(
          (response) => response,
          (error: Error) => ({ body: { data: { title: error.message } } }),
        );
      await read; // it has read the old version (on a busy machine that can take more than a moment)
      await publish(PROJECT, project, 'en', { title });
      const late = await Promise.all(
        Array.from({ length: 4 }, () =>
          http(app)
            .get(projectUrl())
            .then((response) => response),
        ),
      );
      expect(late.map((response) => response.body.data.title)).toEqual([title, title, title, title]);
      expect(late.filter((response) => response.headers['x-cache'] !== 'HIT').length).toBe(1);
      expect((await early).body.data.title).toBe(before); // computed before the publish, and not stored
      expect((await http(app).get(projectUrl()).expect(200)).body.data.title).toBe(title);
    } finally {
      slow.mockRestore();
      // The next tests compare the read model's answers with stored ones: nothing left pending.
      await readModel.settle();
    }
  });
});

describe('hits answered before Koa (the fast path)', () => {
  const cache = () => app.plugin('delivery').service('delivery').cache;
  const url = () => `${listUrl()}&pagination[pageSize]=4`;
  /** Koa's own answer to the same request: the fast path off, the stored entry still there. */
  const throughKoa = async (path: string, headers: Record<string, string>) => {
    cache().settings.fastPath = false;
    try {
      return await logged(() => raw(path, headers));
    } finally {
      cache().settings.fastPath = true;
    }
  };

  it.each([
    ['without an Origin', {}],
    ['for a browser’s Origin', { Origin: 'https://invest.example.org' }],
    ['for the opaque origin "null"', { Origin: 'null' }],
  ])('answer %s with the uncached answer’s very bytes, plus X-Cache, and 304 alike', async (_, headers) => {
    await cache().clear();
    const miss = await raw(url(), headers);
    expect(miss.status).toBe(200);
    expect(miss.headers).not.toContain('X-Cache');
    const fast = await logged(() => raw(url(), headers));
    expect(fast.lines).toEqual([expect.stringMatching(/ 200 cache hit$/)]); // before Koa
    expect(masked(fast.value)).toEqual(masked({ ...miss, headers: asHit(miss.headers) }));
    const koa = await throughKoa(url(), headers);
    expect(koa.lines).toContainEqual(expect.stringMatching(/ 200$/)); // Strapi's logger: through Koa
    expect(koa.lines.filter((line) => line.endsWith('cache hit'))).toEqual([]);
    expect(masked(koa.value)).toEqual(masked(fast.value));

    const conditional: Record<string, string> = { ...headers, 'If-None-Match': headerValue(miss, 'etag') as string };
    const notModified = await logged(() => raw(url(), conditional));
    expect(notModified.lines).toEqual([expect.stringMatching(/ 304 cache hit$/)]);
    expect(notModified.value.status).toBe(304);
    expect(masked((await throughKoa(url(), conditional)).value)).toEqual(masked(notModified.value));
    await cache().clear();
    const uncached = await raw(url(), conditional);
    expect(uncached.status).toBe(304);
    // The same headers in the same order, and X-Cache: a 304 has no Content-Length to place it by
    // (the hit puts it where its 200 had one), so its place is not compared. Nor is X-Read-Model:
    // on a shared database another test file's change can leave this one to Strapi meanwhile.
    const withoutCache = (answer: typeof uncached) => ({
      ...answer,
      headers: answer.headers.filter((_, i, all) => !/^x-(cache|read-model)$/i.test(all[i - (i % 2)])),
    });
    expect(headerValue(notModified.value, 'x-cache')).toBe('HIT');
    expect(masked(withoutCache(notModified.value))).toEqual(masked(withoutCache(uncached)));
    // That uncached 304 stored the entry, with the headers its 200 would have had.
    const stored = await logged(() => raw(url(), headers));
    expect(stored.lines).toEqual([expect.stringMatching(/ 200 cache hit$/)]);
    expect(masked(stored.value)).toEqual(masked(fast.value));
  });

  it('answer on a kept-alive connection as Koa does: Node’s own Connection and Keep-Alive', async () => {
    const agent = new nodeHttp.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () => logged(() => rawGet(app, url(), {}, agent));
    try {
      await cache().clear();
      const miss = (await get()).value;
      const fast = await get();
      expect(fast.lines).toEqual([expect.stringMatching(/ 200 cache hit$/)]);
      expect(headerValue(fast.value, 'connection')).toBe('keep-alive');
      expect(headerValue(fast.value, 'keep-alive')).toMatch(/^timeout=\d+$/);
      expect(masked(fast.value)).toEqual(masked({ ...miss, headers: asHit(miss.headers) }));
      cache().settings.fastPath = false;
      try {
        expect(masked((await get()).value)).toEqual(masked(fast.value));
      } finally {
        cache().settings.fastPath = true;
      }
    } finally {
      agent.destroy();
    }
  });

  it('never answer authenticated, draft, preview or HEAD requests, even for a cached URL', async () => {
    const cached = projectUrl();
    await raw(cached);
    expect(headerValue(await raw(cached), 'x-cache')).toBe('HIT');
    const token = await apiToken(app, 'read-only');
    const preview = app.plugin('delivery').service('delivery').preview.mint(PROJECT, project, 'en');
    for (const [path, headers, status] of [
      [cached, { Authorization: `Bearer ${token}` }, 200],
      [`${cached}&status=draft`, {}, 400],
      [`${cached}&preview=${encodeURIComponent(preview)}`, {}, 200],
    ] as const) {
      const { lines, value } = await logged(() => raw(path, headers));
      expect(value.status).toBe(status);
      expect(headerValue(value, 'x-cache')).toBeUndefined();
      expect(lines.length).toBeGreaterThan(0); // Strapi's logger: through Koa
      expect(lines.filter((line) => line.endsWith('cache hit'))).toEqual([]);
    }
    const head = await logged(() => http(app).head(cached).expect(200));
    expect(head.lines.length).toBeGreaterThan(0);
    expect(head.lines.filter((line) => line.endsWith('cache hit'))).toEqual([]);
  });

  it('write no request log line when the http level is off', async () => {
    await raw(url());
    const spy = jest.spyOn(app.log, 'http');
    try {
      expect(headerValue(await raw(url()), 'x-cache')).toBe('HIT');
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});

describe('invalidation', () => {
  it('serves the new version right after a publish', async () => {
    await http(app).get(projectUrl()).expect(200);
    expect((await http(app).get(projectUrl())).headers['x-cache']).toBe('HIT');
    count += 1;
    await publish(PROJECT, project, 'en', { title: `Project ${marker} v${count}` });
    const fresh = await http(app).get(projectUrl()).expect(200);
    expect(fresh.body.data.title).toBe(`Project ${marker} v${count}`);
    expect(fresh.headers['x-cache']).toBeUndefined();
    const list = await http(app).get(listUrl()).expect(200);
    expect(list.body.data.map((entry: { title: string }) => entry.title)).toContain(`Project ${marker} v${count}`);
  });

  it('drops responses that contain a related document when that document is published', async () => {
    const before = await http(app).get(projectUrl()).expect(200);
    expect(before.body.data.park.name).toBe(`Park ${marker}`);
    expect((await http(app).get(projectUrl())).headers['x-cache']).toBe('HIT');
    const list = await http(app).get(listUrl()).expect(200);
    expect(list.body.data[0].park.name).toBe(`Park ${marker}`);

    await publish(PARK, park, 'en', { name: `Park ${marker} renamed` });
    expect((await http(app).get(projectUrl()).expect(200)).body.data.park.name).toBe(`Park ${marker} renamed`);
    expect((await http(app).get(listUrl()).expect(200)).body.data[0].park.name).toBe(`Park ${marker} renamed`);
  });

  it('drops a cached project when a relation to it appears (the industry side of many-to-many)', async () => {
    await http(app).get(projectUrl()).expect(200);
    expect((await http(app).get(projectUrl())).headers['x-cache']).toBe('HIT');
    // The project's own draft gains the industry and is published: its response changes.
    await publish(PROJECT, project, 'en', { industries: [industry] });
    const fresh = await http(app).get(projectUrl()).expect(200);
    expect(fresh.body.data.industries.map((entry: { name: string }) => entry.name)).toEqual([`Industry ${marker}`]);
    // Then the industry is renamed: the project, which shows its name, is dropped too.
    expect((await http(app).get(projectUrl())).headers['x-cache']).toBe('HIT');
    await publish(INDUSTRY, industry, 'en', { name: `Industry ${marker} renamed` });
    const renamed = await http(app).get(projectUrl()).expect(200);
    expect(renamed.body.data.industries[0].name).toBe(`Industry ${marker} renamed`);
  });

  it('drops everything of a type when one of its documents is unpublished or deleted', async () => {
    const other = await create(PROJECT, {
      title: `Other ${marker}`,
      slug: `${marker}-other`,
      kind: 'hotel',
      stage: 'open',
    });
    const titles = async () =>
      (await http(app).get(listUrl()).expect(200)).body.data.map((entry: { title: string }) => entry.title);
    expect(await titles()).toContain(`Other ${marker}`);
    await asSystem(() => app.documents(PROJECT as never).unpublish({ documentId: other, locale: 'en' } as never));
    expect(await titles()).not.toContain(`Other ${marker}`);
    await http(app).get(`/api/projects/${other}?locale=en`).expect(404);
    await asSystem(() => app.documents(PROJECT as never).delete({ documentId: other, locale: '*' } as never));
    await http(app).get(`/api/projects/${other}?locale=en`).expect(404);
  });
});

describe('what is never served from the cache', () => {
  it('never serves a draft, whatever the query asks for', async () => {
    const published = (await http(app).get(projectUrl()).expect(200)).body.data.title;
    await asSystem(() =>
      app.documents(PROJECT as never).update({
        documentId: project,
        locale: 'en',
        data: { title: `Draft ${marker}` },
      } as never),
    );
    for (const url of [projectUrl(), `${projectUrl()}&status=published`, listUrl(), `${listUrl()}&status=published`]) {
      for (let i = 0; i < 2; i += 1) {
        const response = await http(app).get(url).expect(200);
        expect(response.text).not.toContain(`Draft ${marker}`);
      }
    }
    // Asking for drafts is refused (400), and a refusal is never stored.
    for (const url of [`${projectUrl()}&status=draft`, `${listUrl()}&status=draft`]) {
      for (let i = 0; i < 2; i += 1) {
        const response = await http(app).get(url).expect(400);
        expect(response.headers['x-cache']).toBeUndefined();
      }
    }
    expect((await http(app).get(projectUrl())).body.data.title).toBe(published);
  });

  it('keeps preview responses private and uncached, and they leak into no public response', async () => {
    const token = app.plugin('delivery').service('delivery').preview.mint(PROJECT, project, 'en');
    for (let i = 0; i < 2; i += 1) {
      const preview = await http(app)
        .get(`${projectUrl()}&preview=${encodeURIComponent(token)}`)
        .expect(200);
      expect(preview.body.data.title).toBe(`Draft ${marker}`);
      expect(preview.headers['cache-control']).toBe('private, no-store');
      expect(preview.headers['x-cache']).toBeUndefined();
    }
    expect((await http(app).get(projectUrl()).expect(200)).text).not.toContain(`Draft ${marker}`);
  });
});

describe('permission changes', () => {
  it('drops every stored response when the Public role loses or gains access', async () => {
    const chief = await createAdmin(app, [SUPER_ADMIN], 'Permissions');
    const url = '/api/district-profile?locale=en';
    await http(app).get(url).expect(200);
    expect((await http(app).get(url)).headers['x-cache']).toBe('HIT');

    const roles = await http(app).get('/users-permissions/roles').set(chief.auth).expect(200);
    const { id } = roles.body.roles.find((role: { type: string }) => role.type === 'public');
    const setFind = async (enabled: boolean) => {
      const { role } = (await http(app).get(`/users-permissions/roles/${id}`).set(chief.auth).expect(200)).body;
      role.permissions['api::district-profile'].controllers['district-profile'].find.enabled = enabled;
      const { name, description, permissions } = role;
      await http(app)
        .put(`/users-permissions/roles/${id}`)
        .set(chief.auth)
        .send({ name, description, permissions })
        .expect(200);
    };
    /**
     * Waits for anonymous readers to get the new status: 5 s at most, where a missed clear would keep
     * the old answer for the cache's hour (how soon is the benchmark's to measure, not a test's).
     */
    const lagUntil = async (status: number) => {
      const changed = Date.now();
      while ((await http(app).get(url)).status !== status) {
        if (Date.now() - changed > 5000) throw new Error(`still not ${status} after 5 s`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    try {
      await setFind(false);
      await lagUntil(403);
    } finally {
      await setFind(true);
    }
    await lagUntil(200);
    // Strapi emits permission events without awaiting the audit listener: wait for both entries.
    const audited = () =>
      app.db.query('plugin::editorial.audit-entry').count({
        where: { action: 'permission-change', actorKey: `user:${chief.id}` },
      });
    await eventually(async () => (await audited()) >= 2, 5000, 'two permission-change entries');
    expect(await audited()).toBe(2); // once per role update, not once per permission row
  });
});

describe('with several processes', () => {
  const fetchTitle = async (port: number) => {
    const response = await request(`http://127.0.0.1:${port}`).get(projectUrl()).expect(200);
    return { title: response.body.data.title as string, cache: response.headers['x-cache'] as string | undefined };
  };

  /**
   * Publishes a new title here and waits for the processes on `ports` to serve it: 5 s at most, where
   * a missed invalidation would keep the old one for an hour (how soon is the benchmark's to measure).
   */
  const freshAfterPublish = async (ports: number[]) => {
    count += 1;
    const title = `Project ${marker} v${count}`;
    await publish(PROJECT, project, 'en', { title });
    const published = Date.now();
    for (const port of ports) {
      while ((await fetchTitle(port)).title !== title) {
        if (Date.now() - published > 5000) throw new Error(`port ${port} still served the old version after 5 s`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  };

  const warm = async (port: number) => {
    await fetchTitle(port);
    expect((await fetchTitle(port)).cache).toBe('HIT');
  };

  it('another process with its own memory cache serves the new version (not its copy, kept for an hour)', async () => {
    const worker = await startWorker(0);
    try {
      const port = await worker.send<number>('listen');
      await warm(port);
      await freshAfterPublish([port]);
    } finally {
      await worker.stop();
    }
  });

  const redisUp = (() => {
    try {
      return execSync('redis-cli -h 127.0.0.1 -p 6379 ping', { stdio: 'pipe' }).toString().trim() === 'PONG';
    } catch {
      return false;
    }
  })();
  /**
   * Two processes sharing Redis, each with its in-process copy of the entries it read or wrote
   * (the L1). Copies are kept for a minute here, so only invalidation can make them fresh.
   * TEST_REDIS_PREFIX (e.g. `wt:someone:`) keeps the keys apart from other users of the same Redis.
   */
  (redisUp || process.env.CI ? describe : describe.skip)('sharing a Redis cache', () => {
    const prefix = `${process.env.TEST_REDIS_PREFIX ?? ''}${marker}:`;
    const workers: Worker[] = [];
    let ports: number[] = [];

    beforeAll(async () => {
      const env = {
        REDIS_URL: 'redis://127.0.0.1:6379',
        WUTONG_CACHE: 'redis',
        CACHE_REDIS_PREFIX: prefix,
        CACHE_L1_MAX_AGE_MS: '60000',
        // Sharing is what is tested: a busy CI machine must not push commands past the 100 ms deadline.
        REDIS_COMMAND_TIMEOUT_MS: '5000',
        // Long enough that a breaker opened by the test stays open for the request that follows.
        REDIS_BREAKER_COOLDOWN_MS: '2000',
      };
      // One after the other (on SQLite two start-ups writing at once fail with "database is locked").
      for (let i = 0; i < 2; i += 1) workers.push(await startWorker(0, env));
      ports = await Promise.all(workers.map((worker) => worker.send<number>('listen')));
      await Promise.all(workers.map((worker) => worker.send('redisTrusted')));
    }, 300_000);

    afterAll(async () => {
      await Promise.all(workers.map((worker) => worker.stop()));
      execSync(
        `redis-cli -h 127.0.0.1 -p 6379 --scan --pattern '${prefix}*' | xargs -r redis-cli -h 127.0.0.1 -p 6379 del`,
      );
    });

    /** One request, with what it cost in Redis reads of cache entries. */
    const costly = async (at: number) => {
      const before = await workers[at].send<number>('cacheReads');
      const answer = await fetchTitle(ports[at]);
      return { ...answer, reads: (await workers[at].send<number>('cacheReads')) - before };
    };

    /** Requests until one is answered from the process's own copy (no Redis read); that answer. */
    const fromCopy = async (at: number) => {
      for (const until = Date.now() + 5000; ; ) {
        const answer = await costly(at);
        if (answer.cache === 'HIT' && answer.reads === 0) return answer;
        // A copy is refused for 2 s after a clear or invalidation of its tags (the refill guard).
        if (Date.now() > until) throw new Error(`process ${at} still read Redis for a hit after 5 s`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };

    it('processes hit each other’s entries, then answer from their own copy without touching Redis', async () => {
      await costly(0); // stored by process 0, in Redis and in its copy
      const own = await costly(0);
      expect(own).toMatchObject({ cache: 'HIT', reads: 0 });
      const shared = await costly(1); // stored by the other process: read from Redis once …
      expect(shared.cache).toBe('HIT');
      expect(shared.reads).toBeGreaterThan(0);
      expect((await fromCopy(1)).title).toBe(own.title); // … then from its copy
    });

    it('all go fresh after a publish here', async () => {
      await Promise.all([fromCopy(0), fromCopy(1)]);
      await freshAfterPublish(ports);
    });

    it('a publish in one process makes the other’s copy fresh', async () => {
      await Promise.all([fromCopy(0), fromCopy(1)]);
      count += 1;
      const title = `Project ${marker} v${count}`;
      await workers[1].send('update', { uid: PROJECT, documentId: project, locale: 'en', data: { title } });
      const published = Date.now();
      expect((await fetchTitle(ports[1])).title).toBe(title); // its own change: at once
      while ((await fetchTitle(ports[0])).title !== title) {
        if (Date.now() - published > 5000) throw new Error('process 0 still served the old version after 5 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // Fresh, and from its copy again (stored anew, not a stale one kept).
      expect((await fromCopy(0)).title).toBe(title);
    });

    it('a process whose Redis breaker opens drops its copy and uses none until Redis is trusted again', async () => {
      await fromCopy(0);
      expect((await workers[0].send<{ entries: number }>('cacheUsage')).entries).toBeGreaterThan(0);
      expect(await workers[0].send('tripRedis')).toBe('open');
      expect((await workers[0].send<{ entries: number }>('cacheUsage')).entries).toBe(0);
      // Answered from the database while Redis is not trusted, though the entry is in Redis.
      expect((await fetchTitle(ports[0])).cache).not.toBe('HIT');
      await workers[0].send('redisTrusted');
      // Back: the first hit is read from Redis (the copy was dropped), later ones from the copy.
      const back = await costly(0);
      expect(back.cache).toBe('HIT');
      expect(back.reads).toBeGreaterThan(0);
      await fromCopy(0);
    });
  });
});
