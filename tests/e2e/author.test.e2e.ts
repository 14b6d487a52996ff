/**
 * An author's job in the admin, in a real browser, once per interface language: writes a project
 * with a Chinese title (the slug comes as pinyin and stays editable) in fields found by their
 * translated labels, saves (the toast in the interface language), submits it for review, sees
 * Publish disabled with the reason and no control they may not use, then answers a reviewer's
 * change request (replies, edits, submits again). In 中文 the texts on the way are Chinese: no
 * English word outside the data and the names allowed.
 * Screenshots: tests/e2e/screenshots/author-<language>-<step>.png.
 */
import type { AddressInfo } from 'net';
import type { Core } from '@strapi/strapi';
import type { Browser, Page } from 'playwright-core';
import { cm, createAdmin, editorial, type AdminSession } from '../helpers/admin';
import { launchBrowser, screenshot } from '../helpers/browser';
import { englishOnPage, wordsOf } from '../helpers/chinese';
import { exactly, fieldLabel, labelled, LANGUAGES, signIn, type Language } from '../helpers/people';
import { deleteDocuments, http, startStrapi, stopStrapi } from '../helpers/strapi';

const UID = 'api::project.project';
const SOURCE = 'zh-Hans';

let app: Core.Strapi;
let browser: Browser;
let baseUrl: string;
let author: AdminSession;
let reviewer: AdminSession;
const created: string[] = [];
const stamp = Date.now();

beforeAll(async () => {
  app = await startStrapi();
  baseUrl = `http://127.0.0.1:${(app.server.httpServer.address() as AddressInfo).port}`;
  author = await createAdmin(app, ['wutong-author'], 'Gao');
  reviewer = await createAdmin(app, ['wutong-reviewer'], 'Wang');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await deleteDocuments(
    app,
    created.map((documentId) => [UID, documentId]),
  );
  await stopStrapi(app);
});

/** Strapi's own texts and ours that the test reads, per interface language. */
const TEXT = {
  'zh-Hans': {
    save: '保存',
    saved: '已保存',
    publish: '发布',
    needsApproval: '需要审核人批准',
    kind: '酒店',
    reply: '回复',
    post: '发表评论',
    regenerate: '重新生成',
  },
  en: {
    save: 'Save',
    saved: 'Saved document',
    publish: 'Publish',
    needsApproval: "Needs a reviewer's approval",
    kind: 'Hotel',
    reply: 'Reply',
    post: 'Post comment',
    regenerate: 'Regenerate',
  },
};

const stage = (page: Page) => page.getByTestId('editorial-panel').getByTestId('editorial-stage');

/** Saves the form and waits for the toast in the interface language. */
const save = async (page: Page, language: Language) => {
  await page.getByRole('button', { name: exactly(TEXT[language].save) }).click();
  await page.getByText(exactly(TEXT[language].saved)).first().waitFor();
};

