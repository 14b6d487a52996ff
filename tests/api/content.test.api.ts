/**
 * Every type's list and detail in both locales, the lean default populate, and a client's own
 * populate respected as sent.
 */
import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';

let app: Core.Strapi;

beforeAll(async () => {
  app = await startStrapi();
});

afterAll(async () => {
  await stopStrapi(app);
});

const COLLECTIONS = [
  { path: 'projects', label: 'title' },
  { path: 'parks', label: 'name' },
  { path: 'platforms', label: 'name' },
  { path: 'talents', label: 'title' },
  { path: 'news', label: 'title' },
  { path: 'industries', label: 'name' },
  { path: 'organizations', label: 'name' },
];

describe.each(COLLECTIONS)('/api/$path', ({ path, label }) => {
  it('lists published entries in Chinese by default and in English on request', async () => {
    const zh = await http(app).get(`/api/${path}`).expect(200);
    const en = await http(app).get(`/api/${path}?locale=en`).expect(200);
    expect(zh.body.data.length).toBeGreaterThan(0);
    expect(zh.body.data.every((entry: { locale: string }) => entry.locale === 'zh-Hans')).toBe(true);
    expect(en.body.data.every((entry: { locale: string }) => entry.locale === 'en')).toBe(true);
    expect(en.body.meta.pagination.total).toBe(zh.body.meta.pagination.total);
    expect(zh.body.meta.pagination).toMatchObject({ page: 1, pageSize: 25 });
  });

  it('serves one entry by documentId in each locale', async () => {
    const first = (await http(app).get(`/api/${path}?pagination[pageSize]=1`).expect(200)).body.data[0];
    const zh = await http(app).get(`/api/${path}/${first.documentId}`).expect(200);
    const en = await http(app).get(`/api/${path}/${first.documentId}?locale=en`).expect(200);
    expect(zh.body.data).toMatchObject({ documentId: first.documentId, locale: 'zh-Hans' });
    expect(en.body.data).toMatchObject({ documentId: first.documentId, locale: 'en' });
    expect(en.body.data[label]).not.toBe(zh.body.data[label]);
    expect(zh.body.data).not.toHaveProperty('localizations');
  });

  it('answers an unknown documentId with a 404 in Strapi’s error format', async () => {
    const response = await http(app).get(`/api/${path}/doesnotexist000000000000`).expect(404);
    expect(response.body).toMatchObject({ data: null, error: { status: 404, name: 'NotFoundError' } });
  });
});

describe('/api/district-profile', () => {
  it('serves the single type in both locales', async () => {
    const zh = await http(app).get('/api/district-profile').expect(200);
    const en = await http(app).get('/api/district-profile?locale=en').expect(200);
    expect(zh.body.data.locale).toBe('zh-Hans');
    expect(en.body.data.locale).toBe('en');
    expect(zh.body.data.figures.length).toBeGreaterThan(10);
  });
});

