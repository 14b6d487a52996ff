/**
 * Strict input (issue 10, finding 5): numbers beyond their column, NUL bytes, over-deep JSON,
 * wrong blocks shapes, `regex` on drafts, unknown fields and empty updates are a 400 naming the
 * field on every write path (REST, the Content Manager, code), drafts as published, and nothing
 * is written. The Content Manager's own payloads still save.
 */
import type { Core } from '@strapi/strapi';
import { apiToken, asSystem, createDocument, deleteDocuments, http, startStrapi, stopStrapi } from '../helpers/strapi';
import { cm, createAdmin, SUPER_ADMIN, type AdminSession } from '../helpers/admin';

const UID = 'api::project.project';
let app: Core.Strapi;
let auth: { Authorization: string };
let chief: AdminSession;
const marker = `strict-${Date.now()}`;
const created: [string, string | undefined][] = [];

beforeAll(async () => {
  app = await startStrapi();
  auth = { Authorization: `Bearer ${await apiToken(app, 'full-access')}` };
  chief = await createAdmin(app, [SUPER_ADMIN], 'Strict Chief');
});

afterAll(async () => {
  const rows = await app.db.query(UID).findMany({ where: { slug: { $startsWith: marker } }, select: ['documentId'] });
  await deleteDocuments(app, [
    ...created,
    ...rows.map((row: { documentId: string }) => [UID, row.documentId] as [string, string]),
  ]);
  await stopStrapi(app);
});

const project = (slug: string, extra: Record<string, unknown> = {}) => ({
  title: '严格输入',
  slug,
  kind: 'hotel',
  stage: 'open',
  ...extra,
});
const projectRows = () => app.db.query(UID).count({});
const rowsWithSlug = (slug: string) => app.db.query(UID).count({ where: { slug } });
const nested = (depth: number) => {
  let value: unknown = 'x';
  for (let level = 0; level < depth; level += 1) value = [value];
  return value;
};
// As raw JSON: supertest's serializer gives up on 5,000 levels and sends a placeholder string.
const deepJson = (wrap: (body: string) => string) => wrap(`${'['.repeat(5000)}"x"${']'.repeat(5000)}`);

type Body = { error: { status: number; name: string; message: string; details: { errors: { path: string[] }[] } } };
const expectRefused = (body: Body, path: string[]) => {
  expect(body.error).toMatchObject({ status: 400, name: 'ValidationError' });
  expect(body.error.details.errors.map((error) => error.path)).toContainEqual(path);
};

// [name, extra fields, path named]
const BAD: [string, Record<string, unknown>, string[]][] = [
  ['an integer beyond 32 bits', { parkingSpaces: 1e20 }, ['parkingSpaces']],
  ['an integer of 2^31', { airportMinutes: 2147483648 }, ['airportMinutes']],
  ['a decimal of 1e30', { landAreaMu: 1e30 }, ['landAreaMu']],
  ['a decimal beyond decimal(10,2)', { floorAreaM2: 100000000 }, ['floorAreaM2']],
  [
    'a decimal inside a component beyond its column',
    { highlights: [{ label: '面积', value: 1e12 }] },
    ['highlights', '0', 'value'],
  ],
  ['a NUL byte in the title', { title: 'a\u0000b' }, ['title']],
  ['a NUL byte inside a component', { location: { address: 'x\u0000' } }, ['location', 'address']],
  [
    'a NUL byte inside blocks',
    { body: [{ type: 'paragraph', children: [{ type: 'text', text: 'x\u0000' }] }] },
    ['body', '0', 'children', '0', 'text'],
  ],
  ['a plain string as blocks', { body: '只是一段文字' }, ['body']],
  ['an object as blocks', { body: { type: 'paragraph', children: [] } }, ['body']],
  ['a null block node', { body: [null] }, ['body', '0']],
  ['a code against its pattern', { code: 'bad code!' }, ['code']],
  ['an unknown field', { nonsense: 1 }, ['nonsense']],
  ['an unknown field in a component', { location: { address: '西工区', nonsense: 1 } }, ['location', 'nonsense']],
];

