/**
 * Permission boundaries: the Public role reads published content and does nothing else; a
 * read-only token (npm run token) reads and cannot write; bootstrap is idempotent.
 */
import { execFile } from 'child_process';
import path from 'path';
import { promisify } from 'util';
import type { Core } from '@strapi/strapi';
import { fromDist, ROOT } from '../helpers/paths';
import { apiToken, http, startStrapi, stopStrapi } from '../helpers/strapi';

let app: Core.Strapi;
let projectId: string;

beforeAll(async () => {
  app = await startStrapi();
  const project = await app
    .documents('api::project.project')
    .findFirst({ locale: 'zh-Hans', status: 'published' } as never);
  projectId = (project as { documentId: string }).documentId;
});

afterAll(async () => {
  await stopStrapi(app);
});

const TYPES = ['projects', 'parks', 'platforms', 'talents', 'news', 'industries', 'organizations'];

describe('the Public role', () => {
  it('has exactly find/findOne on our content types and nothing else', async () => {
    const permissions = await app.db
      .query('plugin::users-permissions.permission')
      .findMany({ where: { role: { type: 'public' } }, select: ['action'] });
    expect(permissions.map(({ action }: { action: string }) => action).sort()).toEqual([
      'api::district-profile.district-profile.find',
      'api::industry.industry.find',
      'api::industry.industry.findOne',
      'api::news.news-article.find',
      'api::news.news-article.findOne',
      'api::organization.organization.find',
      'api::organization.organization.findOne',
      'api::park.park.find',
      'api::park.park.findOne',
      'api::platform.platform.find',
      'api::platform.platform.findOne',
      'api::project.project.find',
      'api::project.project.findOne',
      'api::talent.talent.find',
      'api::talent.talent.findOne',
    ]);
  });

  it.each(TYPES)('may list /api/%s', async (type) => {
    await http(app).get(`/api/${type}`).expect(200);
  });

  it.each(TYPES)('may not create, update or delete /api/%s', async (type) => {
    await http(app)
      .post(`/api/${type}`)
      .send({ data: { title: 'x', name: 'x' } })
      .expect(403);
    await http(app)
      .put(`/api/${type}/${projectId}`)
      .send({ data: { title: 'x' } })
      .expect(403);
    await http(app).delete(`/api/${type}/${projectId}`).expect(403);
  });

  it('may not change the district profile', async () => {
    await http(app)
      .put('/api/district-profile')
      .send({ data: { name: 'x' } })
      .expect(403);
    await http(app).delete('/api/district-profile').expect(403);
  });

  it('may not sign up, list users, read roles or browse uploads', async () => {
    await http(app)
      .post('/api/auth/local/register')
      .send({ username: 'intruder', email: 'intruder@example.com', password: 'Password123' })
      .expect(403);
    await http(app).get('/api/users').expect(403);
    await http(app).get('/api/users-permissions/roles').expect(403);
    await http(app).get('/api/upload/files').expect(403);
    await http(app).post('/api/upload').expect(403);
  });

  it('loses a permission added by mistake at the next start', async () => {
    const role = await app.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } });
    await app.db
      .query('plugin::users-permissions.permission')
      .create({ data: { action: 'api::project.project.create', role: role.id } });
    const { syncPublicPermissions } = fromDist<typeof import('../../src/bootstrap/public-permissions')>(
      'src/bootstrap/public-permissions',
    );
    await syncPublicPermissions(app);
    const left = await app.db
      .query('plugin::users-permissions.permission')
      .count({ where: { action: 'api::project.project.create' } });
    expect(left).toBe(0);
  });
});

describe('a read-only API token', () => {
  it('reads but cannot write', async () => {
    const auth = { Authorization: `Bearer ${await apiToken(app, 'read-only')}` };
    await http(app).get('/api/projects').set(auth).expect(200);
    await http(app).get(`/api/projects/${projectId}`).set(auth).expect(200);
    await http(app)
      .post('/api/projects')
      .set(auth)
      .send({ data: { title: 'x' } })
      .expect(403);
    await http(app)
      .put(`/api/projects/${projectId}`)
      .set(auth)
      .send({ data: { title: 'x' } })
      .expect(403);
    await http(app).delete(`/api/projects/${projectId}`).set(auth).expect(403);
  });

  it('is rejected when it is not a real token', async () => {
    await http(app).get('/api/projects').set('Authorization', 'Bearer not-a-token').expect(401);
  });

  it('is created by `npm run token -- <name>`, printed once, and works', async () => {
    const name = `front end ${Date.now()}`;
    const { stdout } = await promisify(execFile)('node', [path.join(ROOT, 'scripts', 'token.js'), name], {
      cwd: ROOT,
      env: process.env,
    });
    const secret = stdout.match(/^([0-9a-f]{64,})$/m)?.[1];
    expect(secret).toBeDefined();
    const stored = await app.db.query('admin::api-token').findOne({ where: { name } });
    expect(stored).toMatchObject({ type: 'read-only', kind: 'content-api' });
    expect(stored.accessKey).not.toBe(secret); // only a hash is kept
    await http(app).get('/api/projects').set('Authorization', `Bearer ${secret}`).expect(200);
    await http(app)
      .post('/api/projects')
      .set('Authorization', `Bearer ${secret}`)
      .send({ data: { title: 'x' } })
      .expect(403);

    const again = await promisify(execFile)('node', [path.join(ROOT, 'scripts', 'token.js'), name], {
      cwd: ROOT,
      env: process.env,
    }).catch((error: { code: number; stderr: string }) => error);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('already exists') });
  });
});

describe('bootstrap', () => {
  it('keeps exactly zh-Hans (default) and en, however often it runs', async () => {
    const { ensureLocales } = fromDist<typeof import('../../src/bootstrap/locales')>('src/bootstrap/locales');
    await ensureLocales(app);
    await ensureLocales(app);
    const locales = app.plugin('i18n').service('locales');
    const codes = (await locales.find()).map(({ code }: { code: string }) => code).sort();
    expect(codes).toEqual(['en', 'zh-Hans']);
    expect(await locales.getDefaultLocale()).toBe('zh-Hans');
  });
});
