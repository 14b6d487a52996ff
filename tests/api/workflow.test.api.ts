/**
 * The editorial workflow over HTTP: roles, the author → reviewer → publisher path, the
 * two-person rule, and publishing refused on every path unless approved.
 */
import type { Core } from '@strapi/strapi';
import { cm, createAdmin, editorial, SUPER_ADMIN, type AdminSession } from '../helpers/admin';
import { apiToken, asSystem, http, startStrapi, stopStrapi } from '../helpers/strapi';

const UID = 'api::project.project';
const LOCALE = 'zh-Hans';

let app: Core.Strapi;
let author: AdminSession;
let reviewer: AdminSession;
let publisher: AdminSession;
let chief: AdminSession; // Super Admin: may do everything, still bound by the two-person rule
const marker = `workflow-test-${Date.now()}`;
let count = 0;

beforeAll(async () => {
  app = await startStrapi();
  author = await createAdmin(app, ['wutong-author'], 'Author');
  reviewer = await createAdmin(app, ['wutong-reviewer'], 'Reviewer');
  publisher = await createAdmin(app, ['wutong-publisher'], 'Publisher');
  chief = await createAdmin(app, [SUPER_ADMIN], 'Chief');
});

afterAll(async () => {
  const rows = await app.db.query(UID).findMany({ where: { slug: { $startsWith: marker } }, select: ['documentId'] });
  for (const documentId of new Set(rows.map((row: { documentId: string }) => row.documentId))) {
    await asSystem(() => app.documents(UID).delete({ documentId, locale: '*' } as never));
  }
  await stopStrapi(app);
});

/** A new draft project written by `who` through the Content Manager. */
const draft = async (who: AdminSession = author) => {
  count += 1;
  const response = await http(app)
    .post(cm(UID).create(LOCALE))
    .set(who.auth)
    .send({ title: `审核流程 ${marker} ${count}`, slug: `${marker}-${count}`, kind: 'hotel', stage: 'open' })
    .expect(201);
  return response.body.data.documentId as string;
};

const view = async (documentId: string, who: AdminSession = chief) =>
  (
    await http(app)
      .get(editorial(UID, documentId, LOCALE).view)
      .set(who.auth)
      .expect(200)
  ).body.data;

const move = (documentId: string, who: AdminSession, transition: string, reason?: string) =>
  http(app)
    .post(editorial(UID, documentId, LOCALE).transitions)
    .set(who.auth)
    .send({ transition, reason });

const edit = (documentId: string, who: AdminSession, data: Record<string, unknown>) =>
  http(app).put(cm(UID).one(documentId, LOCALE)).set(who.auth).send(data);

const publicStatus = async (documentId: string) => (await http(app).get(`/api/projects/${documentId}`)).status;

/** Draft → in review → approved, by the author and the reviewer. */
const approved = async () => {
  const documentId = await draft();
  await move(documentId, author, 'submit').expect(200);
  await move(documentId, reviewer, 'approve').expect(200);
  return documentId;
};

describe('roles created by bootstrap', () => {
  it('are ordinary admin roles with the expected permissions', async () => {
    const permissionsOf = async (code: string) => {
      const role = await app.service('admin::role').findOne({ code });
      const permissions = await app.db.query('admin::permission').findMany({ where: { role: role.id } });
      return permissions
        .filter((p: { subject: string | null }) => p.subject === UID || p.subject === null)
        .map((p: { action: string }) => p.action);
    };
    const authorActions = await permissionsOf('wutong-author');
    expect(authorActions).toEqual(
      expect.arrayContaining(['plugin::content-manager.explorer.create', 'plugin::content-manager.explorer.update']),
    );
    expect(authorActions).not.toContain('plugin::content-manager.explorer.publish');
    expect(authorActions).not.toContain('plugin::editorial.review');
    expect(await permissionsOf('wutong-reviewer')).toEqual(
      expect.arrayContaining(['plugin::editorial.review', 'plugin::content-manager.explorer.read']),
    );
    expect(await permissionsOf('wutong-reviewer')).not.toContain('plugin::content-manager.explorer.update');
    expect(await permissionsOf('wutong-publisher')).toContain('plugin::content-manager.explorer.publish');
    expect(await app.service('admin::role').findOne({ code: 'wutong-translator-en' })).toMatchObject({
      name: 'Translator 译者 (en)',
    });
  });
});

