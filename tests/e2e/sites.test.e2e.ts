/**
 * The Sites page in a real browser: a Super Admin registers a site in English and another in
 * Chinese — languages and content types as checkboxes, the live example from a real project, the
 * secret shown once, a test notice to a receiver on this machine — then rotates a secret and
 * deletes a site. A field problem is shown on its field, in the admin's language.
 */
import type { Core } from '@strapi/strapi';
import type { Browser, Locator, Page } from 'playwright-core';
import { ADMIN_PASSWORD, SUPER_ADMIN, type AdminSession } from '../helpers/admin';
import { openSession, screenshot } from '../helpers/browser';
import { startBrowserTest, stopBrowserTest } from '../helpers/people';
import { eventually, startReceiver } from '../helpers/receiver';
import { deleteMatching } from '../helpers/strapi';
import { verifySignature } from '../../src/lib/signature';

const SITE_UID = 'plugin::delivery.site';
const UID = 'api::project.project';
const marker = `e2e-sites-${Date.now()}`;

let app: Core.Strapi;
let browser: Browser;
let baseUrl: string;
let chief: AdminSession;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let project: { documentId: string; slug: string };

beforeAll(async () => {
  ({ app, baseUrl, browser, chief } = await startBrowserTest(
    { chief: [[SUPER_ADMIN], 'Chief'] },
    { WEBHOOK_ALLOWLIST: '127.0.0.1' }, // the receiver runs on this machine
  ));
  receiver = await startReceiver();
});

afterAll(() =>
  stopBrowserTest({}, async () => {
    await deleteMatching(app, SITE_UID, { name: { $startsWith: marker } });
    await receiver?.close();
  }),
);

const stored = (name: string) =>
  app.db.query(SITE_UID).findOne({ where: { name } }) as Promise<{
    documentId: string;
    webhookSecret: string;
    locales: string[];
    contentTypes: string[];
  } | null>;

const openSites = async (language: 'en' | 'zh-Hans') => {
  const { page } = await openSession(browser, baseUrl, chief.email, ADMIN_PASSWORD, {
    viewport: { width: 1280, height: 900 },
    language,
  });
  await page.goto(`${baseUrl}/admin/plugins/delivery-sites`);
  await page.getByTestId('sites-add').waitFor();
  return page;
};

/** The project the live example should come from: the latest edited published one in `locale`. */
const latestProject = async (locale: string) => {
  const entry = (await app.documents(UID).findFirst({
    locale,
    status: 'published',
    fields: ['slug'],
    sort: 'updatedAt:desc',
  } as never)) as unknown as { documentId: string; slug: string };
  return entry;
};

/** Waits until an element's animations (a dialog fading in) have finished. */
type Animated = { getAnimations: (options: { subtree: boolean }) => { finished: Promise<unknown> }[] };
const settled = (locator: Locator) =>
  locator.evaluate((element) =>
    Promise.all(
      (element as unknown as Animated).getAnimations({ subtree: true }).map((animation) => animation.finished),
    ),
  );

/** Checks one checkbox by its label, unchecks the others in the group. */
const chooseOnly = async (page: Page, group: string, label: RegExp) => {
  const boxes = page.getByTestId(group).getByRole('checkbox');
  for (let index = 0; index < (await boxes.count()); index += 1) {
    const box = boxes.nth(index);
    const id = await box.getAttribute('id');
    const text = (await page.locator(`label[for="${id}"]`).textContent()) ?? '';
    const want = label.test(text);
    if ((await box.getAttribute('aria-checked')) !== String(want)) await box.click();
  }
};

const fillSite = async (
  page: Page,
  labels: { name: string; title: string; baseUrl: string; path: string; preview: string; webhook: string },
  values: { name: string; title: string; baseUrl: string; preview: string },
) => {
  await page.getByLabel(labels.name).fill(values.name);
  await page.getByLabel(labels.title).fill(values.title);
  await page.getByLabel(labels.baseUrl).fill(values.baseUrl);
  await chooseOnly(page, 'sites-types', /\(projects\)/);
  await page.getByLabel(labels.path).fill('/{lang}/{type}/{slug}');
  await page.getByLabel(labels.preview).fill(`${values.preview}/preview?token={token}&path={path}`);
  await page.getByLabel(labels.webhook).fill(receiver.url);
};

