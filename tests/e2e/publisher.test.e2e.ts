/**
 * The publisher's whole job, in a real browser, once in each interface language: they publish an
 * approved page, schedule another for a time in Beijing time (and see it go live), restore an
 * older version of a third after a confirmation, and resolve a save conflict on a fourth by
 * keeping their own text. In 中文 every panel, dialog and toast they pass through shows no English
 * word outside names and data. Screenshots: tests/e2e/screenshots/publisher-<language>-<step>.png.
 *
 * Restoring and saving are edits, which the Publisher role alone may not make (the server refuses
 * it, and the panel offers no Restore then): this publisher also holds the Author role, as on a
 * small desk where the publisher also corrects pages.
 */
import type { AddressInfo } from 'net';
import type { Core } from '@strapi/strapi';
import type { Browser, Locator, Page } from 'playwright-core';
import { ADMIN_PASSWORD, cm, createAdmin, editorial, type AdminSession } from '../helpers/admin';
import { LANGUAGES, launchBrowser, openAs, screenshot, type Language } from '../helpers/browser';
import { englishOn, wordsOf } from '../helpers/chinese';
import { deleteDocuments, http, startStrapi, stopStrapi } from '../helpers/strapi';

const UID = 'api::project.project';
const LOCALE = 'zh-Hans';
let app: Core.Strapi;
let browser: Browser;
let baseUrl: string;
let author: AdminSession;
let colleague: AdminSession;
let reviewer: AdminSession;
let publisher: AdminSession;
const marker = `e2e-publisher-${Date.now()}`;
const created: string[] = [];

beforeAll(async () => {
  process.env.WUTONG_SCHEDULER_INTERVAL_MS = '500';
  app = await startStrapi();
  baseUrl = `http://127.0.0.1:${(app.server.httpServer.address() as AddressInfo).port}`;
  author = await createAdmin(app, ['wutong-author'], 'Lin');
  colleague = await createAdmin(app, ['wutong-author'], 'Deng');
  reviewer = await createAdmin(app, ['wutong-reviewer'], 'Wang');
  publisher = await createAdmin(app, ['wutong-publisher', 'wutong-author'], 'Zhao');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await deleteDocuments(
    app,
    created.map((documentId) => [UID, documentId]),
  );
  await stopStrapi(app);
});

const paragraph = (text: string) => [{ type: 'paragraph', children: [{ type: 'text', text }] }];