describe.each(LANGUAGES)('in the %s interface', (language) => {
  it('writes a project, submits it, and answers a change request', async () => {
    const text = TEXT[language];
    const label = (field: string) => labelled(fieldLabel(language, UID, field));
    const { page, failures } = await signIn(browser, baseUrl, author, language);
    const title = `衡山路智能工厂${stamp}${language === 'en' ? '乙' : '甲'}`;
    // Words on the page that are data, not interface: the author's and the reviewer's names, the title's digits.
    const data = [...wordsOf(`Gao Wang Test ${title}`), 'GT'];
    const inChinese = async (step: string) => {
      if (language === 'zh-Hans') expect({ step, words: await englishOnPage(page, data) }).toEqual({ step, words: [] });
    };

    // A new project: the slug is made from the Chinese title, in pinyin, and the author edits it.
    await page.goto(`${baseUrl}/admin/content-manager/collection-types/${UID}/create?plugins[i18n][locale]=${SOURCE}`);
    await page.getByLabel(label('title')).fill(title);
    const slug = page.getByLabel(label('slug'));
    await page.getByRole('button', { name: exactly(text.regenerate) }).click();
    await page.locator('input[name="slug"][value^="heng-shan-lu"]').waitFor();
    expect(await slug.inputValue()).toMatch(new RegExp(`^heng-shan-lu-zhi-neng-gong-chang-${stamp}`));
    const edited = `hengshan-road-factory-${stamp}-${language}`;
    await slug.fill(edited);
    await page.getByLabel(label('summary')).fill('位于洛阳市西工区，占地约280亩');
    await page.getByLabel(label('kind')).click();
    await page.getByRole('option', { name: exactly(text.kind) }).click();
    await inChinese('create');
    await screenshot(page, `author-${language}-1-create`);

    await save(page, language);
    await page.waitForURL(/collection-types\/api::project\.project\/(?!create)[a-z0-9]+/);
    const documentId = new URL(page.url()).pathname.split('/').pop() as string;
    created.push(documentId);
    await stage(page).waitFor();
    expect(await stage(page).getAttribute('data-stage')).toBe('draft');
    await inChinese('saved');
    await screenshot(page, `author-${language}-2-saved`);

    // Submitting for review: Publish stays disabled, with the reason; the author has no
    // approval, scheduling or assignment controls, nor Strapi's own Publish button.
    await page.getByTestId('editorial-submit').click();
    await page.locator('[data-testid="editorial-stage"][data-stage="in_review"]').waitFor();
    const publish = page.getByTestId('editorial-panel').getByTestId('editorial-publish');
    expect(await publish.isDisabled()).toBe(true);
    const reason = page.getByTestId('editorial-publish-reason');
    expect(await reason.textContent()).toBe(text.needsApproval);
    expect(await reason.getAttribute('data-code')).toBe('workflow.needs-approval');
    expect(await page.getByRole('button', { name: exactly(text.publish) }).count()).toBe(1);
    for (const control of ['editorial-approve', 'editorial-request_changes', 'editorial-schedule'])
      expect({ control, count: await page.getByTestId(control).count() }).toEqual({ control, count: 0 });
    expect(await page.locator('input[name="dueDate"]').count()).toBe(0);
    // Only the history's two comparison pickers: no assignee picker.
    expect(await page.getByTestId('editorial-panel').getByRole('combobox').count()).toBe(2);
    await inChinese('submitted');
    await screenshot(page, `author-${language}-3-submitted`);

    // A reviewer sends it back, with a reason and a comment.
    await http(app)
      .post(editorial(UID, documentId, SOURCE).transitions)
      .set(reviewer.auth)
      .send({ transition: 'request_changes', reason: '请补充交通条件' })
      .expect(200);
    await http(app)
      .post(editorial(UID, documentId, SOURCE).comments)
      .set(reviewer.auth)
      .send({ body: '摘要里写上离地铁站多远' })
      .expect(201);

    // The author sees why, replies, edits and submits again.
    await page.reload();
    await page.locator('[data-testid="editorial-stage"][data-stage="changes_requested"]').waitFor();
    await page.getByTestId('editorial-panel').getByText('请补充交通条件').waitFor();
    await page.getByTestId('editorial-panel').getByText('摘要里写上离地铁站多远').waitFor();
    await inChinese('changes-requested');
    await screenshot(page, `author-${language}-4-changes-requested`);
    await page
      .getByTestId('editorial-panel')
      .getByRole('button', { name: exactly(text.reply) })
      .click();
    await page.getByTestId('editorial-panel').locator('textarea[name="comment"]').fill('已补充：距地铁3号线500米');
    await page
      .getByTestId('editorial-panel')
      .getByRole('button', { name: exactly(text.post) })
      .click();
    await page.getByTestId('editorial-panel').getByText('已补充：距地铁3号线500米').waitFor();
    await page.getByLabel(label('summary')).fill('位于洛阳市西工区，占地约280亩，距地铁3号线500米');
    await save(page, language);
    await page.getByTestId('editorial-submit').click();
    await page.locator('[data-testid="editorial-stage"][data-stage="in_review"]').waitFor();
    await inChinese('resubmitted');
    await screenshot(page, `author-${language}-5-resubmitted`);

    expect(failures).toEqual([]);
    const saved = await http(app).get(cm(UID).one(documentId, SOURCE)).set(author.auth).expect(200);
    expect(saved.body.data).toMatchObject({
      title,
      slug: edited,
      kind: 'hotel',
      summary: '位于洛阳市西工区，占地约280亩，距地铁3号线500米',
    });
    const thread = await http(app)
      .get(editorial(UID, documentId, SOURCE).view)
      .set(author.auth)
      .expect(200);
    const comments = thread.body.data.comments as { id: number; parentId: number | null; body: string }[];
    const question = comments.find(({ body }) => body === '摘要里写上离地铁站多远');
    expect(comments).toContainEqual(
      expect.objectContaining({ body: '已补充：距地铁3号线500米', parentId: question?.id }),
    );
    await page.context().close();
  });
});
