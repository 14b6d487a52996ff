/**
 * The translation workflow: per-field status against the Chinese source, locale-restricted
 * translators on every write path, languages added at runtime, fallback on the public API,
 * machine-translation pre-fill (against a local fake provider), glossary flags, alt text per locale.
 */
import { execFile } from 'child_process';
import fs from 'fs';
import http from 'http';
import type { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import type { Core } from '@strapi/strapi';
import { cm, createAdmin, editorial, type AdminSession } from '../helpers/admin';
import { ROOT } from '../helpers/paths';
import { asSystem, http as request, startStrapi, stopStrapi } from '../helpers/strapi';

const UID = 'api::project.project';
const SOURCE = 'zh-Hans';

let app: Core.Strapi;
let author: AdminSession;
let translator: AdminSession;
let reviewer: AdminSession;
let publisher: AdminSession;
let mt: http.Server;
const mtRequests: { system: string; texts: string[] }[] = [];
const marker = `translation-test-${Date.now()}`;
let count = 0;

beforeAll(async () => {
  // A local OpenAI-compatible endpoint: "translates" each text as EN(<text>).
  mt = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const { messages } = JSON.parse(body) as { messages: { role: string; content: string }[] };
      const texts = JSON.parse(messages[1].content) as string[];
      mtRequests.push({ system: messages[0].content, texts });
      res.setHeader('Content-Type', 'application/json');
      res.end(
        JSON.stringify({ choices: [{ message: { content: JSON.stringify(texts.map((text) => `EN(${text})`)) } }] }),
      );
    });
  });
  await new Promise<void>((resolve) => mt.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    MT_PROVIDER: 'openai',
    MT_BASE_URL: `http://127.0.0.1:${(mt.address() as AddressInfo).port}/v1`,
    MT_MODEL: 'fake',
  });
  app = await startStrapi();
  author = await createAdmin(app, ['wutong-author'], 'Xu');
  translator = await createAdmin(app, ['wutong-translator-en'], 'Smith');
  reviewer = await createAdmin(app, ['wutong-reviewer'], 'Tang');
  publisher = await createAdmin(app, ['wutong-publisher'], 'Han');
});

afterAll(async () => {
  for (const name of ['MT_PROVIDER', 'MT_BASE_URL', 'MT_MODEL']) delete process.env[name];
  const rows = await app.db.query(UID).findMany({ where: { slug: { $startsWith: marker } }, select: ['documentId'] });
  for (const documentId of new Set(rows.map((row: { documentId: string }) => row.documentId))) {
    await asSystem(() => app.documents(UID).delete({ documentId, locale: '*' } as never));
  }
  const locales = app.plugin('i18n').service('locales');
  const ja = await locales.findByCode('ja');
  if (ja) await locales.delete({ id: ja.id });
  await stopStrapi(app);
  mt.close();
});

const source = async (extra: Record<string, unknown> = {}) => {
  count += 1;
  const response = await request(app)
    .post(cm(UID).create(SOURCE))
    .set(author.auth)
    .send({
      title: `西工区译文 ${marker} ${count}`,
      slug: `${marker}-${count}`,
      kind: 'hotel',
      stage: 'open',
      summary: '位于西工区，占地约280亩',
      ...extra,
    })
    .expect(201);
  return response.body.data.documentId as string;
};

const url = (documentId: string, locale = 'en') =>
  `/editorial/documents/${UID}/${documentId}/translation?locale=${locale}`;
const status = async (documentId: string, locale = 'en', who: AdminSession = translator) =>
  (await request(app).get(url(documentId, locale)).set(who.auth).expect(200)).body.data;
const fill = (documentId: string, mode: 'source' | 'machine', locale = 'en', who: AdminSession = translator) =>
  request(app)
    .post(`/editorial/documents/${UID}/${documentId}/translation/fill?locale=${locale}`)
    .set(who.auth)
    .send({ mode });
