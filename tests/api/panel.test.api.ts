/**
 * The edit view's workflow panel state (GET /editorial/documents/:uid/:documentId): a translation
 * nobody has started is a state, not a 404, with what can be done about it; and each role gets
 * the controls it may use, computed by the rules the server enforces, with a reason code where a
 * control is shown disabled.
 */
import type { Core } from '@strapi/strapi';
import { cm, createAdmin, editorial, type AdminSession } from '../helpers/admin';
import { asSystem, http, startStrapi, stopStrapi } from '../helpers/strapi';

const UID = 'api::project.project';
const ZH = 'zh-Hans';
const EN = 'en';

let app: Core.Strapi;
let author: AdminSession;
let reviewer: AdminSession;
let publisher: AdminSession;
let translator: AdminSession;
const marker = `panel-test-${Date.now()}`;
let count = 0;

beforeAll(async () => {
  app = await startStrapi();
  author = await createAdmin(app, ['wutong-author'], 'Writer');
  reviewer = await createAdmin(app, ['wutong-reviewer'], 'Checker');
  publisher = await createAdmin(app, ['wutong-publisher'], 'Releaser');
  translator = await createAdmin(app, ['wutong-translator-en'], 'Translator');
});

afterAll(async () => {
  const rows = await app.db.query(UID).findMany({ where: { slug: { $startsWith: marker } }, select: ['documentId'] });
  for (const documentId of new Set(rows.map((row: { documentId: string }) => row.documentId))) {
    await asSystem(() => app.documents(UID).delete({ documentId, locale: '*' } as never));
  }
  await stopStrapi(app);
});

/** A Chinese draft written by the author. */
const draft = async () => {
  count += 1;
  const response = await http(app)
    .post(cm(UID).create(ZH))
    .set(author.auth)
    .send({
      title: `面板测试 ${marker} ${count}`,
      slug: `${marker}-${count}`,
      kind: 'hotel',
      stage: 'open',
      summary: '位于洛阳市西工区，占地约280亩',
    })
    .expect(201);
  return response.body.data.documentId as string;
};

const view = async (documentId: string, who: AdminSession, locale = ZH) =>
  (
    await http(app)
      .get(editorial(UID, documentId, locale).view)
      .set(who.auth)
      .expect(200)
  ).body.data;

/** The panel's controls as `action` (usable) or `action!reason` (shown disabled). */
const controls = async (documentId: string, who: AdminSession, locale = ZH) =>
  ((await view(documentId, who, locale)).actions as { action: string; allowed: boolean; reason?: string }[]).map(
    ({ action, allowed, reason }) => (allowed ? action : `${action}!${reason}`),
  );

const move = (documentId: string, who: AdminSession, transition: string) =>
  http(app)
    .post(editorial(UID, documentId, ZH).transitions)
    .set(who.auth)
    .send({ transition })
    .expect(200);

describe('a translation nobody has started', () => {
  it('is a "missing" state with the way to start it, not a 404', async () => {
    const documentId = await draft();
    const state = await view(documentId, translator, EN);
    expect(state).toMatchObject({
      missing: true,
      stage: null,
      transitions: [],
      comments: [],
      actions: [{ action: 'fill', allowed: true }],
    });
    // Someone who may not write English is told why they cannot start it.
    expect((await view(documentId, reviewer, EN)).actions).toEqual([
      { action: 'fill', allowed: false, reason: 'workflow.needs-edit' },
    ]);

    // The translation detail says whether machine translation is available and which glossary
    // terms the source uses, with their fixed English renderings.
    const detail = (
      await http(app)
        .get(`/editorial/documents/${UID}/${documentId}/translation?locale=${EN}`)
        .set(translator.auth)
        .expect(200)
    ).body.data;
    expect(detail).toMatchObject({ status: 'missing', machineTranslation: false });
    expect(detail.terms).toEqual(
      expect.arrayContaining([
        { source: '洛阳市西工区', target: expect.stringMatching(/Xigong/) },
        { source: '亩', target: expect.stringMatching(/^mu/) },
      ]),
    );
    expect(detail.terms.map(({ source }: { source: string }) => source)).not.toContain('西工区');

    // Filled from the source, it exists: an ordinary draft.
    await http(app)
      .post(`/editorial/documents/${UID}/${documentId}/translation/fill?locale=${EN}`)
      .set(translator.auth)
      .send({ mode: 'source' })
      .expect(200);
    expect(await view(documentId, translator, EN)).toMatchObject({ missing: false, stage: 'draft' });
  });

  it('is still a 404 for a document that does not exist at all', async () => {
    await http(app)
      .get(editorial(UID, 'nosuchdocument000000000', EN).view)
      .set(translator.auth)
      .expect(404);
  });
});

