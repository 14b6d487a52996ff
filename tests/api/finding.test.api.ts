/**
 * Finding content: search in Chinese and English (ranked, highlighted, published only), distance
 * filters and GeoJSON, sitemaps with hreflang alternates, and the 400s for bad parameters.
 */
import type { Core } from '@strapi/strapi';
import { asSystem, deleteDocuments, http, startStrapi, stopStrapi } from '../helpers/strapi';

const PROJECT = 'api::project.project';
const SITE = 'plugin::delivery.site';
const marker = `find${Date.now()}`;

let app: Core.Strapi;
const created: { uid: string; documentId: string }[] = [];

const create = async (uid: string, locales: Record<string, Record<string, unknown>>, shared = {}) => {
  const [first, ...others] = Object.entries(locales);
  const { documentId } = (await asSystem(() =>
    app
      .documents(uid as never)
      .create({ locale: first[0], data: { ...shared, ...first[1] }, status: 'published' } as never),
  )) as { documentId: string };
  for (const [locale, data] of others) {
    await asSystem(() =>
      app
        .documents(uid as never)
        .update({ documentId, locale, data: { ...shared, ...data }, status: 'published' } as never),
    );
  }
  created.push({ uid, documentId });
  return documentId;
};

let titleHit: string;
let bodyHit: string;
let draftOnly: string;

beforeAll(async () => {
  app = await startStrapi();
  const project = { kind: 'land_parcel', stage: 'open' };
  // Two projects that mention a made-up place: one in its title, one only in its summary.
  titleHit = await create(
    PROJECT,
    {
      'zh-Hans': { title: `梧桐谷${marker}地块`, slug: `${marker}-title`, summary: '用地约50亩。' },
      en: { title: `Tongvale ${marker} Plot`, slug: `${marker}-title`, summary: 'About 50 mu.' },
    },
    { ...project, latitude: 34.7, longitude: 112.4 },
  );
  bodyHit = await create(
    PROJECT,
    {
      'zh-Hans': { title: `滨河${marker}仓储项目`, slug: `${marker}-body`, summary: '毗邻梧桐谷，交通便利。' },
      en: { title: `Riverside ${marker} Warehouse`, slug: `${marker}-body`, summary: 'Next to the Tongvale plot.' },
    },
    { ...project, latitude: 34.9, longitude: 112.9 },
  );
  // Published once, then given a draft that mentions the place: the draft must not be found.
  draftOnly = await create(PROJECT, { 'zh-Hans': { title: `草稿${marker}项目`, slug: `${marker}-draft` } }, project);
  await asSystem(() =>
    app.documents(PROJECT as never).update({
      documentId: draftOnly,
      locale: 'zh-Hans',
      data: { summary: '梧桐谷草稿' },
    } as never),
  );
});

afterAll(async () => {
  await deleteDocuments(
    app,
    created.reverse().map(({ uid, documentId }) => [uid, documentId]),
  );
  await stopStrapi(app);
});