describe('from draft to published', () => {
  it('takes an author, a reviewer and a publisher, and the public sees it only at the end', async () => {
    const documentId = await draft();
    expect((await view(documentId, author)).stage).toBe('draft');
    expect((await view(documentId, author)).transitions).toEqual(['submit']);

    await move(documentId, author, 'submit').expect(200);
    expect((await view(documentId, reviewer)).transitions).toEqual(['request_changes', 'approve']);

    const approval = await move(documentId, reviewer, 'approve').expect(200);
    expect(approval.body.data).toMatchObject({ stage: 'approved', approvalCurrent: true });
    expect(await publicStatus(documentId)).toBe(404);

    expect((await view(documentId, publisher)).transitions).toEqual(['publish']);
    await http(app).post(cm(UID).publish(documentId, LOCALE)).set(publisher.auth).send({}).expect(200);
    expect((await view(documentId)).stage).toBe('published');
    expect(await publicStatus(documentId)).toBe(200);

    await move(documentId, publisher, 'unpublish').expect(200);
    expect((await view(documentId)).stage).toBe('unpublished');
    expect(await publicStatus(documentId)).toBe(404);
  });

  it('sends content back with a reason and takes it again after a fix', async () => {
    const documentId = await draft();
    await move(documentId, author, 'submit').expect(200);
    const noReason = await move(documentId, reviewer, 'request_changes').expect(400);
    expect(noReason.body.error.message).toMatch(/reason is required/);
    await move(documentId, reviewer, 'request_changes', '占地面积请核实').expect(200);
    expect(await view(documentId, author)).toMatchObject({ stage: 'changes_requested', reason: '占地面积请核实' });

    await edit(documentId, author, { landAreaMu: 120 }).expect(200);
    await move(documentId, author, 'submit').expect(200);
    await move(documentId, reviewer, 'approve').expect(200);
    await move(documentId, publisher, 'publish').expect(200);
    expect(await publicStatus(documentId)).toBe(200);
  });
});

describe('unpublishing', () => {
  it('takes the live version down while its draft is being reworked, and the draft keeps its stage', async () => {
    const documentId = await approved();
    await move(documentId, publisher, 'publish').expect(200);
    await edit(documentId, author, { summary: '改版中' }).expect(200);
    await move(documentId, author, 'submit').expect(200);
    expect((await view(documentId, publisher)).transitions).toEqual(['unpublish']);
    await move(documentId, publisher, 'unpublish').expect(200);
    expect(await publicStatus(documentId)).toBe(404);
    expect((await view(documentId)).stage).toBe('in_review');
  });

  it('is refused when nothing is published, and to those who may not publish', async () => {
    const documentId = await draft();
    const response = await move(documentId, publisher, 'unpublish').expect(403);
    expect(response.body.error.message).toMatch(/Nothing is published/);
    const live = await approved();
    await move(live, publisher, 'publish').expect(200);
    await move(live, author, 'unpublish').expect(403);
    await move(live, reviewer, 'unpublish').expect(403);
    expect(await publicStatus(live)).toBe(200);
  });
});

