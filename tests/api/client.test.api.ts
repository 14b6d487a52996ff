/**
 * The official JavaScript client (@strapi/client) against our API, unchanged: lists with
 * filters, sorting, pagination and populate, one document, the single type, our extra
 * parameters (fallback, near, preview) passed through, drafts never served, errors as the
 * client's error classes. With a read-only token and anonymously.
 */
import type { AddressInfo } from 'net';
import type { Core } from '@strapi/strapi';
import { HTTPBadRequestError, HTTPForbiddenError, HTTPNotFoundError, strapi, type API } from '@strapi/client';
import { apiToken, asSystem, http, startStrapi, stopStrapi } from '../helpers/strapi';

const PROJECT = 'api::project.project';
const marker = `client-${Date.now()}`;

/** Our query parameters on top of Strapi's. The client's parameter type has no index signature, so they are typed here. */
type WutongQuery = API.BaseQueryParams & { fallback?: boolean; near?: string; radius?: number; preview?: string };

let app: Core.Strapi;
let baseURL: string;
let readOnly: ReturnType<typeof strapi>;
let anonymous: ReturnType<typeof strapi>;
let chineseOnly: string;

beforeAll(async () => {
  app = await startStrapi();
  baseURL = `http://127.0.0.1:${(app.server.httpServer.address() as AddressInfo).port}/api`;
  readOnly = strapi({ baseURL, auth: await apiToken(app, 'read-only') });
  anonymous = strapi({ baseURL });
  // Published in Chinese only, with a saved but unpublished change.
  chineseOnly = (
    (await asSystem(() =>
      app.documents(PROJECT).create({
        locale: 'zh-Hans',
        status: 'published',
        data: { title: `仅中文 ${marker}`, slug: marker, kind: 'hotel', stage: 'open' },
      } as never),
    )) as { documentId: string }
  ).documentId;
  await asSystem(() =>
    app
      .documents(PROJECT)
      .update({ documentId: chineseOnly, locale: 'zh-Hans', data: { title: `草稿 ${marker}` } } as never),
  );
});

afterAll(async () => {
  if (chineseOnly)
    await asSystem(() => app.documents(PROJECT).delete({ documentId: chineseOnly, locale: '*' } as never));
  await stopStrapi(app);
});

