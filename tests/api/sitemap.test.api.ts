/**
 * GET /api/sitemap.xml as an index of paged child sitemaps (src/lib/sitemap.ts): the index lists
 * exactly the pages that hold published rows, each page is a valid urlset of the published rows in
 * its id range (so no page grows with the table), every published version appears exactly once,
 * and nothing in the query can bring a draft in. Pages are 5 rows wide here
 * (WUTONG_SITEMAP_PAGE_ROWS), so the seed's projects already span several.
 */
import type { Core } from '@strapi/strapi';
import { apiToken, asSystem, deleteDocuments, http, startStrapi, stopStrapi } from '../helpers/strapi';
import { readSitemap } from '../helpers/sitemap';

const PROJECT = 'api::project.project';
const NEWS = 'api::news.news-article';
const SITE = 'plugin::delivery.site';
const WIDTH = 5;
const marker = `smap${Date.now()}`;
const SITE_NAME = `${marker}-pages`;
const BASE = 'https://pages.example.org';
const LANG: Record<string, string> = { 'zh-Hans': 'zh', en: 'en' };

let app: Core.Strapi;
const created: [string, string][] = [];
const previousWidth = process.env.WUTONG_SITEMAP_PAGE_ROWS;

const create = async (locale: string, data: Record<string, unknown>, status: 'draft' | 'published') => {
  const { documentId } = (await asSystem(() =>
    app.documents(PROJECT as never).create({ locale, data, status } as never),
  )) as { documentId: string };
  created.push([PROJECT, documentId]);
  return documentId;
};

/** The published rows of a type in both languages, as the database holds them now, by id. */
const publishedRows = async (uid: string) =>
  (
    (await app.db.query(uid as never).findMany({
      where: { publishedAt: { $notNull: true }, locale: { $in: Object.keys(LANG) } },
      select: ['id', 'documentId', 'locale', 'slug'],
      orderBy: { id: 'asc' },
    })) as { id: number; documentId: string; locale: string; slug: string }[]
  ).map((row) => ({ ...row, loc: `${BASE}/${LANG[row.locale]}/${segmentOf(uid)}/${row.slug}` }));
const segmentOf = (uid: string) => (uid === PROJECT ? 'projects' : 'news');
const pageOf = (id: number) => Math.ceil(id / WIDTH);

beforeAll(async () => {
  process.env.WUTONG_SITEMAP_PAGE_ROWS = String(WIDTH);
  app = await startStrapi();
  const project = { kind: 'land_parcel', stage: 'open' };
  const live = await create('zh-Hans', { ...project, title: `上线${marker}`, slug: `${marker}-live` }, 'published');
  await asSystem(() =>
    app.documents(PROJECT as never).update({
      documentId: live,
      locale: 'en',
      data: { ...project, title: `Live ${marker}`, slug: `${marker}-live` },
      status: 'published',
    } as never),
  );
  // Never published.
  await create('en', { ...project, title: `Never ${marker}`, slug: `${marker}-never` }, 'draft');
  // Published, then a draft edit that moves its slug: only the published slug is listed.
  const edited = await create('zh-Hans', { ...project, title: `已发${marker}`, slug: `${marker}-shown` }, 'published');
  await asSystem(() =>
    app.documents(PROJECT as never).update({
      documentId: edited,
      locale: 'zh-Hans',
      data: { slug: `${marker}-edited` },
    } as never),
  );
  const site = (await asSystem(() =>
    app.documents(SITE as never).create({
      data: {
        name: SITE_NAME,
        title: 'Paged site',
        baseUrl: `${BASE}/`,
        locales: ['zh-Hans', 'en'],
        contentTypes: [PROJECT, NEWS],
        pathPattern: '/{lang}/{collection}/{slug}',
        localePaths: LANG,
        enabled: true,
      },
    } as never),
  )) as { documentId: string };
  created.push([SITE, site.documentId]);
});

afterAll(async () => {
  if (previousWidth === undefined) delete process.env.WUTONG_SITEMAP_PAGE_ROWS;
  else process.env.WUTONG_SITEMAP_PAGE_ROWS = previousWidth;
  await deleteDocuments(app, created.reverse());
  await stopStrapi(app);
});

