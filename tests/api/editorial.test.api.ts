/**
 * Around the workflow: comments, assignees, the "waiting for me" queue, the append-only audit
 * log (and its export and retention), notifications by e-mail and webhook, and the outbox.
 */
import http from 'http';
import type { AddressInfo } from 'net';
import type { Core } from '@strapi/strapi';
import { cm, createAdmin, editorial, SUPER_ADMIN, type AdminSession } from '../helpers/admin';
import { fromDist } from '../helpers/paths';
import { eventually } from '../helpers/receiver';
import { asSystem, http as request, startStrapi, stopStrapi } from '../helpers/strapi';

const UID = 'api::project.project';
const LOCALE = 'zh-Hans';
const AUDIT = 'plugin::editorial.audit-entry';

type Audit = typeof import('../../src/plugins/editorial/server/services/audit');
type Events = typeof import('../../src/plugins/events/server/services/stream');
type Notifier = import('../../src/plugins/editorial/server/services/notifications').Notifier;
type Bus = import('../../src/plugins/events/server/services/stream').EventStream;

let app: Core.Strapi;
let author: AdminSession;
let reviewer: AdminSession;
let publisher: AdminSession;
let chief: AdminSession;
const marker = `editorial-test-${Date.now()}`;
let count = 0;

beforeAll(async () => {
  app = await startStrapi();
  author = await createAdmin(app, ['wutong-author'], 'Writer');
  reviewer = await createAdmin(app, ['wutong-reviewer'], 'Checker');
  publisher = await createAdmin(app, ['wutong-publisher'], 'Releaser');
  chief = await createAdmin(app, [SUPER_ADMIN], 'Boss');
});

afterAll(async () => {
  const rows = await app.db.query(UID).findMany({ where: { slug: { $startsWith: marker } }, select: ['documentId'] });
  for (const documentId of new Set(rows.map((row: { documentId: string }) => row.documentId))) {
    await asSystem(() => app.documents(UID).delete({ documentId, locale: '*' } as never));
  }
  await stopStrapi(app);
});

const bus = () => app.plugin('events').service('stream') as Bus;
const notifier = () => app.plugin('editorial').service('notifications') as Notifier;

const draft = async (who: AdminSession = author) => {
  count += 1;
  const response = await request(app)
    .post(cm(UID).create(LOCALE))
    .set(who.auth)
    .send({ title: `协作 ${marker} ${count}`, slug: `${marker}-${count}`, kind: 'hotel', stage: 'open' })
    .expect(201);
  return response.body.data.documentId as string;
};

const urls = (documentId: string) => editorial(UID, documentId, LOCALE);
const move = (documentId: string, who: AdminSession, transition: string, reason?: string) =>
  request(app).post(urls(documentId).transitions).set(who.auth).send({ transition, reason }).expect(200);
const audit = async (query: string, who: AdminSession = chief) =>
  (await request(app).get(`/editorial/audit?${query}`).set(who.auth).expect(200)).body.data as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Mail about `documentId` handed to the email plugin while `fn` ran, after the outbox has been dispatched.
 * Only that document's: the outbox is shared, so this process also mails other test files' stage changes.
 */
const mailDuring = async (documentId: string, fn: () => Promise<unknown>) => {
  const before = notifier().sent().length;
  await fn();
  await bus().kick();
  return notifier()
    .sent()
    .slice(before)
    .filter(({ text }) => text.includes(documentId));
};