describe('default populate', () => {
  it('gives a project list its location, highlights, industries and park, with relations trimmed to link fields', async () => {
    const { body } = await http(app).get('/api/projects?locale=en&filters[code][$eq]=XG-03').expect(200);
    const [project] = body.data;
    expect(project.location.address).toContain('Hengshan Road');
    expect(project.highlights.length).toBeGreaterThan(0);
    expect(Object.keys(project.park).sort()).toEqual(['documentId', 'id', 'name', 'slug']);
    expect(Object.keys(project.industries[0]).sort()).toEqual(['documentId', 'id', 'name', 'slug']);
    expect(project).not.toHaveProperty('seo'); // detail only
    expect(project).not.toHaveProperty('contact');
    expect(project).not.toHaveProperty('localizations');
  });

  it('adds what a detail page needs', async () => {
    const list = await http(app).get('/api/projects?filters[code][$eq]=XG-03').expect(200);
    const { body } = await http(app).get(`/api/projects/${list.body.data[0].documentId}`).expect(200);
    expect(body.data.seo.metaTitle).toBeTruthy();
    expect(body.data).toHaveProperty('gallery');
    expect(body.data.park.name).toBe('凤凰谷产业园');
  });

  it('gives a park its projects and platforms on the detail page', async () => {
    const list = await http(app).get('/api/parks?filters[slug][$eq]=fenghuanggu-industrial-park').expect(200);
    const { body } = await http(app).get(`/api/parks/${list.body.data[0].documentId}`).expect(200);
    expect(body.data.projects.map(({ title }: { title: string }) => title)).toContain('凤凰谷产业园招商项目');
  });

  it('respects a client’s own populate as sent', async () => {
    const { body } = await http(app).get('/api/projects?filters[code][$eq]=XG-03&populate[0]=industries').expect(200);
    const [project] = body.data;
    expect(project.industries.length).toBeGreaterThan(0);
    expect(project.industries[0]).toHaveProperty('description'); // all fields: not the trimmed default
    expect(project).not.toHaveProperty('location');
    expect(project).not.toHaveProperty('park');
  });

  it('keeps a list of 25 projects lean compared with populate=*', async () => {
    const lean = await http(app).get('/api/projects?locale=en').expect(200);
    const star = await http(app).get('/api/projects?locale=en&populate=*').expect(200);
    expect(lean.text.length).toBeLessThan(star.text.length);
    expect(star.body.data[0]).toHaveProperty('localizations');
  });

  it('leaves fields selection working alongside the default', async () => {
    const { body } = await http(app).get('/api/projects?fields[0]=title&filters[code][$eq]=XG-01').expect(200);
    expect(body.data[0].title).toBe('智能装备产业园项目');
    expect(body.data[0]).not.toHaveProperty('summary');
    expect(body.data[0]).toHaveProperty('location');
  });
});

describe('query errors', () => {
  it('answers an unknown filter field with a 400', async () => {
    const response = await http(app).get('/api/projects?filters[nope][$eq]=1').expect(400);
    expect(response.body.error.name).toBe('ValidationError');
  });

  it('answers an unknown locale with a 400, not an empty list', async () => {
    for (const path of ['/api/projects?locale=xx', '/api/district-profile?locale=xx']) {
      const response = await http(app).get(path).expect(400);
      expect(response.body.error).toMatchObject({ name: 'ValidationError', message: 'Unknown locale "xx"' });
    }
  });

  it('knows a locale as soon as it is added', async () => {
    const locales = app.plugin('i18n').service('locales');
    await http(app).get('/api/projects?locale=fr').expect(400);
    const french = await locales.create({ code: 'fr', name: 'French (fr)' });
    try {
      const response = await http(app).get('/api/projects?locale=fr').expect(200);
      expect(response.body.data).toEqual([]);
    } finally {
      await locales.delete({ id: french.id });
    }
    await http(app).get('/api/projects?locale=fr').expect(400);
  });
});

describe('the server itself', () => {
  it('answers health checks and serves its favicon (browsers ask for it on every admin page)', async () => {
    await http(app).get('/_health').expect(204);
    const favicon = await http(app).get('/favicon.ico').expect(200);
    expect(favicon.headers['content-type']).toMatch(/image/);
  });
});

// Two processes on one SQLite file (the dev server and a script) wait for each other's writes
// rather than fail (see src/lib/sqlite.ts).
(process.env.DATABASE_FILENAME ? describe : describe.skip)('SQLite shared by processes', () => {
  it('gives a transaction the write lock from its start', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3');
    const other = new Database(process.env.DATABASE_FILENAME, { timeout: 0 });
    try {
      await app.db.transaction(async () => {
        await app.db.query('plugin::i18n.locale').findMany({ select: ['code'] });
        // Another process cannot start writing (it waits; here it is refused, as it does not wait).
        // Under a plain BEGIN it could, and this transaction's first write would then be refused.
        other.exec('BEGIN');
        try {
          expect(() => other.exec('CREATE TABLE wutong_lock_probe (id integer)')).toThrow(
            expect.objectContaining({ code: 'SQLITE_BUSY' }),
          );
        } finally {
          other.exec('ROLLBACK');
        }
      });
    } finally {
      other.close();
    }
  });
});
