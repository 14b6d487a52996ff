/**
 * The Sites page's admin API (/delivery/sites…): Super Admins register, change, test, rotate and
 * delete sites; each field problem is a 400 naming the field with a code, and nothing is written;
 * the secret is answered on registration and rotation only; the test notice is signed and goes
 * through the webhook path (SSRF rules included); the Content Manager no longer shows sites.
 */
import type { Core } from '@strapi/strapi';
import { createAdmin, SUPER_ADMIN, type AdminSession } from '../helpers/admin';
import { startReceiver } from '../helpers/receiver';
import { deleteMatching, http, startStrapi, stopStrapi } from '../helpers/strapi';
import { verifySignature } from '../../src/lib/signature';

const SITE_UID = 'plugin::delivery.site';
const UID = 'api::project.project';
const marker = `sites-${Date.now()}`;
const saved = process.env.WEBHOOK_ALLOWLIST;

let app: Core.Strapi;
let chief: AdminSession;
let deliveryReader: AdminSession;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let count = 0;

beforeAll(async () => {
  // The receiver runs on this machine: allowed the way the webhook tests allow it.
  process.env.WEBHOOK_ALLOWLIST = '127.0.0.1';
  app = await startStrapi();
  chief = await createAdmin(app, [SUPER_ADMIN], 'Chief');
  // Sees the Delivery page (and the Sites link), but is no Super Admin.
  const code = `test-delivery-reader-${Date.now()}`;
  const role = await app.service('admin::role').create({ name: `Delivery reader ${code}`, code, description: 'test' });
  await app
    .service('admin::role')
    .assignPermissions(role.id, [{ action: 'plugin::delivery.read', subject: null, properties: {}, conditions: [] }]);
  deliveryReader = await createAdmin(app, [code], 'Reader');
  receiver = await startReceiver();
});

afterAll(async () => {
  await deleteMatching(app, SITE_UID, { name: { $startsWith: marker } });
  await receiver?.close();
  await stopStrapi(app);
  if (saved === undefined) delete process.env.WEBHOOK_ALLOWLIST;
  else process.env.WEBHOOK_ALLOWLIST = saved;
});

const newSite = (data: Record<string, unknown> = {}) => ({
  name: `${marker}-${(count += 1)}`,
  title: '英文投资网站',
  baseUrl: 'https://invest.example.gov.cn',
  locales: ['zh-Hans', 'en'],
  contentTypes: [UID],
  webhookUrl: receiver.url,
  ...data,
});

const register = (data: Record<string, unknown>, who = chief) =>
  http(app).post('/delivery/sites').set(who.auth).send(data);

const stored = (name: string) =>
  app.db.query(SITE_UID).findOne({ where: { name } }) as Promise<{
    documentId: string;
    webhookSecret: string;
    locales: string[];
    apiTokenName: string;
  } | null>;

const siteCount = () => app.db.query(SITE_UID).count({ where: { name: { $startsWith: marker } } });

const audit = async (name: string) =>
  (
    (
      await http(app)
        .get(`/editorial/audit?action=site-change&q=${encodeURIComponent(name)}`)
        .set(chief.auth)
        .expect(200)
    ).body.data as { summary: string }[]
  ).map(({ summary }) => summary);

