/**
 * The public read path's allow-list (issue 9, findings 2, 3, 6, 10b/c): queries whose answer could
 * depend on unpublished drafts are refused with a 400 naming the parameter, for anonymous clients
 * and read-only tokens alike; cache keys and the preview decision come from the parsed query; a
 * preview shows related documents only as published.
 *
 * Each attack compares a query that matches a planted draft value with one that does not: before
 * the fix their answers differed (the oracle); now both are the same 400.
 */
import type { Core } from '@strapi/strapi';
import { apiToken, asSystem, deleteDocuments, http, startStrapi, stopStrapi } from '../helpers/strapi';

const PROJECT = 'api::project.project';
const PARK = 'api::park.park';
const INDUSTRY = 'api::industry.industry';
const marker = `pq${Date.now()}`;
const SECRET = `秘密${marker}`;

let app: Core.Strapi;
let readOnly: string;
let fullAccess: string;
let park: string;
let industry: string;
let projectA: string;
let projectB: string;

const create = async (uid: string, data: Record<string, unknown>, status?: 'published') =>
  (
    (await asSystem(() =>
      app.documents(uid as never).create({ locale: 'zh-Hans', data, ...(status ? { status } : {}) } as never),
    )) as { documentId: string }
  ).documentId;

const draftEdit = (uid: string, documentId: string, data: Record<string, unknown>, locale = 'zh-Hans') =>
  asSystem(() => app.documents(uid as never).update({ documentId, locale, data } as never));

beforeAll(async () => {
  app = await startStrapi();
  readOnly = await apiToken(app, 'read-only');
  fullAccess = await apiToken(app, 'full-access');
  park = await create(PARK, { name: `园区${marker}`, slug: `${marker}-park`, kind: 'industrial_park' }, 'published');
  await draftEdit(PARK, park, { name: `秘密园区${marker}` });
  industry = await create(INDUSTRY, { name: `秘密行业${marker}`, slug: `${marker}-industry` });
  projectA = await create(
    PROJECT,
    { title: `${marker}-1`, slug: `${marker}-a`, kind: 'hotel', stage: 'signed', landAreaMu: 12.5, park },
    'published',
  );
  // Unpublished edits: a secret title and area, a draft-only industry, and a draft-only English version.
  // (English first: creating a locale syncs its non-localized fields, landAreaMu, to the others.)
  await draftEdit(PROJECT, projectA, { title: `secret-en-${marker}`, slug: `${marker}-a-en` }, 'en');
  await draftEdit(PROJECT, projectA, { title: SECRET, landAreaMu: 777.25, industries: [industry] });
  projectB = await create(
    PROJECT,
    { title: `${marker}-5`, slug: `${marker}-b`, kind: 'hotel', stage: 'open' },
    'published',
  );
});

afterAll(async () => {
  await deleteDocuments(app, [
    [PROJECT, projectA],
    [PROJECT, projectB],
    [PARK, park],
    [INDUSTRY, industry],
  ]);
  await stopStrapi(app);
});

type Auth = Record<string, string>;
const get = (url: string, auth: Auth = {}) => http(app).get(url).set(auth);
const anonymous: Auth = {};
const readOnlyAuth = () => ({ Authorization: `Bearer ${readOnly}` });

/** Both queries (one matching a draft value, one not) get the same 400 naming the parameter. */
const refusedAlike = async (hit: string, miss: string, parameter: string, auth: Auth = anonymous) => {
  const [a, b] = [await get(hit, auth), await get(miss, auth)];
  // Before the fix, these differed: the oracle.
  expect({ status: a.status, body: a.body }).toEqual({ status: b.status, body: b.body });
  expect(a.status).toBe(400);
  expect(a.body.error).toMatchObject({ status: 400, name: 'ValidationError' });
  expect(a.body.error.message.startsWith(`Invalid parameter ${parameter}`)).toBe(true);
  expect(a.body.error.details.path).toEqual(expect.any(Array));
  expect(JSON.stringify(a.body)).not.toContain(SECRET);
};

