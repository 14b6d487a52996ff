/**
 * The admin in 中文, walked as an editor would: every main screen (the Content Manager's lists and
 * edit views of every type, our workflow, translation, audit, releases, delivery and sites pages,
 * the media library, the profile) must show no English word outside a short allow-list of names
 * and what is data, not interface: the content itself (English translations are English), people's
 * and roles' names, document ids, language codes, time zone ids. The words found are listed per
 * screen, so a new English label fails with its page named.
 */
import nodeHttp from 'http';
import type { AddressInfo } from 'net';
import type { Core } from '@strapi/strapi';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, cm, SUPER_ADMIN, type AdminSession } from '../helpers/admin';
import { openSession, screenshot, type Language } from '../helpers/browser';
import { eventually, startReceiver } from '../helpers/receiver';
import { startBrowserTest, stopBrowserTest } from '../helpers/people';
import { asSystem, createDocument, http } from '../helpers/strapi';
import { dataWords, englishWords } from '../helpers/chinese';

const LOCALE = 'zh-Hans';

let app: Core.Strapi;
let browser: Browser;
let baseUrl: string;
let admin: AdminSession;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

const SITE_UID = 'plugin::delivery.site';
const marker = `zh-walk-${Date.now()}`;
/** The Chinese-only project whose publication the two sites fail to receive. */
let project: string | undefined;
/** Webhooks to 127.0.0.1, given up after two quick attempts: failed deliveries to show. */
const ENV: Record<string, string> = {
  WEBHOOK_ALLOWLIST: '127.0.0.1',
  WEBHOOK_MAX_ATTEMPTS: '2',
  WEBHOOK_RETRY_DELAY_MS: '200',
  WEBHOOK_RETRY_MAX_MS: '200',
  WEBHOOK_SWEEP_MS: '300',
  WEBHOOK_TIMEOUT_MS: '3000',
};
const TOKEN_NAME = `西工区数据看板 ${Date.now()}`;
let tokenId: number | undefined;

