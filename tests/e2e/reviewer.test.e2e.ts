/**
 * The reviewer's whole job, in a real browser, once in each interface language: they find the
 * page waiting in their queue and in the list view, compare its versions (the rich text with the
 * change marked), send it back with a reason, and approve it once it comes back. In 中文 every
 * panel, dialog and toast they pass through shows no English word outside names and data, and the
 * Restore button, which the server refuses them, is not offered. Screenshots:
 * tests/e2e/screenshots/reviewer-<language>-<step>.png.
 */
import type { Core } from '@strapi/strapi';
import type { Browser, Locator, Page } from 'playwright-core';
import { ADMIN_PASSWORD, cm, editorial, type AdminSession } from '../helpers/admin';
import { LANGUAGES, openAs, screenshot, type Language } from '../helpers/browser';
import { englishOn, wordsOf } from '../helpers/chinese';
import { unexplainedDisabled } from '../helpers/controls';
import { startBrowserTest, stopBrowserTest } from '../helpers/people';
import { http } from '../helpers/strapi';

const UID = 'api::project.project';
const LOCALE = 'zh-Hans';
let app: Core.Strapi;
let browser: Browser;
let baseUrl: string;
let author: AdminSession;
let reviewer: AdminSession;
const marker = `e2e-reviewer-${Date.now()}`;
const created: string[] = [];

beforeAll(async () => {
  ({ app, baseUrl, browser, author, reviewer } = await startBrowserTest({
    author: [['wutong-author'], 'Lin'],
    reviewer: [['wutong-reviewer'], 'Wang'],
  }));
});

afterAll(() => stopBrowserTest({ [UID]: created }));

const paragraph = (text: string) => [{ type: 'paragraph', children: [{ type: 'text', text }] }];

const move = (documentId: string, who: AdminSession, transition: string, reason?: string) =>
  http(app)
    .post(editorial(UID, documentId, LOCALE).transitions)
    .set(who.auth)
    .send({ transition, reason })
    .expect(200);

const editView = (id: string) =>
  `${baseUrl}/admin/content-manager/collection-types/${UID}/${id}?plugins[i18n][locale]=${LOCALE}`;

const TEXT = {
  'zh-Hans': {
    inReview: '待审核',
    published: '已发布',
    summary: /修改了正文/,
    compare: '比较',
    reasonLabel: '需要修改什么？',
    sendBack: '退回修改',
    sentBack: '已退回作者修改',
    approved: '已批准',
  },
  en: {
    inReview: 'In review',
    published: 'Published',
    summary: /Changed Body/,
    compare: 'Compare',
    reasonLabel: 'What needs to change?',
    sendBack: 'Send back',
    sentBack: 'Sent back to the author',
    approved: 'Approved',
  },
} as const;