describe('GET /api/search', () => {
  it('finds Chinese text without word boundaries, ranked, with highlights', async () => {
    const { body } = await http(app).get('/api/search').query({ q: '梧桐谷', locale: 'zh-Hans' }).expect(200);
    const ids = body.data.map((hit: { documentId: string }) => hit.documentId);
    expect(ids.slice(0, 2)).toEqual([titleHit, bodyHit]); // a title match outranks a summary match
    expect(ids).not.toContain(draftOnly);
    expect(body.data[0]).toMatchObject({
      type: 'project',
      collection: 'projects',
      locale: 'zh-Hans',
      title: `梧桐谷${marker}地块`,
      slug: `${marker}-title`,
    });
    expect(body.data[0].score).toBeGreaterThan(body.data[1].score);
    expect(JSON.stringify(body.data[1].highlights)).toContain('<mark>梧桐谷</mark>');
    expect(body.meta).toMatchObject({ query: '梧桐谷', locale: 'zh-Hans', pagination: { page: 1, total: ids.length } });
  });

  it('finds the real seed in both languages', async () => {
    const zh = await http(app).get('/api/search').query({ q: '五星级酒店', locale: 'zh-Hans' }).expect(200);
    expect(zh.body.data[0]).toMatchObject({ slug: 'five-star-hotel-project', title: '五星级酒店招商项目' });
    const en = await http(app).get('/api/search').query({ q: 'five-star hotel', locale: 'en' }).expect(200);
    expect(en.body.data[0]).toMatchObject({ slug: 'five-star-hotel-project', locale: 'en' });
    expect(JSON.stringify(en.body.data[0].highlights)).toMatch(/<mark>Five-Star<\/mark>|<mark>Hotel<\/mark>/i);
  });

  it('matches English case-insensitively, every word required, and filters by type', async () => {
    const both = await http(app).get('/api/search').query({ q: 'TONGVALE', locale: 'en' }).expect(200);
    expect(both.body.data.map((hit: { documentId: string }) => hit.documentId)).toEqual([titleHit, bodyHit]);
    const one = await http(app)
      .get('/api/search')
      .query({ q: `tongvale ${marker} about`, locale: 'en' })
      .expect(200);
    expect(one.body.data.map((hit: { documentId: string }) => hit.documentId)).toEqual([titleHit]);
    const news = await http(app).get('/api/search').query({ q: 'Tongvale', locale: 'en', types: 'news' }).expect(200);
    expect(news.body.data).toEqual([]);
  });

  it('treats LIKE wildcards as text', async () => {
    // As wildcards both would match "Tongvale"; as text neither occurs.
    for (const q of ['Tong%vale', 'Tong_ale']) {
      const { body } = await http(app).get('/api/search').query({ q, locale: 'en' }).expect(200);
      expect(body.data).toEqual([]);
    }
    // A literal percent sign is found where the text has one (the seed: "grew by 51%").
    const percent = await http(app).get('/api/search').query({ q: '51%', locale: 'en' }).expect(200);
    expect(JSON.stringify(percent.body.data)).toContain('<mark>51%</mark>');
  });

  it('pages the ranked results', async () => {
    const page2 = await http(app).get('/api/search').query({ q: '梧桐谷', locale: 'zh-Hans', pageSize: 1, page: 2 });
    expect(page2.status).toBe(200);
    expect(page2.body.data.map((hit: { documentId: string }) => hit.documentId)).toEqual([bodyHit]);
    expect(page2.body.meta.pagination).toMatchObject({ page: 2, pageSize: 1, pageCount: 2, total: 2 });
  });

  it('has trigram indexes on the searched columns on PostgreSQL', async () => {
    if (app.db.dialect.client !== 'postgres') return; // SQLite searches with LIKE, unindexed
    const { rows } = (await app.db.connection.raw(
      `SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'wutong_search_%'`,
    )) as { rows: { indexname: string; indexdef: string }[] };
    const defs = rows.map(({ indexdef }) => indexdef).join('\n');
    expect(defs).toMatch(/ON public\.projects USING gin \(title gin_trgm_ops\)/);
    expect(defs).toMatch(/ON public\.projects USING gin \(\(\(body\)::text\) gin_trgm_ops\)/);
    expect(rows.length).toBeGreaterThanOrEqual(15);
  });

  it.each([
    [{}, 'q'],
    [{ q: 'x', locale: 'xx' }, 'locale'],
    [{ q: 'x', types: 'projects,unicorns' }, 'types'],
    [{ q: 'x', pageSize: '500' }, 'pageSize'],
    [{ q: 'x', page: '0' }, 'page'],
  ])('refuses %j with a 400 naming %s', async (query, path) => {
    const { body } = await http(app).get('/api/search').query(query).expect(400);
    expect(body.error).toMatchObject({ status: 400, name: 'ValidationError', details: { errors: [{ path: [path] }] } });
  });
});

describe('geo', () => {
  it('filters projects by distance, nearest first, with distanceKm', async () => {
    const { body } = await http(app)
      .get('/api/projects')
      .query({ locale: 'en', near: '34.70,112.40', radius: '30' })
      .expect(200);
    const distances = body.data.map((entry: { distanceKm: number }) => entry.distanceKm);
    expect(body.data[0]).toMatchObject({ documentId: titleHit });
    expect(distances[0]).toBeLessThan(0.01);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
    expect(Math.max(...distances)).toBeLessThanOrEqual(30);
    // The other test project is ~50 km away: outside 30 km, inside 60 km.
    expect(body.data.map((entry: { documentId: string }) => entry.documentId)).not.toContain(bodyHit);
    const wider = await http(app).get('/api/projects').query({ locale: 'en', near: '34.70,112.40', radius: '60' });
    expect(wider.body.data.map((entry: { documentId: string }) => entry.documentId)).toContain(bodyHit);
    expect(body.meta.near).toMatchObject({ lat: 34.7, lng: 112.4, radiusKm: 30 });
    expect(body.meta.pagination.total).toBe(body.data.length);
  });

  it('combines with filters', async () => {
    const { body } = await http(app)
      .get('/api/projects')
      .query({ locale: 'en', near: '34.70,112.40', radius: '60', filters: { slug: { $startsWith: marker } } })
      .expect(200);
    expect(body.data.map((entry: { documentId: string }) => entry.documentId).sort()).toEqual(
      [titleHit, bodyHit].sort(),
    );
  });

  it.each([
    ['/api/projects', { near: 'north', radius: '5' }, 'near'],
    ['/api/projects', { near: '95,112', radius: '5' }, 'near'],
    ['/api/projects', { near: '34.7,112.4', radius: '-1' }, 'radius'],
    ['/api/news', { near: '34.7,112.4', radius: '5' }, 'near'],
    ['/api/geo', { near: '34.7', radius: '5' }, 'near'],
  ])('%s refuses %j with a 400', async (url, query, path) => {
    const { body } = await http(app).get(url).query(query).expect(400);
    expect(body.error).toMatchObject({ status: 400, name: 'ValidationError', details: { errors: [{ path: [path] }] } });
  });

  it('serves GeoJSON of located projects and parks for maps', async () => {
    const response = await http(app).get('/api/geo').query({ locale: 'en' }).expect(200);
    expect(response.headers['content-type']).toMatch(/application\/geo\+json/);
    expect(response.body.type).toBe('FeatureCollection');
    const mine = response.body.features.find(
      (feature: { properties: { documentId: string } }) => feature.properties.documentId === titleHit,
    );
    expect(mine).toMatchObject({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [112.4, 34.7] }, // GeoJSON order: longitude, latitude
      properties: { type: 'project', collection: 'projects', title: `Tongvale ${marker} Plot`, locale: 'en' },
    });
    const types = new Set(
      response.body.features.map((feature: { properties: { type: string } }) => feature.properties.type),
    );
    expect(types).toEqual(new Set(['project', 'park']));
    // A project without coordinates (the seed's headquarters base) is not on the map.
    expect(JSON.stringify(response.body)).not.toContain('headquarters-economy-base-project');
    const near = await http(app).get('/api/geo').query({ locale: 'en', near: '34.9,112.9', radius: '1' }).expect(200);
    expect(
      near.body.features.map((feature: { properties: { documentId: string } }) => feature.properties.documentId),
    ).toEqual([bodyHit]);
  });
});