const markCurrent = (documentId: string, fields?: string[]) =>
  request(app)
    .post(`/editorial/documents/${UID}/${documentId}/translation/up-to-date?locale=en`)
    .set(translator.auth)
    .send({ fields });
const editSource = (documentId: string, data: Record<string, unknown>) =>
  request(app).put(cm(UID).one(documentId, SOURCE)).set(author.auth).send(data).expect(200);
const editTranslation = (documentId: string, data: Record<string, unknown>) =>
  request(app).put(cm(UID).one(documentId, 'en')).set(translator.auth).send(data);
const move = (documentId: string, who: AdminSession, transition: string, locale = 'en') =>
  request(app)
    .post(editorial(UID, documentId, locale).transitions)
    .set(who.auth)
    .send({ transition });

describe('translation status', () => {
  it('moves through missing, draft, outdated (per field, with old and new source text), in review and published', async () => {
    const documentId = await source();
    expect(await status(documentId)).toMatchObject({
      status: 'missing',
      stage: null,
      untranslated: expect.arrayContaining(['title', 'summary']),
    });

    await fill(documentId, 'source').expect(200);
    expect(await status(documentId)).toMatchObject({ status: 'draft', outdated: [], untranslated: [] });

    await editSource(documentId, { title: `西工区译文（改） ${marker}` });
    const outdated = await status(documentId);
    expect(outdated.status).toBe('outdated');
    expect(outdated.outdated).toEqual([
      { field: 'title', before: expect.stringContaining('西工区译文'), after: `西工区译文（改） ${marker}` },
    ]);

    // changed back: current again
    await editSource(documentId, { title: outdated.outdated[0].before });
    expect((await status(documentId)).status).toBe('draft');

    await editSource(documentId, { summary: '位于西工区，占地约300亩' });
    await editTranslation(documentId, { summary: 'In Xigong District, about 300 mu' }).expect(200);
    expect((await status(documentId)).outdated.map(({ field }: { field: string }) => field)).toEqual(['summary']); // explicit marking needed
    await markCurrent(documentId, ['summary']).expect(200);
    expect((await status(documentId)).status).toBe('draft');

    await move(documentId, translator, 'submit').expect(200);
    expect((await status(documentId)).status).toBe('in_review');
    await move(documentId, reviewer, 'approve').expect(200);
    await move(documentId, publisher, 'publish').expect(200);
    expect((await status(documentId)).status).toBe('published');
    await editSource(documentId, { summary: '位于西工区，占地约320亩' });
    expect((await status(documentId)).status).toBe('outdated'); // outdated comes first

    const audit = await app.db
      .query('plugin::editorial.audit-entry')
      .findMany({ where: { targetDocumentId: documentId, action: 'translation-current' } });
    expect(audit).toEqual([expect.objectContaining({ actorKey: `user:${translator.id}`, targetLocale: 'en' })]);
  });

  it('lists every document of a language with its status, and sums them up', async () => {
    const documentId = await source();
    const list = (
      await request(app).get('/editorial/translations?locale=en&status=missing').set(translator.auth).expect(200)
    ).body.data;
    expect(list.find((item: { documentId: string }) => item.documentId === documentId)).toMatchObject({
      uid: UID,
      locale: 'en',
      status: 'missing',
    });
    expect(list.every((item: { status: string }) => item.status === 'missing')).toBe(true);
    const summary = (
      await request(app).get('/editorial/translations/summary?locale=en').set(translator.auth).expect(200)
    ).body.data;
    expect(summary.missing).toBeGreaterThanOrEqual(1);
    expect(summary.published).toBeGreaterThanOrEqual(11); // the seeded projects, at least
    await request(app).get('/editorial/translations?locale=en&status=lost').set(translator.auth).expect(400);
    await request(app).get('/editorial/translations?locale=xx').set(translator.auth).expect(400);
  });

  it('flags translations that do not use the glossary’s fixed terms', async () => {
    const documentId = await source();
    await fill(documentId, 'source').expect(200);
    await editTranslation(documentId, { summary: 'In West Works District, about 280 acres' }).expect(200);
    expect((await status(documentId)).glossary).toEqual(
      expect.arrayContaining([
        { field: 'summary', source: '西工区', expected: 'Xigong District' },
        { field: 'summary', source: '亩', expected: 'mu (1 mu ≈ 666.7 m²)' },
      ]),
    );
  });
});

