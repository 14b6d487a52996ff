/**
 * In the admin, in a real browser, in both interface languages: a refused save shows the server's
 * reason in the editor's language, the field named by its label. (Comparing versions and Restore's
 * confirmation are the reviewer's and publisher's steps: reviewer/publisher.test.e2e.ts.)
 */
import type { Core } from '@strapi/strapi';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, cm, type AdminSession } from '../helpers/admin';
import { LANGUAGES, openAs, screenshot, type Language } from '../helpers/browser';
import { startBrowserTest, stopBrowserTest } from '../helpers/people';
import { http } from '../helpers/strapi';

const UID = 'api::project.project';
const LOCALE = 'zh-Hans';
let app: Core.Strapi;
let browser: Browser;
let baseUrl: string;
let author: AdminSession;
const marker = `e2e-messages-${Date.now()}`;
const created: string[] = [];

beforeAll(async () => {
  ({ app, baseUrl, browser, author } = await startBrowserTest({ author: [['wutong-author'], 'Lin'] }));
});

afterAll(() => stopBrowserTest({ [UID]: created }));

/** A project to save. */
const project = async (language: Language) => {
  const response = await http(app)
    .post(cm(UID).create(LOCALE))
    .set(author.auth)
    .send({
      title: `E2E 保存 ${marker} ${language}`,
      slug: `${marker}-${language}`,
      kind: 'land_parcel',
      stage: 'open',
    })
    .expect(201);
  created.push(response.body.data.documentId);
  return response.body.data.documentId as string;
};

const editView = (id: string) =>
  `${baseUrl}/admin/content-manager/collection-types/${UID}/${id}?plugins[i18n][locale]=${LOCALE}`;

const TEXT = {
  en: {
    save: /^save$/i,
    refused: 'Land area (mu) must be between -99999999.99 and 99999999.99', // the field by its label
  },
  'zh-Hans': {
    save: /^保存$/,
    refused: '占地面积（亩）必须在 -99999999.99 到 99999999.99 之间',
  },
} as const;

describe.each(LANGUAGES)('in %s', (language: Language) => {
  const text = TEXT[language];
  const suffix = language === 'en' ? 'en' : 'zh';

  it('a refused save shows the reason in the interface language', async () => {
    const documentId = await project(language);
    const page = await openAs(browser, baseUrl, author.email, ADMIN_PASSWORD, language, 1600);
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
