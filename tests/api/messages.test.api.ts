/**
 * Every refusal the admin may show carries a stable code and its params in `error.details`
 * (beside the English message for API clients), so the admin can say it in the editor's
 * language: validation, unknown fields, locale rights, stale saves, the publish rule, our own
 * routes' permissions. And the role picker holds no two roles called "Author".
 */
import type { Core } from '@strapi/strapi';
import { cm, createAdmin, SUPER_ADMIN, type AdminSession } from '../helpers/admin';
import { asSystem, http, startStrapi, stopStrapi } from '../helpers/strapi';

const UID = 'api::project.project';
const ZH = 'zh-Hans';

let app: Core.Strapi;
let author: AdminSession;
let colleague: AdminSession;
let publisher: AdminSession;
let translator: AdminSession;
let chief: AdminSession;
const marker = `messages-test-${Date.now()}`;
let count = 0;

beforeAll(async () => {
  app = await startStrapi();
  author = await createAdmin(app, ['wutong-author'], 'Hu');
  colleague = await createAdmin(app, ['wutong-author'], 'Ma');
  publisher = await createAdmin(app, ['wutong-publisher'], 'Guo');
  translator = await createAdmin(app, ['wutong-translator-en'], 'Smith');
  chief = await createAdmin(app, [SUPER_ADMIN], 'Zheng');
});

afterAll(async () => {
  const rows = await app.db.query(UID).findMany({ where: { slug: { $startsWith: marker } }, select: ['documentId'] });
  for (const documentId of new Set(rows.map((row: { documentId: string }) => row.documentId)))
    await asSystem(() => app.documents(UID).delete({ documentId, locale: '*' } as never));
  await stopStrapi(app);
});

const fields = () => {
  count += 1;
  return { title: `消息 ${marker} ${count}`, slug: `${marker}-${count}`, kind: 'hotel', stage: 'open' };
};

const draft = async (who: AdminSession = author) =>
  (await http(app).post(cm(UID).create(ZH)).set(who.auth).send(fields()).expect(201)).body.data.documentId as string;

describe('coded refusals', () => {
  it('a value out of range: validation.min with the field and the limit, on the error and on its issue', async () => {
    const response = await http(app)
      .post(cm(UID).create(ZH))
      .set(author.auth)
      .send({ ...fields(), landAreaMu: -5 })
      .expect(400);
    expect(response.body.error).toMatchObject({
      name: 'ValidationError',
      message: 'landAreaMu must be greater than or equal to 0',
      details: {
        code: 'validation.min',
        params: { field: 'landAreaMu', min: 0 },
        errors: [{ path: ['landAreaMu'], code: 'validation.min', params: { field: 'landAreaMu', min: 0 } }],
      },
    });
  });

  it('an unknown field: validation.unknown-field naming it', async () => {
    const documentId = await draft();
    const response = await http(app)
      .put(cm(UID).one(documentId, ZH))
      .set(author.auth)
      .send({ summary: '摘要', colour: 'red' })
      .expect(400);
    expect(response.body.error.details).toMatchObject({
      code: 'validation.unknown-field',
      params: { field: 'colour' },
    });
  });

  it('several problems at once: validation.several with their count, each issue coded', async () => {
    const response = await http(app)
      .post(cm(UID).create(ZH))
      .set(author.auth)
      .send({ ...fields(), landAreaMu: -1, latitude: 91 })
      .expect(400);
    expect(response.body.error.details).toMatchObject({ code: 'validation.several', params: { count: 2 } });
    expect(response.body.error.details.errors.map((issue: { code: string }) => issue.code).sort()).toEqual([
      'validation.max',
      'validation.min',
    ]);
  });

  it('locale rights: a Translator (en) writing Chinese gets write.locale with the locale', async () => {
    const source = await draft(chief);
    const response = await http(app)
      .post(`/content-manager/collection-types/${UID}/clone/${source}?locale=${ZH}`)
      .set(translator.auth)
      .send(fields())
      .expect(403);
    expect(response.body.error).toMatchObject({
      message: expect.stringMatching(/may not edit the zh-Hans version/),
      details: { code: 'write.locale', params: { locale: ZH } },
    });
  });

  it('a stale save: 409 conflict.stale with who changed which fields and when', async () => {
    const documentId = await draft();
    await http(app).get(cm(UID).one(documentId, ZH)).set(author.auth).expect(200);
    await http(app).get(cm(UID).one(documentId, ZH)).set(colleague.auth).expect(200);
    await http(app).put(cm(UID).one(documentId, ZH)).set(author.auth).send({ summary: '作者的修改' }).expect(200);
    const response = await http(app)
      .put(cm(UID).one(documentId, ZH))
      .set(colleague.auth)
      .send({ summary: '同事的修改' })
      .expect(409);
    expect(response.body.error).toMatchObject({
      name: 'ConflictError',
      details: {
        code: 'conflict.stale',
        params: { locale: ZH, who: 'Hu Test', fields: ['summary'], when: expect.any(String) },
      },
    });
    // The editor's own text waits beside the saved one in the review panel: nothing typed is lost.
    const panel = (
      await http(app).get(`/editorial/documents/${UID}/${documentId}?locale=${ZH}`).set(colleague.auth).expect(200)
    ).body.data;
    expect(panel.conflict.values).toEqual({ summary: { mine: '同事的修改', theirs: '作者的修改' } });
  });

  it('the publish rule: publishing unapproved content names why (workflow.not-approved, with the stage)', async () => {
    const documentId = await draft();
    const response = await http(app).post(cm(UID).publish(documentId, ZH)).set(publisher.auth).send({}).expect(403);
    expect(response.body.error.details).toMatchObject({
      code: 'workflow.not-approved',
      params: { stage: 'draft', locale: ZH },
    });
  });

  it('our routes\' permissions: a reason and policy.permission, not Strapi\'s bare "Policy Failed"', async () => {
    const response = await http(app).get('/editorial/audit').set(author.auth).expect(403);
    expect(response.body.error.message).not.toBe('Policy Failed');
    expect(response.body.error.details).toMatchObject({
      code: 'policy.permission',
      params: { action: 'plugin::editorial.audit' },
    });
  });
});