describe('REST content API (full-access token)', () => {
  it.each(BAD)('refuses %s, as a draft and as published, and writes nothing', async (_name, extra, path) => {
    const before = await projectRows();
    for (const status of ['draft', 'published']) {
      const slug = `${marker}-rest-${status}-${path.join('-')}`;
      const response = await http(app)
        .post(`/api/projects?status=${status}`)
        .set(auth)
        .send({ data: project(slug, extra) });
      expect(response.status).toBe(400);
      expectRefused(response.body, path);
      expect(await rowsWithSlug(slug)).toBe(0);
    }
    expect(await projectRows()).toBe(before);
  });

  it('refuses a 5,000-deep body with a 400 naming where, before anything walks it', async () => {
    const before = await projectRows();
    const slug = `${marker}-rest-deep`;
    const response = await http(app)
      .post('/api/projects')
      .set(auth)
      .set('Content-Type', 'application/json')
      .send(deepJson((body) => JSON.stringify({ data: project(slug, { body: '<>' }) }).replace('"<>"', body)));
    expect(response.status).toBe(400);
    expectRefused(response.body, ['data', 'body', '0', '0']);
    expect(response.body.error.message).toMatch(/nested deeper than 64 levels/);
    expect(await projectRows()).toBe(before);
  });

  it('refuses bad input on update and keeps the stored version, and an empty update', async () => {
    const slug = `${marker}-rest-update`;
    const documentId = await createDocument(app, UID, 'zh-Hans', project(slug, { parkingSpaces: 12 }), 'draft');
    created.push([UID, documentId]);
    for (const [, extra, path] of BAD) {
      const response = await http(app).put(`/api/projects/${documentId}`).set(auth).send({ data: extra });
      expect(response.status).toBe(400);
      expectRefused(response.body, path);
    }
    const empty = await http(app).put(`/api/projects/${documentId}`).set(auth).send({ data: {} });
    expect(empty.status).toBe(400);
    expectRefused(empty.body, ['data']);
    expect(empty.body.error.message).toMatch(/Nothing to update/);
    const stored = await app.db.query(UID).findMany({ where: { documentId } });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ title: '严格输入', parkingSpaces: 12, body: null, code: null });
  });

  it('still saves seed-like content (blocks, components, numbers at their limits)', async () => {
    const slug = `${marker}-rest-good`;
    const response = await http(app)
      .post('/api/projects?status=published')
      .set(auth)
      .send({
        data: project(slug, {
          code: 'XG-99',
          parkingSpaces: 2147483647,
          landAreaMu: 99999999.99,
          latitude: -90,
          body: [
            { type: 'heading', level: 2, children: [{ type: 'text', text: '概况' }] },
            { type: 'paragraph', children: [{ type: 'text', text: '位于', bold: true }] },
            {
              type: 'list',
              format: 'unordered',
              children: [
                {
                  type: 'list-item',
                  children: [{ type: 'link', url: 'https://example.com', children: [{ type: 'text', text: '链接' }] }],
                },
                {
                  type: 'list',
                  format: 'ordered',
                  children: [{ type: 'list-item', children: [{ type: 'text', text: '二级' }] }],
                },
              ],
            },
          ],
          location: { address: '洛阳西工经济技术开发区', district: '西工区' },
          highlights: [{ label: '规划用地', value: 500, qualifier: 'about', unit: '亩', year: 2024 }],
        }),
      });
    expect(response.status).toBe(201);
    created.push([UID, response.body.data.documentId]);
  });
});

describe('Content Manager (admin API)', () => {
  it.each(BAD)('refuses %s on create and on create-and-publish, and writes nothing', async (_name, extra, path) => {
    const before = await projectRows();
    const slug = `${marker}-cm-${path.join('-')}`;
    for (const url of [
      cm(UID).create('zh-Hans'),
      `/content-manager/collection-types/${UID}/actions/publish?locale=zh-Hans`,
    ]) {
      const response = await http(app).post(url).set(chief.auth).send(project(slug, extra));
      expect(response.status).toBe(400);
      expectRefused(response.body, path);
    }
    expect(await rowsWithSlug(slug)).toBe(0);
    expect(await projectRows()).toBe(before);
  });

  it('refuses a 5,000-deep body', async () => {
    const before = await projectRows();
    const response = await http(app)
      .post(cm(UID).create('zh-Hans'))
      .set(chief.auth)
      .set('Content-Type', 'application/json')
      .send(deepJson((body) => JSON.stringify(project(`${marker}-cm-deep`, { body: '<>' })).replace('"<>"', body)));
    expect(response.status).toBe(400);
    expectRefused(response.body, ['body', '0', '0', '0']);
    expect(await projectRows()).toBe(before);
  });

  it('refuses bad input and an empty update on update, and keeps the stored version', async () => {
    const slug = `${marker}-cm-update`;
    const documentId = await createDocument(app, UID, 'zh-Hans', project(slug, { parkingSpaces: 12 }), 'draft');
    created.push([UID, documentId]);
    for (const [, extra, path] of BAD) {
      const response = await http(app).put(cm(UID).one(documentId, 'zh-Hans')).set(chief.auth).send(extra);
      expect(response.status).toBe(400);
      expectRefused(response.body, path);
    }
    for (const body of [{}, { id: 1, documentId }]) {
      const response = await http(app).put(cm(UID).one(documentId, 'zh-Hans')).set(chief.auth).send(body);
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(/Nothing to update/);
    }
    const stored = await app.db.query(UID).findMany({ where: { documentId } });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ title: '严格输入', parkingSpaces: 12, body: null, code: null });
  });

  it("saves the edit view's own payload: the whole document with ids, status and __temp_key__", async () => {
    // A seeded project with blocks, components, media-free relations: read it as the edit view does.
    const seeded = (await app.db
      .query(UID)
      .findOne({ where: { code: 'XG-01', locale: 'zh-Hans', publishedAt: null } })) as {
      documentId: string;
    };
    const read = await http(app).get(cm(UID).one(seeded.documentId, 'zh-Hans')).set(chief.auth).expect(200);
    const asForm = (document: Record<string, unknown>) => {
      const form: Record<string, unknown> = { ...document };
      const attributes = app.getModel(UID).attributes as Record<string, { type: string; repeatable?: boolean }>;
      let key = 0;
      for (const [name, attribute] of Object.entries(attributes)) {
        // The edit view turns relations into {connect, disconnect} and keys components for React.
        if (attribute.type === 'relation') form[name] = { connect: [], disconnect: [] };
        if (attribute.type === 'component' && Array.isArray(form[name]))
          form[name] = (form[name] as object[]).map((item) => ({ ...item, __temp_key__: `a${(key += 1)}` }));
        else if (attribute.type === 'component' && form[name])
          form[name] = { ...(form[name] as object), __temp_key__: `a${(key += 1)}` };
      }
      return form;
    };
    const slug = `${marker}-cm-form`;
    const payload = asForm(read.body.data);
    const { id: _id, documentId: _documentId, ...fresh } = payload;
    const create = await http(app)
      .post(cm(UID).create('zh-Hans'))
      .set(chief.auth)
      .send({ ...fresh, slug, code: `F${Date.now()}` });
    expect(create.body.error).toBeUndefined();
    expect(create.status).toBe(201);
    const documentId = create.body.data.documentId as string;
    created.push([UID, documentId]);

    const again = await http(app).get(cm(UID).one(documentId, 'zh-Hans')).set(chief.auth).expect(200);
    const edit = { ...asForm(again.body.data), title: '严格输入（已改）' };
    const saved = await http(app).put(cm(UID).one(documentId, 'zh-Hans')).set(chief.auth).send(edit);
    expect(saved.body.error).toBeUndefined();
    expect(saved.status).toBe(200);
    expect(saved.body.data.title).toBe('严格输入（已改）');
    expect(saved.body.data.highlights).toHaveLength((read.body.data.highlights as unknown[]).length);
    expect(saved.body.data.body).toEqual(read.body.data.body);

    const stored = await app.db.query(UID).findMany({ where: { documentId }, populate: { highlights: true } });
    expect(stored).toHaveLength(1);
    expect(stored[0].title).toBe('严格输入（已改）');
    expect(stored[0].highlights).toHaveLength((read.body.data.highlights as unknown[]).length);
  });
});