const onlyA = `filters[slug][$eq]=${marker}-a`;

describe('finding 2: no draft oracle through localizations', () => {
  it('refuses filters[localizations][title][$startsWith] on projects (anonymous and read-only token)', async () => {
    const url = (prefix: string) =>
      `/api/projects?${onlyA}&filters[localizations][title][$startsWith]=${encodeURIComponent(prefix)}`;
    await refusedAlike(url(SECRET.slice(0, 4)), url('无此前缀'), 'filters[localizations]');
    await refusedAlike(url(SECRET.slice(0, 4)), url('无此前缀'), 'filters[localizations]', readOnlyAuth());
  });

  it('refuses it however the path is spelled (case, percent-encoding, slashes)', async () => {
    for (const path of ['/API/projects', '/api/PROJECTS', '/api/%70rojects', '/api//projects', '/api/projects/']) {
      const url = (prefix: string) =>
        `${path}?${onlyA}&filters[localizations][title][$startsWith]=${encodeURIComponent(prefix)}`;
      const [a, b] = [await get(url(SECRET.slice(0, 4))), await get(url('无此前缀'))];
      expect([path, a.status, a.body]).toEqual([path, b.status, b.body]);
      expect([path, a.status]).not.toEqual([path, 200]);
    }
    // HEAD runs the GET route: its Content-Length would tell the answers apart.
    const head = (prefix: string) =>
      http(app).head(`/api/projects?${onlyA}&filters[localizations][title][$startsWith]=${encodeURIComponent(prefix)}`);
    const [a, b] = [await head(SECRET.slice(0, 4)), await head('无此前缀')];
    expect([a.status, a.headers['content-length']]).toEqual([400, b.headers['content-length']]);
  });

  it('refuses sort=localizations.title, in every spelling', async () => {
    for (const sort of [
      'sort=localizations.title',
      'sort[0]=localizations.title:desc',
      'sort[localizations][title]=asc',
      'sort=title,localizations.title',
    ]) {
      const response = await get(`/api/projects?filters[slug][$startsWith]=${marker}&${sort}`).expect(400);
      expect(response.body.error.message).toMatch(/^Invalid parameter sort/);
      expect(response.body.error.message).toContain('localizations');
    }
  });

  it('refuses localizations through a relation: /api/parks?filters[projects][localizations][title][$eq]', async () => {
    const url = (title: string) =>
      `/api/parks?filters[slug][$eq]=${marker}-park&filters[projects][localizations][title][$eq]=${encodeURIComponent(title)}`;
    await refusedAlike(url(SECRET), url(`${SECRET}x`), 'filters[projects][localizations]');
  });

  it('refuses numbers through localizations, and a plain filter sees only the published value', async () => {
    const url = (value: string) => `/api/projects?${onlyA}&filters[localizations][landAreaMu][$eq]=${value}`;
    await refusedAlike(url('777.25'), url('778.25'), 'filters[localizations]');
    for (const value of ['777.25', '778.25']) {
      const response = await get(`/api/projects?${onlyA}&filters[landAreaMu][$eq]=${value}`).expect(200);
      expect(response.body.data).toEqual([]);
    }
    const published = await get(`/api/projects?${onlyA}&filters[landAreaMu][$eq]=12.5`).expect(200);
    expect(published.body.data.map(({ documentId }: { documentId: string }) => documentId)).toEqual([projectA]);
  });

  it('filters through ordinary relations on published related documents only', async () => {
    for (const filter of [
      `filters[park][name][$eq]=${encodeURIComponent(`秘密园区${marker}`)}`,
      `filters[industries][name][$eq]=${encodeURIComponent(`秘密行业${marker}`)}`,
      `filters[industries][slug][$eq]=${marker}-industry`,
    ]) {
      const response = await get(`/api/projects?${onlyA}&${filter}`).expect(200);
      expect([filter, response.body.data]).toEqual([filter, []]);
    }
    const published = await get(
      `/api/projects?${onlyA}&filters[park][name][$eq]=${encodeURIComponent(`园区${marker}`)}`,
    );
    expect(published.body.data.map(({ documentId }: { documentId: string }) => documentId)).toEqual([projectA]);
  });

  it('still serves localizations as a populate, published only', async () => {
    const response = await get(`/api/projects/${projectA}?populate[localizations][fields][0]=title`).expect(200);
    expect(JSON.stringify(response.body)).not.toContain('secret-en');
    expect(JSON.stringify(response.body)).not.toContain(SECRET);
  });
});