describe('comments', () => {
  it('are threaded, shown in the panel and audited', async () => {
    const documentId = await draft();
    const first = await request(app)
      .post(urls(documentId).comments)
      .set(reviewer.auth)
      .send({ body: '请补充交通信息' })
      .expect(201);
    const parentId = first.body.data.comments[0].id;
    const reply = await request(app)
      .post(urls(documentId).comments)
      .set(author.auth)
      .send({ body: '已补充地铁3号线', parentId })
      .expect(201);
    expect(
      reply.body.data.comments.map(({ body, parentId: parent }: { body: string; parentId: number | null }) => [
        body,
        parent,
      ]),
    ).toEqual([
      ['请补充交通信息', null],
      ['已补充地铁3号线', parentId],
    ]);
    expect(reply.body.data.comments[0].author).toMatchObject({ id: reviewer.id });
    expect((await audit(`documentId=${documentId}&action=comment`)).map(({ summary }) => summary).sort()).toEqual([
      '已补充地铁3号线',
      '请补充交通信息',
    ]);
  });

  it('refuse empty text and replies to another document', async () => {
    const documentId = await draft();
    const other = await draft();
    const comment = await request(app)
      .post(urls(other).comments)
      .set(reviewer.auth)
      .send({ body: '别处的评论' })
      .expect(201);
    await request(app).post(urls(documentId).comments).set(reviewer.auth).send({ body: '   ' }).expect(400);
    await request(app)
      .post(urls(documentId).comments)
      .set(reviewer.auth)
      .send({ body: '回复', parentId: comment.body.data.comments[0].id })
      .expect(400);
  });
});

describe('assignees and the "waiting for me" queue', () => {
  it('assigns with a due date, tells the assignee about stage changes and lists it in their queue', async () => {
    const documentId = await draft();
    const assigned = await request(app)
      .put(urls(documentId).assignment)
      .set(publisher.auth)
      .send({ assigneeId: reviewer.id, dueDate: '2026-12-31' })
      .expect(200);
    expect(assigned.body.data).toMatchObject({ assignee: { id: reviewer.id }, dueDate: '2026-12-31' });
    await request(app).put(urls(documentId).assignment).set(publisher.auth).send({ assigneeId: 999999 }).expect(400);
    await request(app)
      .put(urls(documentId).assignment)
      .set(publisher.auth)
      .send({ assigneeId: reviewer.id, dueDate: 'soon' })
      .expect(400);

    const mail = await mailDuring(documentId, () => move(documentId, author, 'submit'));
    expect(mail.filter(({ to }) => to === reviewer.email)).toHaveLength(1);

    const queue = (await request(app).get('/editorial/queue').set(reviewer.auth).expect(200)).body.data;
    expect(queue.find((item: { documentId: string }) => item.documentId === documentId)).toMatchObject({
      mine: true,
      stage: 'in_review',
      dueDate: '2026-12-31',
      actions: expect.arrayContaining(['approve', 'request_changes']),
    });
    expect((await audit(`documentId=${documentId}&action=assign`))[0].summary).toMatch(
      /^assigned to Checker Test, due 2026-12-31$/,
    );
  });

  it('shows each role what it can act on', async () => {
    const inReview = await draft();
    await move(inReview, author, 'submit');
    const toPublish = await draft();
    await move(toPublish, author, 'submit');
    await move(toPublish, reviewer, 'approve');
    const sentBack = await draft();
    await move(sentBack, author, 'submit');
    await move(sentBack, reviewer, 'request_changes', '请核实面积');

    const ids = async (who: AdminSession) =>
      (
        (await request(app).get('/editorial/queue').set(who.auth).expect(200)).body.data as { documentId: string }[]
      ).map(({ documentId }) => documentId);
    const reviewerQueue = await ids(reviewer);
    expect(reviewerQueue).toContain(inReview);
    expect(reviewerQueue).not.toContain(sentBack);
    const publisherQueue = await ids(publisher);
    expect(publisherQueue).toContain(toPublish);
    expect(publisherQueue).not.toContain(inReview);
    const authorQueue = await ids(author);
    expect(authorQueue).toContain(sentBack);
    expect(authorQueue).not.toContain(inReview);
  });
});

