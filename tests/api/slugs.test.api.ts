/**
 * Slugs from Chinese titles in pinyin, in the admin's generate button and on the server when a
 * write sends none; and the relation picker reaches every project, page after page.
 */
import type { Core } from '@strapi/strapi';
import { cm, createAdmin, SUPER_ADMIN, type AdminSession } from '../helpers/admin';
import { asSystem, deleteDocuments, http, startStrapi, stopStrapi } from '../helpers/strapi';

const PROJECT = 'api::project.project';
const NEWS = 'api::news.news-article';
let app: Core.Strapi;
let admin: AdminSession;
const created: [string, string | undefined][] = [];

beforeAll(async () => {
  app = await startStrapi();
  admin = await createAdmin(app, [SUPER_ADMIN], 'Slugs');
});

afterAll(async () => {
  await deleteDocuments(app, created);
  await stopStrapi(app);
});

const marker = `${Date.now()}`;

it("generates a slug from a Chinese title in pinyin (the UID field's generate button)", async () => {
  const response = await http(app)
    .post('/content-manager/uid/generate?locale=zh-Hans')
    .set(admin.auth)
    .send({ contentTypeUID: PROJECT, field: 'slug', data: { title: `西工区标准厂房 ${marker}号` } })
    .expect(200);
  expect(response.body.data).toBe(`xi-gong-qu-biao-zhun-chang-fang-${marker}-hao`);
});

it('makes a slug on the server when the admin sends none, with a suffix when it is taken', async () => {
  const send = () =>
    http(app)
      .post(cm(PROJECT).create('zh-Hans'))
      .set(admin.auth)
      .send({ title: `凤凰谷 ${marker}`, kind: 'hotel', stage: 'open' })
      .expect(201);
  const first = (await send()).body.data;
  created.push([PROJECT, first.documentId]);
  const second = (await send()).body.data;
  created.push([PROJECT, second.documentId]);
  expect(first.slug).toBe(`feng-huang-gu-${marker}`);
  expect(second.slug).toBe(`feng-huang-gu-${marker}-1`);
});

it('keeps a slug the client sends', async () => {
  const response = await http(app)
    .post(cm(PROJECT).create('zh-Hans'))
    .set(admin.auth)
    .send({ title: `自定义 ${marker}`, slug: `my-own-${marker}`, kind: 'hotel', stage: 'open' })
    .expect(201);
  created.push([PROJECT, response.body.data.documentId]);
  expect(response.body.data.slug).toBe(`my-own-${marker}`);
});

it('makes a slug for code creating a document through the Document Service', async () => {
  const news = (await asSystem(() =>
    app.documents(NEWS as never).create({ locale: 'zh-Hans', data: { title: `新闻发布 ${marker}` } } as never),
  )) as unknown as { documentId: string; slug: string };
  created.push([NEWS, news.documentId]);
  expect(news.slug).toBe(`xin-wen-fa-bu-${marker}`);
});

it('lets the relation picker page through every project', async () => {
  const total = await app.documents(PROJECT as never).count({ locale: 'zh-Hans' } as never);
  expect(total).toBeGreaterThan(10);
  const seen = new Set<string>();
  for (let page = 1; page <= Math.ceil(total / 10); page += 1) {
    const response = await http(app)
      .get(`/content-manager/relations/${NEWS}/relatedProjects?locale=zh-Hans&pageSize=10&page=${page}`)
      .set(admin.auth)
      .expect(200);
    expect(response.body.pagination).toMatchObject({ page, pageSize: 10, total, pageCount: Math.ceil(total / 10) });
    response.body.results.forEach((project: { documentId: string }) => seen.add(project.documentId));
  }
  expect(seen.size).toBe(total);
});
