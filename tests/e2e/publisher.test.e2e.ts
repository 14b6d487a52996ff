/**
 * The publisher's whole job, in a real browser, once in each interface language: they publish an
 * approved page, schedule another for a time in Beijing time (and see it go live), restore an
 * older version of a third after a confirmation, and resolve a save conflict on a fourth by
 * keeping their own text. In 中文 every panel, dialog and toast they pass through shows no English
 * word outside names and data. Screenshots: tests/e2e/screenshots/publisher-<language>-<step>.png.
 *
 * Restoring and saving are edits, which the Publisher role alone may not make (the server refuses
 * it, and the panel offers no Restore then): this publisher also holds the Author role, as on a
 * small desk where the publisher also corrects pages.
 */
import type { Core } from '@strapi/strapi';
import type { Browser, Locator, Page } from 'playwright-core';
import { ADMIN_PASSWORD, cm, createAdmin, editorial, type AdminSession } from '../helpers/admin';
import { LANGUAGES, openAs, screenshot, type Language } from '../helpers/browser';
import { englishOn, wordsOf } from '../helpers/chinese';
import { unexplainedDisabled } from '../helpers/controls';
import { fieldTexts, shownDay, typeDay, typeTime } from '../helpers/pickers';
import { startBrowserTest, stopBrowserTest } from '../helpers/people';
import { http } from '../helpers/strapi';

const UID = 'api::project.project';
const LOCALE = 'zh-Hans';
let app: Core.Strapi;
let browser: Browser;
let baseUrl: string;
let author: AdminSession;
let colleague: AdminSession;
let reviewer: AdminSession;
let publisher: AdminSession;
const marker = `e2e-publisher-${Date.now()}`;
const created: string[] = [];

beforeAll(async () => {
  ({ app, baseUrl, browser, author, colleague, reviewer, publisher } = await startBrowserTest(
    {
      author: [['wutong-author'], 'Lin'],
      colleague: [['wutong-author'], 'Deng'],
      reviewer: [['wutong-reviewer'], 'Wang'],
      publisher: [['wutong-publisher', 'wutong-author'], 'Zhao'],
    },
    { WUTONG_SCHEDULER_INTERVAL_MS: '500' },
  ));
});

afterAll(() => stopBrowserTest({ [UID]: created }));

const paragraph = (text: string) => [{ type: 'paragraph', children: [{ type: 'text', text }] }];

const draft = async (title: string, data: Record<string, unknown> = {}) => {
  const response = await http(app)
    .post(cm(UID).create(LOCALE))
    .set(author.auth)
    .send({ title, slug: `${marker}-${created.length}`, kind: 'hotel', stage: 'open', summary: '初稿', ...data })
    .expect(201);
  created.push(response.body.data.documentId);
  return response.body.data.documentId as string;
};

const move = (documentId: string, who: AdminSession, transition: string) =>
  http(app)
    .post(editorial(UID, documentId, LOCALE).transitions)
    .set(who.auth)
    .send({ transition })
    .expect(200);

const approved = async (title: string) => {
  const documentId = await draft(title);
  await move(documentId, author, 'submit');
  await move(documentId, reviewer, 'approve');
  return documentId;
};

const editView = (id: string) =>
  `${baseUrl}/admin/content-manager/collection-types/${UID}/${id}?plugins[i18n][locale]=${LOCALE}`;

/** The next whole minute in Beijing time (UTC+8, no summer time), as the schedule's wall-clock "YYYY-MM-DDTHH:mm". */
// At least 30 s ahead: a minute only seconds away could come (and the job run) before the panel shows it scheduled.
const soonInBeijing = () => new Date(Date.now() + 8 * 3600_000 + 90_000).toISOString().slice(0, 16);

const TEXT = {
  'zh-Hans': {
    published: '已发布',
    publish: /^发布$/,
    zone: '时间为北京时间',
    beijing: '北京时间',
    scheduled: '已设定时',
    when: '时间（北京时间）',
    date: '日期（北京时间）',
    time: '时间（北京时间）',
    due: '截止日期',
    saveAssignment: '保存指派',
    assigned: '指派已保存',
    restoreTitle: '恢复第 1 版？',
    restored: '已恢复到草稿：需要重新审核',
    summary: '摘要',
    save: /^保存$/,
    saved: /已保存/,
    refused: '未保存：您打开此页面后，Deng Test于',
    keptMine: '已保存您的版本',
  },
  en: {
    published: 'Published',
    publish: /^Publish$/,
    zone: 'Times are in Beijing time',
    beijing: 'Beijing time',
    scheduled: 'Scheduled',
    when: 'When (Beijing time)',
    date: 'Date (Beijing time)',
    time: 'Time (Beijing time)',
    due: 'Due date',
    saveAssignment: 'Save assignment',
    assigned: 'Assignment saved',
    restoreTitle: 'Restore version 1?',
    restored: 'Restored into the draft: it needs review again',
    summary: 'summary',
    save: /^save$/i,
    saved: /saved/i,
    refused: 'Not saved: Deng Test changed summary in this zh-Hans version',
    keptMine: 'Your version was saved',
  },
} as const;