describe.each(LANGUAGES)('the reviewer, in %s', (language: Language) => {
  const text = TEXT[language];
  const title = `E2E 审核 ${marker} ${language}`;
  const shot = (page: Page, step: string) => screenshot(page, `reviewer-${language}-${step}`);
  /** In 中文: the English words a part of the screen shows (toasts included), data aside. */
  const english = async (part: Locator) => (language === 'zh-Hans' ? englishOn(part, DATA) : []);
  const toast = (page: Page, message: string) =>
    page.getByRole('status').or(page.getByRole('alert')).filter({ hasText: message }).first();
  let documentId: string;
  // This test's data as it shows: the title, people's names, the avatar's initials.
  const DATA = wordsOf([title, 'Lin Test', 'Wang Test', 'LT', 'WT']);

  beforeAll(async () => {
    // The author wrote a land parcel, then changed its area from 120 to 150 mu, and submitted it.
    const response = await http(app)
      .post(cm(UID).create(LOCALE))
      .set(author.auth)
      .send({
        title,
        slug: `${marker}-${language}`,
        kind: 'land_parcel',
        stage: 'open',
        body: paragraph('地块占地120亩，紧邻洛河。'),
      })
      .expect(201);
    documentId = response.body.data.documentId;
    created.push(documentId);
    await http(app)
      .put(cm(UID).one(documentId, LOCALE))
      .set(author.auth)
      .send({ body: paragraph('地块占地150亩，紧邻洛河。') })
      .expect(200);
    await move(documentId, author, 'submit');
  });

  let page: Page;

  beforeAll(async () => {
    page = await openAs(browser, baseUrl, reviewer.email, ADMIN_PASSWORD, language, 1600);
  });

  afterAll(async () => {
    await page?.context().close();
  });

  it('finds the page waiting in their queue and, by its stage, in the list view', async () => {
    await page.goto(`${baseUrl}/admin/plugins/editorial`);
    await page.getByRole('link', { name: title }).waitFor();
    await shot(page, '1-queue');
    expect(await english(page.locator('body'))).toEqual([]);

    await page.goto(
      `${baseUrl}/admin/content-manager/collection-types/${UID}?plugins[i18n][locale]=${LOCALE}&page=1&pageSize=100`,
    );
    const row = page.getByRole('row', { name: new RegExp(title) });
    await row.locator('[data-stage="in_review"]').waitFor();
    const filter = page.getByTestId('editorial-stage-filter').getByRole('combobox');
    await filter.click();
    await page.getByRole('option', { name: text.published, exact: true }).click();
    await page.waitForURL(/documentId/);
    await row.waitFor({ state: 'detached' });
    await filter.click();
    await page.getByRole('option', { name: text.inReview, exact: true }).click();
    await row.waitFor();
    await shot(page, '2-list-filtered');
    expect(await english(page.locator('body'))).toEqual([]);
  });

  it('compares the versions: the rich text with the change marked, and no Restore for them', async () => {
    await page.goto(editView(documentId));
    const history = page.getByTestId('editorial-history');
    await history.getByText(text.summary).first().waitFor();
    // Restoring is an edit, which the server refuses a reviewer: the button is not offered.
    expect(await history.getByTestId('editorial-restore').count()).toBe(0);
    await history.getByRole('combobox', { name: text.compare }).click();
    await page.getByRole('option', { name: /^#1 ·/ }).click();
    const diff = page.getByTestId('editorial-diff');
    await diff.waitFor();
    expect(await diff.locator('del').allTextContents()).toEqual(['120']);
    expect(await diff.locator('ins').allTextContents()).toEqual(['150']);
    expect(await diff.textContent()).not.toContain('"children"');
    await history.scrollIntoViewIfNeeded();
    await shot(page, '3-compare');
    expect(await english(page.locator('body'))).toEqual([]);
  });

  it('sends it back with a reason', async () => {
    const panel = page.getByTestId('editorial-panel');
    await page.getByTestId('editorial-request_changes').click();
    await page.getByRole('textbox', { name: text.reasonLabel }).fill('请补充地块的规划用途。');
    await page.getByRole('button', { name: text.sendBack }).click();
    await panel.locator('[data-stage="changes_requested"]').waitFor();
    await toast(page, text.sentBack).waitFor();
    await panel.getByText('请补充地块的规划用途。').waitFor();
    await shot(page, '4-changes-requested');
    expect(await english(page.locator('body'))).toEqual([]);
  });

  it('approves it once the author has resubmitted it', async () => {
    await move(documentId, author, 'submit');
    await page.reload();
    const panel = page.getByTestId('editorial-panel');
    await page.getByTestId('editorial-approve').click();
    await panel.locator('[data-stage="approved"]').waitFor();
    await toast(page, text.approved).waitFor();
    await shot(page, '5-approved');
    expect(await english(page.locator('body'))).toEqual([]);
    const view = await http(app)
      .get(editorial(UID, documentId, LOCALE).view)
      .set(reviewer.auth)
      .expect(200);
    expect(view.body.data.stage).toBe('approved');
  });
});

/** The reviewer's read-only note where Save would be, and Strapi's Save they are not offered. */
const READ_ONLY = {
  'zh-Hans': { note: '审核人不修改内容：请在“审核流程”面板中批准或退回修改。', save: '保存', post: /^发表评论$/ },
  en: {
    note: 'Reviewers do not change the content: approve it or send it back in the Review workflow panel.',
    save: 'Save',
    post: /^Post comment$/,
  },
} as const;

describe.each(LANGUAGES)('the controls a reviewer sees, in %s', (language: Language) => {
  it('are the workflow panel’s: no greyed-out Save, a note saying why, nothing disabled without a reason', async () => {
    const title = `E2E 审核控件 ${marker} ${language}`;
    const response = await http(app)
      .post(cm(UID).create(LOCALE))
      .set(author.auth)
      .send({ title, slug: `${marker}-controls-${language}`, kind: 'land_parcel', stage: 'open' })
      .expect(201);
    const documentId = response.body.data.documentId as string;
    created.push(documentId);
    await move(documentId, author, 'submit');
    const page = await openAs(browser, baseUrl, reviewer.email, ADMIN_PASSWORD, language, 1600);
    await page.goto(editView(documentId));
    const note = page.getByTestId('editorial-read-only');
    await note.waitFor();
    expect(await note.textContent()).toBe(READ_ONLY[language].note);
    expect(await note.getAttribute('data-role')).toBe('reviewer');
    expect(await page.getByRole('button', { name: READ_ONLY[language].save, exact: true }).count()).toBe(0);
    // Their own actions stay in plain sight.
    expect(await page.getByTestId('editorial-approve').isEnabled()).toBe(true);
    expect(await page.getByTestId('editorial-request_changes').isEnabled()).toBe(true);
    // The comment's Post is disabled until there is something to post.
    expect(await unexplainedDisabled(page, [READ_ONLY[language].post])).toEqual([]);
    await screenshot(page, `reviewer-${language}-6-read-only`);
    if (language === 'zh-Hans')
      expect(await englishOn(page.locator('body'), wordsOf([title, 'Lin Test', 'Wang Test', 'LT', 'WT']))).toEqual([]);

    await page.goto(
      `${baseUrl}/admin/content-manager/collection-types/${UID}?plugins[i18n][locale]=${LOCALE}&page=1&pageSize=10&sort=updatedAt:DESC`,
    );
    await page.getByRole('row', { name: new RegExp(title) }).waitFor();
    expect(await unexplainedDisabled(page)).toEqual([]);
    await screenshot(page, `reviewer-${language}-7-list-controls`);
    await page.context().close();
  });
});