/** A 127.0.0.1 address nothing listens on (its server closed): connections to it are refused. */
const closedPort = async () => {
  const server = nodeHttp.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/hooks`;
};

/**
 * What the Delivery page and the audit log show, made through the real APIs so the walk meets
 * them even alone: two sites (one answering HTTP 500, one refusing connections), a preview URL
 * changed, an API token created and given a new key, and a published project whose notices fail.
 */
const failedDeliveries = async () => {
  receiver = await startReceiver(() => 500);
  const documentIds: string[] = [];
  for (const [suffix, title, webhookUrl] of [
    ['http', '西工区门户', receiver.url],
    ['refused', '洛阳投资网', await closedPort()],
  ]) {
    const response = await http(app)
      .post('/delivery/sites')
      .set(admin.auth)
      .send({
        name: `${marker}-${suffix}`,
        title,
        baseUrl: 'https://www.example.gov.cn',
        locales: ['zh-Hans'],
        contentTypes: ['api::project.project'],
        webhookUrl,
      })
      .expect(201);
    documentIds.push(response.body.site.documentId);
  }
  await http(app)
    .put(`/delivery/sites/${documentIds[0]}`)
    .set(admin.auth)
    .send({ previewUrl: 'https://www.example.gov.cn/preview{path}?token={token}' })
    .expect(200);
  const body = { name: TOKEN_NAME, description: '', type: 'read-only', lifespan: null };
  tokenId = (await http(app).post('/admin/api-tokens').set(admin.auth).send(body).expect(201)).body.data.id;
  await http(app).post(`/admin/api-tokens/${tokenId}/regenerate`).set(admin.auth).expect(201);
  project = await createDocument(app, 'api::project.project', 'zh-Hans', {
    title: `推送失败 ${marker}`,
    slug: marker,
    kind: 'hotel',
    stage: 'open',
  });
  await eventually(
    async () => {
      const rows = await app.db
        .query('plugin::delivery.delivery')
        .findMany({ where: { targetDocumentId: project, status: 'failed' } });
      return rows.length === 2;
    },
    30000,
    'both deliveries to fail',
  );
};

beforeAll(async () => {
  ({ app, baseUrl, browser, admin } = await startBrowserTest({ admin: [[SUPER_ADMIN], 'Xuncha'] }, ENV));
  await failedDeliveries();
});

// The project last, once no site would be told of its deletion; later files count projects per
// language (the same in both).
afterAll(() =>
  stopBrowserTest({ 'api::project.project': [project] }, async () => {
    if (tokenId) await http(app).delete(`/admin/api-tokens/${tokenId}`).set(admin.auth);
    // Later test files must not queue deliveries to these sites.
    const sites = await app.db.query(SITE_UID).findMany({ where: { name: { $startsWith: marker } } });
    for (const { documentId } of sites)
      await asSystem(() => app.documents(SITE_UID as never).delete({ documentId } as never));
    await receiver?.close();
  }),
);

/** A fresh page for the Super Admin, the admin in `language`. */
const open = (language: Language) =>
  openSession(browser, baseUrl, admin.email, ADMIN_PASSWORD, { viewport: { width: 1366, height: 900 }, language });

const COLLECTIONS = [
  'api::project.project',
  'api::park.park',
  'api::platform.platform',
  'api::talent.talent',
  'api::news.news-article',
  'api::industry.industry',
  'api::organization.organization',
  'api::glossary.glossary-term',
];

/** The screens an editor works in, by name. */
const screens = async (): Promise<[string, string][]> => {
  const list: [string, string][] = [['home', '/admin']];
  for (const uid of COLLECTIONS) {
    const name = uid.split('.').pop() as string;
    list.push([`${name}-list`, `/admin/content-manager/collection-types/${uid}?plugins[i18n][locale]=${LOCALE}`]);
    const found = await http(app).get(cm(uid).list(LOCALE)).set(admin.auth).expect(200);
    const documentId = found.body.results?.[0]?.documentId;
    if (documentId)
      list.push([
        `${name}-edit`,
        `/admin/content-manager/collection-types/${uid}/${documentId}?plugins[i18n][locale]=${LOCALE}`,
      ]);
  }
  list.push(
    [
      'district-profile',
      `/admin/content-manager/single-types/api::district-profile.district-profile?plugins[i18n][locale]=${LOCALE}`,
    ],
    ['queue', '/admin/plugins/editorial'],
    ['translations', '/admin/plugins/editorial/translations'],
    ['audit', '/admin/plugins/editorial/audit'],
    ['releases', '/admin/plugins/editorial/releases'],
    ['delivery', '/admin/plugins/delivery'],
    ['sites', '/admin/plugins/delivery-sites'],
    ['media-library', '/admin/plugins/upload'],
    ['profile', '/admin/me'],
  );
  return list;
};

/** What the set-up made, that these screens must show (else the walk proves nothing there). */
const MUST_SHOW: Record<string, RegExp[]> = {
  // both failures, each with its reason in words
  delivery: [/已放弃：网站返回 HTTP 500/, /已放弃：无法连接到网站（连接被拒绝）/],
  // the site, its preview URL and the API token, as the audit log says them
  audit: [/登记了网站/, /修改了网站“[^”]+”：预览地址格式/, /为API 令牌“西工区数据看板 \d+”生成了新密钥/],
};

it('shows every main screen in Chinese, without an English word outside the names allowed', async () => {
  const { context, page } = await open('zh-Hans');
  const found: Record<string, string[]> = {};
  const missing: Record<string, string[]> = {};
  for (const [name, path] of await screens()) {
    await page.goto(`${baseUrl}${path}`);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(300); // lazy panels render after the last request
    await screenshot(page, `zh-walk-${name}`);
    const words = englishWords(await page.locator('body').innerText());
    if (words.length) found[name] = words;
    const text = await page.locator('body').innerText();
    const absent = (MUST_SHOW[name] ?? []).filter((pattern) => !pattern.test(text)).map(String);
    if (absent.length) missing[name] = absent;
  }
  await context.close();
  // What is left once the data's own words are set aside (read last: other tests add content).
  const data = await dataWords(app);
  for (const [name, words] of Object.entries(found)) {
    const interfaceWords = words.filter((word) => !data.has(word.toLowerCase()));
    if (interfaceWords.length) found[name] = interfaceWords;
    else delete found[name];
  }
  expect(missing).toEqual({});
  expect(found).toEqual({});
  // Some 25 screens, up to 10 s each on a loaded machine: more than the suite's 2 minutes.
}, 600_000);

it('filters the audit log by date with a picker in the interface language', async () => {
  const { context, page } = await open('zh-Hans');
  await page.goto(`${baseUrl}/admin/plugins/editorial/audit`);
  const from = page.getByRole('combobox', { name: '起始日期' });
  await from.waitFor();
  // Not the browser's own "mm/dd/yyyy": the inputs say what they are in Chinese.
  const placeholders = await page
    .locator('input[placeholder]')
    .evaluateAll((inputs) => inputs.map((input) => input.getAttribute('placeholder') ?? ''));
  expect(placeholders).toEqual(expect.arrayContaining(['起始日期', '结束日期']));
  expect(placeholders.filter((text) => /[A-Za-z]/.test(text))).toEqual([]);
  // Picking a day sends it as the server takes it.
  await from.click();
  const today = new Date();
  const asked = page.waitForRequest((request) =>
    new URL(request.url()).searchParams.get('from')?.match(/^\d{4}-\d{2}-\d{2}$/) ? true : false,
  );
  await screenshot(page, 'zh-audit-date-picker');
  await page
    .getByRole('gridcell')
    .filter({ hasText: new RegExp(`^${today.getDate()}$`) })
    .first()
    .click();
  const sent = new URL((await asked).url()).searchParams.get('from');
  expect(sent).toBe(
    `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`,
  );
  await screenshot(page, 'zh-audit-date-filter');
  await context.close();
});

it('says the same failures and audit entries in English for an English interface', async () => {
  const { context, page } = await open('en');
  const expected: [string, string, RegExp[]][] = [
    [
      'delivery',
      '/admin/plugins/delivery',
      [/Gave up: the site answered HTTP 500/, /Gave up: could not reach the site \(the connection was refused\)/],
    ],
    [
      'audit',
      '/admin/plugins/editorial/audit',
      [/Site “[^”]+-http” changed: Preview URL pattern/, /API token “西工区数据看板 \d+” given a new key/],
    ],
  ];
  for (const [name, path, patterns] of expected) {
    await page.goto(`${baseUrl}${path}`);
    await page.waitForLoadState('networkidle');
    await screenshot(page, `en-${name}`);
    const text = await page.locator('body').innerText();
    for (const pattern of patterns) expect(text).toMatch(pattern);
    // Raw event names and Node's messages are not shown, in English either.
    expect(text).not.toMatch(/entry\.publish|ECONNREFUSED/);
    if (name === 'delivery') {
      // Every column of the delivery log on a 1366 px screen, the last error and actions included.
      const last = await page.getByTestId('delivery-log').locator('th').last().boundingBox();
      expect((last?.x ?? Infinity) + (last?.width ?? 0)).toBeLessThanOrEqual(1366);
    }
  }
  await context.close();
});

it('finds audit entries by a Chinese word of what the page shows, not of the stored English', async () => {
  const { context, page } = await open('zh-Hans');
  await page.goto(`${baseUrl}/admin/plugins/editorial/audit`);
  const table = page.getByTestId('editorial-audit');
  await table.waitFor();
  // "新密钥" (a new key) is only in the Chinese summary; stored is `API token "…" regenerated`.
  const term = '新密钥';
  const answered = page.waitForResponse(
    (response) => new URL(response.url()).searchParams.get('q') === term && response.status() === 200,
  );
  await page.getByRole('textbox', { name: '搜索记录' }).fill(term);
  await answered;
  await table.locator('tbody tr').filter({ hasText: TOKEN_NAME }).first().waitFor();
  const rows = await table.locator('tbody tr').allInnerTexts();
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.filter((row) => !row.includes(term))).toEqual([]);
  expect(rows.some((row) => row.includes(`为API 令牌“${TOKEN_NAME}”生成了新密钥`))).toBe(true);
  await screenshot(page, 'zh-audit-search');
  await context.close();
});