describe('finding 3: publicationFilter and status', () => {
  it('refuses publicationFilter=modified (REST), anonymous and read-only', async () => {
    const url = (slug: string) => `/api/projects?filters[slug][$eq]=${slug}&publicationFilter=modified`;
    await refusedAlike(url(`${marker}-a`), url(`${marker}-b`), 'publicationFilter');
    await refusedAlike(url(`${marker}-a`), url(`${marker}-b`), 'publicationFilter', readOnlyAuth());
    await refusedAlike(
      `/api/projects?${onlyA}&hasPublishedVersion=true`,
      `/api/projects?filters[slug][$eq]=${marker}-b&hasPublishedVersion=true`,
      'hasPublishedVersion',
    );
  });

  it('refuses status=draft to those who may not read drafts, and lets a full-access token use it', async () => {
    const refused = await get(`/api/projects?${onlyA}&status=draft`).expect(400);
    expect(refused.body.error.message).toMatch(/^Invalid parameter status/);
    await get(`/api/projects?${onlyA}&status=draft`, readOnlyAuth()).expect(400);
    await get(`/api/projects?${onlyA}&status=published`).expect(200);
    const drafts = await get(`/api/projects?${onlyA}&status=draft`, { Authorization: `Bearer ${fullAccess}` }).expect(
      200,
    );
    expect(drafts.body.data[0]).toMatchObject({ title: SECRET, landAreaMu: 777.25 });
  });

  it('refuses publicationFilter: MODIFIED and localizations filters over GraphQL', async () => {
    const gql = (query: string, auth: Auth = anonymous) =>
      http(app).post('/graphql').set(auth).set('Content-Type', 'application/json').send({ query });
    for (const [query, word] of [
      [
        `{ projects(publicationFilter: MODIFIED, filters: { slug: { eq: "${marker}-a" } }) { documentId } }`,
        'publicationFilter',
      ],
      [`{ projects(filters: { localizations: { title: { startsWith: "秘密" } } }) { documentId } }`, 'localizations'],
      [
        `{ parks(filters: { projects: { localizations: { title: { eq: "${SECRET}" } } } }) { documentId } }`,
        'localizations',
      ],
      [
        `{ projects(sort: "localizations.title", filters: { slug: { eq: "${marker}-a" } }) { documentId } }`,
        'localizations',
      ],
    ]) {
      for (const auth of [anonymous, readOnlyAuth()]) {
        const response = await gql(query, auth);
        expect([query, response.body.errors?.[0]?.message]).toEqual([query, expect.stringContaining(word)]);
        expect(JSON.stringify(response.body)).not.toContain(projectA);
      }
    }
  });
});

describe('GraphQL localizations as a selection', () => {
  it('shows published versions only, and refuses filtering them', async () => {
    const gql = (query: string) => http(app).post('/graphql').set('Content-Type', 'application/json').send({ query });
    const selected = await gql(
      `{ projects(filters: { slug: { eq: "${marker}-a" } }) { documentId title localizations { title locale } } }`,
    );
    expect(selected.body.errors).toBeUndefined();
    expect(selected.body.data.projects).toEqual([{ documentId: projectA, title: `${marker}-1`, localizations: [] }]);
    const filtered = await gql(
      `{ projects(filters: { slug: { eq: "${marker}-a" } }) { localizations(filters: { title: { startsWith: "secret" } }) { title } } }`,
    );
    expect(filtered.body.errors?.[0]?.message).toMatch(/^Invalid parameter filters/);
    expect(JSON.stringify(filtered.body)).not.toContain('secret-en');
  });
});