describe('GET /api/sitemap.xml, paged', () => {
  it('indexes exactly the pages that hold a published row of each type, as URLs on this API', async () => {
    const { index, pages } = await readSitemap(app, { site: SITE_NAME });
    expect(index.children.every((entry) => entry.name === 'sitemap')).toBe(true);
    const origin = new URL(http(app).get('/').url).origin;
    for (const uid of [PROJECT, NEWS]) {
      const expected = [...new Set((await publishedRows(uid)).map((row) => pageOf(row.id)))].sort((a, b) => a - b);
      const listed = pages.filter((page) => page.url.searchParams.get('type') === segmentOf(uid));
      expect(listed.map((page) => Number(page.url.searchParams.get('page')))).toEqual(expected);
      for (const { url } of listed) {
        expect(`${url.origin}${url.pathname}`).toBe(`${origin}/api/sitemap.xml`);
        expect(url.searchParams.get('site')).toBe(SITE_NAME);
      }
    }
    // The seed's 11 projects in two languages already span several pages of 5 rows.
    expect(pages.filter((page) => page.url.searchParams.get('type') === 'projects').length).toBeGreaterThan(2);
    // One type's index.
    const projects = await readSitemap(app, { site: SITE_NAME, type: 'projects' });
    expect(projects.pages.map((page) => page.url.href)).toEqual(
      pages.filter((page) => page.url.searchParams.get('type') === 'projects').map((page) => page.url.href),
    );
  });

  it('has in each page the published rows of its id range, at most 5, and every published version once', async () => {
    const { pages, urls } = await readSitemap(app, { site: SITE_NAME });
    for (const uid of [PROJECT, NEWS]) {
      const rows = await publishedRows(uid);
      for (const page of pages.filter((one) => one.url.searchParams.get('type') === segmentOf(uid))) {
        const number = Number(page.url.searchParams.get('page'));
        // (number − 1) × 5 < id ≤ number × 5, in id order: both ends of the range belong here.
        const inRange = rows.filter((row) => row.id > (number - 1) * WIDTH && row.id <= number * WIDTH);
        expect(page.urls.map((url) => url.loc)).toEqual(inRange.map((row) => row.loc));
        expect(page.urls.length).toBeLessThanOrEqual(WIDTH);
      }
      const listed = urls
        .map((url) => url.loc)
        .filter(
          (loc) => loc.startsWith(`${BASE}/zh/${segmentOf(uid)}/`) || loc.startsWith(`${BASE}/en/${segmentOf(uid)}/`),
        );
      expect(listed.sort()).toEqual(rows.map((row) => row.loc).sort());
    }
    // Alternates point at the other language's published version.
    const live = urls.find((url) => url.loc === `${BASE}/en/projects/${marker}-live`);
    expect(live?.alternates).toEqual({
      'zh-Hans': `${BASE}/zh/projects/${marker}-live`,
      en: `${BASE}/en/projects/${marker}-live`,
      'x-default': `${BASE}/zh/projects/${marker}-live`,
    });
  });

  it('answers 404 past the last page and for a type the site does not show, 400 for a malformed page', async () => {
    const last = Math.max(...(await publishedRows(PROJECT)).map((row) => pageOf(row.id)));
    const page = (query: Record<string, string>) =>
      http(app)
        .get('/api/sitemap.xml')
        .query({ site: SITE_NAME, type: 'projects', ...query });
    await page({ page: String(last) }).expect(200);
    const past = await page({ page: String(last + 1) }).expect(404);
    expect(past.body.error).toMatchObject({ status: 404, name: 'NotFoundError' });
    await page({ type: 'parks', page: '1' }).expect(404);
    await http(app).get('/api/sitemap.xml').query({ site: SITE_NAME, type: 'parks' }).expect(404);
    for (const bad of ['0', '-1', '1.5', 'x', '99999999999']) {
      const { body } = await page({ page: bad }).expect(400);
      expect(body.error).toMatchObject({ status: 400, name: 'ValidationError' });
      expect(body.error.details.errors[0].path).toEqual(['page']);
    }
    const noType = await http(app).get('/api/sitemap.xml').query({ site: SITE_NAME, page: '1' }).expect(400);
    expect(noType.body.error.details.errors[0].path).toEqual(['type']);
  });

  it('never lists a draft, whatever the query or the credentials say', async () => {
    const token = await apiToken(app, 'full-access');
    const attacks = [
      'status=draft',
      'publicationState=preview',
      'preview=anything',
      'locale=en',
      'filters[publishedAt][$null]=true',
      `site=${SITE_NAME}&status=draft`,
      `site=${SITE_NAME}&type=projects&page=1&status=draft`,
      `site[$ne]=nobody`,
      `site=${SITE_NAME}&site=other`,
    ];
    for (const query of attacks) {
      for (const headers of [{}, { Authorization: `Bearer ${token}` }]) {
        const { body, text } = await http(app).get(`/api/sitemap.xml?${query}`).set(headers).expect(400);
        expect(body.error).toMatchObject({ status: 400, name: 'ValidationError' });
        expect(text).not.toContain(marker);
      }
    }
    const { urls } = await readSitemap(app, { site: SITE_NAME });
    const ours = urls.map((url) => url.loc).filter((loc) => loc.includes(marker));
    expect(ours.sort()).toEqual(
      [
        `${BASE}/en/projects/${marker}-live`,
        `${BASE}/zh/projects/${marker}-live`,
        `${BASE}/zh/projects/${marker}-shown`,
      ].sort(),
    );
    expect(JSON.stringify(urls)).not.toMatch(new RegExp(`${marker}-(never|edited)`));
  });
});