describe('GET /api/sitemap.xml', () => {
  let site: string;
  beforeAll(async () => {
    site = (
      (await asSystem(() =>
        app.documents(SITE as never).create({
          data: {
            name: `${marker}-investor`,
            title: 'Investor site',
            baseUrl: 'https://invest.example.org/',
            locales: ['zh-Hans', 'en'],
            contentTypes: [PROJECT],
            pathPattern: '/{lang}/{collection}/{slug}',
            localePaths: { 'zh-Hans': 'zh', en: 'en' },
            enabled: true,
          },
        } as never),
      )) as { documentId: string }
    ).documentId;
    created.push({ uid: SITE, documentId: site });
  });

  it('lists every published page of a site with hreflang alternates for each language', async () => {
    const response = await http(app)
      .get('/api/sitemap.xml')
      .query({ site: `${marker}-investor` })
      .expect(200);
    expect(response.headers['content-type']).toMatch(/application\/xml/);
    const xml = response.text;
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(xml).toContain('xmlns:xhtml="http://www.w3.org/1999/xhtml"');
    const block = (loc: string) => {
      const at = xml.indexOf(`<loc>${loc}</loc>`);
      expect(at).toBeGreaterThan(-1);
      return xml.slice(at, xml.indexOf('</url>', at));
    };
    const en = block(`https://invest.example.org/en/projects/${marker}-title`);
    for (const [lang, href] of [
      ['zh-Hans', `https://invest.example.org/zh/projects/${marker}-title`],
      ['en', `https://invest.example.org/en/projects/${marker}-title`],
      ['x-default', `https://invest.example.org/zh/projects/${marker}-title`],
    ]) {
      expect(en).toContain(`<xhtml:link rel="alternate" hreflang="${lang}" href="${href}"/>`);
    }
    expect(en).toMatch(/<lastmod>\d{4}-\d\d-\d\dT[\d:.]+Z<\/lastmod>/);
    block(`https://invest.example.org/zh/projects/${marker}-title`);
    // The draft-only version and other types are not listed; the real seed's projects are.
    expect(xml).not.toContain(`/en/projects/${marker}-draft`);
    expect(xml).toContain('/en/projects/five-star-hotel-project');
    expect(xml).not.toContain('/news/');
  });

  it('covers every site without ?site=, and 404s an unknown one', async () => {
    const all = await http(app).get('/api/sitemap.xml').expect(200);
    expect(all.text).toContain(`https://invest.example.org/en/projects/${marker}-title`);
    const { body } = await http(app).get('/api/sitemap.xml').query({ site: 'no-such-site' }).expect(404);
    expect(body.error).toMatchObject({ status: 404, name: 'NotFoundError' });
  });

  it('drops a page once it is unpublished', async () => {
    await asSystem(() => app.documents(PROJECT as never).unpublish({ documentId: bodyHit, locale: 'en' } as never));
    const xml = (
      await http(app)
        .get('/api/sitemap.xml')
        .query({ site: `${marker}-investor` })
        .expect(200)
    ).text;
    expect(xml).not.toContain(`/en/projects/${marker}-body`);
    const zh = xml.slice(xml.indexOf(`<loc>https://invest.example.org/zh/projects/${marker}-body</loc>`));
    expect(zh.slice(0, zh.indexOf('</url>'))).not.toContain('hreflang="en"');
  });
});
