/**
 * An English translator's job in the admin, in a real browser on a 1366×768 laptop screen, once
 * per interface language: the Translations page lists what is missing and outdated in English
 * (every column visible without scrolling sideways); a missing page is opened, the panel says why
 * machine pre-fill is unavailable and which glossary terms the source uses, it is filled from the
 * Chinese source, translated, saved (the panel shows the new stage at once, not at its next poll)
 * and submitted; an outdated page shows what changed in the source under the field's label, is
 * updated, marked up to date and submitted. In 中文 the texts on the way are Chinese: no English
 * word outside the data and the names allowed.
 * Screenshots: tests/e2e/screenshots/translator-<language>-<step>.png.
 */
import type { Core } from '@strapi/strapi';
import type { Browser, Locator, Page } from 'playwright-core';
import { cm, type AdminSession } from '../helpers/admin';
import { screenshot } from '../helpers/browser';
import { englishOnPage, wordsOf } from '../helpers/chinese';
import { menuItems, unexplainedDisabled } from '../helpers/controls';
import {
  exactly,
  fieldLabel,
  labelled,
  LANGUAGES,
  signIn,
  startBrowserTest,
  stopBrowserTest,
  type Language,
} from '../helpers/people';
import { http } from '../helpers/strapi';

const UID = 'api::project.project';
const VIEWPORT = { width: 1366, height: 768 };

let app: Core.Strapi;
let browser: Browser;
let baseUrl: string;
let author: AdminSession;
let translator: AdminSession;
const created: string[] = [];
const marker = `${Date.now()}`;

beforeAll(async () => {
  ({ app, baseUrl, browser, author, translator } = await startBrowserTest({
    author: [['wutong-author'], 'Bai'],
    translator: [['wutong-translator-en'], 'Brown'],
  }));
});

afterAll(() => stopBrowserTest({ [UID]: created }));

/** A Chinese draft by the author, with a glossary term (洛阳市西工区) in its summary. */
const chineseDraft = async (title: string) => {
  const response = await http(app)
    .post(cm(UID).create('zh-Hans'))
    .set(author.auth)
    .send({ title, kind: 'hotel', stage: 'open', summary: '位于洛阳市西工区，占地约280亩' })
    .expect(201);
  created.push(response.body.data.documentId);
  return response.body.data.documentId as string;
};

/** A project translated into English whose Chinese summary then changed. */
const outdatedTranslation = async (title: string, englishTitle: string) => {
  const documentId = await chineseDraft(title);
  await http(app)
    .post(`/editorial/documents/${UID}/${documentId}/translation/fill?locale=en`)
    .set(translator.auth)
    .send({ mode: 'source' })
    .expect(200);
  await http(app)
    .put(cm(UID).one(documentId, 'en'))
    .set(translator.auth)
    .send({ title: englishTitle, summary: 'In Xigong District, Luoyang, about 280 mu' })
    .expect(200);
  await http(app)
    .put(cm(UID).one(documentId, 'zh-Hans'))
    .set(author.auth)
    .send({ summary: '位于洛阳市西工区，占地约300亩，紧邻地铁3号线' })
    .expect(200);
  return documentId;
};

const TEXT = {
  'zh-Hans': {
    missing: /此页面还没有英语版本/,
    noMachine: /尚未配置机器翻译.*MT_PROVIDER=openai/,
    save: '保存',
    saved: '已保存',
  },
  en: {
    missing: /has no English version yet/,
    noMachine: /Machine translation is not set up.*MT_PROVIDER=openai/,
    save: 'Save',
    saved: 'Saved document',
  },
};

const stageIs = (page: Page, stage: string, timeout?: number) =>
  page.locator(`[data-testid="editorial-stage"][data-stage="${stage}"]`).waitFor({ timeout });

/** Saves the form: the Content Manager answers, the toast is in the interface language. */
const save = async (page: Page, language: Language, documentId: string) => {
  const [response] = await Promise.all([
    page.waitForResponse(
      (response) => response.request().method() === 'PUT' && response.url().includes(`/${UID}/${documentId}?`),
    ),
    page.getByRole('button', { name: exactly(TEXT[language].save) }).click(),
  ]);
  expect(response.status()).toBe(200);
  await page.getByText(exactly(TEXT[language].saved)).first().waitFor();
};

/** The texts of the cells not wholly within the window: cut off, or scrolled out sideways. */
const clipped = async (cells: Locator) => {
  const out: string[] = [];
  for (const cell of await cells.all()) {
    const box = await cell.boundingBox();
    if (!box || box.x < 0 || box.x + box.width > VIEWPORT.width) out.push(await cell.innerText());
  }
  return out;
};