/**
 * The publisher's browser is not in Beijing time: the picked wall-clock time must reach the server
 * as typed, not shifted by the browser's zone. Auckland (ahead of UTC: a day's local midnight is the
 * previous day in UTC) and New York (behind it, and on another date than Beijing much of the day).
 */
const BROWSER_ZONE = { 'zh-Hans': 'Pacific/Auckland', en: 'America/New_York' } as const;

/** Placeholders a native or untranslated date field shows ("mm/dd/yyyy", "YYYY/MM/DD"). */
const DATE_PATTERN = /y{4}|m{2}\/d{2}|d{2}\/m{2}/i;

describe.each(LANGUAGES)('the publisher, in %s', (language: Language) => {
  const text = TEXT[language];
  const title = (what: string) => `E2E 发布 ${what} ${marker} ${language}`;
  const shot = (page: Page, step: string) => screenshot(page, `publisher-${language}-${step}`);
  // This test's data as it shows: titles, people's names, the avatar's initials.
  const data = wordsOf([title(''), 'Lin Test', 'Wang Test', 'Zhao Test', 'Deng Test', 'ZT']);
  /** In 中文: the English words a part of the screen shows (toasts and dialogs included), data aside. */
  const english = async (part: Locator) => (language === 'zh-Hans' ? englishOn(part, data) : []);
  const toast = (page: Page, message: string) =>
    page.getByRole('status').or(page.getByRole('alert')).filter({ hasText: message }).first();
  let page: Page;
  let scheduled: { documentId: string; at: number };

  beforeAll(async () => {
    page = await openAs(browser, baseUrl, publisher.email, ADMIN_PASSWORD, language, 1400, BROWSER_ZONE[language]);
  });

  afterAll(async () => {
    await page?.context().close();
  });

  it('publishes an approved page, and the public API serves it', async () => {
    const documentId = await approved(title('发布'));
    await page.goto(editView(documentId));
    const panel = page.getByTestId('editorial-panel');
    // One Publish: the workflow panel's (it checks the approval); Strapi's own is not offered.
    await page.getByTestId('editorial-publish').waitFor();
    const publish = page.getByRole('button', { name: text.publish });
    expect(await publish.count()).toBe(1);
    expect(await publish.getAttribute('data-testid')).toBe('editorial-publish');
    await page.getByTestId('editorial-publish').click();
    await panel.locator('[data-stage="published"]').waitFor();
    await toast(page, text.published).waitFor();
    await shot(page, '1-published');
    expect(await english(page.locator('body'))).toEqual([]);

    await http(app).get(`/api/projects/${documentId}`).expect(200);
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
  });

  it('schedules an approved page for a time in Beijing time, and sees it go live', async () => {
    const documentId = await approved(title('定时'));
    await page.goto(editView(documentId));
    const schedule = page.getByTestId('editorial-schedule');
    await schedule.getByText(text.zone).waitFor();
    // The design system's pickers, in the interface language: no native "mm/dd/yyyy" field.
    expect(await schedule.locator('input[type="date"], input[type="datetime-local"]').count()).toBe(0);
    const date = schedule.getByRole('group', { name: text.when }).getByRole('combobox', { name: text.date });
    const time = schedule.getByRole('group', { name: text.when }).getByRole('combobox', { name: text.time });
    const submit = page.getByTestId('editorial-schedule-submit');
    const reason = page.getByTestId('editorial-schedule-submit-reason');
    const at = soonInBeijing();
    const [day, minute] = at.split('T');
    // Disabled, and saying why, until both a day and a time are chosen.
    await typeDay(date, day, language);
    expect(await date.inputValue()).toBe(shownDay(day, language));
    expect(await submit.isDisabled()).toBe(true);
    await reason.waitFor();
    await typeTime(time, minute);
    expect(await time.inputValue()).toBe(minute);
    await reason.waitFor({ state: 'detached' });
    const texts = await fieldTexts(schedule);
    expect(texts.filter((label) => DATE_PATTERN.test(label))).toEqual([]);
    if (language === 'zh-Hans') expect(texts.filter((label) => /[A-Za-z]/.test(label))).toEqual([]);
    await shot(page, '2-schedule-picked');
    await submit.click();
    await toast(page, text.scheduled).waitFor();
    await page.getByTestId('editorial-scheduled').waitFor();
    expect(await page.getByTestId('editorial-scheduled').textContent()).toContain(text.beijing);
    // The server holds the Beijing minute typed, whatever the browser's zone.
    const [job] = await app.db
      .query('plugin::editorial.schedule')
      .findMany({ where: { targetDocumentId: documentId, action: 'publish', status: 'pending' } });
    expect(new Date(job.runAt).toISOString()).toBe(new Date(`${at}:00+08:00`).toISOString());
    await shot(page, '2-scheduled');
    expect(await english(page.locator('body'))).toEqual([]);
    // Seen live at the end: the next steps run meanwhile.
    scheduled = { documentId, at: new Date(job.runAt).getTime() };
  });

  it('gives a page a due date with a picker in the interface language', async () => {
    const documentId = await draft(title('截止'));
    await page.goto(editView(documentId));
    const panel = page.getByTestId('editorial-panel');
    const due = panel.getByRole('combobox', { name: text.due });
    await due.waitFor();
    expect(await panel.locator('input[type="date"], input[type="datetime-local"]').count()).toBe(0);
    expect(await due.getAttribute('placeholder')).toBe(text.due);
    // The first of a month: a day a browser ahead of UTC shifts back if it is read at local midnight.
    const day = `${new Date().getUTCFullYear() + 1}-03-01`;
    await typeDay(due, day, language);
    expect(await due.inputValue()).toBe(shownDay(day, language));
    const texts = await fieldTexts(due.locator('xpath=ancestor::div[1]'));
    expect(texts.filter((label) => DATE_PATTERN.test(label))).toEqual([]);
    if (language === 'zh-Hans') expect(texts.filter((label) => /[A-Za-z]/.test(label))).toEqual([]);
    await shot(page, '2b-due-date');
    await panel.getByRole('button', { name: text.saveAssignment }).click();
    await toast(page, text.assigned).waitFor();
    const view = await http(app)
      .get(editorial(UID, documentId, LOCALE).view)
      .set(publisher.auth)
      .expect(200);
    expect(view.body.data.dueDate).toBe(day);
    // Shown again as saved, on the same day, once the page is opened anew.
    await page.reload();
    await panel.getByRole('combobox', { name: text.due }).waitFor();
    expect(await panel.getByRole('combobox', { name: text.due }).inputValue()).toBe(shownDay(day, language));
    expect(await english(page.locator('body'))).toEqual([]);
  });

  it('restores an older version after a confirmation, in the interface language', async () => {
    const documentId = await draft(title('恢复'), { body: paragraph('地块占地120亩，紧邻洛河。') });
    await http(app)
      .put(cm(UID).one(documentId, LOCALE))
      .set(author.auth)
      .send({ body: paragraph('地块占地150亩，紧邻洛河。') })
      .expect(200);
    await page.goto(editView(documentId));
    await page.getByTestId('editorial-history').getByTestId('editorial-restore').first().click();
    const dialog = page.getByTestId('editorial-restore-dialog');
    await dialog.getByText(text.restoreTitle).waitFor();
    await shot(page, '3-restore-confirm');
    expect(await english(page.locator('body'))).toEqual([]);
    await dialog.getByTestId('editorial-restore-confirm').click();
    await toast(page, text.restored).waitFor();
    expect(await english(page.locator('body'))).toEqual([]);
    const stored = await http(app).get(cm(UID).one(documentId, LOCALE)).set(author.auth).expect(200);
    expect(JSON.stringify(stored.body.data.body)).toContain('120亩');
    await shot(page, '4-restored');
  });

  it('keeps their own text when a colleague saved the same page meanwhile', async () => {
    const documentId = await draft(title('冲突'));
    const other = await openAs(browser, baseUrl, colleague.email, ADMIN_PASSWORD, language);
    await other.goto(editView(documentId));
    await page.goto(editView(documentId));
    await other.getByTestId('editorial-panel').waitFor();
    await page.getByTestId('editorial-panel').waitFor();

    const summary = (who: Page) => who.locator('textarea[name="summary"], input[name="summary"]');
    await summary(other).fill('同事先保存的摘要');
    await other.getByRole('button', { name: text.save }).click();
    await other.getByText(text.saved).first().waitFor();
    await other.context().close();

    await summary(page).fill('发布人后保存的摘要');
    await page.getByRole('button', { name: text.save }).click();
    await page.getByText(text.refused).first().waitFor();
    const conflict = page.getByTestId('editorial-conflict');
    await conflict.waitFor();
    const values = conflict.getByTestId('editorial-conflict-values');
    expect(await values.getByTestId('editorial-conflict-mine').textContent()).toContain('发布人后保存的摘要');
    expect(await values.getByTestId('editorial-conflict-theirs').textContent()).toContain('同事先保存的摘要');
    await shot(page, '5-conflict');
    expect(await english(page.locator('body'))).toEqual([]);

    await page.getByTestId('editorial-keep-mine').click();
    await conflict.waitFor({ state: 'detached' });
    await toast(page, text.keptMine).waitFor();
    // The panel updates first; the Content Manager then reloads the kept version into the form.
    await page.waitForFunction(`document.querySelector('[name="summary"]')?.value === '发布人后保存的摘要'`, null, {
      timeout: 15000,
    });
    await shot(page, '6-conflict-resolved');
    expect(await english(page.locator('body'))).toEqual([]);
    const stored = await http(app).get(cm(UID).one(documentId, LOCALE)).set(author.auth).expect(200);
    expect(stored.body.data.summary).toBe('发布人后保存的摘要');
  });

  it('sees the scheduled page go live at its time', async () => {
    const { documentId, at } = scheduled;
    // The scheduler looks every few seconds: a minute past the job's time is plenty.
    while (Date.now() < at + 60_000 && (await http(app).get(`/api/projects/${documentId}`)).status !== 200)
      await new Promise((resolve) => setTimeout(resolve, 1000));
    await http(app).get(`/api/projects/${documentId}`).expect(200);
    await page.goto(editView(documentId));
    await page.getByTestId('editorial-panel').locator('[data-stage="published"]').waitFor();
    await shot(page, '7-scheduled-live');
  });
});