describe('finding 6: previews', () => {
  const token = (locale = 'zh-Hans') =>
    app.plugin('delivery').service('delivery').preview.mint(PROJECT, projectA, locale) as string;

  it('never caches ?%70review=<token> (the percent-encoded spelling of preview)', async () => {
    const url = `/api/projects/${projectA}?%70review=${encodeURIComponent(token())}`;
    for (let i = 0; i < 2; i += 1) {
      const response = await get(url).expect(200);
      expect(response.body.data.title).toBe(SECRET);
      expect(response.headers['x-cache']).toBeUndefined();
      expect(response.headers['cache-control']).toBe('private, no-store');
    }
  });

  it('shows related documents only as published in a preview (not their drafts)', async () => {
    for (const query of ['', '&populate[park][fields][0]=name&populate[industries][fields][0]=name', '&populate=*']) {
      const response = await get(`/api/projects/${projectA}?preview=${encodeURIComponent(token())}${query}`).expect(
        200,
      );
      expect(response.body.data.title).toBe(SECRET);
      expect(response.body.data.park?.name).toBe(`园区${marker}`);
      expect(response.body.data.industries ?? []).toEqual([]);
      expect(JSON.stringify(response.body)).not.toContain(`秘密园区${marker}`);
      expect(JSON.stringify(response.body)).not.toContain(`秘密行业${marker}`);
    }
  });
});

describe('finding 10: cache keys and malformed values', () => {
  it('keeps sort=a&sort=b and sort=b&sort=a apart in the cache', async () => {
    const slugs = async (sort: string) => {
      const response = await get(`/api/projects?filters[slug][$startsWith]=${marker}&fields[0]=slug&${sort}`).expect(
        200,
      );
      return response.body.data.map(({ slug }: { slug: string }) => slug);
    };
    expect(await slugs('sort=stage&sort=title')).toEqual([`${marker}-b`, `${marker}-a`]);
    expect(await slugs('sort=title&sort=stage')).toEqual([`${marker}-a`, `${marker}-b`]);
    expect(await slugs('sort=stage&sort=title')).toEqual([`${marker}-b`, `${marker}-a`]);
  });

  it('answers 400, not 500, to fields[0]=__proto__ and filters[landAreaMu][$gt]=abc', async () => {
    for (const [url, parameter] of [
      ['/api/projects?fields[0]=__proto__', 'fields'],
      ['/api/projects?filters[landAreaMu][$gt]=abc', 'filters[landAreaMu][$gt]'],
      ['/api/projects?filters[publishedAt][$lt]=yesterday', 'filters[publishedAt][$lt]'],
      ['/api/projects?filters[publishedAt][$lt]=2026-02-30', 'filters[publishedAt][$lt]'],
      ['/api/projects?filters[parkingSpaces][$eq]=99999999999', 'filters[parkingSpaces][$eq]'],
      ['/api/projects?filters[coordinatesApproximate][$eq]=maybe', 'filters[coordinatesApproximate][$eq]'],
      ['/api/projects?filters[stage][$eq]=nonsense', 'filters[stage][$eq]'],
      ['/api/projects?filters[title][$regex]=x', 'filters[title][$regex]'],
      ['/api/projects?filters[contact][phone][$startsWith]=139', 'filters[contact]'],
      ['/api/projects?sort=contact.phone', 'sort'],
      ['/api/projects?populate[createdBy]=true', 'populate[createdBy]'],
      ['/api/projects?pagination[pageSize]=ten', 'pagination[pageSize]'],
      ['/api/projects?foo=1', 'foo'],
    ]) {
      for (const auth of [anonymous, readOnlyAuth()]) {
        const response = await get(url, auth);
        expect([url, response.status]).toEqual([url, 400]);
        expect([url, response.body.error.message]).toEqual([url, expect.stringMatching(/^Invalid parameter /)]);
        expect(response.body.error.message.startsWith(`Invalid parameter ${parameter}`)).toBe(true);
      }
    }
  });

  it('never answers a refused query from the read model or the cache', async () => {
    for (let i = 0; i < 2; i += 1) {
      const response = await get('/api/projects?locale=zh-Hans&publicationFilter=modified').expect(400);
      expect(response.headers['x-read-model']).toBeUndefined();
      expect(response.headers['x-cache']).toBeUndefined();
    }
  });
});

