/**
 * CORS (finding 8): the admin side answers cross-origin requests only from its own origin or
 * ADMIN_ORIGINS, so a page elsewhere (or a sandboxed "null" one) cannot read an admin token; the
 * public content API is readable from anywhere, without credentials.
 */
import type { Core } from '@strapi/strapi';
import { createAdmin, SUPER_ADMIN, type AdminSession } from '../helpers/admin';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';

const ADMIN_ORIGIN = 'https://admin.example.org';
let saved: string | undefined;
let app: Core.Strapi;
let admin: AdminSession;
let self: string;

beforeAll(async () => {
  saved = process.env.ADMIN_ORIGINS;
  process.env.ADMIN_ORIGINS = `${ADMIN_ORIGIN}, *, null`; // the wildcard and "null" must not count
  app = await startStrapi();
  admin = await createAdmin(app, [SUPER_ADMIN], 'CORS');
  self = `http://127.0.0.1:${(app.server.httpServer.address() as { port: number }).port}`;
});

afterAll(async () => {
  await stopStrapi(app);
  if (saved === undefined) delete process.env.ADMIN_ORIGINS;
  else process.env.ADMIN_ORIGINS = saved;
});

const preflight = (path: string, origin: string, method = 'POST') =>
  http(app)
    .options(path)
    .set('Origin', origin)
    .set('Access-Control-Request-Method', method)
    .set('Access-Control-Request-Headers', 'content-type,authorization');

const noCors = (headers: Record<string, string>) => {
  expect(headers['access-control-allow-origin']).toBeUndefined();
  expect(headers['access-control-allow-credentials']).toBeUndefined();
};

describe('admin routes', () => {
  it.each(['https://evil.example', 'null', 'http://127.0.0.1.evil.example'])(
    'give %s no CORS headers: preflights, login, the current user, a fresh access token',
    async (origin) => {
      noCors((await preflight('/admin/login', origin)).headers);
      noCors((await preflight('/admin/users/me', origin, 'GET')).headers);
      noCors((await preflight('/admin/access-token', origin)).headers);
      noCors((await preflight('/content-manager/collection-types/api::project.project', origin, 'GET')).headers);
      const me = await http(app).get('/admin/users/me').set(admin.auth).set('Origin', origin);
      noCors(me.headers);
      const login = await http(app)
        .post('/admin/login')
        .set('Origin', origin)
        .send({ email: 'nobody@example.org', password: 'wrong-Password-1' });
      noCors(login.headers);
      for (const path of ['/upload/files', '/editorial/assignees', '/i18n/locales', '/users-permissions/roles'])
        noCors((await http(app).get(path).set(admin.auth).set('Origin', origin)).headers);
    },
  );

  it('still answer the same origin and ADMIN_ORIGINS, with credentials', async () => {
    for (const origin of [self, ADMIN_ORIGIN]) {
      const options = await preflight('/admin/login', origin).expect(204);
      expect(options.headers).toMatchObject({
        'access-control-allow-origin': origin,
        'access-control-allow-credentials': 'true',
      });
      const me = await http(app).get('/admin/users/me').set(admin.auth).set('Origin', origin).expect(200);
      expect(me.headers).toMatchObject({
        'access-control-allow-origin': origin,
        'access-control-allow-credentials': 'true',
      });
    }
  });

  it('do not answer content-API writes from other origins', async () => {
    noCors((await preflight('/api/projects', 'https://evil.example', 'POST')).headers);
    noCors((await preflight('/api/projects/x', 'https://evil.example', 'DELETE')).headers);
  });
});

describe('public content API', () => {
  it.each(['https://evil.example', 'null', 'https://www.example.gov.cn'])(
    'is readable from %s without credentials, cached or not',
    async (origin) => {
      for (let i = 0; i < 2; i += 1) {
        const response = await http(app).get('/api/projects?locale=en').set('Origin', origin).expect(200);
        expect([origin, '*']).toContain(response.headers['access-control-allow-origin']);
        expect(response.headers['access-control-allow-credentials']).toBeUndefined();
      }
      const options = await preflight('/api/projects', origin, 'GET').expect(204);
      expect([origin, '*']).toContain(options.headers['access-control-allow-origin']);
      expect(options.headers['access-control-allow-credentials']).toBeUndefined();
      const graphql = await http(app)
        .post('/graphql')
        .set('Origin', origin)
        .send({ query: '{ projects { documentId } }' })
        .expect(200);
      expect([origin, '*']).toContain(graphql.headers['access-control-allow-origin']);
      expect(graphql.headers['access-control-allow-credentials']).toBeUndefined();
    },
  );
});

describe('security headers', () => {
  const STRICT = "default-src 'none'; frame-ancestors 'none'";

  it("give content API answers the strictest CSP, cache hits and errors too, and leave the admin panel's", async () => {
    const url = '/api/projects?locale=en&pagination[pageSize]=1';
    await http(app).get(url).expect(200);
    const hit = await http(app).get(url).expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.headers['content-security-policy']).toBe(STRICT);
    expect(hit.headers['x-content-type-options']).toBe('nosniff');
    const refused = await http(app).get('/api/projects?status=draft');
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.headers['content-security-policy']).toBe(STRICT);

    const panel = await http(app).get('/admin/users/me').set(admin.auth).expect(200);
    expect(panel.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect((await http(app).get('/admin')).headers['content-security-policy']).toMatch(/script-src 'self'/);
  });
});