describe.each(LANGUAGES)('in the %s interface', (language) => {
  it('finds missing and outdated English pages, translates and submits them', async () => {
    const text = TEXT[language];
    const label = (field: string) => labelled(fieldLabel(language, UID, field));
    const missingTitle = `翻译缺失项目${marker}${language === 'en' ? '乙' : '甲'}`;
    // The list names a translated page by its English title.
    const outdatedTitle = `Outdated project ${marker} ${language}`;
    const missingId = await chineseDraft(missingTitle);
    const outdatedId = await outdatedTranslation(
      `翻译过期项目${marker}${language === 'en' ? '乙' : '甲'}`,
      outdatedTitle,
    );
    const { page, failures } = await signIn(browser, baseUrl, translator, language, VIEWPORT);
    const inChinese = async (step: string, data: Iterable<string>) => {
      if (language === 'zh-Hans')
        expect({ step, words: await englishOnPage(page, [...data, 'Brown', 'Test', 'BT']) }).toEqual({
          step,
          words: [],
        });
    };

    // The Translations page lists both; every column fits a laptop's screen.
    await page.goto(`${baseUrl}/admin/plugins/editorial/translations`);
    const table = page.getByTestId('editorial-translations');
    const missingRow = table.getByRole('row', { name: new RegExp(missingTitle) });
    const outdatedRow = table.getByRole('row', { name: new RegExp(outdatedTitle) });
    await missingRow.locator('[data-status="missing"]').waitFor();
    await outdatedRow.locator('[data-status="outdated"]').waitFor();
    expect(await clipped(table.locator('th'))).toEqual([]);
    expect(await clipped(outdatedRow.locator('td'))).toEqual([]);
    // The titles listed are data (the seed's English pages among them).
    await inChinese('translations', wordsOf((await table.getByRole('link').allInnerTexts()).join(' ')));
    await screenshot(page, `translator-${language}-1-translations`);

    // A missing English page: what that means, why no machine pre-fill, the glossary's terms.
    await missingRow.getByRole('link').click();
    const missing = page.getByTestId('editorial-missing');
    await missing.waitFor();
    expect(await missing.textContent()).toMatch(text.missing);
    expect(await page.getByTestId('editorial-mt-unavailable').textContent()).toMatch(text.noMachine);
    const terms = page.getByTestId('editorial-glossary-term');
    await terms.first().waitFor();
    expect(await terms.allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^洛阳市西工区 → .*Xigong/)]),
    );
    const termWords = wordsOf((await terms.allTextContents()).join(' '));
    await inChinese('missing', termWords);
    await screenshot(page, `translator-${language}-2-missing`);

    // Filled from the source: the form holds the Chinese text, the panel the new draft.
    await page.getByTestId('editorial-fill-source').click();
    await stageIs(page, 'draft');
    const title = page.getByLabel(label('title'));
    await page.locator(`input[name="title"][value="${missingTitle}"]`).waitFor();
    await page.getByTestId('editorial-submit').click();
    await stageIs(page, 'in_review');

    // Translating the title and saving sends it back to draft: the panel shows it right after
    // the save (its poll is every 10 s), and the author submits again.
    await title.fill(`Missing project ${marker}`);
    await save(page, language, missingId);
    await stageIs(page, 'draft', 2500);
    await inChinese('filled', [...termWords, ...wordsOf(`Missing project ${marker}`)]);
    await screenshot(page, `translator-${language}-3-filled`);
    await page.getByTestId('editorial-submit').click();
    await stageIs(page, 'in_review');

    // An outdated page: the changed field under its label, old and new source text.
    await page.goto(`${baseUrl}/admin/plugins/editorial/translations`);
    await outdatedRow.getByRole('link').click();
    const changed = page.getByTestId('editorial-outdated-field');
    await changed.first().waitFor();
    expect(await changed.getAttribute('data-field')).toBe('summary');
    expect(await changed.textContent()).toMatch(
      new RegExp(`^${fieldLabel(language, UID, 'summary')}.*占地约280亩.*占地约300亩，紧邻地铁3号线`),
    );
    await inChinese('outdated', [...termWords, ...wordsOf(outdatedTitle)]);
    await screenshot(page, `translator-${language}-4-outdated`);

    await page.getByLabel(label('summary')).fill('In Xigong District, Luoyang, about 300 mu, next to Metro Line 3');
    await save(page, language, outdatedId);
    await page.getByTestId('editorial-mark-current').click();
    await page.locator('[data-testid="editorial-translation-status"][data-status="draft"]').waitFor();
    await page.getByTestId('editorial-submit').click();
    await page.locator('[data-testid="editorial-translation-status"][data-status="in_review"]').waitFor();
    await screenshot(page, `translator-${language}-5-submitted`);

    expect(failures).toEqual([]);
    const done = await http(app)
      .get(`/editorial/documents/${UID}/${outdatedId}/translation?locale=en`)
      .set(translator.auth)
      .expect(200);
    expect(done.body.data).toMatchObject({ status: 'in_review', outdated: [] });
    const translated = await http(app).get(cm(UID).one(missingId, 'en')).set(translator.auth).expect(200);
    expect(translated.body.data.title).toBe(`Missing project ${marker}`);
    await page.context().close();
  });
});

