/**
 * The write path, default-deny (issue 9, findings 4 and 9), attacked over HTTP: Content Manager
 * clone, deleting live content, history of fields a role may not read, the assignee list, and
 * changes to sites and API tokens.
 */
import type { Core } from '@strapi/strapi';
import { cm, createAdmin, editorial, SUPER_ADMIN, type AdminSession } from '../helpers/admin';
import { apiToken, asSystem, createDocument, http, startStrapi, stopStrapi } from '../helpers/strapi';
import { DOCUMENT_READS, DOCUMENT_WRITES } from '../../src/lib/write-rules';

const UID = 'api::project.project';
const SITE_UID = 'plugin::delivery.site';
const ZH = 'zh-Hans';

let app: Core.Strapi;
let author: AdminSession;
let reviewer: AdminSession;
let publisher: AdminSession;
let translator: AdminSession;
let chief: AdminSession;
const marker = `write-path-${Date.now()}`;
let count = 0;

const slug = () => {
  count += 1;
  return `${marker}-${count}`;
};

/** A published project in zh-Hans (written as the system, like the seed). */
const published = () =>
  createDocument(app, UID, ZH, { title: `写入路径 ${marker} ${count}`, slug: slug(), kind: 'hotel', stage: 'open' });

/** A role with exactly these permissions (plus the editorial panel), and a user holding it. */
const customRole = async (name: string, permissions: Record<string, unknown>[]) => {
  const code = `test-${name.toLowerCase()}-${Date.now()}-${count++}`;
  const role = await app.service('admin::role').create({ name: `${name} ${code}`, code, description: 'test' });
  await app
    .service('admin::role')
    .assignPermissions(role.id, [
      { action: 'plugin::editorial.read', subject: null, properties: {}, conditions: [] },
      ...permissions,
    ]);
  return createAdmin(app, [code], name);
};

const audit = async (query: string) =>
  (await http(app).get(`/editorial/audit?${query}`).set(chief.auth).expect(200)).body.data as {
    action: string;
    actorKey: string;
    summary: string;
    targetDocumentId: string | null;
  }[];

const publicStatus = async (documentId: string) => (await http(app).get(`/api/projects/${documentId}`)).status;

beforeAll(async () => {
  app = await startStrapi();
  author = await createAdmin(app, ['wutong-author'], 'Writer');
  reviewer = await createAdmin(app, ['wutong-reviewer'], 'Checker');
  publisher = await createAdmin(app, ['wutong-publisher'], 'Releaser');
  translator = await createAdmin(app, ['wutong-translator-en'], 'Translator');
  chief = await createAdmin(app, [SUPER_ADMIN], 'Chief');
});

afterAll(async () => {
  const rows = await app.db.query(UID).findMany({ where: { slug: { $startsWith: marker } }, select: ['documentId'] });
  for (const documentId of new Set(rows.map((row: { documentId: string }) => row.documentId))) {
    await asSystem(() => app.documents(UID).delete({ documentId, locale: '*' } as never));
  }
  const sites = await app.db.query(SITE_UID).findMany({ where: { name: { $startsWith: marker } } });
  for (const { documentId } of sites)
    await asSystem(() => app.documents(SITE_UID as never).delete({ documentId } as never));
  await stopStrapi(app);
});

describe('document actions', () => {
  it('every action the Document Service offers is one the guard knows', () => {
    // updateComponents and omitComponentData are helpers Strapi leaves outside the middlewares.
    const offered = Object.keys(app.documents(UID)).filter(
      (key) => !['updateComponents', 'omitComponentData'].includes(key),
    );
    expect(offered.sort()).toEqual([...DOCUMENT_READS, ...DOCUMENT_WRITES].sort());
  });
});