describe('registering a site', () => {
  it('takes the languages as a list, answers the secret once, and audits the change', async () => {
    const data = newSite({ localePaths: { 'zh-Hans': 'zh' }, pathPattern: '/{lang}/{type}/{slug}' });
    const response = await register(data).expect(201);
    expect(response.body.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(response.body.site).toMatchObject({
      name: data.name,
      locales: ['zh-Hans', 'en'],
      contentTypes: [UID],
      localePaths: { 'zh-Hans': 'zh' },
      hasSecret: true,
      apiTokenName: `site: ${data.name}`,
    });
    expect(response.body.site).not.toHaveProperty('webhookSecret');
    const row = await stored(data.name);
    expect(row).toMatchObject({ locales: ['zh-Hans', 'en'], webhookSecret: response.body.secret });
    expect(await audit(data.name)).toEqual([`site "${data.name}" created`]);

    // Never again: not in the list, not after a change.
    const list = await http(app).get('/delivery/sites/registry').set(chief.auth).expect(200);
    expect(JSON.stringify(list.body)).not.toContain(response.body.secret);
    expect(list.body.results.find(({ name }: { name: string }) => name === data.name)).toMatchObject({
      hasSecret: true,
    });
    expect(list.body.locales.map(({ code }: { code: string }) => code)).toEqual(
      expect.arrayContaining(['zh-Hans', 'en']),
    );
    expect(list.body.contentTypes).toEqual(
      expect.arrayContaining([{ uid: UID, name: expect.any(String), segment: 'projects' }]),
    );
    expect(list.body.contentTypes.every(({ uid }: { uid: string }) => uid.startsWith('api::'))).toBe(true);
    const changed = await http(app)
      .put(`/delivery/sites/${row!.documentId}`)
      .set(chief.auth)
      .send({ locales: ['en'], title: 'English investor site' })
      .expect(200);
    expect(changed.body).toEqual({
      site: expect.objectContaining({ locales: ['en'], title: 'English investor site' }),
    });
    expect(JSON.stringify(changed.body)).not.toContain(response.body.secret);
  });

  it.each([
    ['locales', { locales: ['fr'] }, 'site.locale-unknown'],
    ['locales', { locales: '["zh-Hans","en"]' }, 'site.locales-empty'],
    ['contentTypes', { contentTypes: ['api::nothing.nothing'] }, 'site.type-unknown'],
    ['contentTypes', { contentTypes: ['plugin::delivery.site'] }, 'site.type-unknown'],
    ['baseUrl', { baseUrl: 'not a url' }, 'site.url'],
    ['baseUrl', { baseUrl: 'ftp://invest.example.gov.cn' }, 'site.url-scheme'],
    ['previewUrl', { previewUrl: 'javascript:alert(1)' }, 'site.preview-url'],
    ['pathPattern', { pathPattern: '{lang}/{slug}' }, 'site.path-pattern'],
    ['webhookUrl', { webhookUrl: 'ftp://hooks.example.org/' }, 'webhook.scheme'],
    ['webhookUrl', { webhookUrl: 'http://[::1]:8080/hooks' }, 'webhook.private'],
    ['name', { name: 'Not A Name' }, 'site.name'],
    ['title', { title: 'x'.repeat(201) }, 'site.too-long'],
    ['webhookSecret', { webhookSecret: 'mine' }, 'site.unknown-field'],
  ])('refuses a bad %s with a 400 naming it, and writes nothing (%j)', async (field, data, code) => {
    const before = await siteCount();
    const response = await register(newSite(data)).expect(400);
    expect(response.body).toMatchObject({ data: null, error: { status: 400, name: 'ValidationError' } });
    expect(response.body.error.details.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: [field], code })]),
    );
    expect(await siteCount()).toBe(before);
    expect(await audit(`${marker}-${count}`)).toEqual([]);
  });

  it('names every missing field at once', async () => {
    const response = await register({}).expect(400);
    expect(response.body.error.details.errors.map(({ path }: { path: string[] }) => path[0]).sort()).toEqual([
      'baseUrl',
      'contentTypes',
      'locales',
      'name',
    ]);
  });

  it('refuses loopback webhooks unless allow-listed (the SSRF rules of every webhook)', async () => {
    delete process.env.WEBHOOK_ALLOWLIST;
    try {
      const response = await register(newSite()).expect(400);
      expect(response.body.error.details.errors).toEqual([
        expect.objectContaining({
          path: ['webhookUrl'],
          code: 'webhook.private',
          values: { host: '127.0.0.1', address: '127.0.0.1' },
          message: expect.stringMatching(/private or loopback/),
        }),
      ]);
    } finally {
      process.env.WEBHOOK_ALLOWLIST = '127.0.0.1';
    }
  });
});