describe('the controls each role is offered', () => {
  it('follow the workflow for author, reviewer, publisher and translator', async () => {
    const documentId = await draft();

    // A draft: the author submits; nobody can publish it yet, and everyone sees why.
    expect(await controls(documentId, author)).toEqual([
      'submit',
      'publish!workflow.needs-approval',
      'comment',
      'restore',
    ]);
    expect(await controls(documentId, reviewer)).toEqual(['publish!workflow.needs-approval', 'assign', 'comment']);
    expect(await controls(documentId, publisher)).toEqual([
      'publish!workflow.needs-approval',
      'schedule!workflow.needs-approval',
      'release',
      'assign',
      'comment',
    ]);
    // A translator reads the Chinese source but has no part in its workflow.
    expect(await controls(documentId, translator)).toEqual(['publish!workflow.needs-approval']);

    await move(documentId, author, 'submit');
    expect(await controls(documentId, reviewer)).toEqual([
      'request_changes',
      'approve',
      'publish!workflow.needs-approval',
      'assign',
      'comment',
    ]);
    expect(await controls(documentId, author)).toEqual([
      'withdraw',
      'publish!workflow.needs-approval',
      'comment',
      'restore',
    ]);

    await move(documentId, reviewer, 'approve');
    expect(await controls(documentId, author)).toEqual(['publish!workflow.needs-publish', 'comment', 'restore']);
    expect(await controls(documentId, publisher)).toEqual(['publish', 'schedule', 'release', 'assign', 'comment']);
  });

  it('are exactly what the server allows: refused ones are refused', async () => {
    const documentId = await draft();
    const urls = editorial(UID, documentId, ZH);
    // Not offered to the author or the translator: assigning and scheduling.
    await http(app).put(urls.assignment).set(author.auth).send({ assigneeId: reviewer.id }).expect(403);
    await http(app).get('/editorial/assignees').set(translator.auth).expect(403);
    await http(app).get('/editorial/assignees').set(author.auth).expect(403);
    await http(app)
      .put(`/editorial/documents/${UID}/${documentId}/schedule?locale=${ZH}`)
      .set(reviewer.auth)
      .send({ action: 'publish', at: '2099-01-01T09:00' })
      .expect(403);
    // Restoring a version is an edit: not offered to the reviewer, and refused; the author's works.
    const history = `/editorial/documents/${UID}/${documentId}/versions`;
    const versions = await http(app).get(`${history}?locale=${ZH}`).set(reviewer.auth).expect(200);
    const restore = `${history}/${versions.body.data[0].id}/restore?locale=${ZH}`;
    await http(app).post(restore).set(reviewer.auth).expect(403);
    await http(app).post(restore).set(author.auth).expect(200);
    // Offered to the reviewer: assigning works.
    await http(app).put(urls.assignment).set(reviewer.auth).send({ assigneeId: author.id }).expect(200);
    // Shown disabled to the author: publishing is refused, for the reason given.
    const refused = await http(app).post(urls.transitions).set(author.auth).send({ transition: 'publish' }).expect(403);
    expect(refused.body.error.message).toMatch(/permission to publish/);
  });
});
