/**
 * The Content Manager in the editor's interface language at a laptop's size (1366×768): type
 * names, field labels and enumeration options in Chinese (and in English), the review-stage and
 * translation columns on screen without scrolling, the relation picker reaching every project,
 * and no failed request or console error on the way.
 */
import type { Core } from '@strapi/strapi';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, cm, createAdmin, editorial, SUPER_ADMIN, type AdminSession } from '../helpers/admin';
import { openSession, screenshot } from '../helpers/browser';
import { startBrowserTest, stopBrowserTest } from '../helpers/people';
import { deleteDocuments, http } from '../helpers/strapi';

const PROJECTS = 'api::project.project';
const NEWS = 'api::news.news-article';
const VIEWPORT = { width: 1366, height: 768 };
let app: Core.Strapi;
let browser: Browser;
let baseUrl: string;
let admin: AdminSession;
let projectId: string;

beforeAll(async () => {
  ({ app, baseUrl, browser, admin } = await startBrowserTest({ admin: [[SUPER_ADMIN], 'Lin'] }));
  const seeded = (await app
    .documents(PROJECTS as never)
    .findFirst({ locale: 'zh-Hans', filters: { kind: 'land_parcel' } } as never)) as {
    documentId: string;
  };
  projectId = seeded.documentId;
});

afterAll(() => stopBrowserTest());

/** A signed-in page in one interface language that records every failed request and console error. */
const open = async (language: 'zh-Hans' | 'en') => {
  const problems: string[] = [];
  const { page } = await openSession(browser, baseUrl, admin.email, ADMIN_PASSWORD, {
    viewport: VIEWPORT,
    language,
    watch: (page) => {
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('response', (response) => {
        if (response.status() >= 400)
          problems.push(`${response.status()} ${response.request().method()} ${response.url()}`);
      });
    },
  });
  return { page, problems };
};

const listView = (page: Page, uid: string, locale: string) =>
  page.goto(
    `${baseUrl}/admin/content-manager/collection-types/${uid}?page=1&pageSize=10&plugins[i18n][locale]=${locale}`,
  );

/** The edit view's field labels, without the required mark and the relations' counts. */
const fieldLabels = async (page: Page) =>
  (await page.locator('label').allTextContents()).map((text) => text.replace(/\*$|\s*\(\d+\)$/, '').trim());

