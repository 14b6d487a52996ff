/**
 * Sites and webhooks: registration rules (SSRF included), signed deliveries on publish,
 * unpublish and delete, retries until the receiver recovers, the admin log and redeliver, no loss
 * when a process is killed, and each event delivered once with two Strapi processes.
 */
import nodeHttp from 'http';
import type { AddressInfo } from 'net';
import type { Core } from '@strapi/strapi';
import { createAdmin, SUPER_ADMIN, type AdminSession } from '../helpers/admin';
import { eventually, startReceiver, type Received } from '../helpers/receiver';
import { asSystem, createDocument, http, startStrapi, stopStrapi } from '../helpers/strapi';
import { startWorker } from '../helpers/workers';
import { backoffDelay } from '../../src/lib/backoff';
import { verifySignature } from '../../src/lib/signature';
import { webhookRetryPolicy } from '../../src/lib/webhook-retry';
// The example consumer site's own check: what a real receiver runs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { verifyWebhook } = require('../../examples/consumer-site/signature');

const UID = 'api::project.project';
const SITE_UID = 'plugin::delivery.site';
// Registered on the Sites page's admin API (the Content Manager does not show sites).
const SITES = '/delivery/sites';
const marker = `hook-${Date.now()}`;
const ENV = {
  // Short figures for this instance: 2 s per attempt (1 s was cut short on a loaded machine),
  // 3 attempts, retries after 0.4 s and 0.6 s (the cap).
  WEBHOOK_RETRY_DELAY_MS: '400',
  WEBHOOK_RETRY_MAX_MS: '600',
  WEBHOOK_MAX_ATTEMPTS: '3',
  WEBHOOK_SWEEP_MS: '300',
  WEBHOOK_ALLOWLIST: '127.0.0.1',
  // A crashed attempt is taken over after the timeout and a margin: short here.
  WEBHOOK_TIMEOUT_MS: '2000',
  WEBHOOK_MAINTENANCE_SECONDS: '1',
};
const POLICY = webhookRetryPolicy(ENV);
/** How much later than its schedule an attempt may arrive on a loaded machine (pg-boss included). */
const LATE_MS = 1000;
const saved: Record<string, string | undefined> = {};

let app: Core.Strapi;
let admin: AdminSession;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let site: { id: number; documentId: string; name: string; webhookSecret: string };
let count = 0;