const draft = async (title: string, data: Record<string, unknown> = {}) => {
  const response = await http(app)
    .post(cm(UID).create(LOCALE))
    .set(author.auth)
    .send({ title, slug: `${marker}-${created.length}`, kind: 'hotel', stage: 'open', summary: '初稿', ...data })
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

const approved = async (title: string) => {
  const documentId = await draft(title);
  await move(documentId, author, 'submit');
  await move(documentId, reviewer, 'approve');
  return documentId;
};

const editView = (id: string) =>
  `${baseUrl}/admin/content-manager/collection-types/${UID}/${id}?plugins[i18n][locale]=${LOCALE}`;

/** The next whole minute in Beijing time, as a datetime-local value. */
const nextMinuteInBeijing = () => new Date(Date.now() + 8 * 3600_000 + 60_000).toISOString().slice(0, 16);

const TEXT = {
  'zh-Hans': {
    published: '已发布',
    zone: '时间为北京时间',
    beijing: '北京时间',
    scheduled: '已设定时',
    restoreTitle: '恢复第 1 版？',
    restored: '已恢复到草稿：需要重新审核',
    summary: '摘要',
    save: /^保存$/,
    saved: /已保存/,
    refused: '未保存：您打开此页面后，Deng Test于',
    keptMine: '已保存您的版本',
  },
  en: {
    published: 'Published',
    zone: 'Times are in Beijing time',
    beijing: 'Beijing time',
    scheduled: 'Scheduled',
    restoreTitle: 'Restore version 1?',
    restored: 'Restored into the draft: it needs review again',
    summary: 'summary',
    save: /^save$/i,
    saved: /saved/i,
    refused: 'Not saved: Deng Test changed summary in this zh-Hans version',
    keptMine: 'Your version was saved',
  },
} as const;

describe.each(LANGUAGES)('the publisher, in %s', (language: Language) => {
  const text = TEXT[language];
  const title = (what: string) => `E2E 发布 ${what} ${marker} ${language}`;
  const shot = (page: Page, step: string) => screenshot(page, `publisher-${language}-${step}`);
  // This test's data as it shows: titles, people's names, the avatar's initials.
  const data = wordsOf([title(''), 'Lin Test', 'Wang Test', 'Zhao Test', 'Deng Test', 'ZT']);
  /** In 中文: the English words a part of the screen shows (toasts and dialogs included), data aside. */
  const english = async (part: Locator) => (language === 'zh-Hans' ? englishOn(part, data) : []);
  const toast = (page: Page, message: string) =>
    page.getByRole('status').or(page.getByRole('alert')).filter({ hasText: message }).first();
  let page: Page;
  let scheduled: string;

  beforeAll(async () => {
    page = await openAs(browser, baseUrl, publisher.email, ADMIN_PASSWORD, language);
  });

  afterAll(async () => {
    await page?.context().close();
  });

  it('publishes an approved page, and the public API serves it', async () => {
    const documentId = await approved(title('发布'));
    await page.goto(editView(documentId));
    const panel = page.getByTestId('editorial-panel');
    await page.getByTestId('editorial-publish').click();
    await panel.locator('[data-stage="published"]').waitFor();
    await toast(page, text.published).waitFor();
    await shot(page, '1-published');
    expect(await english(page.locator('body'))).toEqual([]);

    await http(app).get(`/api/projects/${documentId}`).expect(200);
    const audit = await app.db
      .query('plugin::editorial.audit-entry')
      .findMany({ where: { targetDocumentId: documentId }, orderBy: { id: 'asc' } });
    expect(audit.map(({ action, actorKey }: { action: string; actorKey: string }) => `${action} ${actorKey}`)).toEqual([
      `create user:${author.id}`,
      `stage-change user:${author.id}`,
      `stage-change user:${reviewer.id}`,
      `publish user:${publisher.id}`,
      `stage-change user:${publisher.id}`,
    ]);
  });

  it('schedules an approved page for a time in Beijing time, and sees it go live', async () => {
    const documentId = await approved(title('定时'));
    await page.goto(editView(documentId));
    const schedule = page.getByTestId('editorial-schedule');
    await schedule.getByText(text.zone).waitFor();
    await schedule.locator('input[type="datetime-local"]').fill(nextMinuteInBeijing());
    await page.getByTestId('editorial-schedule-submit').click();
    await toast(page, text.scheduled).waitFor();
    await page.getByTestId('editorial-scheduled').waitFor();
    expect(await page.getByTestId('editorial-scheduled').textContent()).toContain(text.beijing);
    await shot(page, '2-scheduled');
    expect(await english(page.locator('body'))).toEqual([]);
    scheduled = documentId; // seen live at the end: the next steps run meanwhile
  });

  it('restores an older version after a confirmation, in the interface language', async () => {
    const documentId = await draft(title('恢复'), { body: paragraph('地块占地120亩，紧邻洛河。') });
    await http(app)
      .put(cm(UID).one(documentId, LOCALE))
      .set(author.auth)
      .send({ body: paragraph('地块占地150亩，紧邻洛河。') })
      .expect(200);
    await page.goto(editView(documentId));
    await page.getByTestId('editorial-history').getByTestId('editorial-restore').first().click();
    const dialog = page.getByTestId('editorial-restore-dialog');
    await dialog.getByText(text.restoreTitle).waitFor();
    await shot(page, '3-restore-confirm');
    expect(await english(page.locator('body'))).toEqual([]);
    await dialog.getByTestId('editorial-restore-confirm').click();
    await toast(page, text.restored).waitFor();
    expect(await english(page.locator('body'))).toEqual([]);
    const stored = await http(app).get(cm(UID).one(documentId, LOCALE)).set(author.auth).expect(200);
    expect(JSON.stringify(stored.body.data.body)).toContain('120亩');
    await shot(page, '4-restored');
  });

  it('keeps their own text when a colleague saved the same page meanwhile', async () => {
    const documentId = await draft(title('冲突'));
    const other = await openAs(browser, baseUrl, colleague.email, ADMIN_PASSWORD, language);
    await other.goto(editView(documentId));
    await page.goto(editView(documentId));
    await other.getByTestId('editorial-panel').waitFor();
    await page.getByTestId('editorial-panel').waitFor();

    const summary = (who: Page) => who.locator('textarea[name="summary"], input[name="summary"]');
    await summary(other).fill('同事先保存的摘要');
    await other.getByRole('button', { name: text.save }).click();
    await other.getByText(text.saved).first().waitFor();
    await other.context().close();

    await summary(page).fill('发布人后保存的摘要');
    await page.getByRole('button', { name: text.save }).click();
    await page.getByText(text.refused).first().waitFor();
    const conflict = page.getByTestId('editorial-conflict');
    await conflict.waitFor();
    const values = conflict.getByTestId('editorial-conflict-values');
    expect(await values.getByTestId('editorial-conflict-mine').textContent()).toContain('发布人后保存的摘要');
    expect(await values.getByTestId('editorial-conflict-theirs').textContent()).toContain('同事先保存的摘要');
    await shot(page, '5-conflict');
    expect(await english(page.locator('body'))).toEqual([]);

    await page.getByTestId('editorial-keep-mine').click();
    await conflict.waitFor({ state: 'detached' });
    await toast(page, text.keptMine).waitFor();
    // The panel updates first; the Content Manager then reloads the kept version into the form.
    await page.waitForFunction(`document.querySelector('[name="summary"]')?.value === '发布人后保存的摘要'`, null, {
      timeout: 15000,
    });
    await shot(page, '6-conflict-resolved');
    expect(await english(page.locator('body'))).toEqual([]);
    const stored = await http(app).get(cm(UID).one(documentId, LOCALE)).set(author.auth).expect(200);
    expect(stored.body.data.summary).toBe('发布人后保存的摘要');
  });

  it('sees the scheduled page go live at its time', async () => {
    for (let i = 0; i < 90 && (await http(app).get(`/api/projects/${scheduled}`)).status !== 200; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 1000));
    await http(app).get(`/api/projects/${scheduled}`).expect(200);
    await page.goto(editView(scheduled));
    await page.getByTestId('editorial-panel').locator('[data-stage="published"]').waitFor();
    await shot(page, '7-scheduled-live');
  });
});
