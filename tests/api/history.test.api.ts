/**
 * Safety nets for editors: version history with field-by-field diff and restore (which goes back
 * through review), and conflict-safe saves (409 instead of last-write-wins) in the admin and API.
 */
import type { Core } from '@strapi/strapi';
import { cm, createAdmin, editorial, SUPER_ADMIN, type AdminSession } from '../helpers/admin';
import { apiToken, asSystem, http, startStrapi, stopStrapi } from '../helpers/strapi';

const UID = 'api::project.project';
const LOCALE = 'zh-Hans';

let app: Core.Strapi;
let author: AdminSession;
let colleague: AdminSession;
let reviewer: AdminSession;
let publisher: AdminSession;
let chief: AdminSession;
const marker = `history-test-${Date.now()}`;
let count = 0;

beforeAll(async () => {
  app = await startStrapi();
  author = await createAdmin(app, ['wutong-author'], 'Hu');
  colleague = await createAdmin(app, ['wutong-author'], 'Ma');
  reviewer = await createAdmin(app, ['wutong-reviewer'], 'Sun');
  publisher = await createAdmin(app, ['wutong-publisher'], 'Guo');
  chief = await createAdmin(app, [SUPER_ADMIN], 'Zheng');
});

afterAll(async () => {
  const rows = await app.db.query(UID).findMany({ where: { slug: { $startsWith: marker } }, select: ['documentId'] });
  for (const documentId of new Set(rows.map((row: { documentId: string }) => row.documentId))) {
    await asSystem(() => app.documents(UID).delete({ documentId, locale: '*' } as never));
  }
  await stopStrapi(app);
});

const draft = async (who: AdminSession = author, extra: Record<string, unknown> = {}) => {
  count += 1;
  const response = await http(app)
    .post(cm(UID).create(LOCALE))
    .set(who.auth)
    .send({ title: `版本 ${marker} ${count}`, slug: `${marker}-${count}`, kind: 'hotel', stage: 'open', ...extra })
    .expect(201);
  return response.body.data.documentId as string;
};

const base = (documentId: string) => `/editorial/documents/${UID}/${documentId}`;
const open = (documentId: string, who: AdminSession) =>
  http(app).get(cm(UID).one(documentId, LOCALE)).set(who.auth).expect(200);
const save = (documentId: string, who: AdminSession, data: Record<string, unknown>) =>
  http(app).put(cm(UID).one(documentId, LOCALE)).set(who.auth).send(data);
const versions = async (documentId: string, who: AdminSession = author) =>
  (
    await http(app)
      .get(`${base(documentId)}/versions?locale=${LOCALE}`)
      .set(who.auth)
      .expect(200)
  ).body.data as {
    id: number;
    number: number;
    summary: string;
    actorName: string;
    fields: string[] | null;
    current: boolean;
  }[];
const move = (documentId: string, who: AdminSession, transition: string) =>
  http(app)
    .post(editorial(UID, documentId, LOCALE).transitions)
    .set(who.auth)
    .send({ transition })
    .expect(200);