/** What the English translator reads in the Chinese source, and Strapi's actions they are not offered. */
const CONTROLS = {
  'zh-Hans': {
    note: '你可以查看此语言版本，但无权修改。',
    save: '保存',
    post: '发表评论',
    publish: '发布',
    bulkPublish: '发布多个语言版本',
    fillFrom: '从另一个语言获取内容',
    cannotCreate: '你无权创建此语言的版本',
    draft: '草稿',
  },
  en: {
    note: 'You may read this language version but not change it.',
    save: 'Save',
    post: 'Post comment',
    publish: 'Publish',
    bulkPublish: 'Publish multiple locales',
    fillFrom: 'Fill in from another locale',
    cannotCreate: 'You may not create a version in this language',
    draft: 'Draft',
  },
} as const;

describe.each(LANGUAGES)('the controls a translator sees, in the %s interface', (language) => {
  it('are those they may use in each language, or say why not', async () => {
    const text = CONTROLS[language];
    const documentId = await outdatedTranslation(
      `译者控件${marker}${language === 'en' ? '乙' : '甲'}`,
      `Controls project ${marker} ${language}`,
    );
    const { page } = await signIn(browser, baseUrl, translator, language, VIEWPORT);
    const editView = (locale: string, id = documentId) =>
      `${baseUrl}/admin/content-manager/collection-types/${UID}/${id}?plugins[i18n][locale]=${locale}`;

    // The Chinese source: read-only for them, said so where Save would be.
    await page.goto(editView('zh-Hans'));
    const note = page.getByTestId('editorial-read-only');
    await note.waitFor();
    expect(await note.textContent()).toBe(text.note);
    expect(await note.getAttribute('data-role')).toBe('language');
    expect(await page.getByRole('button', { name: exactly(text.save) }).count()).toBe(0);
    expect(await page.getByRole('button', { name: exactly(text.fillFrom) }).count()).toBe(0); // it would fill a read-only form
    // The comment's Post is disabled until there is something to post.
    expect(await unexplainedDisabled(page, [exactly(text.post)])).toEqual([]);
    await screenshot(page, `translator-${language}-6-source-read-only`);

    // Their English: Save (disabled until the form changes), no Publish of any kind.
    await page.goto(editView('en'));
    await page.getByTestId('editorial-panel').waitFor();
    await page.getByRole('button', { name: exactly(text.save) }).waitFor();
    expect(await note.count()).toBe(0);
    expect(await page.getByRole('button', { name: exactly(text.publish) }).count()).toBe(1); // the panel's, with its reason
    expect(await menuItems(page)).not.toContain(text.bulkPublish);
    // Filling their English from the Chinese is theirs to use.
    expect(await page.getByRole('button', { name: exactly(text.fillFrom) }).isEnabled()).toBe(true);
    expect(await unexplainedDisabled(page, [exactly(text.save), exactly(text.post)])).toEqual([]);
    await screenshot(page, `translator-${language}-7-translation-controls`);

    // An English page without a Chinese version: the language picker greys out 简体中文, which
    // they may read but not create, and says why on the option itself.
    const englishOnly = await http(app)
      .post(cm(UID).create('en'))
      .set(translator.auth)
      .send({ title: `English only ${marker} ${language}`, kind: 'hotel', stage: 'open' })
      .expect(201);
    created.push(englishOnly.body.data.documentId);
    await page.goto(editView('en', englishOnly.body.data.documentId));
    await page.getByTestId('editorial-panel').waitFor();
    const picker = page.locator('main [role="combobox"]', { hasText: 'English (en)' });
    await picker.waitFor();
    expect(await unexplainedDisabled(page, [exactly(text.save), exactly(text.post)])).toEqual([]);
    await picker.click();
    const chinese = page.getByRole('option', { name: /简体中文/ });
    expect(await chinese.getAttribute('aria-disabled')).toBe('true');
    expect(await chinese.getByTestId('editorial-option-reason').textContent()).toBe(text.cannotCreate);
    // The existing version's status in the interface language (i18n itself writes "Draft").
    expect(await page.getByRole('option', { name: /English \(en\)/ }).textContent()).toBe(`English (en)${text.draft}`);
    await screenshot(page, `translator-${language}-7b-language-picker`);
    await page.keyboard.press('Escape');

    await page.goto(
      `${baseUrl}/admin/content-manager/collection-types/${UID}?plugins[i18n][locale]=en&page=1&pageSize=10&sort=updatedAt:DESC`,
    );
    await page.getByTestId('editorial-stage').first().waitFor();
    expect(await unexplainedDisabled(page)).toEqual([]);
    await screenshot(page, `translator-${language}-8-list-controls`);
    await page.context().close();
  });
});