describe("front ends' queries still work", () => {
  it('answers the usual filters, sorts, fields, populates and pagination', async () => {
    for (const url of [
      `/api/projects?filters[slug][$startsWith]=${marker}&sort=title:desc&fields=title,slug`,
      `/api/projects?filters[$or][0][slug][$eq]=${marker}-a&filters[$or][1][slug][$eq]=${marker}-b`,
      `/api/projects?filters[park][slug][$eq]=${marker}-park&populate[park][fields][0]=name`,
      `/api/projects?filters[stage][$in][0]=open&filters[stage][$in][1]=signed&filters[slug][$startsWith]=${marker}`,
      `/api/projects?filters[landAreaMu][$gt]=1&filters[title][$containsi]=${marker}&pagination[withCount]=false`,
      `/api/projects?filters[publishedAt][$notNull]=true&filters[slug][$startsWith]=${marker}&sort[0]=publishedAt:desc`,
      `/api/parks?filters[slug][$eq]=${marker}-park&populate[projects][fields][0]=title&populate[cover][populate][image][fields][0]=url`,
      `/api/projects/${projectA}?populate=*`,
      `/api/projects?locale=en&pagination[page]=1&pagination[pageSize]=5`,
      '/api/platforms?filters[level][$eq]=national',
      '/api/talents?locale=en&filters[kind][$eq]=honour',
      '/api/district-profile?locale=en',
      `/api/projects?filters[slug][$startsWith]=${marker}&pagination[start]=0&pagination[limit]=1`,
    ]) {
      const response = await get(url);
      expect([url, response.status, response.body.error]).toEqual([url, 200, undefined]);
    }
  });
});

describe("a list's total", () => {
  /** The count queries on the projects table a request runs, and its answer's total. */
  const totalOf = async (url: string) => {
    const counts: string[] = [];
    const listener = ({ sql }: { sql: string }) => {
      if (/count\(/i.test(sql) && /\bprojects\b/.test(sql)) counts.push(sql);
    };
    app.db.connection.on('query', listener);
    try {
      const response = await get(url).expect(200);
      return { total: response.body.meta.pagination.total, counted: counts.length };
    } finally {
      app.db.connection.off('query', listener);
    }
  };
  const mine = `filters[slug][$startsWith]=${marker}`;

  it('comes from a short page without a count query, published only', async () => {
    expect(await totalOf(`/api/projects?${mine}`)).toEqual({ total: 2, counted: 0 });
    // projectA's English version is a draft: neither the page nor the total sees it. (`fields`
    // keeps it on Strapi's path: the read model counts a text search first, see read-model tests.)
    expect(await totalOf(`/api/projects?locale=en&${mine}&fields[0]=title`)).toEqual({ total: 0, counted: 0 });
    expect(await totalOf(`/api/projects?${mine}&pagination[start]=1&pagination[limit]=5`)).toEqual({
      total: 2,
      counted: 0,
    });
  });

  it('is counted where the page cannot tell it (a full page, an empty page past the start)', async () => {
    expect(await totalOf(`/api/projects?${mine}&pagination[pageSize]=1`)).toEqual({ total: 2, counted: 1 });
    expect(await totalOf(`/api/projects?${mine}&pagination[page]=3&pagination[pageSize]=1`)).toEqual({
      total: 2,
      counted: 1,
    });
  });
});
