/**
 * In the admin, in a real browser: a translator finds an outdated English project in their
 * language's dashboard, sees which fields changed in Chinese (old and new source text), updates
 * them, marks the translation up to date and submits it for review.
 */
import type { AddressInfo } from 'net';
import type { Core } from '@strapi/strapi';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, cm, createAdmin, type AdminSession } from '../helpers/admin';
import { adminLogin, launchBrowser, screenshot } from '../helpers/browser';
import { asSystem, http, startStrapi, stopStrapi } from '../helpers/strapi';

const UID = 'api::project.project';
let app: Core.Strapi;
let browser: Browser;
let baseUrl: string;
let author: AdminSession;
let translator: AdminSession;
let documentId: string;
const marker = `e2e-translation-${Date.now()}`;

beforeAll(async () => {
  app = await startStrapi();
  baseUrl = `http://127.0.0.1:${(app.server.httpServer.address() as AddressInfo).port}`;
  author = await createAdmin(app, ['wutong-author'], 'Bai');
  translator = await createAdmin(app, ['wutong-translator-en'], 'Jones');
  browser = await launchBrowser();

  // A project translated into English, whose Chinese source then changed.
  const created = await http(app)
    .post(cm(UID).create('zh-Hans'))
    .set(author.auth)
    .send({
      title: `翻译测试项目 ${marker}`,
      slug: marker,
      kind: 'hotel',
      stage: 'open',
      summary: '位于西工区，占地约280亩',
    })
    .expect(201);
  documentId = created.body.data.documentId;
  await http(app)
    .post(`/editorial/documents/${UID}/${documentId}/translation/fill?locale=en`)
    .set(translator.auth)
    .send({ mode: 'source' })
    .expect(200);
  await http(app)
    .put(cm(UID).one(documentId, 'en'))
    .set(translator.auth)
    .send({ title: `Translation test project ${marker}`, summary: 'In Xigong District, about 280 mu' })
    .expect(200);
  await http(app)
    .put(cm(UID).one(documentId, 'zh-Hans'))
    .set(author.auth)
    .send({ summary: '位于西工区，占地约300亩，紧邻地铁3号线' })
    .expect(200);
});

afterAll(async () => {
  await browser?.close();
  if (documentId) await asSystem(() => app.documents(UID).delete({ documentId, locale: '*' } as never));
  await stopStrapi(app);
});

it('lets a translator bring an outdated English page up to date and submit it', async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1400 } });
  const page = await context.newPage();
  page.setDefaultTimeout(60000);
  await adminLogin(page, baseUrl, translator.email, ADMIN_PASSWORD);

  // The dashboard of their language lists the page as outdated.
  await page.goto(`${baseUrl}/admin/plugins/editorial/translations`);
  await page.getByTestId('editorial-translations').waitFor();
  const row = page.getByRole('row', { name: new RegExp(marker) });
  await row.locator('[data-status="outdated"]').waitFor();
  await screenshot(page, '10-translator-dashboard');
  await row.getByRole('link').click();

  // The panel shows what changed in Chinese, old and new.
  const changed = page.getByTestId('editorial-outdated-field');
  await changed.first().waitFor();
  expect(await changed.getAttribute('data-field')).toBe('summary');
  expect(await changed.textContent()).toMatch(/占地约280亩[\s\S]*占地约300亩，紧邻地铁3号线/);
  await screenshot(page, '11-translator-sees-changes');

  await page.getByLabel(/^summary/i).fill('In Xigong District, about 300 mu, next to Metro Line 3');
  await page.getByRole('button', { name: /^save$/i }).click();
  await page.getByText(/saved/i).first().waitFor();
  await page.getByTestId('editorial-mark-current').click();
  await page.locator('[data-testid="editorial-translation-status"][data-status="draft"]').waitFor();
  await page.getByTestId('editorial-submit').click();
  await page.locator('[data-testid="editorial-translation-status"][data-status="in_review"]').waitFor();
  await screenshot(page, '12-translator-submitted');

  const status = await http(app)
    .get(`/editorial/documents/${UID}/${documentId}/translation?locale=en`)
    .set(translator.auth)
    .expect(200);
  expect(status.body.data).toMatchObject({ status: 'in_review', outdated: [] });
  const en = await http(app).get(cm(UID).one(documentId, 'en')).set(translator.auth).expect(200);
  expect(en.body.data.summary).toBe('In Xigong District, about 300 mu, next to Metro Line 3');
});
