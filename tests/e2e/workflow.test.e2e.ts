/**
 * In the admin, in a real browser: an author writes a project page and submits it, a reviewer
 * approves it, a publisher publishes it; the public API serves it at the end. A screenshot of
 * each step is kept under tests/e2e/screenshots/.
 */
import type { AddressInfo } from 'net';
import type { Core } from '@strapi/strapi';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, createAdmin, type AdminSession } from '../helpers/admin';
import { adminLogin, launchBrowser, screenshot } from '../helpers/browser';
import { asSystem, http, startStrapi, stopStrapi } from '../helpers/strapi';

const UID = 'api::project.project';
let app: Core.Strapi;
let browser: Browser;
let baseUrl: string;
let author: AdminSession;
let reviewer: AdminSession;
let publisher: AdminSession;
const title = `E2E Hengshan Road Smart Factory ${Date.now()}`;
let documentId: string;

beforeAll(async () => {
  app = await startStrapi();
  baseUrl = `http://127.0.0.1:${(app.server.httpServer.address() as AddressInfo).port}`;
  author = await createAdmin(app, ['wutong-author'], 'Lin');
  reviewer = await createAdmin(app, ['wutong-reviewer'], 'Wang');
  publisher = await createAdmin(app, ['wutong-publisher'], 'Zhao');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  if (documentId) await asSystem(() => app.documents(UID).delete({ documentId, locale: '*' } as never));
  await stopStrapi(app);
});

/** A fresh browser session for one person. */
const as = async (who: AdminSession): Promise<Page> => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  page.setDefaultTimeout(60000);
  await adminLogin(page, baseUrl, who.email, ADMIN_PASSWORD);
  return page;
};

const editView = (id: string) =>
  `${baseUrl}/admin/content-manager/collection-types/${UID}/${id}?plugins[i18n][locale]=zh-Hans`;
const stageBadge = (page: Page) => page.getByTestId('editorial-panel').getByTestId('editorial-stage');

it('takes a project page from draft to published through three people', async () => {
  // 1. The author writes the page and submits it.
  const writer = await as(author);
  await writer.goto(`${baseUrl}/admin/content-manager/collection-types/${UID}/create?plugins[i18n][locale]=zh-Hans`);
  await writer.getByLabel(/^title/i).fill(title);
  const slug = writer.getByLabel(/^slug/i);
  await slug.fill(`e2e-smart-factory-${Date.now()}`);
  await writer.getByRole('button', { name: /^save$/i }).click();
  await writer.waitForURL(/collection-types\/api::project\.project\/(?!create)[a-z0-9]+/);
  documentId = new URL(writer.url()).pathname.split('/').pop() as string;
  await stageBadge(writer).waitFor();
  expect(await stageBadge(writer).getAttribute('data-stage')).toBe('draft');
  await screenshot(writer, '1-author-draft');
  await writer.getByTestId('editorial-submit').click();
  await writer.locator('[data-stage="in_review"]').first().waitFor();
  await screenshot(writer, '2-author-submitted');

  // 2. The reviewer finds it waiting, and approves it.
  const checker = await as(reviewer);
  await checker.goto(`${baseUrl}/admin/plugins/editorial`);
  await checker.getByRole('link', { name: title }).waitFor();
  await screenshot(checker, '3-reviewer-queue');

  // The list view shows each entry's review stage and filters by it.
  await checker.goto(
    `${baseUrl}/admin/content-manager/collection-types/${UID}?plugins[i18n][locale]=zh-Hans&page=1&pageSize=100`,
  );
  const row = checker.getByRole('row', { name: new RegExp(title) });
  await row.locator('[data-stage="in_review"]').waitFor();
  await screenshot(checker, '3a-reviewer-list');
  await checker.getByTestId('editorial-stage-filter').getByRole('combobox').click();
  await checker.getByRole('option', { name: /^published$/i }).click();
  await checker.waitForURL(/documentId/);
  await checker
    .getByRole('row', { name: /XG-|Project|项目/ })
    .first()
    .waitFor();
  expect(await checker.getByRole('row', { name: new RegExp(title) }).count()).toBe(0);
  await checker.getByTestId('editorial-stage-filter').getByRole('combobox').click();
  await checker.getByRole('option', { name: /^in review$/i }).click();
  await checker.getByRole('row', { name: new RegExp(title) }).waitFor();
  await screenshot(checker, '3b-reviewer-list-filtered');
  await checker.goto(editView(documentId));
  await checker.getByTestId('editorial-approve').click();
  await checker.locator('[data-stage="approved"]').first().waitFor();
  await screenshot(checker, '4-reviewer-approved');

  // 3. The publisher publishes it.
  const releaser = await as(publisher);
  await releaser.goto(editView(documentId));
  await releaser.getByTestId('editorial-publish').click();
  await releaser.locator('[data-stage="published"]').first().waitFor();
  await screenshot(releaser, '5-publisher-published');

  // The public API serves it, and the audit log holds every step.
  const published = await http(app).get(`/api/projects/${documentId}`).expect(200);
  expect(published.body.data.title).toBe(title);
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

  // Nobody alone could have published: the author's page offers no publish button.
  await writer.goto(editView(documentId));
  await stageBadge(writer).waitFor();
  expect(await writer.getByTestId('editorial-publish').count()).toBe(0);
});