describe('a translator for English', () => {
  it('may write English, and nothing else, on every path', async () => {
    const documentId = await source({ landAreaMu: 280 });
    await fill(documentId, 'source').expect(200);
    await editTranslation(documentId, { summary: 'English summary' }).expect(200);

    // the Content Manager
    await request(app)
      .put(cm(UID).one(documentId, SOURCE))
      .set(translator.auth)
      .send({ summary: '改中文' })
      .expect(403);
    await request(app)
      .post(cm(UID).create(SOURCE))
      .set(translator.auth)
      .send({ title: 'x', slug: `${marker}-nope`, kind: 'hotel', stage: 'open' })
      .expect(403);
    await request(app).delete(cm(UID).one(documentId, 'en')).set(translator.auth).expect(403);
    // shared fields are the same in every language: not the translator's to change
    const shared = await editTranslation(documentId, { landAreaMu: 1 }).expect(403);
    expect(shared.body.error.message).toMatch(/landAreaMu is the same in every language/);
    // the editorial API
    await move(documentId, translator, 'submit', SOURCE).expect(403);
    await request(app)
      .post(`/editorial/documents/${UID}/${documentId}/comments?locale=${SOURCE}`)
      .set(translator.auth)
      .send({ body: 'x' })
      .expect(403);
    await fill(documentId, 'source', SOURCE).expect(400);
    const [version] = (
      await request(app)
        .get(`/editorial/documents/${UID}/${documentId}/versions?locale=${SOURCE}`)
        .set(translator.auth)
        .expect(200)
    ).body.data;
    await request(app)
      .post(`/editorial/documents/${UID}/${documentId}/versions/${version.id}/restore?locale=${SOURCE}`)
      .set(translator.auth)
      .expect(403);
    await request(app)
      .put(`/editorial/documents/${UID}/${documentId}/schedule?locale=en`)
      .set(translator.auth)
      .send({ action: 'publish', at: '2099-01-01T09:00' })
      .expect(403);
    // ...while reading the source is fine
    await request(app).get(cm(UID).one(documentId, SOURCE)).set(translator.auth).expect(200);
    expect((await request(app).get(cm(UID).one(documentId, SOURCE)).set(author.auth)).body.data.summary).toBe(
      '位于西工区，占地约280亩',
    );
    expect((await request(app).get(cm(UID).one(documentId, 'en')).set(author.auth)).body.data.landAreaMu).toBe(280);
  });
});

describe('machine translation pre-fill', () => {
  it('fills a draft translation through the configured provider, with the glossary, and never publishes', async () => {
    const documentId = await source({ location: { address: '西工区衡山路95号' } });
    mtRequests.length = 0;
    const response = await fill(documentId, 'machine').expect(200);
    expect(response.body.data).toMatchObject({
      mode: 'machine',
      provider: 'openai-compatible (fake)',
      status: 'draft',
      outdated: [],
    });
    expect(mtRequests).toHaveLength(1);
    expect(mtRequests[0].texts).toEqual(
      expect.arrayContaining([`西工区译文 ${marker} ${count}`, '位于西工区，占地约280亩', '西工区衡山路95号']),
    );
    expect(mtRequests[0].system).toContain('西工区 → Xigong District');

    const en = (await request(app).get(cm(UID).one(documentId, 'en')).set(translator.auth).expect(200)).body.data;
    expect(en.summary).toBe('EN(位于西工区，占地约280亩)');
    expect(en.location.address).toBe('EN(西工区衡山路95号)');
    expect(en.slug).toBe(`${marker}-${count}`);
    expect(en.publishedAt).toBeNull();
    await request(app).get(`/api/projects/${documentId}?locale=en`).expect(404);
  });

  it('only fills empty fields', async () => {
    const documentId = await source();
    await fill(documentId, 'source').expect(200);
    await editTranslation(documentId, { summary: 'Kept as written' }).expect(200);
    await editTranslation(documentId, { title: '' }).expect(200);
    mtRequests.length = 0;
    await fill(documentId, 'machine').expect(200);
    expect(mtRequests[0].texts).toEqual([`西工区译文 ${marker} ${count}`]);
    const en = (await request(app).get(cm(UID).one(documentId, 'en')).set(translator.auth).expect(200)).body.data;
    expect(en).toMatchObject({ title: `EN(西工区译文 ${marker} ${count})`, summary: 'Kept as written' });
  });
});

