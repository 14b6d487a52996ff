/**
 * Honest answers during a database outage (issue 10, finding 2): with PostgreSQL behind a TCP
 * proxy that refuses or stalls, every kind of request answers 503 with Retry-After in Strapi's
 * error format within seconds (never the 401/400/500/501 Strapi makes of a swallowed failure),
 * readiness says 503 while liveness stays 204, and everything works again once the database is
 * back, without a restart. On SQLite there is no outage to simulate cheaply: readiness only.
 */
import type { Core } from '@strapi/strapi';
import type { Response } from 'supertest';
import { ADMIN_PASSWORD, cm, createAdmin, SUPER_ADMIN, type AdminSession } from '../helpers/admin';
import { apiToken, createDocument, deleteDocuments, http, startStrapi, stopStrapi } from '../helpers/strapi';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { fromDist } from '../helpers/paths';

const UID = 'api::project.project';
const EN = 'en';
const postgres = !!process.env.DATABASE_URL || process.env.DATABASE_CLIENT === 'postgres';
const marker = `db-faults-${Date.now()}`;
// Within a few seconds, with room for a loaded CI machine.
const PROMPT_MS = 4000;
const RETRY_AFTER = '2'; // not the default (5): the setting is honoured

let app: Core.Strapi;
let proxy: TcpProxy | undefined;
let admin: AdminSession;
let token: string;
let project: string;
let count = 0;

/** Points the next Strapi at the proxy (same database, the proxy's port); returns the undo. */
const throughProxy = (port: number) => {
  const saved = {
    DATABASE_URL: process.env.DATABASE_URL,
    DATABASE_PORT: process.env.DATABASE_PORT,
    UNAVAILABLE_RETRY_AFTER_SECONDS: process.env.UNAVAILABLE_RETRY_AFTER_SECONDS,
  };
  process.env.UNAVAILABLE_RETRY_AFTER_SECONDS = RETRY_AFTER;
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.port = String(port);
    process.env.DATABASE_URL = url.toString();
  } else {
    process.env.DATABASE_PORT = String(port);
  }
  return () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
};

const databasePort = () =>
  Number(process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL).port || 5432 : process.env.DATABASE_PORT || 5432);

beforeAll(async () => {
  if (postgres) {
    proxy = await startTcpProxy(databasePort());
    const restoreEnv = throughProxy(proxy.port);
    try {
      app = await startStrapi();
    } finally {
      restoreEnv();
    }
    admin = await createAdmin(app, [SUPER_ADMIN], 'Outage');
    token = await apiToken(app, 'full-access');
    project = await createDocument(app, UID, EN, {
      title: `Project ${marker}`,
      slug: `${marker}-project`,
      kind: 'hotel',
      stage: 'open',
    });
  } else {
    app = await startStrapi();
  }
});

afterAll(async () => {
  await proxy?.restore();
  if (app) {
    await deleteDocuments(app, [[UID, project]]);
    await stopStrapi(app);
  }
  await proxy?.close();
});