describe('the role × transition matrix over HTTP', () => {
  it('refuses every move a role may not make, with a 403', async () => {
    const documentId = await draft();
    for (const [who, transition] of [
      [reviewer, 'submit'],
      [publisher, 'submit'],
    ] as const) {
      await move(documentId, who, transition).expect(403);
    }
    await move(documentId, author, 'submit').expect(200);
    for (const [who, transition] of [
      [author, 'approve'],
      [publisher, 'approve'],
      [author, 'request_changes'],
      [publisher, 'publish'],
      [author, 'publish'],
    ] as const) {
      const response = await move(documentId, who, transition, 'because').expect(403);
      expect(response.body.error.name).toBe('PolicyError');
    }
    await move(documentId, reviewer, 'approve').expect(200);
    await move(documentId, author, 'publish').expect(403); // no publish permission
    await move(documentId, reviewer, 'publish').expect(403); // reviewers approve, publishers publish
    await move(documentId, reviewer, 'request_changes', 'second thoughts').expect(200);
    expect((await view(documentId)).stage).toBe('changes_requested');
  });

  it('rejects an unknown transition with a 400', async () => {
    const documentId = await draft();
    await move(documentId, author, 'teleport').expect(400);
  });

  it('lets the author withdraw a submission', async () => {
    const documentId = await draft();
    await move(documentId, author, 'submit').expect(200);
    await move(documentId, author, 'withdraw').expect(200);
    expect((await view(documentId)).stage).toBe('draft');
  });
});

describe('two-person rule', () => {
  it('refuses an approval of one’s own last edit, even for a Super Admin', async () => {
    const documentId = await draft(chief);
    await move(documentId, chief, 'submit').expect(200);
    expect((await view(documentId, chief)).transitions).not.toContain('approve');
    const response = await move(documentId, chief, 'approve').expect(403);
    expect(response.body.error.message).toBe('You made the last edit: someone else must approve it');
    await move(documentId, reviewer, 'approve').expect(200);
    await move(documentId, chief, 'publish').expect(200);
  });

  it('voids an approval when the content is edited, and needs a new one', async () => {
    const documentId = await approved();
    await edit(documentId, author, { summary: '批准后改动' }).expect(200);
    expect(await view(documentId)).toMatchObject({ stage: 'draft', approvalCurrent: false });
    const response = await move(documentId, publisher, 'publish').expect(403);
    expect(response.body.error.message).toMatch(/Only approved content can be published/);
  });

  it('keeps the approval when a save changes nothing', async () => {
    const documentId = await approved();
    const current = (await http(app).get(cm(UID).one(documentId, LOCALE)).set(author.auth).expect(200)).body.data;
    await edit(documentId, author, { title: current.title, summary: current.summary }).expect(200);
    expect(await view(documentId)).toMatchObject({ stage: 'approved', approvalCurrent: true });
  });

  it('covers the exact version approved: a change that skipped the workflow blocks publishing', async () => {
    const documentId = await approved();
    // A write straight to the database (a migration, a SQL console): the draft is no longer what was approved.
    await app.db
      .query(UID)
      .update({ where: { documentId, locale: LOCALE, publishedAt: null }, data: { summary: '绕过流程的改动' } });
    const response = await move(documentId, publisher, 'publish').expect(403);
    expect(response.body.error.message).toMatch(/changed after it was approved/);
  });
});

