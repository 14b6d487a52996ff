/**
 * The edit view's workflow panel, in a real browser, in both interface languages:
 * - a translator opens an English page nobody has translated yet from their dashboard, is told
 *   what that means and how to start, fills it from the Chinese source, submits it, edits and
 *   saves — and the panel shows the new stage at once, not at its next poll;
 * - an author sees Publish disabled with the reason, and no schedule or assignment controls.
 * Screenshots: tests/e2e/screenshots/panel-*.png.
 */
import type { AddressInfo } from 'net';
import type { Core } from '@strapi/strapi';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, cm, createAdmin, type AdminSession } from '../helpers/admin';
import { adminLogin, launchBrowser, screenshot } from '../helpers/browser';
import { asSystem, http, startStrapi, stopStrapi } from '../helpers/strapi';

const UID = 'api::project.project';
const LANGUAGES = ['en', 'zh-Hans'] as const;
type Language = (typeof LANGUAGES)[number];

let app: Core.Strapi;
let browser: Browser;
let baseUrl: string;
let author: AdminSession;
let translator: AdminSession;
const marker = `e2e-panel-${Date.now()}`;
let count = 0;

beforeAll(async () => {
  app = await startStrapi();
  baseUrl = `http://127.0.0.1:${(app.server.httpServer.address() as AddressInfo).port}`;
  author = await createAdmin(app, ['wutong-author'], 'Gao');
  translator = await createAdmin(app, ['wutong-translator-en'], 'Brown');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  const rows = await app.db.query(UID).findMany({ where: { slug: { $startsWith: marker } }, select: ['documentId'] });
  for (const documentId of new Set(rows.map((row: { documentId: string }) => row.documentId))) {
    await asSystem(() => app.documents(UID).delete({ documentId, locale: '*' } as never));
  }
  await stopStrapi(app);
});

/** A Chinese draft by the author, with glossary terms in its text. */
const chineseDraft = async () => {
  count += 1;
  const created = await http(app)
    .post(cm(UID).create('zh-Hans'))
    .set(author.auth)
    .send({
      title: `面板项目 ${marker} ${count}`,
      slug: `${marker}-${count}`,
      kind: 'hotel',
      stage: 'open',
      summary: '位于洛阳市西工区，占地约280亩',
    })
    .expect(201);
  return created.body.data.documentId as string;
};

/**
 * A browser session for one person in one interface language; every failed request to the
 * editorial API is kept, to assert that the panel causes none.
 */
const as = async (who: AdminSession, language: Language) => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1400 } });
  const page = await context.newPage();
  page.setDefaultTimeout(60000);
  const failures: string[] = [];
  page.on('response', (response) => {
    if (response.url().includes('/editorial/') && response.status() >= 400)
      failures.push(`${response.status()} ${response.url()}`);
  });
  await adminLogin(page, baseUrl, who.email, ADMIN_PASSWORD);
  await page.evaluate((code) => localStorage.setItem('strapi-admin-language', code), language);
  return { page, failures };
};

const editView = (documentId: string, locale: string) =>
  `${baseUrl}/admin/content-manager/collection-types/${UID}/${documentId}?plugins[i18n][locale]=${locale}`;

const TEXT = {
  en: {
    missing: /has no English version yet/,
    noMachine: /Machine translation is not set up.*MT_PROVIDER=openai/,
    save: /^save$/i,
    needsApproval: /^Needs a reviewer's approval$/,
  },
  'zh-Hans': {
    missing: /此页面还没有英语版本/,
    noMachine: /尚未配置机器翻译.*MT_PROVIDER=openai/,
    save: /^保存$/,
    needsApproval: /^需要审核人批准$/,
  },
};

const stage = (page: Page) => page.getByTestId('editorial-panel').getByTestId('editorial-stage');