it('registers a site in English: live example, the secret once, a test notice', async () => {
  const page = await openSites('en');
  await screenshot(page, 'sites-1-list-en');
  await page.getByTestId('sites-add').click();
  const name = `${marker}-investor`;
  const site = 'https://invest.example.org';
  await fillSite(
    page,
    {
      name: 'Code name',
      title: 'Display name',
      baseUrl: 'Address of the site',
      path: 'Page path pattern',
      preview: 'Preview URL pattern',
      webhook: 'Webhook URL',
    },
    { name, title: 'English investor site', baseUrl: site, preview: site },
  );
  await chooseOnly(page, 'sites-locales', /\(en\)/);
  await page.getByLabel('{lang} for English').fill('english');

  // The live example: a real English project's page and preview URLs, from the patterns as typed.
  project = await latestProject('en');
  const pageUrl = `${site}/english/projects/${project.slug}`;
  await page.getByTestId('sites-example-page').getByText(pageUrl).waitFor();
  await page
    .getByTestId('sites-example-preview')
    .getByText(`${site}/preview?token=TOKEN&path=${encodeURIComponent(`/english/projects/${project.slug}`)}`)
    .waitFor();
  await page.getByTestId('sites-example').getByText(project.documentId).waitFor();
  await page.getByTestId('sites-placeholders').getByText('the document’s slug').waitFor();
  await page.getByTestId('sites-example').scrollIntoViewIfNeeded();
  await screenshot(page, 'sites-2-form-live-example-en');

  await page.getByTestId('sites-save').click();
  const secret = (await page.getByTestId('sites-secret-value').textContent())?.trim() ?? '';
  expect(secret).toMatch(/^[0-9a-f]{64}$/);
  const row = await stored(name);
  expect(row).toMatchObject({ webhookSecret: secret, locales: ['en'], contentTypes: [UID] });
  await screenshot(page, 'sites-3-secret-once-en');

  // The test notice reaches the receiver, signed with that secret, and the page says what it answered.
  const heard = receiver.received.length;
  await page.getByTestId('sites-test').click();
  await page
    .getByTestId('sites-test-result')
    .getByText(/Delivered: the site answered HTTP 204/)
    .waitFor();
  const notice = await eventually(() => receiver.received[heard]);
  expect(notice.body).toMatchObject({ event: 'site.test', site: name });
  expect(
    verifySignature(
      secret,
      notice.headers['x-wutong-timestamp'] as string,
      notice.headers['x-wutong-signature'] as string,
      notice.raw,
    ),
  ).toEqual({ ok: true });
  await page.getByTestId('sites-test-result').scrollIntoViewIfNeeded();
  await screenshot(page, 'sites-4-test-notice-en');

  // Never shown again: back in the list and into the site, no secret.
  await page.getByTestId('sites-back').click();
  await page.getByTestId(`site-${name}`).waitFor();
  await screenshot(page, 'sites-5-list-after-en');
  await page.getByTestId(`site-${name}`).getByRole('button', { name: 'Edit' }).click();
  await page.getByText('A webhook secret is set (it is never shown again).').waitFor();
  expect(await page.getByTestId('sites-secret').count()).toBe(0);
  expect(await page.content()).not.toContain(secret);
  await page.context().close();
});

