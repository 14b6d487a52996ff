/**
 * Scheduled publish and unpublish (approved content only, Beijing time by default, exactly once
 * with two Strapi processes, missed jobs fired on start) and releases (all or nothing).
 */
import type { Core } from '@strapi/strapi';
import { cm, createAdmin, editorial, type AdminSession } from '../helpers/admin';
import { asSystem, http, startStrapi, stopStrapi } from '../helpers/strapi';
import { startWorker } from '../helpers/workers';

const UID = 'api::project.project';
const LOCALE = 'zh-Hans';
const SCHEDULE = 'plugin::editorial.schedule';

let app: Core.Strapi;
let author: AdminSession;
let reviewer: AdminSession;
let publisher: AdminSession;
const marker = `schedule-test-${Date.now()}`;
let count = 0;

type Schedules = { tick(): Promise<void>; stop(): void; start(ms: number): void; timeZone: string };
const schedules = () => app.plugin('editorial').service('schedules') as Schedules;

beforeAll(async () => {
  app = await startStrapi();
  // The tests drive the scheduler themselves (tick), or through a second process.
  schedules().stop();
  author = await createAdmin(app, ['wutong-author'], 'Qian');
  reviewer = await createAdmin(app, ['wutong-reviewer'], 'Li');
  publisher = await createAdmin(app, ['wutong-publisher'], 'Zhou');
});

afterAll(async () => {
  const rows = await app.db.query(UID).findMany({ where: { slug: { $startsWith: marker } }, select: ['documentId'] });
  for (const documentId of new Set(rows.map((row: { documentId: string }) => row.documentId))) {
    await asSystem(() => app.documents(UID).delete({ documentId, locale: '*' } as never));
  }
  await stopStrapi(app);
});

const draft = async () => {
  count += 1;
  const response = await http(app)
    .post(cm(UID).create(LOCALE))
    .set(author.auth)
    .send({ title: `定时 ${marker} ${count}`, slug: `${marker}-${count}`, kind: 'hotel', stage: 'open' })
    .expect(201);
  return response.body.data.documentId as string;
};

const move = (documentId: string, who: AdminSession, transition: string) =>
  http(app)
    .post(editorial(UID, documentId, LOCALE).transitions)
    .set(who.auth)
    .send({ transition })
    .expect(200);

const approved = async () => {
  const documentId = await draft();
  await move(documentId, author, 'submit');
  await move(documentId, reviewer, 'approve');
  return documentId;
};

const scheduleUrl = (documentId: string) => `/editorial/documents/${UID}/${documentId}/schedule?locale=${LOCALE}`;
const isLive = async (documentId: string) => (await http(app).get(`/api/projects/${documentId}`)).status === 200;
const soon = (ms: number) => new Date(Date.now() + ms).toISOString();
const publishedCount = (documentId: string) =>
  app.db.query('plugin::events.event').count({ where: { targetDocumentId: documentId, type: 'document.published' } });

