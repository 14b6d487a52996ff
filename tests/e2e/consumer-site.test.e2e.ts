/**
 * The example consumer site against the CMS, in a real browser: it shows a project in English
 * from its cached copy of the API; an edit is approved and published in the CMS admin (the
 * publisher clicks Publish); the CMS's signed webhook reaches the site, which drops its copy, and
 * the page shows the edit.
 */
import type { AddressInfo } from 'net';
import type { Server } from 'http';
import type { Core } from '@strapi/strapi';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, cm, editorial, type AdminSession } from '../helpers/admin';
import { adminLogin, screenshot } from '../helpers/browser';
import { startBrowserTest, stopBrowserTest } from '../helpers/people';
import { eventually } from '../helpers/receiver';
import { asSystem, http } from '../helpers/strapi';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createServer } = require('../../examples/consumer-site/server');

const UID = 'api::project.project';
const SITE_UID = 'plugin::delivery.site';
const marker = `e2e-consumer-${Date.now()}`;
const SECRET = 'e2e-consumer-site-webhook-secret-0123456789abcdef';

let app: Core.Strapi;
let browser: Browser;
let baseUrl: string;
let site: Server;
let siteUrl: string;
let author: AdminSession;
let reviewer: AdminSession;
let publisher: AdminSession;
let chief: AdminSession;
let documentId: string;
let siteDocumentId: string;
const siteLog: string[] = [];

beforeAll(async () => {
  ({ app, baseUrl, browser, author, reviewer, publisher, chief } = await startBrowserTest(
    {
      author: [['wutong-author'], 'Sun'],
      reviewer: [['wutong-reviewer'], 'Qian'],
      publisher: [['wutong-publisher'], 'Li'],
      chief: [['strapi-super-admin'], 'Chief'],
    },
    { WEBHOOK_ALLOWLIST: '127.0.0.1' }, // the site runs on this machine
  ));
  site = createServer({ cmsUrl: baseUrl, webhookSecret: SECRET, log: (line: string) => siteLog.push(line) });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  // Registered in code with the secret the example site was started with (the Sites page makes
  // its own secret: tests/e2e/sites.test.e2e.ts).
  const registered = (await asSystem(() =>
    app.documents(SITE_UID as never).create({
      data: {
        name: `${marker}-investor`,
        title: 'Investor site',
        baseUrl: siteUrl,
        locales: ['zh-Hans', 'en'],
        contentTypes: [UID],
        pathPattern: '/{lang}/{collection}/{slug}',
        localePaths: { 'zh-Hans': 'zh', en: 'en' },
        webhookUrl: `${siteUrl}/webhooks/wutong`,
        webhookSecret: SECRET,
      },
    } as never),
  )) as { documentId: string };
  siteDocumentId = registered.documentId;
  documentId = (
    (await asSystem(() =>
      app.documents(UID).create({
        locale: 'zh-Hans',
        data: { title: `涧西路智能工厂 ${marker}`, slug: marker, kind: 'industrial_park', stage: 'open' },
        status: 'published',
      } as never),
    )) as { documentId: string }
  ).documentId;
  await asSystem(() =>
    app.documents(UID).update({
      documentId,
      locale: 'en',
      data: { title: `Jianxi Road Smart Factory ${marker}`, slug: marker, kind: 'industrial_park', stage: 'open' },
      status: 'published',
    } as never),
  );
});

afterAll(() =>
  stopBrowserTest({}, async () => {
    await new Promise((resolve) => site?.close(resolve));
    if (documentId) await asSystem(() => app.documents(UID).delete({ documentId, locale: '*' } as never));
    if (siteDocumentId)
      await asSystem(() => app.documents(SITE_UID as never).delete({ documentId: siteDocumentId } as never));
  }),
);

/** This site's deliveries about the English project, newest first. */
const enDeliveries = () =>
  app.db.query('plugin::delivery.delivery').findMany({
    where: { siteName: `${marker}-investor`, targetDocumentId: documentId, targetLocale: 'en' },
    orderBy: { id: 'desc' },
  }) as Promise<{ id: number; status: string; siteId: number }[]>;

const newPage = async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(60000);
  return page;
};