/** A release with refusing members, and its empty states, in each interface language. */
describe.each(LANGUAGES)('releases, in %s', (language: Language) => {
  const TEXTS = {
    'zh-Hans': {
      none: '还没有发布批次',
      panelNone: '还没有发布批次。要一起发布多个页面',
      because: '未能发布，原因在于：',
      releaseTime: '定时时间（北京时间）',
      why: '只有已批准的内容才能发布：当前版本为“草稿”',
      open: '打开',
      failed: '失败',
    },
    en: {
      none: 'No releases yet',
      panelNone: 'No releases yet. To publish several pages together',
      because: 'Not published because of:',
      releaseTime: 'Release time (Beijing time)',
      why: 'Only approved content can be published: this version is "Draft"',
      open: 'Open',
      failed: 'Failed',
    },
  }[language];
  const title = (what: string) => `E2E 批次 ${what} ${marker} ${language}`;
  const data = wordsOf([title(''), 'Zhao Test', 'ZT', 'Lin Test', 'Wang Test']); // people's names are data

  it('says there are none yet, and names each member that kept a release from publishing', async () => {
    const page = await openAs(browser, baseUrl, publisher.email, ADMIN_PASSWORD, language);
    const english = async () => (language === 'zh-Hans' ? englishOn(page.locator('body'), data) : []);
    // No release yet: the list and the side panel say so, and what to do. Test files share one
    // database, so should another file's release exist meanwhile, the list is answered empty here
    // (the state under test); otherwise the server's own answer is shown.
    const others = (await http(app).get('/editorial/releases').set(publisher.auth).expect(200)).body.data as unknown[];
    const noReleases = (url: URL) => url.pathname === '/editorial/releases';
    if (others.length)
      await page.route(noReleases, (route) =>
        route.request().method() === 'GET' ? route.fulfill({ json: { data: [] } }) : route.fallback(),
      );
    await page.goto(`${baseUrl}/admin/plugins/editorial/releases`);
    await page.getByTestId('editorial-releases-none').getByText(TEXTS.none).waitFor();
    expect(await page.locator('table').count()).toBe(0);
    await screenshot(page, `publisher-${language}-8-releases-none`);
    expect(await english()).toEqual([]);
    const ready = await approved(title('就绪'));
    await page.goto(editView(ready));
    await page.getByTestId('editorial-release-none').getByText(TEXTS.panelNone).waitFor();
    await screenshot(page, `publisher-${language}-9-panel-releases-none`);
    expect(await english()).toEqual([]);
    await page.unroute(noReleases);

    const first = await draft(title('未批一'));
    const second = await draft(title('未批二'));
    const id = (
      await http(app)
        .post('/editorial/releases')
        .set(publisher.auth)
        .send({ name: title('发布') })
        .expect(201)
    ).body.data.id as number;
    try {
      for (const documentId of [ready, first, second])
        await http(app)
          .post(`/editorial/releases/${id}/entries`)
          .set(publisher.auth)
          .send({ uid: UID, documentId, locale: LOCALE, action: 'publish' })
          .expect(200);
      await http(app).post(`/editorial/releases/${id}/publish`).set(publisher.auth).expect(403);

      // The release page names both refusing members, each with its reason and a link.
      await page.goto(`${baseUrl}/admin/plugins/editorial/releases/${id}`);
      const failure = page.getByTestId('editorial-release-failure');
      await failure.getByText(TEXTS.because).waitFor();
      const members = failure.getByTestId('editorial-release-failed-member');
      expect(await members.count()).toBe(2);
      // Its schedule fields name the zone a time is read in.
      await page.getByLabel(TEXTS.releaseTime, { exact: true }).waitFor();
      for (const [index, [documentId, name]] of [
        [first, title('未批一')],
        [second, title('未批二')],
      ].entries()) {
        const member = members.nth(index);
        expect(await member.textContent()).toContain(name);
        expect(await member.textContent()).toContain(LOCALE);
        expect(await member.textContent()).toContain(TEXTS.why);
        expect(await member.getByRole('link', { name: TEXTS.open }).getAttribute('href')).toBe(
          `/admin/content-manager/collection-types/${UID}/${documentId}?plugins[i18n][locale]=${LOCALE}`,
        );
      }
      expect(await failure.textContent()).not.toContain(title('就绪'));
      await screenshot(page, `publisher-${language}-10-release-failed`);
      expect(await english()).toEqual([]);

      // Following a member's link: its side panel shows the release failed, and why.
      await members.nth(1).getByRole('link', { name: TEXTS.open }).click();
      await page.waitForURL(new RegExp(second));
      const panel = page.getByTestId('editorial-panel');
      await panel.getByTestId('editorial-release-failure').getByText(title('未批二')).waitFor();
      expect(await panel.getByText(TEXTS.failed).count()).toBeGreaterThan(0);
      await screenshot(page, `publisher-${language}-11-panel-release-failed`);
      expect(await english()).toEqual([]);
    } finally {
      await http(app).delete(`/editorial/releases/${id}`).set(publisher.auth).expect(204);
      await page.context().close();
    }
  });
});