describe('only Super Admins', () => {
  it('list, register, change, test, rotate and delete sites: anyone else gets a 403, anonymous a 401', async () => {
    const data = newSite();
    const { documentId } = (await register(data).expect(201)).body.site;
    const before = await stored(data.name);
    const routes: [string, string, Record<string, unknown>?][] = [
      ['get', '/delivery/sites/registry'],
      ['post', '/delivery/sites', newSite()],
      ['post', '/delivery/sites/example', {}],
      ['put', `/delivery/sites/${documentId}`, { title: 'taken over' }],
      ['post', `/delivery/sites/${documentId}/secret`],
      ['post', `/delivery/sites/${documentId}/test`],
      ['delete', `/delivery/sites/${documentId}`],
    ];
    const heard = receiver.received.length;
    for (const [method, path, body] of routes) {
      const call = (http(app) as unknown as Record<string, (path: string) => import('supertest').Test>)[method](path);
      const refused = await call.set(deliveryReader.auth).send(body ?? {});
      expect([method, path, refused.status]).toEqual([method, path, 403]);
      expect(refused.body.error.details).toMatchObject({ code: 'write.access-needs-super-admin' });
      const anonymous = await (http(app) as unknown as Record<string, (path: string) => import('supertest').Test>)
        [method](path)
        .send(body ?? {});
      expect([method, path, anonymous.status]).toEqual([method, path, 401]);
    }
    expect(await stored(data.name)).toEqual(before);
    expect(await siteCount()).toBeGreaterThan(0);
    expect(receiver.received.length).toBe(heard);
    // The Delivery page's own list stays readable to them.
    await http(app).get('/delivery/sites').set(deliveryReader.auth).expect(200);
  });
});