beforeAll(async () => {
  for (const [name, value] of Object.entries(ENV)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
  app = await startStrapi();
  admin = await createAdmin(app, [SUPER_ADMIN], 'Sites');
  receiver = await startReceiver();
  const response = await http(app)
    .post(SITES)
    .set(admin.auth)
    .send({
      name: `${marker}-portal`,
      title: '西工区门户',
      baseUrl: 'https://www.example.gov.cn',
      locales: ['zh-Hans', 'en'],
      contentTypes: [UID, 'api::news.news-article'],
      localePaths: { 'zh-Hans': 'zh', en: 'en' },
      webhookUrl: receiver.url,
    })
    .expect(201);
  site = await app.db.query(SITE_UID).findOne({ where: { documentId: response.body.site.documentId } });
});

afterAll(async () => {
  const rows = await app.db.query(UID).findMany({ where: { slug: { $startsWith: marker } }, select: ['documentId'] });
  for (const documentId of new Set(rows.map((row: { documentId: string }) => row.documentId))) {
    await asSystem(() => app.documents(UID).delete({ documentId, locale: '*' } as never));
  }
  // Later test files must not queue deliveries to a receiver that is gone.
  const sites = await app.db
    .query(SITE_UID)
    .findMany({ where: { name: { $startsWith: marker } }, select: ['documentId'] });
  for (const { documentId } of sites)
    await asSystem(() => app.documents(SITE_UID as never).delete({ documentId } as never));
  await receiver.close();
  await stopStrapi(app);
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const newProject = () => {
  count += 1;
  return { title: `推送 ${marker} ${count}`, slug: `${marker}-${count}`, kind: 'hotel', stage: 'open' };
};

const publishProject = () => createDocument(app, UID, 'zh-Hans', newProject());

const deliveriesOf = (documentId: string) =>
  app.db
    .query('plugin::delivery.delivery')
    .findMany({ where: { targetDocumentId: documentId }, orderBy: { id: 'asc' } }) as Promise<
    {
      id: number;
      siteId: number;
      status: string;
      attempts: number;
      lastStatus: number;
      lastError: string;
      lastErrorCode: string | null;
      lastErrorParams: Record<string, unknown> | null;
      event: string;
    }[]
  >;

/** Registers a site as an administrator; `data` overrides the defaults. */
const register = (data: Record<string, unknown>) =>
  http(app)
    .post(SITES)
    .set(admin.auth)
    .send({
      name: `${marker}-x${(count += 1)}`,
      baseUrl: 'https://x.example.org',
      locales: ['en'],
      contentTypes: [UID],
      ...data,
    });

describe('site registration', () => {
  it('refuses webhook URLs on private or loopback addresses unless allow-listed (SSRF)', async () => {
    delete process.env.WEBHOOK_ALLOWLIST;
    try {
      for (const webhookUrl of [
        // Loopback spellings only: the private and metadata ranges are the unit tests' (no request
        // ever goes to an address off this machine, not even one expected to be refused).
        receiver.url,
        'http://127.1.2.3/hook',
        'http://[::1]:8080/',
      ]) {
        const response = await register({ webhookUrl }).expect(400);
        expect(response.body.error).toMatchObject({
          name: 'ValidationError',
          message: expect.stringMatching(/private or loopback/),
        });
      }
      // Every other spelling of loopback and metadata: IPv4-mapped, IPv4-compatible, NAT64, 6to4.
      // Registration resolves but never connects; the receiver must hear nothing.
      const port = new URL(receiver.url).port;
      const before = receiver.received.length;
      for (const host of [
        '[::ffff:127.0.0.1]',
        '[::ffff:7f00:1]',
        '[0:0:0:0:0:ffff:7f00:1]',
        '[::127.0.0.1]',
        '[::ffff:169.254.169.254]',
        '[64:ff9b::127.0.0.1]',
        '[2002:7f00:1::]',
        'localhost',
        '2130706433',
        '0x7f.1',
      ]) {
        const response = await register({ webhookUrl: `http://${host}:${port}/hooks` }).expect(400);
        expect(response.body).toMatchObject({
          data: null,
          error: { status: 400, name: 'ValidationError', message: expect.stringMatching(/private or loopback/) },
        });
      }
      expect(receiver.received.length).toBe(before);
      const credentials = await register({ webhookUrl: 'https://user:secret@hooks.example.org/' }).expect(400);
      expect(credentials.body.error.message).toMatch(/no credentials/);
    } finally {
      process.env.WEBHOOK_ALLOWLIST = ENV.WEBHOOK_ALLOWLIST;
    }
    await register({ webhookUrl: receiver.url }).expect(201);
  });

  it('allows 127.0.0.1 by the allow-list, but none of its IPv6 wrappings', async () => {
    const port = new URL(receiver.url).port;
    for (const host of ['[::ffff:127.0.0.1]', '[::127.0.0.1]', '[64:ff9b::127.0.0.1]', '[::1]'])
      await register({ webhookUrl: `http://${host}:${port}/hooks` }).expect(400);
  });

  it('checks locales, content types and the name', async () => {
    expect((await register({ locales: ['fr'] }).expect(400)).body.error.message).toMatch(/unknown locale "fr"/);
    expect((await register({ contentTypes: ['api::nothing.nothing'] }).expect(400)).body.error.message).toMatch(
      /unknown/,
    );
    await register({ name: 'Not A Name' }).expect(400);
    await register({ baseUrl: 'not a url' }).expect(400);
  });

  it('gives a new site a webhook secret and its own read-only API token', async () => {
    expect(site.webhookSecret).toMatch(/^[0-9a-f]{64}$/);
    const token = await app.db.query('admin::api-token').findOne({ where: { name: `site: ${site.name}` } });
    expect(token).toMatchObject({ type: 'read-only' });
  });
});

describe('webhook deliveries', () => {
  it('sends a signed notice when a project the site shows is published', async () => {
    const documentId = await publishProject();
    const [notice] = await eventually(() => receiver.about(documentId).length > 0 && receiver.about(documentId));
    expect(notice.headers).toMatchObject({
      'content-type': 'application/json',
      'x-wutong-event': 'entry.publish',
      'x-wutong-delivery': expect.stringMatching(/^\d+$/),
      'x-wutong-timestamp': expect.stringMatching(/^\d+$/),
      'x-wutong-signature': expect.stringMatching(/^sha256=[0-9a-f]{64}$/),
    });
    expect(notice.body).toEqual({
      id: notice.headers['x-wutong-delivery'],
      event: 'entry.publish',
      type: UID,
      collection: 'projects',
      documentId,
      locale: 'zh-Hans',
      slug: `${marker}-${count}`,
      paths: [`/zh/projects/${marker}-${count}`, '/zh/projects', '/zh/'],
      occurredAt: expect.any(String),
    });
    const { 'x-wutong-timestamp': timestamp, 'x-wutong-signature': signature } = notice.headers;
    expect(verifySignature(site.webhookSecret, timestamp, signature, notice.raw)).toEqual({ ok: true });
    expect(verifyWebhook({ secret: site.webhookSecret, timestamp, signature, rawBody: notice.raw })).toEqual({
      ok: true,
    });
  });

  it('is refused by a receiver when tampered with, replayed late or signed with another secret', async () => {
    const notice = receiver.received[receiver.received.length - 1];
    const { 'x-wutong-timestamp': timestamp, 'x-wutong-signature': signature } = notice.headers;
    const check = (overrides: Record<string, unknown>) =>
      verifyWebhook({ secret: site.webhookSecret, timestamp, signature, rawBody: notice.raw, ...overrides });
    expect(check({ rawBody: notice.raw.replace('entry.publish', 'entry.delete') })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/mismatch/),
    });
    expect(check({ now: (Number(timestamp) + 301) * 1000 })).toMatchObject({ ok: false });
    expect(check({ secret: 'another secret' })).toMatchObject({ ok: false });
    expect(
      verifySignature(site.webhookSecret, timestamp, signature, notice.raw, (Number(timestamp) + 301) * 1000),
    ).toMatchObject({ ok: false });
  });

  it('sends unpublish and delete notices too', async () => {
    const documentId = await publishProject();
    await eventually(() => receiver.about(documentId).length === 1);
    await asSystem(() => app.documents(UID).unpublish({ documentId, locale: 'zh-Hans' } as never));
    await eventually(() => receiver.about(documentId).length === 2);
    await asSystem(() => app.documents(UID).delete({ documentId, locale: '*' } as never));
    const notices = await eventually(() => receiver.about(documentId).length === 3 && receiver.about(documentId));
    expect(notices.map(({ body }) => body.event)).toEqual(['entry.publish', 'entry.unpublish', 'entry.delete']);
  });

  it('notifies only the sites that show the type and language', async () => {
    const other = await register({
      name: `${marker}-news-en`,
      contentTypes: ['api::news.news-article'],
      webhookUrl: receiver.url,
    }).expect(201);
    const otherId = (await app.db.query(SITE_UID).findOne({ where: { documentId: other.body.site.documentId } })).id;
    const documentId = await publishProject();
    await eventually(() => receiver.about(documentId).length === 1);
    const rows = await deliveriesOf(documentId);
    expect(rows.map(({ siteId }) => siteId)).not.toContain(otherId);
  });

  it('retries with backoff until the receiver recovers', async () => {
    receiver.respond = (request) => (request.body.slug === `${marker}-${count}` && failures++ < 2 ? 503 : 204);
    let failures = 0;
    const documentId = await publishProject();
    const notices = await eventually(
      () => receiver.about(documentId).length === 3 && receiver.about(documentId),
      20000,
    );
    expect(new Set(notices.map(({ headers }) => headers['x-wutong-delivery'])).size).toBe(1);
    // Backoff: the schedule of src/lib/backoff.ts, the second retry waiting longer than the first.
    const gaps = [notices[1].at - notices[0].at, notices[2].at - notices[1].at];
    console.log(`retries of a failing receiver after ${gaps.join(' ms, ')} ms`);
    gaps.forEach((gap, index) => {
      const planned = backoffDelay(index + 1, POLICY.backoff);
      expect(gap).toBeGreaterThanOrEqual(planned - 150);
      expect(gap).toBeLessThan(planned + LATE_MS);
    });
    expect(gaps[1]).toBeGreaterThan(gaps[0]);
    const [row] = await eventually(async () => {
      const rows = await deliveriesOf(documentId);
      return rows[0]?.status === 'delivered' && rows;
    });
    expect(row).toMatchObject({ status: 'delivered', attempts: 3, lastStatus: 204, lastError: null });
    await new Promise((resolve) => setTimeout(resolve, 1000)); // room for a duplicate to show up
    expect(receiver.about(documentId)).toHaveLength(3);
    receiver.respond = () => 204;
  });

  it('fails an attempt answered after the timeout, backs off to the cap, and ends failed with the reason', async () => {
    const slug = `${marker}-slow`;
    // Answers every time, always too late.
    receiver.respond = (request) =>
      request.body.slug === slug ? { status: 204, delayMs: POLICY.timeoutMs + 300 } : 204;
    try {
      const documentId = await createDocument(app, UID, 'zh-Hans', { ...newProject(), slug });
      const reason = `no answer within ${POLICY.timeoutMs} ms`;
      const row = await eventually(
        async () => {
          const [found] = await deliveriesOf(documentId);
          return found?.status !== 'pending' && found;
        },
        30000,
        'the delivery to end',
      );
      expect(row).toMatchObject({
        status: 'failed',
        attempts: POLICY.maxAttempts,
        lastStatus: null,
        lastError: reason,
        // The admin says it in its own language from the code.
        lastErrorCode: 'webhook.timeout',
        lastErrorParams: { ms: POLICY.timeoutMs },
      });
      // Shown to the administrator as it is.
      const listed = (await http(app).get('/delivery/deliveries?status=failed').set(admin.auth).expect(200)).body
        .results;
      expect(listed.find((entry: { id: number }) => entry.id === row.id)).toMatchObject({
        status: 'failed',
        attempts: POLICY.maxAttempts,
        lastError: reason,
        lastErrorCode: 'webhook.timeout',
        nextAttemptAt: null,
      });
      await new Promise((resolve) => setTimeout(resolve, 1500)); // room for a late or duplicate attempt
      // One request per attempt counted, each the same delivery, none overlapping another.
      const notices = receiver.about(documentId);
      expect(notices).toHaveLength(POLICY.maxAttempts);
      expect(new Set(notices.map(({ headers }) => headers['x-wutong-delivery']))).toEqual(new Set([String(row.id)]));
      expect(new Set(notices.map(({ body }) => body.id))).toEqual(new Set([String(row.id)]));
      // Each retry starts when the one before has timed out and its backoff delay has passed.
      const gaps = notices.slice(1).map((notice, index) => notice.at - notices[index].at);
      console.log(`attempts at a slow receiver ${gaps.join(' ms, ')} ms apart`);
      gaps.forEach((gap, index) => {
        const planned = POLICY.timeoutMs + backoffDelay(index + 1, POLICY.backoff);
        expect(gap).toBeGreaterThanOrEqual(planned - 150);
        expect(gap).toBeLessThan(planned + LATE_MS);
      });
      expect(await deliveriesOf(documentId)).toEqual([expect.objectContaining({ attempts: POLICY.maxAttempts })]);
    } finally {
      receiver.respond = () => 204;
    }
  });

  it('shows failures in the admin log, and redeliver sends again', async () => {
    receiver.respond = () => 500;
    const documentId = await publishProject();
    // `attempts` counts an attempt from when it is sent; its outcome follows.
    const row = await eventually(async () => {
      const response = await http(app).get('/delivery/deliveries').set(admin.auth).expect(200);
      return response.body.results.find(
        (entry: { payload: { documentId: string }; lastError: string | null }) =>
          entry.payload.documentId === documentId && entry.lastError,
      );
    });
    expect(row).toMatchObject({
      status: expect.stringMatching(/^(pending|failed)$/), // failed after the last attempt
      lastStatus: 500,
      lastError: expect.stringMatching(/HTTP 500/),
      lastErrorCode: 'webhook.http',
      lastErrorParams: { status: 500 },
      siteName: site.name,
    });
    receiver.respond = () => 204;
    await http(app).post(`/delivery/deliveries/${row.id}/redeliver`).set(admin.auth).expect(200);
    // Delivered at last: no reason left, coded or not.
    expect(
      await eventually(async () => {
        const [found] = await deliveriesOf(documentId);
        return found?.status === 'delivered' && found;
      }),
    ).toMatchObject({ lastError: null, lastErrorCode: null, lastErrorParams: null });
    const before = receiver.about(documentId).length;
    await http(app).post(`/delivery/deliveries/${row.id}/redeliver`).set(admin.auth).expect(200);
    await eventually(() => receiver.about(documentId).length === before + 1);
    await http(app).post('/delivery/deliveries/999999/redeliver').set(admin.auth).expect(404);
    await http(app).get('/delivery/deliveries').expect(401);
  });

  it('sends a delivery recorded while the queue was stopped once it runs again, and only once', async () => {
    const webhooks = app.plugin('delivery').service('delivery').webhooks;
    await webhooks.stop(); // as during a shutdown
    let documentId: string;
    try {
      documentId = await publishProject();
      await eventually(async () => (await deliveriesOf(documentId)).length === 1);
    } finally {
      await webhooks.start();
    }
    // The outbox handles the event again (PostgreSQL: it failed while the queue was stopped; SQLite:
    // the start's sweep has already taken the delivery up). Twice, as after a crash.
    const row = await app.db
      .query('plugin::events.event')
      .findOne({ where: { type: 'document.published', targetDocumentId: documentId } });
    const event = {
      id: row.id,
      type: row.type,
      target: { uid: row.targetUid, documentId, locale: row.targetLocale },
      payload: typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload,
    };
    await webhooks.handle(event);
    await webhooks.handle(event);
    await eventually(async () => (await deliveriesOf(documentId))[0]?.status === 'delivered');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // room for a duplicate to show up
    expect(receiver.about(documentId)).toHaveLength(1);
    expect(await deliveriesOf(documentId)).toEqual([expect.objectContaining({ status: 'delivered', attempts: 1 })]);
  });

  it("does not hold back a site's notices behind another site's failing retries", async () => {
    // A site whose receiver is gone: every attempt fails and is retried.
    const gone = nodeHttp.createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const { port } = gone.address() as AddressInfo;
    await new Promise((resolve) => gone.close(resolve));
    const dead = await register({
      name: `${marker}-dead`,
      locales: ['zh-Hans'],
      webhookUrl: `http://127.0.0.1:${port}/hooks`,
    }).expect(201);
    try {
      const backlog: string[] = [];
      for (let i = 0; i < 12; i += 1) backlog.push(await publishProject());
      const documentId = await publishProject();
      const published = Date.now();
      // One job per queue poll (two a second) needed 12 s and more for the 26 queued before it.
      await eventually(() => receiver.about(documentId).length === 1, 5000, 'the live site’s notice');
      console.log(`a live site's notice behind 12 failing ones: ${Date.now() - published} ms`);
      await eventually(() => backlog.every((id) => receiver.about(id).length === 1));
      // The dead site's: refused connections, said as such (not Node's English message).
      const deadId = (await app.db.query(SITE_UID).findOne({ where: { documentId: dead.body.site.documentId } })).id;
      const failedRow = await eventually(async () =>
        (await deliveriesOf(backlog[0])).find(({ siteId, lastErrorCode }) => siteId === deadId && lastErrorCode),
      );
      expect(failedRow).toMatchObject({
        lastStatus: null,
        lastError: expect.stringMatching(/ECONNREFUSED/),
        lastErrorCode: 'webhook.network',
        lastErrorParams: { cause: 'refused' },
      });
    } finally {
      await asSystem(() => app.documents(SITE_UID as never).delete({ documentId: dead.body.site.documentId } as never));
    }
  });

  it('never follows a redirect, and checks the address again when it sends (no mapped loopback)', async () => {
    const PARK = 'api::park.park';
    const trap = await startReceiver();
    const redirector = await startReceiver(() => ({ status: 302, headers: { Location: trap.url } }));
    const siteIds: number[] = [];
    let documentId: string | undefined;
    const registerPark = async (webhookUrl: string) => {
      const response = await register({ contentTypes: [PARK], locales: ['zh-Hans'], webhookUrl }).expect(201);
      const row = await app.db.query(SITE_UID).findOne({ where: { documentId: response.body.site.documentId } });
      siteIds.push(row.id);
      return { id: row.id as number, documentId: response.body.site.documentId as string };
    };
    try {
      const redirecting = await registerPark(redirector.url);
      // Allowed when registered (the mapped form listed itself), not any more when sent.
      process.env.WEBHOOK_ALLOWLIST = `${ENV.WEBHOOK_ALLOWLIST},::ffff:127.0.0.1`;
      const wrapped = await registerPark(trap.url.replace('127.0.0.1', '[::ffff:127.0.0.1]'));
      process.env.WEBHOOK_ALLOWLIST = ENV.WEBHOOK_ALLOWLIST;
      documentId = await createDocument(app, PARK, 'zh-Hans', { name: `园区 ${marker}`, slug: `${marker}-park` });
      // Two attempts each: the retry is refused or redirected too.
      const rows = await eventually(async () => {
        const found = await deliveriesOf(documentId!);
        // An attempt is counted when it starts: the redirector's second request may still be on its way.
        return (
          found.length === 2 && found.every(({ attempts }) => attempts >= 2) && redirector.received.length >= 2 && found
        );
      }, 20000);
      // Pending or, after its last attempt, failed.
      expect(rows.find(({ siteId }) => siteId === redirecting.id)).toMatchObject({
        status: expect.stringMatching(/^(pending|failed)$/),
        lastStatus: 302,
        lastError: expect.stringMatching(/redirects are not followed/),
        lastErrorCode: 'webhook.redirect',
        lastErrorParams: { status: 302 },
      });
      expect(rows.find(({ siteId }) => siteId === wrapped.id)).toMatchObject({
        status: expect.stringMatching(/^(pending|failed)$/),
        lastStatus: null,
        lastError: expect.stringMatching(/refused: ::ffff:7f00:1 resolves to ::ffff:7f00:1, a private or loopback/),
        lastErrorCode: 'webhook.private',
        lastErrorParams: { host: '::ffff:7f00:1', address: '::ffff:7f00:1' },
      });
      expect(redirector.received.length).toBeGreaterThanOrEqual(2);
      expect(trap.received).toEqual([]);
    } finally {
      process.env.WEBHOOK_ALLOWLIST = ENV.WEBHOOK_ALLOWLIST;
      await app.db
        .query('plugin::delivery.delivery')
        .updateMany({ where: { siteId: { $in: siteIds } }, data: { status: 'failed' } });
      for (const id of siteIds) {
        const row = await app.db.query(SITE_UID).findOne({ where: { id } });
        await asSystem(() => app.documents(SITE_UID as never).delete({ documentId: row.documentId } as never));
      }
      if (documentId) await asSystem(() => app.documents(PARK as never).delete({ documentId, locale: '*' } as never));
      await Promise.all([trap.close(), redirector.close()]);
    }
  });
});

describe('with several Strapi processes', () => {
  it('loses nothing when the process sending a delivery is killed', async () => {
    const slug = `${marker}-killed`;
    // The receiver hangs: the worker is killed in the middle of its attempt.
    receiver.respond = (request: Received) => (request.body.slug === slug ? 'hang' : 204);
    const worker = await startWorker(0, ENV);
    let documentId: string;
    try {
      documentId = await worker.send<string>('publish', {
        uid: UID,
        locale: 'zh-Hans',
        data: { ...newProject(), slug },
      });
      await eventually(() => receiver.about(documentId).length >= 1); // the worker is sending it
    } finally {
      await worker.kill();
    }
    receiver.respond = () => 204;
    // This process takes the delivery over.
    await eventually(async () => (await deliveriesOf(documentId))[0]?.status === 'delivered', 30000);
    const notices = receiver.about(documentId);
    expect(notices[notices.length - 1].body.event).toBe('entry.publish');
    expect(new Set(notices.map(({ headers }) => headers['x-wutong-delivery'])).size).toBe(1);
  });

  it('lets an attempt in flight finish when a process shuts down: a clean exit, nothing left pending', async () => {
    // Strapi closes the database right after the plugins' destroy: an attempt that wrote its outcome
    // after that used to end the process with an unhandled rejection.
    receiver.respond = () => ({ status: 204, delayMs: 500 }); // within the timeout
    const worker = await startWorker(0, ENV);
    let documentId: string;
    try {
      documentId = await worker.send<string>('publish', { uid: UID, locale: 'zh-Hans', data: newProject() });
      await eventually(() => receiver.about(documentId).length >= 1); // sent, not yet answered
    } finally {
      receiver.respond = () => 204; // the answer in flight keeps its delay
      expect(await worker.stop()).toBe(0);
    }
    // This process may have taken the attempt (both sweep the shared file): its outcome may follow
    // the worker's exit by a moment. An attempt the worker dropped would stay pending for its lease.
    await eventually(async () => (await deliveriesOf(documentId))[0]?.status === 'delivered', 3000);
    expect(receiver.about(documentId)).toHaveLength(1);
    expect(await deliveriesOf(documentId)).toEqual([expect.objectContaining({ status: 'delivered', attempts: 1 })]);
  });

  it('delivers each event once when two processes share the work', async () => {
    const worker = await startWorker(0, ENV);
    const ids: string[] = [];
    try {
      for (let i = 0; i < 3; i += 1) {
        ids.push(await worker.send<string>('publish', { uid: UID, locale: 'zh-Hans', data: newProject() }));
        ids.push(await publishProject());
      }
      await eventually(() => ids.every((documentId) => receiver.about(documentId).length >= 1), 20000);
      await new Promise((resolve) => setTimeout(resolve, 1500)); // room for a duplicate to show up
    } finally {
      await worker.stop();
    }
    for (const documentId of ids) {
      const rows = await deliveriesOf(documentId);
      expect(rows).toEqual([expect.objectContaining({ status: 'delivered', lastError: null })]);
      // One request per attempt counted: never both processes sending one attempt. (A second attempt
      // only follows an answer later than the timeout: on a loaded machine this process can stall.)
      expect(receiver.about(documentId)).toHaveLength(rows[0].attempts);
    }
  });
});