describe('Content Manager clone (finding 4)', () => {
  const clone = (sourceId: string, locale: string, who: AdminSession) =>
    http(app)
      .post(`/content-manager/collection-types/${UID}/clone/${sourceId}?locale=${locale}`)
      .set(who.auth)
      .send({ title: `克隆 ${marker} ${count}`, slug: slug() });

  it('a Translator (en) may not clone into zh-Hans', async () => {
    const source = await published();
    const before = await app.db.query(UID).count({ where: { slug: { $startsWith: marker } } });
    const response = await clone(source, ZH, translator).expect(403);
    expect(response.body.error.message).toMatch(/may not edit the zh-Hans version/);
    expect(await app.db.query(UID).count({ where: { slug: { $startsWith: marker } } })).toBe(before);
  });

  it('a Translator (en) may clone the en version: a new en draft, recorded as theirs', async () => {
    const source = await published();
    await asSystem(() =>
      app.documents(UID).update({
        documentId: source,
        locale: 'en',
        data: { title: `Write path ${marker}`, slug: slug() },
      } as never),
    );
    const response = await clone(source, 'en', translator).expect(200);
    const documentId = response.body.data.documentId as string;
    expect(response.body.data.locale).toBe('en');
    const view = (
      await http(app)
        .get(editorial(UID, documentId, 'en').view)
        .set(chief.auth)
        .expect(200)
    ).body.data;
    expect(view).toMatchObject({ stage: 'draft', lastEditor: `user:${translator.id}` });
  });

  it('is a new draft, created by the cloner: audited, and they cannot approve it themselves', async () => {
    const source = await published();
    const response = await clone(source, ZH, chief).expect(200);
    const documentId = response.body.data.documentId as string;
    expect(documentId).not.toBe(source);

    // A draft, never live.
    expect(await publicStatus(documentId)).toBe(404);
    expect(await app.db.query(UID).count({ where: { documentId, publishedAt: { $notNull: true } } })).toBe(0);

    const view = (
      await http(app)
        .get(editorial(UID, documentId, ZH).view)
        .set(chief.auth)
        .expect(200)
    ).body.data;
    expect(view).toMatchObject({ stage: 'draft', lastEditor: `user:${chief.id}` });
    const created = await audit(`documentId=${documentId}&action=create`);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ actorKey: `user:${chief.id}` });
    expect(created[0].summary).toContain(`a copy of ${source}`);

    // The finding: clone → submit → approve → publish, alone.
    const move = (who: AdminSession, transition: string) =>
      http(app)
        .post(editorial(UID, documentId, ZH).transitions)
        .set(who.auth)
        .send({ transition });
    await move(chief, 'submit').expect(200);
    const approval = await move(chief, 'approve').expect(403);
    expect(approval.body.error.message).toMatch(/someone else must approve/);
    await http(app).post(cm(UID).publish(documentId, ZH)).set(chief.auth).send({}).expect(403);
    expect(await publicStatus(documentId)).toBe(404);

    // With a second person it goes through as any new content does.
    await move(reviewer, 'approve').expect(200);
    await http(app).post(cm(UID).publish(documentId, ZH)).set(publisher.auth).send({}).expect(200);
    expect(await publicStatus(documentId)).toBe(200);
  });
});