describe('a front end with a read-only token', () => {
  it('lists with filters, sort, pagination, fields and populate exactly as the REST API answers', async () => {
    const result = await readOnly.collection('projects').find({
      locale: 'en',
      filters: { kind: { $ne: 'hotel' } },
      sort: ['code:asc'],
      pagination: { page: 1, pageSize: 2 },
      fields: ['title', 'code', 'kind'],
      populate: { park: { fields: ['name'] } },
    });
    const direct = await http(app)
      .get(
        '/api/projects?locale=en&filters[kind][$ne]=hotel&sort[0]=code:asc&pagination[page]=1' +
          '&pagination[pageSize]=2&fields[0]=title&fields[1]=code&fields[2]=kind&populate[park][fields][0]=name',
      )
      .expect(200);
    expect(result).toEqual(direct.body);

    const total = await app
      .documents(PROJECT)
      .count({ locale: 'en', status: 'published', filters: { kind: { $ne: 'hotel' } } } as never);
    expect(total).toBeGreaterThan(2); // so that the page really is cut
    expect(result.meta.pagination).toEqual({ page: 1, pageSize: 2, pageCount: Math.ceil(total / 2), total });
    expect(result.data).toHaveLength(2);
    const codes = result.data.map((project) => project.code as string);
    expect(codes).toEqual([...codes].sort());
    for (const project of result.data) {
      expect(project.kind).not.toBe('hotel');
      expect(Object.keys(project).sort()).toEqual(['code', 'documentId', 'id', 'kind', 'park', 'title']);
    }
    expect(result.data.some((project) => project.park?.name)).toBe(true);
  });

  it('finds one document in a language, with the default populate', async () => {
    const [first] = (await readOnly.collection('projects').find({ locale: 'en', sort: 'code' })).data;
    const one = await readOnly.collection('projects').findOne(first.documentId, { locale: 'en' });
    expect(one.data).toMatchObject({ documentId: first.documentId, locale: 'en', title: first.title });
    expect(one.data).toHaveProperty('location');
    expect(one.data).not.toHaveProperty('contact');
    const chinese = await readOnly.collection('projects').findOne(first.documentId);
    expect(chinese.data.locale).toBe('zh-Hans');
    expect(chinese.data.title).not.toBe(first.title);
  });

  it('reads the single type', async () => {
    const en = await readOnly.single('district-profile').find({ locale: 'en' });
    const zh = await readOnly.single('district-profile').find();
    expect(en.data).toMatchObject({ locale: 'en', name: expect.any(String) });
    expect(zh.data).toMatchObject({ locale: 'zh-Hans', documentId: en.data.documentId });
    expect(zh.data.name).not.toBe(en.data.name);
  });

  it('passes our fallback parameter through', async () => {
    const only = { locale: 'en', filters: { slug: { $eq: marker } } };
    expect((await readOnly.collection('projects').find(only)).data).toEqual([]);
    const withFallback: WutongQuery = { ...only, fallback: true };
    const served = await readOnly.collection('projects').find(withFallback);
    expect(served.data).toEqual([expect.objectContaining({ documentId: chineseOnly, locale: 'zh-Hans' })]);
  });

  it('never gets drafts: asking with status: draft is a 400, status: published is served', async () => {
    await expect(readOnly.collection('projects').findOne(chineseOnly, { status: 'draft' })).rejects.toBeInstanceOf(
      HTTPBadRequestError,
    );
    const asked = await readOnly.collection('projects').findOne(chineseOnly, { status: 'published' });
    expect(asked.data.title).toBe(`仅中文 ${marker}`);
  });

  it('reports errors as the client’s error classes', async () => {
    const unknownLocale = readOnly.collection('projects').find({ locale: 'xx' });
    await expect(unknownLocale).rejects.toBeInstanceOf(HTTPBadRequestError);
    await expect(readOnly.collection('projects').findOne('doesnotexist000000000000')).rejects.toBeInstanceOf(
      HTTPNotFoundError,
    );
    await expect(readOnly.collection('projects').create({ title: marker })).rejects.toBeInstanceOf(HTTPForbiddenError);
  });
});

describe('an anonymous front end', () => {
  it('reads published content and our near query', async () => {
    const near: WutongQuery = { near: '34.66,112.40', radius: 50, fields: ['name'] };
    const parks = await anonymous.collection('parks').find(near);
    expect(parks.data.length).toBeGreaterThan(0);
    expect(parks.meta).toMatchObject({ near: { lat: 34.66, lng: 112.4, radiusKm: 50 } });
    const distances = parks.data.map((park) => park.distanceKm as number);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(distances.every((distance) => distance <= 50)).toBe(true);
    const all = await anonymous.collection('parks').find({ pagination: { pageSize: 100 } });
    expect(all.data.length).toBeGreaterThanOrEqual(parks.data.length);
  });

  it('sees a draft only with its preview token', async () => {
    const preview = (
      app.plugin('delivery').service('delivery') as {
        preview: { mint(uid: string, id: string, locale: string): string };
      }
    ).preview.mint(PROJECT, chineseOnly, 'zh-Hans');
    const query: WutongQuery = { preview };
    expect((await anonymous.collection('projects').findOne(chineseOnly, query)).data.title).toBe(`草稿 ${marker}`);
    expect((await anonymous.collection('projects').findOne(chineseOnly)).data.title).toBe(`仅中文 ${marker}`);
  });

  it('may not write', async () => {
    await expect(anonymous.collection('projects').create({ title: marker })).rejects.toBeInstanceOf(HTTPForbiddenError);
    await expect(anonymous.collection('projects').delete(chineseOnly)).rejects.toBeInstanceOf(HTTPForbiddenError);
    expect((await anonymous.collection('projects').findOne(chineseOnly)).data.documentId).toBe(chineseOnly);
  });
});
