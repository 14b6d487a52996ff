/**
 * In the admin, in a real browser, in both interface languages: a reviewer compares a rich-text
 * change in the history (the text with the change marked, not JSON), Restore asks first, and a
 * refused save shows the server's reason in the editor's language.
 */
import type { AddressInfo } from 'net';
import type { Core } from '@strapi/strapi';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, cm, createAdmin, type AdminSession } from '../helpers/admin';
import { adminLogin, launchBrowser, screenshot } from '../helpers/browser';
import { asSystem, http, startStrapi, stopStrapi } from '../helpers/strapi';

const UID = 'api::project.project';
const LOCALE = 'zh-Hans';
let app: Core.Strapi;
let browser: Browser;
let baseUrl: string;
let author: AdminSession;
let reviewer: AdminSession;
const marker = `e2e-messages-${Date.now()}`;
const created: string[] = [];

beforeAll(async () => {
  app = await startStrapi();
  baseUrl = `http://127.0.0.1:${(app.server.httpServer.address() as AddressInfo).port}`;
  author = await createAdmin(app, ['wutong-author'], 'Lin');
  reviewer = await createAdmin(app, ['wutong-reviewer'], 'Qian');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  for (const documentId of created)
    await asSystem(() => app.documents(UID).delete({ documentId, locale: '*' } as never));
  await stopStrapi(app);
});

type Language = 'en' | 'zh-Hans';

const as = async (who: AdminSession, language: Language): Promise<Page> => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1600 } });
  const page = await context.newPage();
  page.setDefaultTimeout(60000);
  await adminLogin(page, baseUrl, who.email, ADMIN_PASSWORD);
  await page.evaluate((value) => localStorage.setItem('strapi-admin-language', value), language);
  return page;
};

const paragraph = (text: string) => [{ type: 'paragraph', children: [{ type: 'text', text }] }];

/** A project with two versions: its body's land area changed from 120 to 150 mu. */
const project = async (language: Language) => {
  const response = await http(app)
    .post(cm(UID).create(LOCALE))
    .set(author.auth)
    .send({
      title: `E2E 历史 ${marker} ${language}`,
      slug: `${marker}-${language}-${created.length}`,
      kind: 'land_parcel',
      stage: 'open',
      body: paragraph('地块占地120亩，紧邻洛河。'),
    })
    .expect(201);
  const documentId = response.body.data.documentId as string;
  created.push(documentId);
  await http(app)
    .put(cm(UID).one(documentId, LOCALE))
    .set(author.auth)
    .send({ body: paragraph('地块占地150亩，紧邻洛河。') })
    .expect(200);
  return documentId;
};

const editView = (id: string) =>
  `${baseUrl}/admin/content-manager/collection-types/${UID}/${id}?plugins[i18n][locale]=${LOCALE}`;

const TEXT = {
  en: {
    compare: 'Compare',
    restoreTitle: 'Restore version 1?',
    cancel: 'Cancel',
    save: /^save$/i,
    refused: 'Land area (mu) must be between -99999999.99 and 99999999.99', // the field by its label
    summary: /Changed Body/,
  },
  'zh-Hans': {
    compare: '比较',
    restoreTitle: '恢复第 1 版？',
    cancel: '取消',
    save: /^保存$/,
    refused: '占地面积（亩）必须在 -99999999.99 到 99999999.99 之间',
    summary: /修改了正文/,
  },
} as const;

describe.each(['en', 'zh-Hans'] as const)('in %s', (language) => {
  const text = TEXT[language];
  const suffix = language === 'en' ? 'en' : 'zh';

  it('a reviewer compares a rich-text change as text with the change marked', async () => {
    const documentId = await project(language);
    const page = await as(reviewer, language);
    await page.goto(editView(documentId));
    const history = page.getByTestId('editorial-history');
    await history.waitFor();
    await history.getByText(text.summary).first().waitFor(); // the summary in the interface language
    await history.getByRole('combobox', { name: text.compare }).click();
    await page.getByRole('option', { name: /^#1 ·/ }).click();
    const diff = page.getByTestId('editorial-diff');
    await diff.waitFor();
    expect(await diff.locator('del').allTextContents()).toEqual(['120']);
    expect(await diff.locator('ins').allTextContents()).toEqual(['150']);
    expect(await diff.textContent()).not.toContain('"children"'); // no JSON
    await history.scrollIntoViewIfNeeded();
    await screenshot(page, `messages-1-history-diff-${suffix}`);
    await page.context().close();
  });

  it('Restore asks first, in the interface language, and Cancel leaves the draft alone', async () => {
    const documentId = await project(language);
    const page = await as(author, language);
    await page.goto(editView(documentId));
    await page.getByTestId('editorial-history').waitFor();
    await page.getByTestId('editorial-restore').first().click();
    const dialog = page.getByRole('alertdialog').or(page.getByRole('dialog'));
    await dialog.getByText(text.restoreTitle).waitFor();
    await screenshot(page, `messages-2-restore-confirm-${suffix}`);
    await dialog.getByRole('button', { name: text.cancel }).click();
    await dialog.waitFor({ state: 'detached' });
    const stored = await http(app).get(cm(UID).one(documentId, LOCALE)).set(author.auth).expect(200);
    expect(JSON.stringify(stored.body.data.body)).toContain('150亩');
    await page.context().close();
  });

  it('a refused save shows the reason in the interface language', async () => {
    const documentId = await project(language);
    const page = await as(author, language);
    await page.goto(editView(documentId));
    await page.getByTestId('editorial-panel').waitFor();
    // Beyond the column (decimal(10,2)): the browser's form has no such limit, the server refuses.
    await page.locator('input[name="landAreaMu"]').fill('1000000000');
    await page.getByRole('button', { name: text.save }).click();
    await page.getByText(text.refused).first().waitFor();
    await screenshot(page, `messages-3-refused-save-${suffix}`);
    await page.context().close();
  });
});