describe('alt text per language', () => {
  it('keeps one image with its alt text in each language', async () => {
    const file = path.join(os.tmpdir(), `wutong-${process.pid}.png`);
    // a 1×1 transparent PNG
    fs.writeFileSync(
      file,
      Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABpfZFQAAAAABJRU5ErkJggg==',
        'base64',
      ),
    );
    const [upload] = await app
      .plugin('upload')
      .service('upload')
      .upload({
        data: {},
        files: { filepath: file, originalFilename: 'cover.png', mimetype: 'image/png', size: fs.statSync(file).size },
      });
    const documentId = await source({ cover: { image: upload.id, alt: '凤凰谷产业园鸟瞰图' } });
    await fill(documentId, 'source').expect(200);
    await editTranslation(documentId, {
      cover: { image: upload.id, alt: 'Aerial view of Fenghuanggu Industrial Park' },
    }).expect(200);
    await asSystem(() => app.documents(UID).publish({ documentId, locale: '*' } as never));
    const zh = (await request(app).get(`/api/projects/${documentId}`).expect(200)).body.data;
    const en = (await request(app).get(`/api/projects/${documentId}?locale=en`).expect(200)).body.data;
    expect(zh.cover).toMatchObject({ alt: '凤凰谷产业园鸟瞰图', image: { url: expect.stringMatching(/\.png$/) } });
    expect(en.cover).toMatchObject({
      alt: 'Aerial view of Fenghuanggu Industrial Park',
      image: { url: zh.cover.image.url },
    });
  });
});

describe('a language added at runtime', () => {
  it('is added by npm run locale:add, served, covered by the status and given a translator role', async () => {
    await request(app).get('/api/projects?locale=ja').expect(400);
    const { stdout } = await promisify(execFile)(
      'node',
      [path.join(ROOT, 'scripts', 'locale-add.js'), 'ja', 'Japanese'],
      { cwd: ROOT, env: process.env },
    );
    expect(stdout).toContain('Added Japanese (ja)');
    await request(app).get('/api/projects?locale=ja').expect(200);

    const role = await app.service('admin::role').findOne({ code: 'wutong-translator-ja' });
    expect(role).toBeTruthy();
    const permissions = await app.db
      .query('admin::permission')
      .findMany({ where: { role: role.id, action: 'plugin::content-manager.explorer.update', subject: UID } });
    expect(permissions[0].properties.locales).toEqual(['ja']);
    const authorRole = await app.service('admin::role').findOne({ code: 'wutong-author' });
    const authorUpdate = await app.db
      .query('admin::permission')
      .findOne({ where: { role: authorRole.id, action: 'plugin::content-manager.explorer.update', subject: UID } });
    expect(authorUpdate.properties.locales).toEqual(expect.arrayContaining(['zh-Hans', 'en', 'ja']));

    const summary = (await request(app).get('/editorial/translations/summary?locale=ja').set(author.auth).expect(200))
      .body.data;
    expect(summary.missing).toBeGreaterThanOrEqual(11);
    const again = await promisify(execFile)('node', [path.join(ROOT, 'scripts', 'locale-add.js'), 'ja'], {
      cwd: ROOT,
      env: process.env,
    }).catch((error: { code: number; stderr: string }) => error);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('exists already') });
    const audit = await app.db.query('plugin::editorial.audit-entry').findMany({ where: { action: 'locale-add' } });
    expect(audit.map(({ summary: text }: { summary: string }) => text)).toContain('language Japanese added');
  });
});