it('registers a site in Chinese: a field problem in Chinese, the secret, rotation and deletion', async () => {
  const page = await openSites('zh-Hans');
  await page.getByRole('heading', { name: '网站管理' }).waitFor();
  await page.getByTestId('sites-add').click();
  const name = `${marker}-portal`;
  const labels = {
    name: '代号',
    title: '显示名称',
    baseUrl: '网站地址',
    path: '页面路径格式',
    preview: '预览地址格式',
    webhook: 'Webhook 地址',
  };
  await fillSite(page, labels, {
    name,
    title: '西工区门户',
    baseUrl: 'not a url',
    preview: 'https://www.example.gov.cn',
  });
  await chooseOnly(page, 'sites-locales', /\(zh-Hans\)|\(en\)/);
  await page.getByLabel('{lang}（简体中文）').fill('zh');

  // A bad address is named on its field, in Chinese, and nothing is written.
  await page.getByTestId('sites-save').click();
  await page.getByText('不是有效的网址').first().waitFor();
  expect(await stored(name)).toBeNull();
  await page.getByLabel(labels.baseUrl).scrollIntoViewIfNeeded();
  await screenshot(page, 'sites-6-field-error-zh');

  await page.getByLabel(labels.baseUrl).fill('https://www.example.gov.cn');
  project = await latestProject('zh-Hans');
  await page
    .getByTestId('sites-example-page')
    .getByText(`https://www.example.gov.cn/zh/projects/${project.slug}`)
    .waitFor();
  await page
    .getByTestId('sites-example')
    .getByText(/取自《/)
    .waitFor();
  await page.getByTestId('sites-example').scrollIntoViewIfNeeded();
  await screenshot(page, 'sites-7-form-live-example-zh');

  await page.getByTestId('sites-save').click();
  const secret = (await page.getByTestId('sites-secret-value').textContent())?.trim() ?? '';
  expect(secret).toMatch(/^[0-9a-f]{64}$/);
  expect(await stored(name)).toMatchObject({ webhookSecret: secret, locales: ['zh-Hans', 'en'] });
  await page.getByText('请立即复制到该网站的配置中').waitFor();
  await page.getByTestId('sites-secret').scrollIntoViewIfNeeded();
  await screenshot(page, 'sites-8-secret-once-zh');

  await page.getByTestId('sites-test').click();
  await page
    .getByTestId('sites-test-result')
    .getByText(/已送达：网站在 \d+ 毫秒内返回 HTTP 204/)
    .waitFor();
  // A receiver that fails: the reason in Chinese.
  receiver.respond = () => 503;
  try {
    await page.getByTestId('sites-test').click();
    await page.getByTestId('sites-test-result').getByText('未送达：网站返回 HTTP 503').waitFor();
  } finally {
    receiver.respond = () => 204;
  }
  await page.getByTestId('sites-test-result').scrollIntoViewIfNeeded();
  await screenshot(page, 'sites-9-test-notice-failed-zh');

  // Rotate: confirmed, the new secret shown once, and it is the one stored.
  await page.getByTestId('sites-rotate').click();
  await page.getByText(/旧密钥立即失效/).waitFor();
  await settled(page.getByRole('alertdialog'));
  await screenshot(page, 'sites-10-rotate-confirm-zh');
  await page.getByTestId('sites-confirm').click();
  await eventually(async () => (await stored(name))?.webhookSecret !== secret);
  const rotated = (await stored(name))!.webhookSecret;
  await page.getByTestId('sites-secret-value').getByText(rotated).waitFor();
  expect(rotated).not.toBe(secret);
  await page.getByTestId('sites-secret').scrollIntoViewIfNeeded();
  await screenshot(page, 'sites-11-rotated-zh');

  // Delete, confirmed.
  await page.getByTestId('sites-delete').click();
  await page.getByText(/此操作无法撤销/).waitFor();
  await settled(page.getByRole('alertdialog'));
  await screenshot(page, 'sites-12-delete-confirm-zh');
  await page.getByTestId('sites-confirm').click();
  await page.getByTestId('sites-add').waitFor();
  await eventually(async () => (await stored(name)) === null);
  expect(await page.getByTestId(`site-${name}`).count()).toBe(0);
  await screenshot(page, 'sites-13-after-delete-zh');
  await page.context().close();
});