it('shows an edit published in the CMS once the webhook arrives', async () => {
  const reader = await newPage();
  await reader.goto(`${siteUrl}/en/projects/${marker}`);
  await reader.getByRole('heading', { name: `Jianxi Road Smart Factory ${marker}` }).waitFor();
  await screenshot(reader, 'consumer-1-before');

  // An author edits the English page; the site still shows the published version (from its copy).
  const edited = `Jianxi Road Smart Factory ${marker} — now leasing`;
  await http(app).put(cm(UID).one(documentId, 'en')).set(author.auth).send({ title: edited }).expect(200);
  const move = (who: AdminSession, transition: string) =>
    http(app)
      .post(editorial(UID, documentId, 'en').transitions)
      .set(who.auth)
      .send({ transition })
      .expect(200);
  await move(author, 'submit');
  await move(reviewer, 'approve');
  await reader.reload();
  await reader.getByRole('heading', { name: `Jianxi Road Smart Factory ${marker}`, exact: true }).waitFor();

  // The publisher publishes it in the admin.
  const admin = await newPage();
  await adminLogin(admin, baseUrl, publisher.email, ADMIN_PASSWORD);
  await admin.goto(`${baseUrl}/admin/content-manager/collection-types/${UID}/${documentId}?plugins[i18n][locale]=en`);
  const earlier = (await enDeliveries())[0]?.id ?? 0;
  await admin.getByTestId('editorial-publish').click();
  await admin.locator('[data-stage="published"]').first().waitFor();
  await screenshot(admin, 'consumer-2-published-in-cms');

  // This publish's signed webhook (not a late one for the set-up's publish) reached the site, which
  // dropped its copy: a reload shows the edit.
  const delivery = await eventually(async () => (await enDeliveries()).find(({ id }) => id > earlier));
  const notice = `webhook ${delivery.id} entry.publish ${UID} ${documentId} en: ok`;
  await eventually(() => siteLog.some((line) => line.startsWith(notice)), 15000, `the site's "${notice}"`).catch(
    (error) => {
      throw new Error(`${error.message}; its log: ${siteLog.join(' | ')}`);
    },
  );
  await reader.reload();
  await reader.getByRole('heading', { name: edited }).waitFor({ timeout: 5000 });
  await screenshot(reader, 'consumer-3-after-webhook');
  // The Chinese page was not edited and still shows the Chinese title.
  await reader.goto(`${siteUrl}/zh/projects/${marker}`);
  await reader.getByRole('heading', { name: `涧西路智能工厂 ${marker}` }).waitFor();

  // The admin's delivery log shows the notice as delivered (recorded once the site has answered),
  // with a redeliver button.
  await eventually(async () => (await enDeliveries()).find(({ id }) => id === delivery.id)?.status === 'delivered');
  const log = await newPage();
  await adminLogin(log, baseUrl, chief.email, ADMIN_PASSWORD);
  await log.goto(`${baseUrl}/admin/plugins/delivery`);
  const row = log
    .getByTestId('delivery-log')
    .getByRole('row', { name: new RegExp(`${marker}-investor.*(Published|发布).*${marker} \\(en\\)`) })
    .first();
  await row.waitFor();
  expect(await row.textContent()).toMatch(/delivered|已投递/i);
  await screenshot(log, 'consumer-4-delivery-log');

  // A delivery that used up its attempts says why it gave up, in English and in Chinese.
  const failed = (await app.db.query('plugin::delivery.delivery').create({
    data: {
      eventId: 2_000_000_000,
      siteId: delivery.siteId,
      siteName: `${marker}-investor`,
      url: `${siteUrl}/webhooks/wutong`,
      event: 'entry.publish',
      targetUid: UID,
      targetDocumentId: documentId,
      targetLocale: 'en',
      payload: {},
      status: 'failed',
      attempts: 10,
      lastError: 'no answer within 10000 ms',
      lastErrorCode: 'webhook.timeout',
      lastErrorParams: { ms: 10000 },
    },
  })) as { id: number };
  try {
    await log.reload();
    // The reason in words, from its code (the row's own English text is only a tooltip).
    const gaveUp = log
      .getByTestId(`delivery-${failed.id}-error`)
      .filter({ hasText: /^Gave up: the site did not answer in time$/ });
    await gaveUp.waitFor();
    await gaveUp.scrollIntoViewIfNeeded(); // the last column, right of a 1280-pixel window
    await screenshot(log, 'consumer-5-delivery-gave-up-en');
    await log.evaluate(() => localStorage.setItem('strapi-admin-language', 'zh-Hans'));
    await log.reload();
    const gaveUpZh = log
      .getByTestId(`delivery-${failed.id}-error`)
      .filter({ hasText: /^已放弃：网站未在规定时间内响应$/ });
    await gaveUpZh.waitFor();
    await gaveUpZh.scrollIntoViewIfNeeded();
    await screenshot(log, 'consumer-6-delivery-gave-up-zh');
  } finally {
    await app.db.query('plugin::delivery.delivery').delete({ where: { id: failed.id } });
  }
});