describe('version history', () => {
  it('keeps a numbered version of every save that changes something, newest first', async () => {
    const documentId = await draft(author, { landAreaMu: 100 });
    await save(documentId, author, { landAreaMu: 120 }).expect(200);
    await save(documentId, author, { landAreaMu: 120 }).expect(200); // no change: no version
    await save(documentId, author, { summary: '新增摘要', landAreaMu: 150 }).expect(200);
    const list = await versions(documentId);
    expect(list.map(({ number, summary }) => [number, summary])).toEqual([
      [3, 'summary and landAreaMu changed'],
      [2, 'landAreaMu changed'],
      [1, expect.stringMatching(/^created /)],
    ]);
    expect(list[0]).toMatchObject({ actorName: 'Hu Test', current: true, fields: ['summary', 'landAreaMu'] });
    expect(list[2].current).toBe(false);
  });

  it('diffs any two versions field by field, and a version against the current draft', async () => {
    const documentId = await draft(author, { landAreaMu: 100 });
    await save(documentId, author, { landAreaMu: 120, summary: '第二版' }).expect(200);
    const [second, first] = await versions(documentId);
    const diff = await http(app)
      .get(`${base(documentId)}/diff?locale=${LOCALE}&from=${first.id}&to=${second.id}`)
      .set(reviewer.auth)
      .expect(200);
    expect(diff.body.data).toEqual([
      { field: 'summary', before: null, after: '第二版', type: 'text' },
      { field: 'landAreaMu', before: 100, after: 120, type: 'decimal' },
    ]);
    const againstCurrent = await http(app)
      .get(`${base(documentId)}/diff?locale=${LOCALE}&from=${first.id}&to=current`)
      .set(reviewer.auth)
      .expect(200);
    expect(againstCurrent.body.data).toEqual(diff.body.data);
    await http(app)
      .get(`${base(documentId)}/diff?locale=${LOCALE}&from=nonsense`)
      .set(reviewer.auth)
      .expect(400);
    await http(app)
      .get(`${base(documentId)}/diff?locale=${LOCALE}&from=999999999`)
      .set(reviewer.auth)
      .expect(404);
  });

  it('restores a version into the draft, which then needs review again, and audits it', async () => {
    const documentId = await draft(author, { landAreaMu: 100, summary: '原文' });
    await move(documentId, author, 'submit');
    await move(documentId, reviewer, 'approve');
    await move(documentId, publisher, 'publish');
    await save(documentId, author, { landAreaMu: 999, summary: '写错了' }).expect(200);
    const first = (await versions(documentId)).find(({ number }) => number === 1)!;

    await http(app)
      .post(`${base(documentId)}/versions/${first.id}/restore?locale=${LOCALE}`)
      .set(reviewer.auth)
      .expect(403);
    const restored = await http(app)
      .post(`${base(documentId)}/versions/${first.id}/restore?locale=${LOCALE}`)
      .set(colleague.auth)
      .expect(200);
    expect(restored.body.data).toMatchObject({ stage: 'draft', approvalCurrent: false });

    const current = (await open(documentId, author)).body.data;
    expect(current).toMatchObject({ landAreaMu: 100, summary: '原文' });
    expect((await versions(documentId))[0]).toMatchObject({ current: true, actorName: 'Ma Test' });
    const audit = await app.db
      .query('plugin::editorial.audit-entry')
      .findMany({ where: { targetDocumentId: documentId, action: 'restore' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorKey: `user:${colleague.id}`, summary: 'restored version 1' });
    // The restored draft is not live until reviewed and published again.
    const live = await http(app).get(`/api/projects/${documentId}`).expect(200);
    expect(live.body.data.summary).toBe('原文'); // the published version was never touched
    await move(documentId, colleague, 'submit');
    await move(documentId, reviewer, 'approve');
  });
});

describe('conflict-safe saves in the admin', () => {
  it('refuses a save based on a stale version with 409, who changed what, and lets the editor keep theirs', async () => {
    const documentId = await draft(author, { summary: '初稿' });
    await open(documentId, author);
    await open(documentId, colleague);

    await save(documentId, author, { summary: '作者的修改' }).expect(200);
    const panelBefore = (
      await http(app)
        .get(`${base(documentId)}?locale=${LOCALE}`)
        .set(colleague.auth)
        .expect(200)
    ).body.data;
    expect(panelBefore.stale).toMatchObject({ changedBy: 'Hu Test', fields: ['summary'] }); // warned before saving

    const stale = await save(documentId, colleague, { summary: '同事的修改', landAreaMu: 7 }).expect(409);
    expect(stale.body.error).toMatchObject({
      status: 409,
      name: 'ConflictError',
      message: expect.stringContaining('by Hu Test (summary)'),
      details: { current: { changedBy: 'Hu Test', fields: ['summary'] } },
    });
    expect((await open(documentId, author)).body.data.summary).toBe('作者的修改'); // nothing overwritten

    await open(documentId, colleague); // the Content Manager reloads the form after the refusal
    const panel = (
      await http(app)
        .get(`${base(documentId)}?locale=${LOCALE}`)
        .set(colleague.auth)
        .expect(200)
    ).body.data;
    expect(panel.conflict).toMatchObject({
      changedBy: 'Hu Test',
      fields: ['summary'],
      mine: ['summary', 'landAreaMu'],
    });

    await http(app)
      .post(`${base(documentId)}/conflict/keep-mine?locale=${LOCALE}`)
      .set(colleague.auth)
      .expect(200);
    expect((await open(documentId, author)).body.data).toMatchObject({ summary: '同事的修改', landAreaMu: 7 });
    const after = (
      await http(app)
        .get(`${base(documentId)}?locale=${LOCALE}`)
        .set(colleague.auth)
        .expect(200)
    ).body.data;
    expect(after.conflict).toBeNull();
    await http(app)
      .post(`${base(documentId)}/conflict/keep-mine?locale=${LOCALE}`)
      .set(colleague.auth)
      .expect(404);
  });

  it('lets the editor take theirs, and refuses "keep mine" if yet another save came in', async () => {
    const documentId = await draft(author);
    await open(documentId, colleague);
    await save(documentId, author, { summary: 'A' }).expect(200);
    await save(documentId, colleague, { summary: 'B' }).expect(409);
    await save(documentId, author, { summary: 'C' }).expect(200); // a second save by the author
    await http(app)
      .post(`${base(documentId)}/conflict/keep-mine?locale=${LOCALE}`)
      .set(colleague.auth)
      .expect(409);
    expect((await open(documentId, author)).body.data.summary).toBe('C');

    await http(app)
      .post(`${base(documentId)}/conflict/take-theirs?locale=${LOCALE}`)
      .set(colleague.auth)
      .expect(200);
    const panel = (
      await http(app)
        .get(`${base(documentId)}?locale=${LOCALE}`)
        .set(colleague.auth)
        .expect(200)
    ).body.data;
    expect(panel).toMatchObject({ conflict: null, stale: null });
    await save(documentId, colleague, { landAreaMu: 5 }).expect(200);
    expect((await open(documentId, author)).body.data).toMatchObject({ summary: 'C', landAreaMu: 5 });
  });

  it('does not flag consecutive saves by the same editor', async () => {
    const documentId = await draft(author);
    await open(documentId, author);
    await save(documentId, author, { summary: '1' }).expect(200);
    await save(documentId, author, { summary: '2' }).expect(200);
    await save(documentId, author, { summary: '3' }).expect(200);
  });

  it('refuses a Publish with stale unsaved edits too', async () => {
    const documentId = await draft(author);
    await open(documentId, chief);
    await save(documentId, author, { summary: '改了' }).expect(200);
    await http(app).post(cm(UID).publish(documentId, LOCALE)).set(chief.auth).send({ summary: '旧的' }).expect(409);
  });
});

describe('conflict-safe saves over the API', () => {
  it('answers a stale If-Match with 409 and the current version', async () => {
    const auth = { Authorization: `Bearer ${await apiToken(app, 'full-access')}` };
    const created = await http(app)
      .post('/api/projects')
      .set(auth)
      .send({ data: { title: `API ${marker}`, slug: `${marker}-api`, kind: 'hotel', stage: 'open' } })
      .expect(201);
    const { documentId } = created.body.data;
    const version = created.headers['x-content-version'];
    expect(version).toMatch(/^[0-9a-f]{32}$/);

    const updated = await http(app)
      .put(`/api/projects/${documentId}`)
      .set({ ...auth, 'If-Match': `"${version}"` })
      .send({ data: { summary: '第一次' } })
      .expect(200);
    const next = updated.headers['x-content-version'];
    expect(next).not.toBe(version);

    const stale = await http(app)
      .put(`/api/projects/${documentId}`)
      .set({ ...auth, 'If-Match': `"${version}"` })
      .send({ data: { summary: '基于旧版本' } })
      .expect(409);
    expect(stale.body.error).toMatchObject({
      name: 'ConflictError',
      details: { current: { version: next, fields: ['summary'] } },
    });

    const read = await http(app).get(`/api/projects/${documentId}?status=draft`).set(auth).expect(200);
    expect(read.body.data.summary).toBe('第一次');
    expect(read.headers['x-content-version']).toBe(next);
    await http(app)
      .put(`/api/projects/${documentId}`)
      .set({ ...auth, 'If-Match': next })
      .send({ data: { summary: '第二次' } })
      .expect(200);
    // Without If-Match, the API keeps Strapi's behaviour.
    await http(app)
      .put(`/api/projects/${documentId}`)
      .set(auth)
      .send({ data: { summary: '第三次' } })
      .expect(200);
  });
});