describe('scheduling', () => {
  it('reads local times as Beijing time and shows them with the zone', async () => {
    const documentId = await approved();
    const response = await http(app)
      .put(scheduleUrl(documentId))
      .set(publisher.auth)
      .send({ action: 'publish', at: '2099-12-01T09:00' })
      .expect(200);
    expect(response.body.data.timeZone).toBe('Asia/Shanghai');
    expect(response.body.data.schedules[0]).toMatchObject({
      action: 'publish',
      status: 'pending',
      runAt: '2099-12-01T01:00:00.000Z',
      runAtLocal: '2099-12-01 09:00 (Asia/Shanghai)',
    });
    await http(app)
      .delete(`${scheduleUrl(documentId)}&action=publish`)
      .set(publisher.auth)
      .expect(200);
  });

  it('is refused for content that is not approved, for past times and for people who may not publish', async () => {
    const documentId = await draft();
    const refused = await http(app)
      .put(scheduleUrl(documentId))
      .set(publisher.auth)
      .send({ action: 'publish', at: soon(60000) })
      .expect(403);
    expect(refused.body.error.message).toMatch(/Only approved content can be published/);
    const ok = await approved();
    await http(app)
      .put(scheduleUrl(ok))
      .set(publisher.auth)
      .send({ action: 'publish', at: '2020-01-01T09:00' })
      .expect(400);
    await http(app).put(scheduleUrl(ok)).set(publisher.auth).send({ action: 'publish', at: 'next week' }).expect(400);
    await http(app)
      .put(scheduleUrl(ok))
      .set(author.auth)
      .send({ action: 'publish', at: soon(60000) })
      .expect(403);
    await http(app)
      .put(scheduleUrl(ok))
      .set(publisher.auth)
      .send({ action: 'unpublish', at: soon(60000) })
      .expect(403); // nothing live
  });

  it('publishes when due, then unpublishes when due, and audits both', async () => {
    const documentId = await approved();
    await http(app)
      .put(scheduleUrl(documentId))
      .set(publisher.auth)
      .send({ action: 'publish', at: soon(500) })
      .expect(200);
    await schedules().tick();
    expect(await isLive(documentId)).toBe(false); // not yet
    await new Promise((resolve) => setTimeout(resolve, 700));
    await schedules().tick();
    expect(await isLive(documentId)).toBe(true);

    await http(app)
      .put(scheduleUrl(documentId))
      .set(publisher.auth)
      .send({ action: 'unpublish', at: soon(300) })
      .expect(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await schedules().tick();
    expect(await isLive(documentId)).toBe(false);
    const audit = await app.db
      .query('plugin::editorial.audit-entry')
      .findMany({ where: { targetDocumentId: documentId }, orderBy: { id: 'asc' } });
    const actions = audit.map(
      ({ action, actorKind }: { action: string; actorKind: string }) => `${action}/${actorKind}`,
    );
    expect(actions).toEqual(expect.arrayContaining(['schedule/user', 'publish/scheduler', 'unpublish/scheduler']));
  });

  it('fails (and tells its author) when the content changed after approval', async () => {
    const documentId = await approved();
    await http(app)
      .put(scheduleUrl(documentId))
      .set(publisher.auth)
      .send({ action: 'publish', at: soon(200) })
      .expect(200);
    await http(app).put(cm(UID).one(documentId, LOCALE)).set(author.auth).send({ summary: '批准后又改了' }).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const notifier = app.plugin('editorial').service('notifications') as {
      sent(): { to: string; subject: string; text: string }[];
    };
    const before = notifier.sent().length;
    await schedules().tick();
    await (app.plugin('events').service('stream') as { kick(): Promise<void> }).kick();
    expect(await isLive(documentId)).toBe(false);
    const [job] = await app.db.query(SCHEDULE).findMany({ where: { targetDocumentId: documentId } });
    // The English text for API clients, and the code and params the admin says it in its language with.
    expect(job).toMatchObject({
      status: 'failed',
      lastError: expect.stringMatching(/Only approved content/),
      lastErrorCode: 'workflow.not-approved',
      lastErrorParams: { stage: 'draft' },
    });
    const panel = await http(app)
      .get(editorial(UID, documentId, LOCALE).view)
      .set(publisher.auth)
      .expect(200);
    expect(panel.body.data.schedules).toEqual([
      expect.objectContaining({ status: 'failed', lastErrorCode: 'workflow.not-approved' }),
    ]);
    // Its author never chose a language: the notice is in Chinese, the reason from its code.
    expect(notifier.sent().slice(before)).toEqual([
      expect.objectContaining({
        to: publisher.email,
        subject: expect.stringMatching(/^\[Wutong\] 定时发布失败：招商项目“定时 .+”（zh-Hans）$/),
        text: expect.stringContaining('只有已批准的内容才能发布：当前版本为“草稿”'),
      }),
    ]);
    expect(notifier.sent().at(-1)?.text).not.toMatch(/Only approved/);
  });
});

/** A second Strapi process on the same database, running its own scheduler. */
const startScheduler = (lifetimeMs: number) => startWorker(lifetimeMs, { WUTONG_SCHEDULER_INTERVAL_MS: '100' });

describe('scheduled jobs with two Strapi processes', () => {
  it('fire exactly once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) ids.push(await approved());
    const worker = await startScheduler(6000);
    const at = soon(1500);
    for (const documentId of ids) {
      await http(app).put(scheduleUrl(documentId)).set(publisher.auth).send({ action: 'publish', at }).expect(200);
    }
    schedules().start(100); // this process competes with the worker for the same jobs
    try {
      await worker.exited;
    } finally {
      schedules().stop();
    }
    for (const documentId of ids) {
      expect(await isLive(documentId)).toBe(true);
      expect(await publishedCount(documentId)).toBe(1);
      const jobs = await app.db.query(SCHEDULE).findMany({ where: { targetDocumentId: documentId } });
      expect(jobs.map(({ status }: { status: string }) => status)).toEqual(['done']);
    }
  });

  it('fire on start when they fell due while no process was running', async () => {
    const documentId = await approved();
    await http(app)
      .put(scheduleUrl(documentId))
      .set(publisher.auth)
      .send({ action: 'publish', at: soon(100) })
      .expect(200);
    await new Promise((resolve) => setTimeout(resolve, 300)); // due, and nobody ticking
    expect(await isLive(documentId)).toBe(false);
    const worker = await startScheduler(1500);
    await worker.exited;
    expect(await isLive(documentId)).toBe(true);
    expect(await publishedCount(documentId)).toBe(1);
  });
});