describe('notifications', () => {
  it('e-mail the people concerned by each stage change, never the one who acted', async () => {
    const documentId = await draft();
    const submitted = await mailDuring(documentId, () => move(documentId, author, 'submit'));
    expect(submitted.map(({ to }) => to)).toContain(reviewer.email);
    expect(submitted.map(({ to }) => to)).not.toContain(author.email);
    expect(submitted.find(({ to }) => to === reviewer.email)?.subject).toMatch(
      /^\[Wutong\] 招商项目“协作 .+”（zh-Hans）：待审核$/,
    );

    const changes = await mailDuring(documentId, () => move(documentId, reviewer, 'request_changes', '标题请加上地址'));
    expect(changes.map(({ to }) => to)).toEqual([author.email]);
    expect(changes[0].text).toContain('标题请加上地址');
    expect(changes[0].text).toContain(`/admin/content-manager/collection-types/${UID}/${documentId}`);

    await move(documentId, author, 'submit');
    const approvedMail = await mailDuring(documentId, () => move(documentId, reviewer, 'approve'));
    expect(approvedMail.map(({ to }) => to)).toEqual(expect.arrayContaining([author.email, publisher.email]));
    expect(approvedMail.map(({ to }) => to)).not.toContain(reviewer.email);
  });

  it("are written in each recipient's interface language, Chinese when they never chose one", async () => {
    const english = await createAdmin(app, ['wutong-reviewer'], 'Reader');
    const chinese = await createAdmin(app, ['wutong-reviewer'], 'Duzhe');
    const language = (who: AdminSession, value: string) =>
      app.db.query('admin::user').update({ where: { id: who.id }, data: { preferedLanguage: value } });
    await language(english, 'en');
    await language(chinese, 'zh-Hans');
    const documentId = await draft();

    const submitted = await mailDuring(documentId, () => move(documentId, author, 'submit'));
    const to = (who: AdminSession) => submitted.find((mail) => mail.to === who.email)!;
    expect(to(english).subject).toMatch(/^\[Wutong\] Investment project “协作 .+” \(zh-Hans\): In review$/);
    expect(to(english).text).toMatch(
      /^Writer Test moved it from Draft to In review\.\n\nOpen it in the admin: \S*\/admin\/content-manager\//,
    );
    expect(`${to(english).subject}\n${to(english).text}`).not.toMatch(/招商项目|草稿|待审核|在后台打开/);
    expect(to(chinese).subject).toMatch(/^\[Wutong\] 招商项目“协作 .+”（zh-Hans）：待审核$/);
    expect(to(chinese).text).toMatch(
      /^Writer Test将状态从“草稿”改为“待审核”。\n\n在后台打开：\S*\/admin\/content-manager\//,
    );
    expect(`${to(chinese).subject}\n${to(chinese).text}`).not.toMatch(/Investment|Draft|In review|moved|Open it/);

    // The author never chose a language: Chinese, the reason as written.
    const changes = await mailDuring(documentId, () => move(documentId, english, 'request_changes', '请补充地址'));
    expect(changes.map(({ to }) => to)).toEqual([author.email]);
    expect(changes[0].text).toMatch(/^Reader Test将状态从“待审核”改为“需修改”。\n\n理由：请补充地址\n\n在后台打开：/);
  });

  it('fire the editorial.stage-change webhook event', async () => {
    const received: { headers: http.IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(body) });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const webhook = await app.get('webhookStore').createWebhook({
      name: `editorial test ${marker}`,
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
      headers: {},
      events: ['editorial.stage-change'],
      isEnabled: true,
    });
    app.get('webhookRunner').add(webhook);
    try {
      const documentId = await draft();
      await move(documentId, author, 'submit');
      await bus().kick();
      for (let i = 0; i < 50 && !received.length; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(received[0].headers['x-strapi-event']).toBe('editorial.stage-change');
      expect(received[0].body).toMatchObject({
        event: 'editorial.stage-change',
        model: UID,
        documentId,
        locale: LOCALE,
        from: 'draft',
        to: 'in_review',
        transition: 'submit',
      });
    } finally {
      app.get('webhookRunner').remove(webhook);
      await app.get('webhookStore').deleteWebhook(webhook.id);
      server.close();
    }
  });

  it('are retried from the outbox when sending fails', async () => {
    const email = app.plugin('email');
    const provider = email.provider;
    let failures = 1;
    email.provider = {
      send: async (options: unknown) => {
        if (failures-- > 0) throw new Error('SMTP down');
        return provider.send(options);
      },
    };
    try {
      const documentId = await draft();
      await move(documentId, author, 'submit');
      await bus().kick();
      const [row] = await app.db
        .query('plugin::events.event')
        .findMany({ where: { targetDocumentId: documentId, type: 'workflow.stage-changed' } });
      expect(row).toMatchObject({ attempts: 1, lastError: 'SMTP down', deliveredAt: null });
      // backoff: not retried at once…
      expect(Date.parse(row.nextAttemptAt) - Date.now()).toBeGreaterThan(5_000);
      await bus().kick();
      expect((await app.db.query('plugin::events.event').findOne({ where: { id: row.id } })).deliveredAt).toBeNull();
      // …but once the wait is over
      await app.db
        .query('plugin::events.event')
        .update({ where: { id: row.id }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });
      await bus().kick();
      const again = await app.db.query('plugin::events.event').findOne({ where: { id: row.id } });
      expect(again).toMatchObject({ attempts: 1, deliveredAt: expect.any(String) });
    } finally {
      email.provider = provider;
    }
  });

  it('are handled once per event even with several dispatchers (processes) draining together', async () => {
    const { createEventStream } = fromDist<Events>('src/plugins/events/server/services/stream');
    const handled: number[] = [];
    const { createBackground } = fromDist<typeof import('../../src/lib/background')>('src/lib/background');
    const buses = [1, 2, 3].map(() =>
      createEventStream(
        app,
        createBackground((message) => app.log.error(message)),
      ),
    );
    // Pending events no other dispatcher has handled yet: written here, dispatched by the three.
    const ids: number[] = [];
    await asSystem(async () => {
      for (let i = 0; i < 6; i += 1) {
        ids.push(
          await buses[0].publish({
            type: 'workflow.commented',
            actor: { kind: 'system', key: 'system', name: 'test' },
            payload: { summary: `event ${i}` },
          }),
        );
      }
    });
    for (const one of buses) one.onCommitted(async (event) => void (ids.includes(event.id) && handled.push(event.id)));
    try {
      await Promise.all(buses.map((one) => one.start()));
      await Promise.all(buses.map((one) => one.kick()));
    } finally {
      buses.forEach((one) => one.stop());
    }
    expect(handled.sort((a, b) => a - b)).toEqual(ids);
  });
});