/** The column header's box lies inside the window, so it shows without scrolling the table. */
const expectOnScreen = async (page: Page, name: string) => {
  const header = page.locator('thead').getByText(name, { exact: true });
  await header.waitFor();
  const box = (await header.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(VIEWPORT.width);
};

it('shows the Content Manager in Chinese, the workflow columns on screen', async () => {
  const { page, problems } = await open('zh-Hans');

  await listView(page, PROJECTS, 'zh-Hans');
  await page.getByRole('link', { name: '招商项目' }).first().waitFor(); // the type's name in the menu
  await page.getByRole('heading', { name: '招商项目' }).waitFor();
  for (const header of ['标题', '项目类型', '招商阶段'])
    await page.locator('thead').getByText(header, { exact: true }).waitFor();
  await expectOnScreen(page, '审核阶段');
  // Enumeration values under their labels in the table too (the land parcels' kind).
  await page.locator('tbody').getByText('土地', { exact: true }).first().waitFor();
  await screenshot(page, 'labels-1-list-zh');

  await listView(page, PROJECTS, 'en');
  await expectOnScreen(page, '审核阶段');
  await expectOnScreen(page, '翻译');
  await screenshot(page, 'labels-2-list-en-content-zh');

  await page.goto(
    `${baseUrl}/admin/content-manager/collection-types/${PROJECTS}/${projectId}?plugins[i18n][locale]=zh-Hans`,
  );
  await page.getByText('1 亩 ≈ 666.7 m²').first().waitFor(); // a hint
  expect(await fieldLabels(page)).toEqual(
    expect.arrayContaining([
      '标题',
      '网址别名',
      '占地面积（亩）',
      '建筑面积（m²）',
      '合作方式',
      '所属园区',
      '产业方向',
      '地址',
      '页面标题',
    ]),
  );
  // Enumeration options: human labels, raw values stored.
  const kind = page.getByRole('combobox', { name: /项目类型/ });
  await expect(kind.textContent()).resolves.toContain('土地');
  await page.getByRole('combobox', { name: /招商阶段/ }).click();
  for (const option of ['招商中', '洽谈中', '已签约']) await page.getByRole('option', { name: option }).waitFor();
  await page.keyboard.press('Escape');
  await screenshot(page, 'labels-3-edit-zh');

  // The relation picker of a new news article offers every project, scrolling for more.
  await page.goto(`${baseUrl}/admin/content-manager/collection-types/${NEWS}/create?plugins[i18n][locale]=zh-Hans`);
  await page.locator('label', { hasText: '发布日期' }).waitFor();
  const picker = page.getByLabel(/^相关项目/);
  await picker.click();
  const options = page.getByRole('option');
  await options.first().waitFor();
  const total = await app.documents(PROJECTS as never).count({ locale: 'zh-Hans' } as never);
  for (let seen = 0; seen < total; ) {
    await options.last().scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    const now = await options.count();
    if (now === seen) break;
    seen = now;
  }
  expect(await options.count()).toBe(total);
  await screenshot(page, 'labels-4-relation-picker-zh');

  expect(problems).toEqual([]);
});

it('shows the same screens in English', async () => {
  const { page, problems } = await open('en');

  await listView(page, PROJECTS, 'en');
  await page.getByRole('heading', { name: 'Investment project' }).waitFor();
  for (const header of ['Title', 'Project type', 'Stage'])
    await page.locator('thead').getByText(header, { exact: true }).waitFor();
  await expectOnScreen(page, 'Review stage');
  await expectOnScreen(page, 'Translation');
  await screenshot(page, 'labels-5-list-en');

  await page.goto(
    `${baseUrl}/admin/content-manager/collection-types/${PROJECTS}/${projectId}?plugins[i18n][locale]=en`,
  );
  await page.getByText('1 mu ≈ 666.7 m²').first().waitFor();
  expect(await fieldLabels(page)).toEqual(
    expect.arrayContaining([
      'Title',
      'Slug (URL)',
      'Land area (mu)',
      'Investment mode',
      'Park',
      'Industries',
      'Address',
      'Meta title',
    ]),
  );
  await expect(page.getByRole('combobox', { name: /Project type/ }).textContent()).resolves.toContain('Land parcel');
  await screenshot(page, 'labels-6-edit-en');

  expect(problems).toEqual([]);
});

/** The field names the list's filter menu offers. */
const filterFields = async (page: Page, button: string, select: string) => {
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.getByRole('combobox', { name: select }).click();
  const options = page.getByRole('option');
  await options.first().waitFor();
  return options.allTextContents();
};

it('names the list filters by the field labels, in both languages', async () => {
  const { page, problems } = await open('zh-Hans');
  await listView(page, PROJECTS, 'zh-Hans');
  const chinese = await filterFields(page, '筛选器', '选择字段');
  expect(chinese).toEqual(expect.arrayContaining(['标题', '占地面积（亩）', '招商阶段', '创建时间', '创建人']));
  expect(chinese.filter((name) => /^[a-z][A-Za-z]*$/.test(name))).toEqual([]); // no attribute names
  await screenshot(page, 'labels-7-filters-zh');

  await page.evaluate(() => localStorage.setItem('strapi-admin-language', 'en'));
  await listView(page, NEWS, 'zh-Hans');
  const english = await filterFields(page, 'Filters', 'Select field');
  expect(english).toEqual(expect.arrayContaining(['Title', 'Publication date', 'Created']));
  expect(english).not.toContain('publicationDate');
  await screenshot(page, 'labels-8-filters-en');

  expect(problems).toEqual([]);
});

it('says why a scheduled publish failed in the interface language', async () => {
  const [author, reviewer, publisher] = await Promise.all(
    ['wutong-author', 'wutong-reviewer', 'wutong-publisher'].map((role, index) =>
      createAdmin(app, [role], ['Qian', 'Li', 'Zhou'][index]),
    ),
  );
  const marker = `failed-schedule-${Date.now()}`;
  const created = await http(app)
    .post(cm(PROJECTS).create('zh-Hans'))
    .set(author.auth)
    .send({ title: `定时 ${marker}`, slug: marker, kind: 'hotel', stage: 'open' })
    .expect(201);
  const documentId = created.body.data.documentId as string;
  const urls = editorial(PROJECTS, documentId, 'zh-Hans');
  try {
    await http(app).post(urls.transitions).set(author.auth).send({ transition: 'submit' }).expect(200);
    await http(app).post(urls.transitions).set(reviewer.auth).send({ transition: 'approve' }).expect(200);
    await http(app)
      .put(`/editorial/documents/${PROJECTS}/${documentId}/schedule?locale=zh-Hans`)
      .set(publisher.auth)
      .send({ action: 'publish', at: new Date(Date.now() + 60_000).toISOString() })
      .expect(200);
    // Edited after approval, then due: the scheduler refuses to publish it.
    await http(app)
      .put(cm(PROJECTS).one(documentId, 'zh-Hans'))
      .set(author.auth)
      .send({ summary: '批准后又改了' })
      .expect(200);
    await app.db
      .query('plugin::editorial.schedule')
      .updateMany({ where: { targetDocumentId: documentId }, data: { runAt: new Date(Date.now() - 1000) } });
    await (app.plugin('editorial').service('schedules') as { tick(): Promise<void> }).tick();

    const edit = `${baseUrl}/admin/content-manager/collection-types/${PROJECTS}/${documentId}?plugins[i18n][locale]=zh-Hans`;
    const { page, problems } = await open('zh-Hans');
    await page.goto(edit);
    await page.getByText('定时发布失败：只有已批准的内容才能发布：当前版本为“草稿”').waitFor();
    await screenshot(page, 'labels-9-schedule-failed-zh');

    await page.evaluate(() => localStorage.setItem('strapi-admin-language', 'en'));
    await page.goto(edit);
    await page
      .getByText('Scheduled Publish failed: Only approved content can be published: this version is "Draft"')
      .waitFor();
    expect(problems).toEqual([]);
  } finally {
    await deleteDocuments(app, [[PROJECTS, documentId]]);
  }
});