describe('every publish path refuses unapproved content', () => {
  it('the Content Manager Publish button', async () => {
    const documentId = await draft();
    const response = await http(app).post(cm(UID).publish(documentId, LOCALE)).set(publisher.auth).send({}).expect(403);
    expect(response.body.error.message).toMatch(/Only approved content can be published/);
    expect(await publicStatus(documentId)).toBe(404);
  });

  it('the Content Manager Publish button with unsaved edits to approved content', async () => {
    const documentId = await approved();
    await http(app)
      .post(cm(UID).publish(documentId, LOCALE))
      .set(chief.auth)
      .send({ summary: '发布时顺手改的' })
      .expect(403);
    expect(await publicStatus(documentId)).toBe(404);
    expect((await view(documentId)).stage).toBe('approved'); // the refused request changed nothing
  });

  it('the Content Manager bulk publish', async () => {
    const ok = await approved();
    const notOk = await draft();
    const response = await http(app)
      .post(cm(UID).bulkPublish(LOCALE))
      .set(publisher.auth)
      .send({ documentIds: [ok, notOk] });
    expect(response.status).toBe(403);
    expect(await publicStatus(ok)).toBe(404); // all or nothing
    expect(await publicStatus(notOk)).toBe(404);
  });

  it('the Content Manager create-and-publish in one step', async () => {
    const response = await http(app)
      .post(`/content-manager/collection-types/${UID}/actions/publish?locale=${LOCALE}`)
      .set(chief.auth)
      .send({ title: `一步发布 ${marker}`, slug: `${marker}-one-step`, kind: 'hotel', stage: 'open' });
    expect(response.status).toBe(403);
    expect(await app.db.query(UID).count({ where: { slug: `${marker}-one-step` } })).toBe(0);
  });

  it('REST POST and PUT with a full-access token only ever write drafts', async () => {
    const auth = { Authorization: `Bearer ${await apiToken(app, 'full-access')}` };
    const created = await http(app)
      .post('/api/projects?status=published')
      .set(auth)
      .send({ data: { title: `REST ${marker}`, slug: `${marker}-rest`, kind: 'hotel', stage: 'open' } })
      .expect(201);
    const { documentId } = created.body.data;
    expect(created.body.data.publishedAt).toBeNull();
    await http(app)
      .put(`/api/projects/${documentId}?status=published`)
      .set(auth)
      .send({ data: { summary: 'x' } })
      .expect(200);
    expect(await publicStatus(documentId)).toBe(404);
    expect(await app.db.query(UID).count({ where: { documentId, publishedAt: { $notNull: true } } })).toBe(0);
  });

  it('the Document Service called from code', async () => {
    const documentId = await draft();
    await expect(app.documents(UID).publish({ documentId, locale: LOCALE } as never)).rejects.toMatchObject({
      name: 'PolicyError',
    });
    await expect(
      app.documents(UID).create({
        locale: LOCALE,
        status: 'published',
        data: { title: 'x', slug: `${marker}-code`, kind: 'hotel', stage: 'open' },
      } as never),
    ).rejects.toMatchObject({ name: 'PolicyError' });
    await expect(
      app.documents(UID).update({ documentId, locale: LOCALE, status: 'published', data: { summary: 'x' } } as never),
    ).rejects.toMatchObject({
      name: 'PolicyError',
    });
    expect(await publicStatus(documentId)).toBe(404);
  });

  it('…except in the explicit system context, which is audited', async () => {
    const documentId = await draft();
    await asSystem(() => app.documents(UID).publish({ documentId, locale: LOCALE } as never));
    expect(await publicStatus(documentId)).toBe(200);
    const audit = (
      await http(app).get(`/editorial/audit?documentId=${documentId}&action=publish`).set(chief.auth).expect(200)
    ).body.data;
    expect(audit[0]).toMatchObject({ actorKind: 'system', actorName: 'system (test fixture)', action: 'publish' });
  });

  it('the editorial publish transition, for approved content only', async () => {
    const documentId = await draft();
    await move(documentId, publisher, 'publish').expect(403);
    expect(await publicStatus(documentId)).toBe(404);
  });
});

describe('stages in list views', () => {
  it('answers the stage of many documents, and the documents in a stage', async () => {
    const inReview = await draft();
    await move(inReview, author, 'submit').expect(200);
    const fresh = await draft();
    const stages = await http(app)
      .get(`/editorial/stages/${UID}?locale=${LOCALE}&documentIds[0]=${inReview}&documentIds[1]=${fresh}`)
      .set(author.auth)
      .expect(200);
    expect(stages.body.data).toEqual({ [inReview]: 'in_review', [fresh]: 'draft' });
    const ids = await http(app)
      .get(`/editorial/stages/${UID}?locale=${LOCALE}&stage=in_review`)
      .set(author.auth)
      .expect(200);
    expect(ids.body.data).toContain(inReview);
    expect(ids.body.data).not.toContain(fresh);
    await http(app).get(`/editorial/stages/${UID}?stage=lost`).set(author.auth).expect(400);
  });

  it('treats seeded, published content as published', async () => {
    const [seeded] = (await http(app).get('/api/projects?filters[code][$eq]=XG-01').expect(200)).body.data;
    expect((await view(seeded.documentId)).stage).toBe('published');
  });
});
