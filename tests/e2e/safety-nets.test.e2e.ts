/**
 * In the admin, in a real browser: a publisher schedules an approved project for Beijing time and
 * sees it go live; two editors save the same page and the second resolves the conflict.
 */
import type { AddressInfo } from 'net';
import type { Core } from '@strapi/strapi';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, cm, createAdmin, editorial, type AdminSession } from '../helpers/admin';
import { adminLogin, launchBrowser, screenshot } from '../helpers/browser';
import { asSystem, http, startStrapi, stopStrapi } from '../helpers/strapi';

const UID = 'api::project.project';
const LOCALE = 'zh-Hans';
let app: Core.Strapi;
let browser: Browser;
let baseUrl: string;
let author: AdminSession;
let colleague: AdminSession;
let reviewer: AdminSession;
let publisher: AdminSession;
const marker = `e2e-nets-${Date.now()}`;
const created: string[] = [];

beforeAll(async () => {
  process.env.WUTONG_SCHEDULER_INTERVAL_MS = '500';
  app = await startStrapi();
  baseUrl = `http://127.0.0.1:${(app.server.httpServer.address() as AddressInfo).port}`;
  author = await createAdmin(app, ['wutong-author'], 'Deng');
  colleague = await createAdmin(app, ['wutong-author'], 'Feng');
  reviewer = await createAdmin(app, ['wutong-reviewer'], 'Cao');
  publisher = await createAdmin(app, ['wutong-publisher'], 'Yuan');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  for (const documentId of created)
    await asSystem(() => app.documents(UID).delete({ documentId, locale: '*' } as never));
  await stopStrapi(app);
});

const as = async (who: AdminSession): Promise<Page> => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1400 } });
  const page = await context.newPage();
  page.setDefaultTimeout(60000);
  await adminLogin(page, baseUrl, who.email, ADMIN_PASSWORD);
  return page;
};

const draft = async (title: string) => {
  const response = await http(app)
    .post(cm(UID).create(LOCALE))
    .set(author.auth)
    .send({ title, slug: `${marker}-${created.length}`, kind: 'hotel', stage: 'open', summary: '初稿' })
    .expect(201);
  created.push(response.body.data.documentId);
  return response.body.data.documentId as string;
};

const move = (documentId: string, who: AdminSession, transition: string) =>
  http(app)
    .post(editorial(UID, documentId, LOCALE).transitions)
    .set(who.auth)
    .send({ transition })
    .expect(200);

const editView = (id: string) =>
  `${baseUrl}/admin/content-manager/collection-types/${UID}/${id}?plugins[i18n][locale]=${LOCALE}`;

/** The next whole minute in Beijing time, as a datetime-local value. */
const nextMinuteInBeijing = () => {
  const beijing = new Date(Date.now() + 8 * 3600_000 + 60_000);
  return beijing.toISOString().slice(0, 16);
};

it('schedules an approved project for Beijing time and sees it go live', async () => {
  const documentId = await draft(`E2E 定时发布 ${marker}`);
  await move(documentId, author, 'submit');
  await move(documentId, reviewer, 'approve');

  const releaser = await as(publisher);
  await releaser.goto(editView(documentId));
  const schedule = releaser.getByTestId('editorial-schedule');
  await schedule.getByText('Times are Asia/Shanghai time').waitFor();
  await schedule.locator('input[type="datetime-local"]').fill(nextMinuteInBeijing());
  await releaser.getByTestId('editorial-schedule-submit').click();
  await releaser.getByTestId('editorial-scheduled').waitFor();
  expect(await releaser.getByTestId('editorial-scheduled').textContent()).toMatch(/\(Asia\/Shanghai\)/);
  await screenshot(releaser, '6-publisher-scheduled');

  for (let i = 0; i < 90 && (await http(app).get(`/api/projects/${documentId}`)).status !== 200; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  await http(app).get(`/api/projects/${documentId}`).expect(200);
  await releaser.reload();
  await releaser.locator('[data-stage="published"]').first().waitFor();
  await screenshot(releaser, '7-scheduled-live');
});

it('shows a stale save as a conflict, and keeps the second editor’s version when they choose it', async () => {
  const documentId = await draft(`E2E 冲突 ${marker}`);
  const first = await as(author);
  const second = await as(colleague);
  await first.goto(editView(documentId));
  await second.goto(editView(documentId));
  await first.getByTestId('editorial-panel').waitFor();
  await second.getByTestId('editorial-panel').waitFor();

  await first.getByLabel(/^summary/i).fill('作者先保存的摘要');
  await first.getByRole('button', { name: /^save$/i }).click();
  await first.getByText(/saved/i).first().waitFor();

  await second.getByLabel(/^summary/i).fill('同事后保存的摘要');
  await second.getByRole('button', { name: /^save$/i }).click();
  await second
    .getByText(/Not saved: Deng Test changed summary in this zh-Hans version/i) // the field by its label
    .first()
    .waitFor();
  await second.getByTestId('editorial-conflict').waitFor({ timeout: 30000 });
  expect(await second.getByTestId('editorial-conflict').textContent()).toMatch(
    /Deng Test changed summary.*Your refused save changes: summary\./i,
  );
  // What the second editor typed stays beside the saved text, though the form shows the saved one.
  const values = second.getByTestId('editorial-conflict-values');
  expect(await values.getByTestId('editorial-conflict-mine').textContent()).toContain('同事后保存的摘要');
  expect(await values.getByTestId('editorial-conflict-theirs').textContent()).toContain('作者先保存的摘要');
  await screenshot(second, '8-conflict');

  await second.getByTestId('editorial-keep-mine').click();
  await second.getByTestId('editorial-conflict').waitFor({ state: 'detached' });
  // The panel updates first; the Content Manager then reloads the kept version into the form.
  const summary = second.getByLabel(/^summary/i);
  for (let waited = 0; (await summary.inputValue()) !== '同事后保存的摘要' && waited < 15000; waited += 100) {
    await second.waitForTimeout(100);
  }
  await expect(second.getByLabel(/^summary/i).inputValue()).resolves.toBe('同事后保存的摘要');
  await screenshot(second, '9-conflict-resolved');

  const stored = await http(app).get(cm(UID).one(documentId, LOCALE)).set(author.auth).expect(200);
  expect(stored.body.data.summary).toBe('同事后保存的摘要');
});