describe('releases', () => {
  const createRelease = async (name: string) =>
    (await http(app).post('/editorial/releases').set(publisher.auth).send({ name }).expect(201)).body.data.id as number;
  const add = (id: number, documentId: string, action = 'publish') =>
    http(app)
      .post(`/editorial/releases/${id}/entries`)
      .set(publisher.auth)
      .send({ uid: UID, documentId, locale: LOCALE, action });

  it('publish all members together, or none when one is not approved', async () => {
    const first = await approved();
    const second = await approved();
    const unapproved = await draft();
    const id = await createRelease(`发布批次 ${marker}`);
    await add(id, first).expect(200);
    await add(id, second).expect(200);
    await add(id, unapproved).expect(200);

    const failed = await http(app).post(`/editorial/releases/${id}/publish`).set(publisher.auth).expect(403);
    expect(failed.body.error.message).toMatch(/Only approved content can be published/);
    for (const documentId of [first, second, unapproved]) expect(await isLive(documentId)).toBe(false);
    const afterFailure = (await http(app).get(`/editorial/releases/${id}`).set(publisher.auth).expect(200)).body.data;
    expect(afterFailure).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/approved/) });

    await http(app)
      .delete(`/editorial/releases/${id}/entries?uid=${UID}&documentId=${unapproved}&locale=${LOCALE}`)
      .set(publisher.auth)
      .expect(200);
    const done = await http(app).post(`/editorial/releases/${id}/publish`).set(publisher.auth).expect(200);
    expect(done.body.data.status).toBe('released');
    expect(await isLive(first)).toBe(true);
    expect(await isLive(second)).toBe(true);
    await add(id, unapproved).expect(400); // released: closed
    await http(app).post(`/editorial/releases/${id}/publish`).set(publisher.auth).expect(400);
  });

  it('can take pages down too, and be scheduled', async () => {
    const live = await approved();
    await move(live, publisher, 'publish');
    const fresh = await approved();
    const id = await createRelease(`换版 ${marker}`);
    await add(id, live, 'unpublish').expect(200);
    await add(id, fresh).expect(200);
    await http(app)
      .put(`/editorial/releases/${id}/schedule`)
      .set(publisher.auth)
      .send({ at: soon(200) })
      .expect(200);
    const scheduled = (await http(app).get(`/editorial/releases/${id}`).set(publisher.auth)).body;
    expect(scheduled.data.status).toBe('scheduled');
    expect(scheduled.meta.timeZone).toBe('Asia/Shanghai'); // the page names the zone of its times
    await new Promise((resolve) => setTimeout(resolve, 400));
    await schedules().tick();
    expect(await isLive(live)).toBe(false);
    expect(await isLive(fresh)).toBe(true);
    expect((await http(app).get(`/editorial/releases/${id}`).set(publisher.auth)).body.data.status).toBe('released');
  });

  it('name every member that refused, in the release, the audit log and the e-mail, in both languages', async () => {
    const ready = await approved();
    const first = await draft();
    const second = await draft();
    const title = (n: string) =>
      (app.db.query(UID).findOne({ where: { documentId: n, locale: LOCALE } }) as Promise<{ title: string }>).then(
        (row) => row.title,
      );
    const [firstTitle, secondTitle, readyTitle] = [await title(first), await title(second), await title(ready)];
    const id = await createRelease(`点名 ${marker}`);
    for (const documentId of [ready, first, second]) await add(id, documentId).expect(200);

    const refused = await http(app).post(`/editorial/releases/${id}/publish`).set(publisher.auth).expect(403);
    // API clients read English naming both members; the admin gets the code and the members.
    expect(refused.body.error.message).toContain(`“${firstTitle}” (${LOCALE}): Only approved content`);
    expect(refused.body.error.message).toContain(`“${secondTitle}” (${LOCALE})`);
    expect(refused.body.error.message).not.toContain(readyTitle);
    const stored = (await http(app).get(`/editorial/releases/${id}`).set(publisher.auth).expect(200)).body.data;
    expect(stored).toMatchObject({ status: 'failed', lastErrorCode: 'release.members-failed' });
    expect(stored.lastErrorParams.members).toEqual([
      expect.objectContaining({
        uid: UID,
        documentId: first,
        locale: LOCALE,
        title: firstTitle,
        reasonCode: 'workflow.not-approved',
        reasonParams: expect.objectContaining({ stage: 'draft' }),
      }),
      expect.objectContaining({ documentId: second, title: secondTitle, reasonCode: 'workflow.not-approved' }),
    ]);
    for (const documentId of [ready, first, second]) expect(await isLive(documentId)).toBe(false);

    // The audit log, as the server writes it (CSV) in each language.
    await (app.plugin('events').service('stream') as { kick(): Promise<void> }).kick();
    const chief = await createAdmin(app, ['strapi-super-admin'], 'Chief');
    const csv = async (language: string) =>
      (
        await http(app)
          .get(`/editorial/audit/export?action=release-fail&language=${language}`)
          .set(chief.auth)
          .expect(200)
      ).text;
    const zh = await csv('zh-Hans');
    expect(zh).toContain(
      `发布批次 #${id} 未能发布：未发布任何内容，原因：“${firstTitle}”（${LOCALE}）：只有已批准的内容才能发布：当前版本为“草稿”；“${secondTitle}”（${LOCALE}）`,
    );
    const en = await csv('en');
    expect(en).toContain(
      `Release #${id} not published: Nothing was published, because: “${firstTitle}” (${LOCALE}): Only approved content can be published`,
    );
    expect(en).toContain(`; “${secondTitle}” (${LOCALE}): `);

    // Scheduled, it tells whoever set it by e-mail: in Chinese (no language chosen), then in English.
    const notifier = app.plugin('editorial').service('notifications') as {
      sent(): { to: string; subject: string; text: string }[];
    };
    const users = app.db.query('admin::user');
    const scheduledFailure = async () => {
      const before = notifier.sent().length;
      await http(app)
        .put(`/editorial/releases/${id}/schedule`)
        .set(publisher.auth)
        .send({ at: soon(100) })
        .expect(200);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await schedules().tick();
      await (app.plugin('events').service('stream') as { kick(): Promise<void> }).kick();
      return notifier
        .sent()
        .slice(before)
        .filter(({ to }) => to === publisher.email);
    };
    const [chinese] = await scheduledFailure();
    expect(chinese.text).toContain(`未发布任何内容，原因：“${firstTitle}”（${LOCALE}）：只有已批准的内容才能发布`);
    expect(chinese.text).toContain(`招商项目“${secondTitle}”（${LOCALE}）——在后台打开：`);
    expect(chinese.text).toContain(
      `/admin/content-manager/collection-types/${UID}/${first}?plugins[i18n][locale]=${LOCALE}`,
    );
    expect(chinese.text).not.toMatch(/Only approved/);
    await users.update({ where: { id: publisher.id }, data: { preferedLanguage: 'en' } });
    try {
      const [english] = await scheduledFailure();
      expect(english.text).toContain(
        `Nothing was published, because: “${firstTitle}” (${LOCALE}): Only approved content can be published`,
      );
      expect(english.text).toContain(
        `/admin/content-manager/collection-types/${UID}/${second}?plugins[i18n][locale]=${LOCALE}`,
      );
      expect(english.text).not.toMatch(/只有/);
    } finally {
      await users.update({ where: { id: publisher.id }, data: { preferedLanguage: null } });
    }
    await http(app).delete(`/editorial/releases/${id}`).set(publisher.auth).expect(204);
  });

  it('are listed on each member’s panel and need the release permission to change', async () => {
    const documentId = await approved();
    const id = await createRelease(`面板 ${marker}`);
    await add(id, documentId).expect(200);
    const panel = (
      await http(app).get(`/editorial/documents/${UID}/${documentId}?locale=${LOCALE}`).set(author.auth).expect(200)
    ).body.data;
    expect(panel.releases).toEqual([expect.objectContaining({ id, action: 'publish' })]);
    await http(app).post('/editorial/releases').set(author.auth).send({ name: 'x' }).expect(403);
    await http(app).post('/editorial/releases').set(publisher.auth).send({ name: '' }).expect(400);
  });
});