/** A publisher who does not also write: their note where Save would be. */
const PUBLISHER_ONLY = {
  'zh-Hans': {
    note: '发布人不修改内容：内容获批后，请在“审核流程”面板中发布。',
    save: '保存',
    post: /^发表评论$/,
    publish: /^发布$/,
  },
  en: {
    note: 'Publishers do not change the content: publish it in the Review workflow panel once it is approved.',
    save: 'Save',
    post: /^Post comment$/,
    publish: /^Publish$/,
  },
} as const;

describe.each(LANGUAGES)('the controls a publisher (only) sees, in %s', (language: Language) => {
  it('are those they may use: no greyed-out Save, a note saying why, nothing disabled without a reason', async () => {
    const onlyPublisher = await createAdmin(app, ['wutong-publisher'], 'Qian');
    const documentId = await approved(`E2E 发布控件 ${marker} ${language}`);
    const page = await openAs(browser, baseUrl, onlyPublisher.email, ADMIN_PASSWORD, language);
    await page.goto(editView(documentId));
    const note = page.getByTestId('editorial-read-only');
    await note.waitFor();
    expect(await note.textContent()).toBe(PUBLISHER_ONLY[language].note);
    expect(await note.getAttribute('data-role')).toBe('publisher');
    expect(await page.getByRole('button', { name: PUBLISHER_ONLY[language].save, exact: true }).count()).toBe(0);
    expect(await page.getByTestId('editorial-publish').isEnabled()).toBe(true);
    // One Publish, the panel's: Strapi's own (enabled for a publisher) is not offered beside it.
    const publish = page.getByRole('button', { name: PUBLISHER_ONLY[language].publish });
    expect(await publish.count()).toBe(1);
    expect(await publish.getAttribute('data-testid')).toBe('editorial-publish');
    // The comment's Post is disabled until there is something to post.
    expect(await unexplainedDisabled(page, [PUBLISHER_ONLY[language].post])).toEqual([]);
    await screenshot(page, `publisher-${language}-8-read-only`);

    await page.goto(
      `${baseUrl}/admin/content-manager/collection-types/${UID}?plugins[i18n][locale]=${LOCALE}&page=1&pageSize=10&sort=updatedAt:DESC`,
    );
    await page.getByTestId('editorial-stage').first().waitFor();
    expect(await unexplainedDisabled(page)).toEqual([]);
    await screenshot(page, `publisher-${language}-9-list-controls`);
    await page.context().close();
  });
});