describe('diffs for people', () => {
  it('names related documents by title and splits a component into its fields', async () => {
    const industry = await asSystem(() =>
      app.documents('api::industry.industry').create({
        locale: ZH,
        data: { name: `新材料 ${marker}`, slug: `${marker}-industry` },
      } as never),
    );
    const documentId = await draft();
    await asSystem(() =>
      app.documents(UID).update({
        documentId,
        locale: ZH,
        data: {
          industries: [industry.documentId],
          location: { address: '洛阳市西工区' },
          body: [{ type: 'paragraph', children: [{ type: 'text', text: '占地150亩' }] }],
        },
      } as never),
    );
    const [latest, first] = (
      await http(app).get(`/editorial/documents/${UID}/${documentId}/versions?locale=${ZH}`).set(chief.auth).expect(200)
    ).body.data as { id: number }[];
    const diff = (
      await http(app)
        .get(`/editorial/documents/${UID}/${documentId}/diff?locale=${ZH}&from=${first.id}&to=${latest.id}`)
        .set(chief.auth)
        .expect(200)
    ).body.data as { field: string; type: string; refs?: unknown; children?: { field: string }[] }[];
    const byField = Object.fromEntries(diff.map((change) => [change.field, change]));
    expect(byField.industries).toMatchObject({
      type: 'relation',
      refs: { [industry.documentId]: { title: `新材料 ${marker}` } },
    });
    expect(byField.body).toMatchObject({ type: 'blocks' });
    expect(byField.location).toMatchObject({
      type: 'component',
      children: [{ field: 'address', type: 'string', before: null, after: '洛阳市西工区' }],
    });
    await asSystem(() =>
      app.documents('api::industry.industry').delete({ documentId: industry.documentId, locale: '*' } as never),
    );
  });
});

describe('roles', () => {
  it('the role picker holds one "Author" and one "Editor" at most, each name distinct', async () => {
    const roles = (await http(app).get('/admin/roles').set(chief.auth).expect(200)).body.data as { name: string }[];
    const names = roles.map(({ name }) => name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((name) => /^Author\b/.test(name))).toEqual(['Author 撰稿人']);
    expect(names).not.toContain('Editor');
  });
});