describe('single types', () => {
  const PROFILE = 'api::district-profile.district-profile';
  it('refuses unknown fields and empty updates over REST and the Content Manager, and writes nothing', async () => {
    const before = await app.db.query(PROFILE).findMany({ select: ['id', 'updatedAt'], orderBy: { id: 'asc' } });
    const rest = await http(app)
      .put('/api/district-profile')
      .set(auth)
      .send({ data: { nonsense: 1 } });
    expect(rest.status).toBe(400);
    expectRefused(rest.body, ['nonsense']);
    const empty = await http(app).put('/api/district-profile').set(auth).send({ data: {} });
    expect(empty.status).toBe(400);
    expectRefused(empty.body, ['data']);
    const admin = await http(app)
      .put(`/content-manager/single-types/${PROFILE}?locale=zh-Hans`)
      .set(chief.auth)
      .send({});
    expect(admin.status).toBe(400);
    expect(admin.body.error.message).toMatch(/Nothing to update/);
    // Checked after authentication: a stranger learns nothing about which field names exist.
    const stranger = await http(app)
      .put(`/content-manager/single-types/${PROFILE}?locale=zh-Hans`)
      .send({ nonsense: 1 });
    expect(stranger.status).toBe(401);
    const anonymous = await http(app)
      .put('/api/district-profile')
      .send({ data: { nonsense: 1 } });
    expect(anonymous.status).toBe(403);
    expect(await app.db.query(PROFILE).findMany({ select: ['id', 'updatedAt'], orderBy: { id: 'asc' } })).toEqual(
      before,
    );
  });
});

describe('code (strapi.documents)', () => {
  it.each(BAD)('refuses %s', async (_name, extra, path) => {
    const before = await projectRows();
    const slug = `${marker}-code-${path.join('-')}`;
    for (const status of ['draft', 'published']) {
      const attempt = asSystem(() =>
        app.documents(UID).create({ locale: 'zh-Hans', status, data: project(slug, extra) } as never),
      );
      await expect(attempt).rejects.toMatchObject({ name: 'ValidationError' });
      const error = (await attempt.catch((caught: unknown) => caught)) as { details: { errors: { path: string[] }[] } };
      expect(error.details.errors.map((found) => found.path)).toContainEqual(path);
    }
    expect(await projectRows()).toBe(before);
  });

  it('refuses 5,000-deep data without overflowing the stack', async () => {
    const attempt = asSystem(() =>
      app
        .documents(UID)
        .create({ locale: 'zh-Hans', data: project(`${marker}-code-deep`, { body: nested(5000) }) } as never),
    );
    await expect(attempt).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringMatching(/nested deeper/),
    });
  });
});