describe('the audit log', () => {
  it('records every action on a document with who, when, what and a summary of changes', async () => {
    const documentId = await draft();
    await request(app)
      .put(cm(UID).one(documentId, LOCALE))
      .set(author.auth)
      .send({ landAreaMu: 88, summary: '修改' })
      .expect(200);
    await move(documentId, author, 'submit');
    await move(documentId, reviewer, 'approve');
    await move(documentId, publisher, 'publish');
    await move(documentId, publisher, 'unpublish');
    await request(app)
      .delete(`${cm(UID).one(documentId, LOCALE)}`)
      .set(author.auth)
      .expect(200);

    const entries = (await audit(`documentId=${documentId}&pageSize=100`)).reverse();
    expect(entries.map(({ action }) => action)).toEqual([
      'create',
      'update',
      'stage-change', // submit
      'stage-change', // approve
      'publish',
      'stage-change',
      'unpublish',
      'stage-change',
      'delete',
    ]);
    const update = entries.find(({ action }) => action === 'update')!;
    expect(update).toMatchObject({
      actorKind: 'user',
      actorKey: `user:${author.id}`,
      actorName: 'Writer Test',
      targetUid: UID,
      targetLocale: LOCALE,
    });
    expect(update.summary).toBe('summary and landAreaMu changed');
    expect(entries.find(({ action }) => action === 'publish')).toMatchObject({ actorKey: `user:${publisher.id}` });
    expect(entries.every(({ createdAt }) => !Number.isNaN(Date.parse(createdAt)))).toBe(true);
  });

  it('records role and permission changes made in Settings', async () => {
    const role = await app.service('admin::role').findOne({ code: 'wutong-reviewer' });
    await request(app)
      .put(`/admin/roles/${role.id}`)
      .set(chief.auth)
      .send({ name: role.name, description: '审核人（已修改）' })
      .expect(200);
    // This admin's: a language another test file added may be audited by the outbox meanwhile.
    // Strapi emits role.update without awaiting its listeners, so the entry may land just after
    // the response.
    const entry = await eventually(
      async () => (await audit(`action=role-change&actor=user:${chief.id}`))[0],
      5000,
      'the role-change audit entry',
    );
    expect(entry).toMatchObject({ actorKey: `user:${chief.id}`, summary: `role "${role.name}" updated` });
  });

  it('filters by action, actor and text, pages, and is for auditors only', async () => {
    const byActor = await audit(`actor=user:${reviewer.id}&pageSize=5`);
    expect(byActor.length).toBeGreaterThan(0);
    expect(byActor.every(({ actorKey }) => actorKey === `user:${reviewer.id}`)).toBe(true);
    const page = await request(app).get('/editorial/audit?pageSize=2&page=2').set(chief.auth).expect(200);
    expect(page.body.meta.pagination).toMatchObject({ page: 2, pageSize: 2 });
    expect(page.body.data).toHaveLength(2);
    await request(app).get('/editorial/audit').set(author.auth).expect(403);
    await request(app).get('/editorial/audit').expect(401);
  });

  it('exports CSV', async () => {
    const response = await request(app)
      .get(`/editorial/audit/export?actor=user:${author.id}`)
      .set(chief.auth)
      .expect(200);
    expect(response.headers['content-type']).toMatch(/text\/csv/);
    expect(response.headers['content-disposition']).toMatch(/attachment; filename="wutong-audit-/);
    const lines = response.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('time,action,actor,actor key,content type,document,locale,summary,details');
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.slice(1).every((line) => line.includes(`user:${author.id}`))).toBe(true);
  });

  it('exports CSV in the language the admin asks for, with the action code beside', async () => {
    const csv = async (language: string) => {
      const response = await request(app)
        .get(`/editorial/audit/export?actor=user:${author.id}&language=${language}`)
        .set(chief.auth)
        .expect(200);
      const [header, ...lines] = response.text
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      return { header, lines };
    };
    const zh = await csv('zh-Hans');
    expect(zh.header).toBe('时间,操作,action code,操作人,操作人标识,内容类型,文档,语言,变更内容,详细数据（JSON）');
    // The author's field change: action, type and fields in Chinese, the stable code beside.
    const changed = zh.lines.find((line) => line.includes(',修改,update,'));
    expect(changed).toBeDefined();
    expect(changed).toContain(',招商项目,');
    // The summary cell (the details' JSON after it keeps the stored English).
    expect(changed).toMatch(/,修改了[^,]*占地面积（亩）,/);
    const en = await csv('en');
    expect(en.header).toBe(
      'Time,Action,action code,Who,Who (key),Content type,Document,Language,What changed,Details (JSON)',
    );
    expect(en.lines.find((line) => line.includes(',Update,update,'))).toMatch(/,Changed [^,]*Land area \(mu\),/);
    // An unknown language reads in English.
    expect((await csv('xx')).header).toBe(en.header);
    // The system's own actors as the audit page names them, not as stored.
    const actorKey = `system:csv-${Date.now()}`;
    await app.db.query('plugin::editorial.audit-entry' as never).create({
      data: { action: 'create', actorKind: 'system', actorKey, actorName: 'system (seed)', summary: 'created 西工' },
    });
    const seeded = await request(app)
      .get(`/editorial/audit/export?actor=${actorKey}&language=zh-Hans`)
      .set(chief.auth)
      .expect(200);
    expect(seeded.text).toContain(',系统（演示内容）,');
    expect(seeded.text).not.toContain('system (seed)');
  });

  it('cannot be edited or deleted: no route, and the database refuses', async () => {
    const [entry] = await audit('pageSize=1');
    await request(app).put(`/editorial/audit/${entry.id}`).set(chief.auth).send({ summary: 'x' }).expect(405);
    await request(app).delete(`/editorial/audit/${entry.id}`).set(chief.auth).expect(405);
    // (driver errors come from outside Jest's realm, so match on the message rather than toThrow)
    const refused = (pattern: RegExp) => ({ message: expect.stringMatching(pattern) });
    await expect(
      app.db.query(AUDIT).update({ where: { id: entry.id }, data: { summary: 'tampered' } }),
    ).rejects.toMatchObject(refused(/append-only/));
    await expect(app.db.query(AUDIT).delete({ where: { id: entry.id } })).rejects.toMatchObject(
      refused(/kept for 365 days/),
    );
    await expect(app.db.connection.raw('DELETE FROM editorial_audit_entries')).rejects.toMatchObject(
      refused(/kept for 365 days/),
    );
    if (app.db.dialect.client === 'postgres') {
      await expect(app.db.connection.raw('TRUNCATE editorial_audit_entries')).rejects.toMatchObject(
        refused(/cannot be truncated/),
      );
    }
    expect((await app.db.query(AUDIT).findOne({ where: { id: entry.id } })).summary).toBe(entry.summary);
  });

  it('lets retention remove entries older than the period, and only those', async () => {
    const { purgeAudit } = fromDist<Audit>('src/plugins/editorial/server/services/audit');
    const old = new Date(Date.now() - 400 * 86_400_000);
    const recent = new Date(Date.now() - 200 * 86_400_000);
    const insert = (createdAt: Date, summary: string) =>
      app.db.query(AUDIT).create({
        data: { action: 'test', actorKind: 'system', actorKey: 'system', summary, createdAt, updatedAt: createdAt },
      });
    const oldEntry = await insert(old, `${marker} old`);
    const recentEntry = await insert(recent, `${marker} recent`);
    await purgeAudit(app, 365);
    expect(await app.db.query(AUDIT).findOne({ where: { id: oldEntry.id } })).toBeNull();
    expect(await app.db.query(AUDIT).findOne({ where: { id: recentEntry.id } })).not.toBeNull();
  });
});

