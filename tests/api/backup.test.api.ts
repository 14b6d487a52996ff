/**
 * npm run backup / npm run restore, round trip on the run's database (SQLite or PostgreSQL):
 * editorial state and a pending webhook delivery are made, every public response and the editorial
 * state are recorded, the real backup command archives the live database, the archive is restored
 * into a new empty database, and Strapi started on it answers the same, delivers the pending
 * webhook, and its audit log still refuses UPDATE and DELETE.
 */
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import type { Core } from '@strapi/strapi';
import { cm, createAdmin, editorial, SUPER_ADMIN, type AdminSession } from '../helpers/admin';
import { FILES } from '../helpers/files';
import { DIST, ROOT } from '../helpers/paths';
import { eventually, startReceiver } from '../helpers/receiver';
import { maintenance } from '../helpers/test-env';
import {
  apiToken,
  createDocument,
  deleteDocuments,
  http,
  publishEdit,
  startStrapi,
  stopStrapi,
} from '../helpers/strapi';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { restore } = require('../../scripts/restore');

const UID = 'api::project.project';
const SITE_UID = 'plugin::delivery.site';
const DELIVERY_UID = 'plugin::delivery.delivery';
const AUDIT_UID = 'plugin::editorial.audit-entry';
/** The editorial state compared row for row. */
const EDITORIAL = [
  'plugin::editorial.workflow-state',
  AUDIT_UID,
  'plugin::editorial.version',
  'plugin::editorial.comment',
  'plugin::editorial.schedule',
  'plugin::editorial.release',
  SITE_UID,
];
const ENV: Record<string, string> = {
  WEBHOOK_RETRY_DELAY_SECONDS: '1',
  WEBHOOK_SWEEP_MS: '300',
  WEBHOOK_ALLOWLIST: '127.0.0.1',
  WEBHOOK_TIMEOUT_MS: '2000',
};
const marker = `bak${process.pid}${Date.now()}`;
const postgres = !!process.env.DATABASE_URL || process.env.DATABASE_CLIENT === 'postgres';
const saved: Record<string, string | undefined> = {};
const setEnv = (values: Record<string, string | undefined>) => {
  for (const [name, value] of Object.entries(values)) {
    if (!(name in saved)) saved[name] = process.env[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
};

type Snapshot = Record<string, unknown>;

/** Every public response: each type's list and each document's detail in every locale, single types too. */
const publicResponses = async (app: Core.Strapi, token: string): Promise<Snapshot> => {
  const locales = ((await app.plugin('i18n').service('locales').find()) as { code: string }[])
    .map(({ code }) => code)
    .sort();
  const urls: string[] = [];
  const get = async (url: string) => {
    const response = await http(app).get(url).set('Authorization', `Bearer ${token}`);
    return { status: response.status, body: response.body };
  };
  for (const [uid, type] of Object.entries(app.contentTypes)) {
    if (!uid.startsWith('api::')) continue;
    const { kind, info, pluginOptions } = type as {
      kind: string;
      info: { singularName: string; pluralName: string };
      pluginOptions?: { i18n?: { localized?: boolean } };
    };
    // A type that is not translated takes no locale parameter.
    for (const locale of pluginOptions?.i18n?.localized ? locales : [undefined]) {
      const query = locale ? `locale=${locale}` : '';
      if (kind === 'singleType') {
        urls.push(`/api/${info.singularName}?${query}`);
        continue;
      }
      for (let page = 1; ; page += 1) {
        const url = `/api/${info.pluralName}?${query}&pagination[pageSize]=100&pagination[page]=${page}`;
        const { status, body } = await get(url);
        urls.push(url);
        if (status !== 200) break; // not public (e.g. the glossary): its refusal is compared too
        for (const entry of body.data as { documentId: string }[])
          urls.push(`/api/${info.pluralName}/${entry.documentId}?${query}`);
        if (page >= body.meta.pagination.pageCount) break;
      }
    }
  }
  const out: Snapshot = {};
  // A few at a time: the whole set is a few hundred requests.
  for (let i = 0; i < urls.length; i += 8) {
    const batch = urls.slice(i, i + 8);
    const answers = await Promise.all(batch.map(get));
    batch.forEach((url, index) => (out[url] = answers[index]));
  }
  return out;
};

const editorialState = async (app: Core.Strapi): Promise<Snapshot> => {
  const out: Snapshot = {};
  for (const uid of EDITORIAL) out[uid] = await app.db.query(uid as never).findMany({ orderBy: { id: 'asc' } });
  return out;
};

let app: Core.Strapi;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let failing = true;
const documents: [string, string | undefined][] = [];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wutong-backup-test-'));
const targetName = `${process.env.DATABASE_NAME ?? 'wutong'}_restore_${process.pid}`.replace(/\W/g, '_');
let targetEnv: Record<string, string>;
let uploadedFile: string | undefined; // removed from public/uploads even when the test fails midway
let adminDb: Awaited<ReturnType<typeof maintenance>> | undefined;

beforeAll(async () => {
  setEnv(ENV);
  receiver = await startReceiver(() => (failing ? 500 : 204));
  if (postgres) {
    const url = process.env.DATABASE_URL;
    const client = (adminDb = await maintenance());
    await client.query(`DROP DATABASE IF EXISTS "${targetName}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${targetName}"`);
    targetEnv = url
      ? { DATABASE_URL: Object.assign(new URL(url), { pathname: `/${targetName}` }).toString() }
      : { DATABASE_NAME: targetName };
  } else {
    targetEnv = { DATABASE_FILENAME: path.join(work, 'restored.db') };
  }
});

afterAll(async () => {
  if (app) await stopStrapi(app).catch(() => undefined);
  await receiver?.close();
  setEnv(Object.fromEntries(Object.keys(saved).map((name) => [name, saved[name]])));
  if (adminDb) {
    await adminDb.query(`DROP DATABASE IF EXISTS "${targetName}" WITH (FORCE)`).catch(() => undefined);
    await adminDb.end();
  }
  fs.rmSync(work, { recursive: true, force: true });
  if (uploadedFile) fs.rmSync(uploadedFile, { force: true });
});

it('restores a backup into a new empty database: the same public answers, editorial state, uploads and pending webhooks; the audit log stays append-only', async () => {
  // 1. State on the run's database.
  app = await startStrapi();
  const admin: AdminSession = await createAdmin(app, [SUPER_ADMIN], 'Backup Admin');
  const author = await createAdmin(app, ['wutong-author'], 'Backup Author');
  const token = await apiToken(app, 'read-only');

  const site = await http(app)
    .post('/delivery/sites')
    .set(admin.auth)
    .send({
      name: `${marker}-site`,
      baseUrl: 'https://www.example.gov.cn',
      locales: ['zh-Hans', 'en'],
      contentTypes: [UID],
      webhookUrl: receiver.url,
    })
    .expect(201);
  documents.push([SITE_UID, site.body.site.documentId]);

  // A draft in review (a workflow stage).
  const draft = await http(app)
    .post(cm(UID).create('zh-Hans'))
    .set(author.auth)
    .send({ title: `备份草稿 ${marker}`, slug: `${marker}-draft`, kind: 'hotel', stage: 'open' })
    .expect(201);
  const draftId = draft.body.data.documentId as string;
  documents.push([UID, draftId]);
  await http(app)
    .post(editorial(UID, draftId, 'zh-Hans').transitions)
    .set(author.auth)
    .send({ transition: 'submit' })
    .expect(200);

  // A published document, edited and published again (history); its publish notifies the site,
  // whose receiver fails for now: the delivery stays pending.
  const published = await createDocument(app, UID, 'zh-Hans', {
    title: `备份项目 ${marker}`,
    slug: `${marker}-published`,
    kind: 'hotel',
    stage: 'open',
  });
  documents.push([UID, published]);
  await publishEdit(app, UID, published, 'zh-Hans', { title: `备份项目 ${marker} 修订` });

  const uploaded = await http(app)
    .post('/upload')
    .set(admin.auth)
    .attach('files', FILES.png, { filename: `${marker}.png` })
    .expect(201);
  const upload = uploaded.body[0] as { id: number; url: string; hash: string; ext: string };
  uploadedFile = path.join(ROOT, 'public', upload.url);
  const uploadBytes = fs.readFileSync(uploadedFile);

  const pending = await eventually(
    async () =>
      (
        await app.db
          .query(DELIVERY_UID)
          .findMany({ where: { targetDocumentId: published, status: 'pending', attempts: { $gte: 1 } } })
      )[0] as { id: number } | undefined,
    15000,
    'a failed (pending) delivery',
  );

  const publicBefore = await publicResponses(app, token);
  const stateBefore = await editorialState(app);
  expect(Object.keys(publicBefore).length).toBeGreaterThan(50);
  expect(JSON.stringify(publicBefore)).toContain(`备份项目 ${marker} 修订`);
  expect((stateBefore[SITE_UID] as { name: string }[]).some(({ name }) => name === `${marker}-site`)).toBe(true);

  // 2. The real command, beside the running server.
  const archive = path.join(work, 'wutong.tar.gz');
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'scripts', 'backup.js'), archive], {
    env: process.env,
  });
  expect(stdout).toContain('Backup written');

  // The run's database goes on without this file's fixtures.
  await deleteDocuments(app, documents);
  await app
    .plugin('upload')
    .service('upload')
    .remove(await app.plugin('upload').service('upload').findOne(upload.id));
  await stopStrapi(app);
  app = undefined as never;

  // 3. Restore into the new database, then start on it.
  setEnv(targetEnv);
  const uploadsDir = path.join(work, 'uploads');
  const result = await restore({ file: archive, uploadsDir, appDir: ROOT, distDir: DIST });
  expect(result.rows).toBeGreaterThan(1000);
  expect(fs.readFileSync(path.join(uploadsDir, path.basename(upload.url)))).toEqual(uploadBytes);

  // A second restore into the now non-empty database is refused, nothing changed.
  await expect(restore({ file: archive, uploadsDir, appDir: ROOT, distDir: DIST })).rejects.toThrow(/not empty/);

  failing = false;
  const sentBefore = receiver.received.length; // the failed attempts from the first database
  app = await startStrapi();
  // The delivery left pending is sent from the restored database.
  await eventually(
    () =>
      receiver.received.slice(sentBefore).find(({ headers }) => headers['x-wutong-delivery'] === String(pending.id)),
    20000,
    'the restored pending delivery',
  );
  await eventually(
    async () => (await app.db.query(DELIVERY_UID).findOne({ where: { id: pending.id } }))?.status === 'delivered',
    5000,
    'the delivery marked delivered',
  );

  expect(await editorialState(app)).toEqual(stateBefore);
  const publicAfter = await publicResponses(app, token);
  expect(Object.keys(publicAfter).sort()).toEqual(Object.keys(publicBefore).sort());
  for (const url of Object.keys(publicBefore)) expect([url, publicAfter[url]]).toEqual([url, publicBefore[url]]);

  // Admin users and their passwords came back too.
  await http(app).post('/admin/login').send({ email: admin.email, password: 'Wutong-test-1234' }).expect(200);

  // 4. The audit log is still append-only.
  const audit = app.db.metadata.get(AUDIT_UID as never).tableName;
  const count = await app.db.query(AUDIT_UID as never).count();
  expect(count).toBeGreaterThan(0);
  const refusal = (query: PromiseLike<unknown>) =>
    Promise.resolve(query).then(
      () => 'done',
      (error: Error) => error.message,
    );
  expect(await refusal(app.db.connection(audit).update({ action: 'tampered' }))).toMatch(/append-only/);
  expect(await refusal(app.db.connection(audit).del())).toMatch(/kept for/);
  expect(await app.db.query(AUDIT_UID as never).count()).toBe(count);
  expect(await app.db.query(AUDIT_UID as never).count({ where: { action: 'tampered' } })).toBe(0);
});