describe.each(LANGUAGES)('in the %s interface', (language) => {
  it('guides a translator through a missing translation, and updates the panel on save at once', async () => {
    const documentId = await chineseDraft();
    const { page, failures } = await as(translator, language);

    // The translator's dashboard lists the page as missing in English; they open it.
    await page.goto(`${baseUrl}/admin/plugins/editorial/translations`);
    const row = page.getByRole('row', { name: new RegExp(`面板项目 ${marker} ${count}(?!\\d)`) });
    await row.locator('[data-status="missing"]').waitFor();
    await screenshot(page, `panel-0-dashboard-${language}`);
    await row.getByRole('link').click();

    // The panel says what is going on, how to start, that machine translation is not set up
    // (and what enables it), and which glossary terms the source uses.
    const missing = page.getByTestId('editorial-missing');
    await missing.waitFor();
    expect(await missing.textContent()).toMatch(TEXT[language].missing);
    expect(await page.getByTestId('editorial-mt-unavailable').textContent()).toMatch(TEXT[language].noMachine);
    const terms = await page.getByTestId('editorial-glossary-term').allTextContents();
    expect(terms).toEqual(expect.arrayContaining([expect.stringMatching(/^洛阳市西工区 → .*Xigong/)]));
    await screenshot(page, `panel-1-missing-${language}`);

    // Filling from the source creates the English draft: the form shows it, the panel its stage.
    await page.getByTestId('editorial-fill-source').click();
    await stage(page).waitFor();
    expect(await stage(page).getAttribute('data-stage')).toBe('draft');
    const title = page.locator('input[name="title"]');
    await page.waitForFunction(`document.querySelector('input[name="title"]')?.value.startsWith('面板项目')`);
    await screenshot(page, `panel-2-filled-${language}`);

    await page.getByTestId('editorial-submit').click();
    await page.locator('[data-testid="editorial-stage"][data-stage="in_review"]').waitFor();

    // The translator translates the title and saves: a content change sends the page back to
    // draft, and the panel shows it right after the save, well before its 10-second poll.
    await title.fill(`Panel project ${marker} ${count}`);
    const [save] = await Promise.all([
      page.waitForResponse(
        (response) => response.request().method() === 'PUT' && response.url().includes(`/${UID}/${documentId}?`),
      ),
      page.getByRole('button', { name: TEXT[language].save }).click(),
    ]);
    expect(save.status()).toBe(200);
    // The save itself refetches the panel (its poll is every 10 s).
    await page.locator('[data-testid="editorial-stage"][data-stage="draft"]').waitFor({ timeout: 2500 });
    await page.getByTestId('editorial-submit').waitFor({ timeout: 1000 });
    await screenshot(page, `panel-3-saved-${language}`);

    expect(failures).toEqual([]);
    const en = await http(app).get(cm(UID).one(documentId, 'en')).set(translator.auth).expect(200);
    expect(en.body.data.title).toBe(`Panel project ${marker} ${count}`);
    await page.context().close();
  });

  it('shows an author why they cannot publish, and no controls they may not use', async () => {
    const documentId = await chineseDraft();
    const { page, failures } = await as(author, language);
    await page.goto(editView(documentId, 'zh-Hans'));
    await stage(page).waitFor();

    const publish = page.getByTestId('editorial-panel').getByTestId('editorial-publish');
    expect(await publish.isDisabled()).toBe(true);
    expect(await page.getByTestId('editorial-publish-reason').textContent()).toMatch(TEXT[language].needsApproval);
    expect(await page.getByTestId('editorial-publish-reason').getAttribute('data-code')).toBe(
      'workflow.needs-approval',
    );
    expect(await page.getByTestId('editorial-submit').isEnabled()).toBe(true);
    expect(await page.getByTestId('editorial-schedule').count()).toBe(0);
    expect(await page.locator('input[name="dueDate"]').count()).toBe(0);
    expect(await page.getByTestId('editorial-panel').getByRole('combobox').count()).toBe(
      // Only the history's two comparison pickers remain.
      2,
    );
    await screenshot(page, `panel-4-author-${language}`);
    expect(failures).toEqual([]);
    await page.context().close();
  });
});