describe('fallback on the public API', () => {
  let inJapanese: string;

  beforeAll(async () => {
    // ja exists (previous describe, or add it here when run alone)
    const locales = app.plugin('i18n').service('locales');
    if (!(await locales.findByCode('ja'))) await locales.create({ code: 'ja', name: 'Japanese' });
    inJapanese = (await request(app).get('/api/projects?filters[code][$eq]=XG-01').expect(200)).body.data[0].documentId;
    await asSystem(() =>
      app.documents(UID).update({
        documentId: inJapanese,
        locale: 'ja',
        status: 'published',
        data: { title: 'スマート装備産業パーク', slug: 'intelligent-equipment-industrial-park-project' },
      } as never),
    );
  });

  it('returns nothing for a language without content, unless fallback is asked for', async () => {
    const plain = await request(app).get('/api/projects?locale=ja&filters[code][$startsWith]=XG-').expect(200);
    expect(plain.body.data.map(({ code }: { code: string }) => code)).toEqual(['XG-01']);

    const response = await request(app)
      .get('/api/projects?locale=ja&fallback=true&filters[code][$startsWith]=XG-&sort=code&pagination[pageSize]=100')
      .expect(200);
    expect(response.body.data).toHaveLength(11);
    expect(response.body.data[0]).toMatchObject({ code: 'XG-01', locale: 'ja', title: 'スマート装備産業パーク' });
    expect(response.body.data[1]).toMatchObject({
      code: 'XG-02',
      locale: 'en',
      title: 'Five-Star Hotel Investment Project',
    });
    expect(response.headers['content-language']).toBe('ja, en');
  });

  it('keeps lists paginated and filterable', async () => {
    const page = await request(app)
      .get(
        '/api/projects?locale=ja&fallback=true&filters[code][$startsWith]=XG-&sort=code&pagination[page]=2&pagination[pageSize]=4',
      )
      .expect(200);
    expect(page.body.data.map(({ code }: { code: string }) => code)).toEqual(['XG-05', 'XG-06', 'XG-07', 'XG-08']);
    expect(page.body.meta.pagination).toMatchObject({ page: 2, pageSize: 4, total: 11, pageCount: 3 });
    const filtered = await request(app)
      .get('/api/projects?locale=ja&fallback=true&filters[title][$contains]=Hotel')
      .expect(200);
    expect(filtered.body.data.map(({ code }: { code: string }) => code)).toEqual(['XG-02']);
    // a document served in ja is not also served in en
    const titles = await request(app).get('/api/projects?locale=ja&fallback=true&filters[code][$eq]=XG-01').expect(200);
    expect(titles.body.data).toHaveLength(1);
  });

  it('serves one document and single types in the best language there is', async () => {
    const one = await request(app).get(`/api/projects/${inJapanese}?locale=ja&fallback=true`).expect(200);
    expect(one.body.data.locale).toBe('ja');
    const [other] = (await request(app).get('/api/projects?filters[code][$eq]=XG-02').expect(200)).body.data;
    await request(app).get(`/api/projects/${other.documentId}?locale=ja`).expect(404);
    const fallen = await request(app).get(`/api/projects/${other.documentId}?locale=ja&fallback=true`).expect(200);
    expect(fallen.body.data.locale).toBe('en');
    expect(fallen.headers['content-language']).toBe('en');
    const profile = await request(app).get('/api/district-profile?locale=ja&fallback=true').expect(200);
    expect(profile.body.data).toMatchObject({ locale: 'en', name: 'Xigong District, Luoyang' });
  });
});
