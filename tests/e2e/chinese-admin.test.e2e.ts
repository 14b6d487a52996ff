/**
 * The admin in 中文, walked as an editor would: every main screen (the Content Manager's lists and
 * edit views of every type, our workflow, translation, audit, releases, delivery and sites pages,
 * the media library, the profile) must show no English word outside a short allow-list of names
 * and what is data, not interface: the content itself (English translations are English), people's
 * and roles' names, document ids, language codes, time zone ids. The words found are listed per
 * screen, so a new English label fails with its page named.
 */
import type { AddressInfo } from 'net';
import type { Core } from '@strapi/strapi';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, cm, createAdmin, SUPER_ADMIN, type AdminSession } from '../helpers/admin';
import { adminLogin, launchBrowser, screenshot } from '../helpers/browser';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';

const LOCALE = 'zh-Hans';
/** Names and abbreviations that stay as they are in a Chinese interface. */
const ALLOWED = new Set(
  [
    'Wutong',
    'Strapi',
    'API',
    'URL',
    'REST',
    'GraphQL',
    'JSON',
    'SEO',
    'ID',
    'UID',
    'Markdown',
    'Webhook',
    'HTTP',
    'HTTPS',
    'PNG',
    'JPG',
    'JPEG',
    'GIF',
    'SVG',
    'PDF',
    'KB',
    'MB',
    'GB',
    'Beta',
    'CSV',
    // a language's own name in the language picker, and language codes
    'English',
    'zh',
    'Hans',
    'en',
    // key names in the rich-text editor's shortcut hints
    'Command',
    'Control',
    'Shift',
  ].map((word) => word.toLowerCase()),
);

let app: Core.Strapi;
let browser: Browser;
let baseUrl: string;
let admin: AdminSession;

beforeAll(async () => {
  app = await startStrapi();
  baseUrl = `http://127.0.0.1:${(app.server.httpServer.address() as AddressInfo).port}`;
  admin = await createAdmin(app, [SUPER_ADMIN], 'Xuncha');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stopStrapi(app);
});

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

const KNOWN_GAPS = ['delivery', 'audit'];

const WORD = /[A-Za-z][A-Za-z'’]*[A-Za-z]/g;

/** Words that are data: every text stored in content, components, people's and roles' names. */
const dataWords = async (): Promise<Set<string>> => {
  const words = new Set<string>();
  const add = (value: unknown): void => {
    if (typeof value === 'string') for (const word of value.match(WORD) ?? []) words.add(word.toLowerCase());
    else if (value && typeof value === 'object') Object.values(value).forEach(add);
  };
  const uids = [
    ...Object.keys(app.contentTypes).filter((uid) => uid.startsWith('api::')),
    ...Object.keys(app.components),
    // sites (names and addresses) and media folders
    'plugin::delivery.site',
    'plugin::upload.folder',
  ];
  for (const uid of uids) add(await app.db.query(uid as never).findMany({}));
  const users = await app.db.query('admin::user').findMany({ select: ['firstname', 'lastname'] });
  add(users);
  // the avatar's initials
  for (const { firstname, lastname } of users) words.add(`${firstname?.[0] ?? ''}${lastname?.[0] ?? ''}`.toLowerCase());
  add(await app.db.query('admin::role').findMany({ select: ['name'] }));
  // who did what, as the audit log stores it (tests act as "system (test fixture)")
  add(await app.db.query('plugin::editorial.audit-entry' as never).findMany({ select: ['actorName'] }));
  return words;
};

/** English words on the page, outside the allow-list: e-mail addresses, URLs, ids and time zones aside. */
const englishWords = async (page: Page): Promise<string[]> => {
  const text = await page.locator('body').innerText();
  const words = text
    .replace(/\S+@\S+/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\b[a-z0-9]{24}\b/g, ' ') // document ids
    .replace(/\b[A-Z][a-z]+\/[A-Z][A-Za-z_]+\b/g, ' ') // time zone ids (Asia/Shanghai)
    .match(WORD);
  return [...new Set(words ?? [])].filter((word) => !ALLOWED.has(word.toLowerCase()));
};

it('shows every main screen in Chinese, without an English word outside the names allowed', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(60000);
  await adminLogin(page, baseUrl, admin.email, ADMIN_PASSWORD);
  await page.evaluate(() => localStorage.setItem('strapi-admin-language', 'zh-Hans'));
  const found: Record<string, string[]> = {};
  for (const [name, path] of await screens()) {
    await page.goto(`${baseUrl}${path}`);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(300); // lazy panels render after the last request
    await screenshot(page, `zh-walk-${name}`);
    const words = await englishWords(page);
    if (words.length) found[name] = words;
  }
  await context.close();
  // What is left once the data's own words are set aside (read last: other tests add content).
  const data = await dataWords();
  for (const [name, words] of Object.entries(found)) {
    const interfaceWords = words.filter((word) => !data.has(word.toLowerCase()));
    if (interfaceWords.length) found[name] = interfaceWords;
    else delete found[name];
  }
  // Known gaps, issue 11 still open: texts stored in English by earlier versions or by other tests'
  // fixtures (webhook failure reasons and event names on the Delivery page, summaries of site,
  // token and preview events in the audit log). Walked, screenshotted and listed, not yet asserted.
  for (const name of KNOWN_GAPS)
    if (found[name]) {
      console.log(`chinese-admin: ${name} still shows ${found[name].join(' ')}`);
      delete found[name];
    }
  expect(found).toEqual({});
});