describe('deleting live content (finding 9)', () => {
  it('an Author may not delete published content, only drafts', async () => {
    const live = await published();
    const refused = await http(app).delete(cm(UID).one(live, ZH)).set(author.auth).expect(403);
    expect(refused.body.error.details).toMatchObject({ code: 'write.live-needs-publisher' });
    expect(await publicStatus(live)).toBe(200);

    const draft = await createDocument(
      app,
      UID,
      ZH,
      { title: `草稿 ${marker}`, slug: slug(), kind: 'hotel', stage: 'open' },
      'draft',
    );
    await http(app).delete(cm(UID).one(draft, ZH)).set(author.auth).expect(200);
    expect(await app.db.query(UID).count({ where: { documentId: draft } })).toBe(0);
  });

  it('a full-access API token may not delete published content', async () => {
    const token = await apiToken(app, 'full-access');
    const live = await published();
    const refused = await http(app)
      .delete(`/api/projects/${live}?locale=${ZH}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(403);
    expect(refused.body.error.details).toMatchObject({ code: 'write.live-content-api' });
    expect(await publicStatus(live)).toBe(200);
  });

  it.each([
    ['a Publisher', () => publisher],
    ['a Super Admin', () => chief],
  ])('%s may, and it is audited', async (_who, who) => {
    const live = await published();
    await http(app).delete(cm(UID).one(live, ZH)).set(who().auth).expect(200);
    expect(await publicStatus(live)).toBe(404);
    expect(await audit(`documentId=${live}&action=delete`)).toEqual([
      expect.objectContaining({ actorKey: `user:${who().id}` }),
    ]);
  });
});

describe('history and field-level read permissions (finding 9)', () => {
  const SECRET = '13800138000';

  it('a role that may not read contact sees no contact in versions, diffs or summaries', async () => {
    const paths: string[] = app
      .service('admin::content-type')
      .getNestedFields(app.contentTypes[UID], { components: app.components });
    const locales = [ZH, 'en'];
    const noContact = await customRole('NoContact', [
      {
        action: 'plugin::content-manager.explorer.read',
        subject: UID,
        properties: { locales, fields: paths.filter((path) => !path.startsWith('contact')) },
        conditions: [],
      },
    ]);

    const created = await http(app)
      .post(cm(UID).create(ZH))
      .set(author.auth)
      .send({
        title: `联系 ${marker}`,
        slug: slug(),
        kind: 'hotel',
        stage: 'open',
        contact: { name: '王经理', phone: '1' },
      })
      .expect(201);
    const documentId = created.body.data.documentId as string;
    await http(app)
      .put(cm(UID).one(documentId, ZH))
      .set(author.auth)
      .send({ contact: { name: '王经理', phone: SECRET } })
      .expect(200);
    await http(app).put(cm(UID).one(documentId, ZH)).set(author.auth).send({ landAreaMu: 42 }).expect(200);

    const base = `/editorial/documents/${UID}/${documentId}`;
    const list = (await http(app).get(`${base}/versions?locale=${ZH}`).set(noContact.auth).expect(200)).body.data;
    expect(list).toHaveLength(3);
    for (const row of list) {
      expect(row.fields ?? []).not.toContain('contact');
      expect(row.summary).not.toMatch(/contact/);
      expect(row.version).toBeUndefined();
    }
    const contactEdit = list.find((row: { number: number }) => row.number === 2);
    const one = (await http(app).get(`${base}/versions/${contactEdit.id}?locale=${ZH}`).set(noContact.auth).expect(200))
      .body.data;
    expect(one.snapshot.title).toBe(`联系 ${marker}`);
    expect(one.snapshot).not.toHaveProperty('contact');
    expect(JSON.stringify(one)).not.toContain(SECRET);

    const first = list.find((row: { number: number }) => row.number === 1);
    const diff = (
      await http(app).get(`${base}/diff?locale=${ZH}&from=${first.id}&to=current`).set(noContact.auth).expect(200)
    ).body.data;
    expect(diff.map(({ field }: { field: string }) => field)).toEqual(['landAreaMu']);

    // Someone who may read contact still sees it.
    const full = (await http(app).get(`${base}/versions/${contactEdit.id}?locale=${ZH}`).set(author.auth).expect(200))
      .body.data;
    expect(full.snapshot.contact).toMatchObject({ phone: SECRET });
    expect(full.version).toEqual(expect.any(String));
  });
});

describe('assignees (finding 9)', () => {
  it('are listed by id and name only, never e-mail, even to a Reviewer', async () => {
    const people = (await http(app).get('/editorial/assignees').set(reviewer.auth).expect(200)).body.data;
    expect(people.length).toBeGreaterThan(0);
    for (const person of people) expect(Object.keys(person).sort()).toEqual(['id', 'name']);
    expect(JSON.stringify(people)).not.toContain('@');
    expect(people).toContainEqual({ id: reviewer.id, name: 'Checker Test' });
  });

  it('the panel and the queue name people without their e-mail', async () => {
    const documentId = await createDocument(
      app,
      UID,
      ZH,
      { title: `分配 ${marker}`, slug: slug(), kind: 'hotel', stage: 'open' },
      'draft',
    );
    const urls = editorial(UID, documentId, ZH);
    await http(app).put(urls.assignment).set(publisher.auth).send({ assigneeId: reviewer.id }).expect(200);
    await http(app).post(urls.comments).set(author.auth).send({ body: '请审核' }).expect(201);
    const view = (await http(app).get(urls.view).set(translator.auth).expect(200)).body.data;
    expect(view.assignee).toMatchObject({ id: reviewer.id, firstname: 'Checker' });
    expect(view.comments[0].author).toMatchObject({ id: author.id, firstname: 'Writer' });
    expect(JSON.stringify(view)).not.toContain('@example.com');
    const queue = (await http(app).get('/editorial/queue').set(reviewer.auth).expect(200)).body.data;
    expect(queue.find((item: { documentId: string }) => item.documentId === documentId)).toMatchObject({
      assignee: { id: reviewer.id },
    });
    expect(JSON.stringify(queue)).not.toContain('@example.com');
  });

  it('are refused to someone who may not assign anything', async () => {
    const reader = await customRole('Reader', [
      {
        action: 'plugin::content-manager.explorer.read',
        subject: UID,
        properties: { locales: [ZH], fields: ['title'] },
        conditions: [],
      },
    ]);
    await http(app).get('/editorial/assignees').set(reader.auth).expect(403);
  });
});

describe('sites and API tokens (finding 9)', () => {
  // The Sites page's admin API (the Content Manager does not show sites).
  const SITES = '/delivery/sites';
  const site = () => ({
    name: slug(),
    baseUrl: 'https://www.example.gov.cn',
    locales: [ZH],
    contentTypes: [UID],
  });

  it('only a Super Admin changes sites, and each change is audited', async () => {
    // May see the sites and their deliveries, not change them.
    const siteEditor = await customRole('SiteEditor', [
      { action: 'plugin::delivery.read', subject: null, properties: {}, conditions: [] },
    ]);
    const refused = await http(app).post(SITES).set(siteEditor.auth).send(site()).expect(403);
    expect(refused.body.error.details).toMatchObject({ code: 'write.access-needs-super-admin' });

    const created = await http(app).post(SITES).set(chief.auth).send(site()).expect(201);
    const { documentId, name } = created.body.site;
    await http(app).put(`${SITES}/${documentId}`).set(siteEditor.auth).send({ title: 'changed' }).expect(403);
    await http(app).delete(`${SITES}/${documentId}`).set(siteEditor.auth).expect(403);
    await http(app).delete(`${SITES}/${documentId}`).set(chief.auth).expect(200);

    const entries = (await audit(`action=site-change&q=${encodeURIComponent(name)}`)).map(({ summary }) => summary);
    expect(entries).toEqual(expect.arrayContaining([`site "${name}" created`, `site "${name}" deleted`]));
    expect(entries).toHaveLength(2);
  });

  it('only a Super Admin creates, regenerates or revokes API tokens, and each change is audited', async () => {
    const tokenAdmin = await customRole(
      'TokenAdmin',
      ['create', 'read', 'update', 'regenerate', 'delete', 'access'].map((action) => ({
        action: `admin::api-tokens.${action}`,
        subject: null,
        properties: {},
        conditions: [],
      })),
    );
    const name = `${marker}-token`;
    const body = { name, description: '', type: 'full-access', lifespan: null };
    const refused = await http(app).post('/admin/api-tokens').set(tokenAdmin.auth).send(body).expect(403);
    expect(refused.body.error.details).toMatchObject({ code: 'write.access-needs-super-admin' });

    const { id } = (await http(app).post('/admin/api-tokens').set(chief.auth).send(body).expect(201)).body.data;
    await http(app).post(`/admin/api-tokens/${id}/regenerate`).set(tokenAdmin.auth).expect(403);
    await http(app).delete(`/admin/api-tokens/${id}`).set(tokenAdmin.auth).expect(403);
    await http(app).post(`/admin/api-tokens/${id}/regenerate`).set(chief.auth).expect(201);
    await http(app).delete(`/admin/api-tokens/${id}`).set(chief.auth).expect(200);

    const entries = await audit(`action=token-change&q=${encodeURIComponent(name)}`);
    expect(entries.map(({ summary }) => summary).sort()).toEqual(
      [`API token "${name}" created`, `API token "${name}" regenerated`, `API token "${name}" revoked`].sort(),
    );
    for (const entry of entries) expect(entry.actorKey).toBe(`user:${chief.id}`);
  });
});