/** Polls (no fixed sleeps) until the check passes or the deadline is over. */
const eventually = async (check: () => Promise<boolean>, ms = 15000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('not within the deadline');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

// Each one a different (uncached) request.
const requests: [name: string, send: () => Promise<Response>][] = [
  [
    'uncached public GET',
    () => {
      count += 1;
      return http(app).get(`/api/projects?locale=en&filters[slug][$eq]=${marker}-${count}`);
    },
  ],
  [
    'public search',
    () => {
      count += 1;
      return http(app)
        .get('/api/search')
        .query({ q: `outage ${marker} ${count}`, locale: EN });
    },
  ],
  ['admin login', () => http(app).post('/admin/login').send({ email: admin.email, password: ADMIN_PASSWORD })],
  [
    'Content Manager save',
    () =>
      http(app)
        .put(cm(UID).one(project, EN))
        .set(admin.auth)
        .send({ title: `Project ${marker} saved ${(count += 1)}` }),
  ],
  [
    'REST write with a full-access token',
    () =>
      http(app)
        .put(`/api/projects/${project}?locale=en`)
        .set('Authorization', `Bearer ${token}`)
        .send({ data: { title: `Project ${marker} rest ${(count += 1)}` } }),
  ],
  [
    'GraphQL query',
    () =>
      http(app)
        .post('/graphql')
        .set('Content-Type', 'application/json')
        .send({
          query: `{ projects(locale: "en", filters: { slug: { eq: "${marker}-${(count += 1)}" } }) { title } }`,
        }),
  ],
];

const expectUnavailable = async (send: () => Promise<Response>) => {
  const started = Date.now();
  const response = await send();
  const took = Date.now() - started;
  expect({ status: response.status, body: response.body }).toEqual({
    status: 503,
    body: {
      data: null,
      error: { status: 503, name: 'ServiceUnavailableError', message: expect.any(String), details: {} },
    },
  });
  expect(response.headers['retry-after']).toBe(RETRY_AFTER);
  expect(response.headers['cache-control']).toBe('no-store');
  // Nothing about where the database is.
  expect(response.text).not.toMatch(/5432|127\.0\.0\.1|ECONN|postgres/i);
  expect(took).toBeLessThan(PROMPT_MS);
};

/**
 * Breaks the database once Strapi's unawaited after-commit work of the previous step is done: its
 * failure would be an unhandled rejection, which src/bootstrap/outage-guards.ts keeps from ending
 * a real process, but Jest's sandboxed `process` does not hand to that listener.
 */
const breakDatabase = async (how: 'refuse' | 'stall') => {
  await fromDist<typeof import('../../src/bootstrap/idle')>('src/bootstrap/idle').whenDatabaseIdle(app);
  if (how === 'refuse') await proxy!.refuse();
  else proxy!.stall();
};

const readiness = () => http(app).get('/_health/ready');

const isReady = async () => (await readiness()).status === 200;
/** The database answers this process again (asked directly, not through the feature under test). */
const databaseAnswers = () =>
  app.db.connection.raw('select 1').then(
    () => true,
    () => false,
  );

describe('health endpoints', () => {
  it('readiness answers 200 with the database up, uncached; liveness stays Strapi’s 204', async () => {
    const ready = await readiness().expect(200);
    expect(ready.body).toEqual({ status: 'ok', database: 'up' });
    expect(ready.headers['cache-control']).toBe('no-store');
    expect(ready.headers['x-cache']).toBeUndefined();
    await http(app).get('/_health').expect(204);
  });
});

const onPostgres = postgres ? describe : describe.skip;

onPostgres(`a database outage (PostgreSQL behind a TCP proxy; skipped on SQLite, which has no server to lose)`, () => {
  afterEach(async () => {
    await proxy!.restore();
  });

  it.each(requests)(
    'connections refused: %s answers 503 with Retry-After, both when it meets the outage and once it is known',
    async (_name, send) => {
      // The database comes back in between: this request meets the failure itself (Strapi swallows
      // it in auth, i18n or login), then the next one is answered from the known outage.
      await eventually(databaseAnswers);
      await breakDatabase('refuse');
      await expectUnavailable(send);
      await expectUnavailable(send);
    },
  );

  it('connections refused: readiness says 503 database down with Retry-After, liveness stays 204', async () => {
    await breakDatabase('refuse');
    const started = Date.now();
    const ready = await readiness().expect(503);
    expect(Date.now() - started).toBeLessThan(PROMPT_MS);
    expect(ready.body).toEqual({ status: 'unavailable', database: 'down' });
    expect(ready.headers['retry-after']).toBe(RETRY_AFTER);
    expect(ready.headers['cache-control']).toBe('no-store');
    expect(ready.text).not.toMatch(/5432|127\.0\.0\.1|ECONN|postgres/i);
    await http(app).get('/_health').expect(204);
  });

  it('a stalled database: readiness says 503 after its probe timeout, then reads answer 503 at once', async () => {
    await eventually(databaseAnswers);
    await breakDatabase('stall');
    const started = Date.now();
    await readiness().expect(503);
    expect(Date.now() - started).toBeLessThan(PROMPT_MS);
    await expectUnavailable(requests[0][1]);
    await expectUnavailable(requests[1][1]);
  });

  it('once the database is back, everything answers normally again without a restart', async () => {
    await breakDatabase('refuse');
    await expectUnavailable(requests[0][1]);
    await proxy!.restore();
    await eventually(isReady);

    const list = await http(app).get(`/api/projects?locale=en&filters[slug][$eq]=${marker}-project`).expect(200);
    expect(list.body.data.map((entry: { documentId: string }) => entry.documentId)).toEqual([project]);
    await http(app)
      .get('/api/search')
      .query({ q: `back ${marker}`, locale: EN })
      .expect(200);
    await http(app).post('/admin/login').send({ email: admin.email, password: ADMIN_PASSWORD }).expect(200);
    await http(app)
      .put(cm(UID).one(project, EN))
      .set(admin.auth)
      .send({ title: `Project ${marker} after` })
      .expect(200);
    const written = await http(app)
      .put(`/api/projects/${project}?locale=en`)
      .set('Authorization', `Bearer ${token}`)
      .send({ data: { title: `Project ${marker} after rest` } })
      .expect(200);
    expect(written.body.data.title).toBe(`Project ${marker} after rest`);
    const graphql = await http(app)
      .post('/graphql')
      .set('Content-Type', 'application/json')
      .send({ query: `{ projects(locale: "en", filters: { slug: { eq: "${marker}-project" } }) { title } }` })
      .expect(200);
    expect(graphql.body.errors).toBeUndefined();
  });
});