describe('the secret', () => {
  it('is rotated: the new one is answered once and signs the next notice', async () => {
    const data = newSite();
    const created = (await register(data).expect(201)).body;
    const rotated = await http(app)
      .post(`/delivery/sites/${created.site.documentId}/secret`)
      .set(chief.auth)
      .expect(200);
    expect(rotated.body.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(rotated.body.secret).not.toBe(created.secret);
    expect((await stored(data.name))!.webhookSecret).toBe(rotated.body.secret);
    const list = await http(app).get('/delivery/sites/registry').set(chief.auth).expect(200);
    expect(JSON.stringify(list.body)).not.toContain(rotated.body.secret);

    const test = await http(app).post(`/delivery/sites/${created.site.documentId}/test`).set(chief.auth).expect(200);
    expect(test.body).toMatchObject({ ok: true, status: 204 });
    const notice = receiver.received[receiver.received.length - 1];
    const { 'x-wutong-timestamp': timestamp, 'x-wutong-signature': signature } = notice.headers as Record<
      string,
      string
    >;
    expect(verifySignature(rotated.body.secret, timestamp, signature, notice.raw)).toEqual({ ok: true });
    expect(verifySignature(created.secret, timestamp, signature, notice.raw)).toMatchObject({ ok: false });
  });
});

describe('the test notice', () => {
  it('is a signed site.test event the receiver gets, with what it answered', async () => {
    const data = newSite();
    const created = (await register(data).expect(201)).body;
    const heard = receiver.received.length;
    const response = await http(app)
      .post(`/delivery/sites/${created.site.documentId}/test`)
      .set(chief.auth)
      .expect(200);
    expect(response.body).toEqual({ ok: true, status: 204, ms: expect.any(Number) });
    expect(receiver.received.length).toBe(heard + 1);
    const notice = receiver.received[heard];
    expect(notice.headers).toMatchObject({
      'x-wutong-event': 'site.test',
      'x-wutong-delivery': expect.stringMatching(/^test-\d+$/),
      'x-wutong-signature': expect.stringMatching(/^sha256=[0-9a-f]{64}$/),
    });
    expect(notice.body).toMatchObject({ event: 'site.test', site: data.name, id: notice.headers['x-wutong-delivery'] });
    expect(
      verifySignature(
        created.secret,
        notice.headers['x-wutong-timestamp'] as string,
        notice.headers['x-wutong-signature'] as string,
        notice.raw,
      ),
    ).toEqual({ ok: true });
    // Not a delivery: nothing is queued or retried.
    expect(await app.db.query('plugin::delivery.delivery').count({ where: { siteName: data.name } })).toBe(0);
  });

  it('reports the status of a failing receiver, and the SSRF refusal of a URL no longer allowed', async () => {
    const created = (await register(newSite()).expect(201)).body;
    const test = () => http(app).post(`/delivery/sites/${created.site.documentId}/test`).set(chief.auth).expect(200);
    receiver.respond = () => 503;
    try {
      expect((await test()).body).toMatchObject({ ok: false, status: 503, code: 'webhook.http' });
    } finally {
      receiver.respond = () => 204;
    }
    const heard = receiver.received.length;
    delete process.env.WEBHOOK_ALLOWLIST;
    try {
      expect((await test()).body).toMatchObject({
        ok: false,
        status: null,
        code: 'webhook.private',
        values: { host: '127.0.0.1', address: '127.0.0.1' },
      });
    } finally {
      process.env.WEBHOOK_ALLOWLIST = '127.0.0.1';
    }
    expect(receiver.received.length).toBe(heard);
  });

  it('is a 404 for a site that does not exist', async () => {
    const response = await http(app).post('/delivery/sites/nosuchsite000000000000/test').set(chief.auth).expect(404);
    expect(response.body.error.details).toMatchObject({ code: 'site.not-found' });
  });
});

describe('changing and deleting', () => {
  it('keeps the code name, refuses bad changes without writing, and deletes with the token', async () => {
    const data = newSite();
    const { documentId } = (await register(data).expect(201)).body.site;
    const before = await stored(data.name);
    const renamed = await http(app)
      .put(`/delivery/sites/${documentId}`)
      .set(chief.auth)
      .send({ name: `${marker}-renamed` })
      .expect(400);
    expect(renamed.body.error.details.errors).toEqual([
      expect.objectContaining({ path: ['name'], code: 'site.name-fixed' }),
    ]);
    const bad = await http(app)
      .put(`/delivery/sites/${documentId}`)
      .set(chief.auth)
      .send({ title: 'changed', locales: ['en', 'xx'] })
      .expect(400);
    expect(bad.body.error.details.errors).toEqual([
      expect.objectContaining({ path: ['locales'], code: 'site.locale-unknown', values: { value: 'xx' } }),
    ]);
    expect(await stored(data.name)).toEqual(before);
    await http(app).put(`/delivery/sites/${documentId}`).set(chief.auth).send({}).expect(400);

    await http(app).delete(`/delivery/sites/${documentId}`).set(chief.auth).expect(200);
    expect(await stored(data.name)).toBeNull();
    expect(await app.db.query('admin::api-token').findOne({ where: { name: `site: ${data.name}` } })).toBeNull();
    expect(await audit(data.name)).toEqual(
      expect.arrayContaining([`site "${data.name}" created`, `site "${data.name}" deleted`]),
    );
    await http(app).delete(`/delivery/sites/${documentId}`).set(chief.auth).expect(404);
  });
});

describe('the live example', () => {
  it('renders the patterns with a real document of the chosen type and language', async () => {
    const response = await http(app)
      .post('/delivery/sites/example')
      .set(chief.auth)
      .send({
        baseUrl: 'https://invest.example.gov.cn/',
        locales: ['en'],
        contentTypes: [UID],
        pathPattern: '/{lang}/{type}/{slug}',
        localePaths: { en: 'english' },
        previewUrl: 'https://invest.example.gov.cn/preview?token={token}&path={path}&id={documentId}',
      })
      .expect(200);
    const { document } = response.body;
    expect(document).toMatchObject({ type: 'projects', locale: 'en', documentId: expect.any(String) });
    const real = await app.documents(UID).findOne({ documentId: document.documentId, locale: 'en' } as never);
    expect(real).toMatchObject({ slug: document.slug, title: document.title });
    expect(response.body.path).toBe(`/english/projects/${document.slug}`);
    expect(response.body.pageUrl).toBe(`https://invest.example.gov.cn/english/projects/${document.slug}`);
    expect(response.body.previewUrl).toBe(
      `https://invest.example.gov.cn/preview?token=TOKEN&path=${encodeURIComponent(response.body.path)}&id=${document.documentId}`,
    );
  });
});

describe('the Content Manager', () => {
  it('no longer shows or writes sites (they are edited on the Sites page)', async () => {
    const response = await http(app).get('/content-manager/content-types').set(chief.auth).expect(200);
    const site = response.body.data.find(({ uid }: { uid: string }) => uid === SITE_UID);
    expect(site).toMatchObject({ isDisplayed: false });
    // Nor edits them, even for a Super Admin: no raw JSON path around the Sites page's checks.
    const before = await siteCount();
    await http(app).post(`/content-manager/collection-types/${SITE_UID}`).set(chief.auth).send(newSite()).expect(403);
    expect(await siteCount()).toBe(before);
  });
});