describe('searching the audit log', () => {
  const { backfillAuditSearch, AUDIT_SEARCH_TABLE } = fromDist<Audit>('src/plugins/editorial/server/services/audit');
  type Page = { data: Record<string, any>[]; meta: { pagination: Record<string, number> } }; // eslint-disable-line @typescript-eslint/no-explicit-any
  const search = async (query: Record<string, string | number>, who: AdminSession = chief) =>
    (await request(app).get('/editorial/audit').query(query).set(who.auth).expect(200)).body as Page;
  /** Entries written straight to the table, as before search existed: no search row until backfilled. */
  const insert = (summary: string, action = 'comment') =>
    app.db.query(AUDIT).create({
      data: { action, actorKind: 'system', actorKey: `system:${marker}`, actorName: 'system (seed)', summary },
    });

  it('finds entries by what the reader sees in Chinese, in English, and by action code', async () => {
    const documentId = await draft();
    await request(app).put(cm(UID).one(documentId, LOCALE)).set(author.auth).send({ landAreaMu: 66 }).expect(200);
    await move(documentId, author, 'submit');
    const actions = async (q: string) =>
      (await search({ documentId, q, pageSize: 100 })).data.map(({ action }) => action).sort();

    // The Chinese summary "修改了占地面积（亩）": the stored English is "landAreaMu changed".
    const [update] = (await search({ documentId, q: '占地面积' })).data;
    expect(update).toMatchObject({ action: 'update', summary: 'landAreaMu changed' });
    expect(await actions('占地面积')).toEqual(['update']);
    // The action as the page names it (修改, 提交), the content type (招商项目), the subject's title.
    expect(await actions('修改')).toContain('update');
    expect(await actions('招商项目')).toEqual(['create', 'stage-change', 'update']);
    expect(await actions(`协作 ${marker}`)).toEqual(['create', 'stage-change', 'update']);
    // English, the stored summary and the rendered one, any case; the action code.
    expect(await actions('LANDAREAMU changed')).toEqual(['update']);
    expect(await actions('land area (mu)')).toEqual(['update']);
    expect(await actions('stage-change')).toEqual(['stage-change']);
    expect(await actions('审核')).toEqual(['stage-change']); // submitted for 审核 (review)
    expect(await actions('没有这种东西')).toEqual([]);
  });

  it('takes % and _ literally, pages and counts in the database', async () => {
    const tag = `pct${Date.now()}`;
    const literal = await insert(`${tag} 100%_done`);
    await insert(`${tag} 100xxdone`);
    await insert(`${tag} 100%xdone`);
    await backfillAuditSearch(app);
    expect((await search({ q: '100%_done' })).data.map(({ id }) => id)).toEqual([literal.id]);
    expect((await search({ q: `${tag} 100%_` })).meta.pagination.total).toBe(1);
    expect((await search({ q: `${tag} 100_` })).meta.pagination.total).toBe(0);
    expect((await search({ q: `${tag}\\` })).meta.pagination.total).toBe(0);

    const paged = `page${Date.now()}`;
    const ids: number[] = [];
    for (let n = 0; n < 5; n += 1) ids.push((await insert(`${paged} ${n}`)).id);
    await backfillAuditSearch(app);
    const pages = await Promise.all([1, 2, 3].map((page) => search({ q: paged, pageSize: 2, page })));
    expect(pages.map(({ meta }) => meta.pagination)).toEqual(
      [1, 2, 3].map((page) => ({ page, pageSize: 2, total: 5, pageCount: 3 })),
    );
    expect(pages.flatMap(({ data }) => data.map(({ id }) => id))).toEqual([...ids].reverse());
    // With the other filters: only the entries of this actor, of this action.
    expect((await search({ q: paged, action: 'comment', actor: `system:${marker}` })).meta.pagination.total).toBe(5);
    expect((await search({ q: paged, action: 'publish' })).meta.pagination.total).toBe(0);
  });

  it('indexes old entries on start, and again when the texts change (a language added)', async () => {
    const tag = `old${Date.now()}`;
    const entry = await insert(`created ${tag}`, 'create');
    // Not yet indexed: written around recordAudit.
    expect((await search({ q: tag })).meta.pagination.total).toBe(0);
    expect(await backfillAuditSearch(app)).toBeGreaterThanOrEqual(1);
    expect((await search({ q: `创建了 ${tag}` })).data.map(({ id }) => id)).toEqual([entry.id]);
    expect(await backfillAuditSearch(app)).toBe(0); // nothing left to do
    // A row made from other texts (as before a translation file was added) is made again.
    await app.db.connection(AUDIT_SEARCH_TABLE).where({ entry_id: entry.id }).update({ signature: 'older', text: '' });
    expect((await search({ q: `创建了 ${tag}` })).meta.pagination.total).toBe(0);
    expect(await backfillAuditSearch(app, 2)).toBe(1);
    expect((await search({ q: `创建了 ${tag}` })).data.map(({ id }) => id)).toEqual([entry.id]);
  });

  it('refuses a term too long or not text, and people who may not read the log', async () => {
    const tooLong = await request(app)
      .get('/editorial/audit')
      .query({ q: '长'.repeat(101) })
      .set(chief.auth)
      .expect(400);
    expect(tooLong.body.error).toMatchObject({
      name: 'ValidationError',
      details: { code: 'audit.search-too-long', params: { max: 100 } },
    });
    await search({ q: '长'.repeat(100) });
    await request(app).get('/editorial/audit?q[]=a&q[]=b').set(chief.auth).expect(400);
    await request(app)
      .get('/editorial/audit/export')
      .query({ q: 'x'.repeat(101) })
      .set(chief.auth)
      .expect(400);

    const translator = await createAdmin(app, ['wutong-translator-en'], 'Linguist');
    for (const who of [author, translator, reviewer]) {
      await request(app).get('/editorial/audit').query({ q: '发布' }).set(who.auth).expect(403);
      await request(app).get('/editorial/audit/export').query({ q: '发布' }).set(who.auth).expect(403);
    }
    await request(app).get('/editorial/audit').query({ q: '发布' }).expect(401);
  });
});
