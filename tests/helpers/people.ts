/**
 * The browser tests of one person's job (tests/e2e/<person>.test.e2e.ts): a logged-in session in
 * one interface language, and the admin's texts in that language, read from the translation
 * files the admin ships, so that a test finds a label by what the editor reads, not by its
 * field name.
 */
import fs from 'fs';
import path from 'path';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, type AdminSession } from './admin';
import { adminLogin } from './browser';
import { ROOT } from './paths';

export const LANGUAGES = ['zh-Hans', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const read = (file: string): Record<string, string> =>
  JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, string>;

/** The message ids the admin resolves, ours over Strapi's missing ones; the editorial plugin's under `editorial.`. */
export const adminTexts = (language: Language): Record<string, string> => {
  const editorial = read(`src/plugins/editorial/admin/src/translations/${language}.json`);
  return {
    ...(language === 'en' ? {} : read(`src/admin/translations/strapi/${language}.json`)),
    ...read(`src/admin/translations/${language}.json`),
    ...Object.fromEntries(Object.entries(editorial).map(([key, value]) => [`editorial.${key}`, value])),
  };
};

/** A field's label in the edit view, as the editor reads it. */
export const fieldLabel = (language: Language, uid: string, field: string) => {
  const label = adminTexts(language)[`content-manager.content-types.${uid}.${field}`];
  if (!label) throw new Error(`no ${language} label for ${uid}.${field}`);
  return label;
};

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A regular expression matching a text exactly (the whole of a button's name). */
export const exactly = (text: string) => new RegExp(`^${escape(text)}$`);

/** A form field's accessible name: its label, with a star when the field is required. */
export const labelled = (text: string) => new RegExp(`^${escape(text)}\\*?$`);

/**
 * A fresh browser session for one person in one interface language. Failed requests to the
 * editorial API are collected: the person's path should cause none.
 */
export const signIn = async (
  browser: Browser,
  baseUrl: string,
  who: AdminSession,
  language: Language,
  viewport = { width: 1366, height: 768 },
): Promise<{ page: Page; failures: string[] }> => {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(60000);
  const failures: string[] = [];
  page.on('response', (response) => {
    if (response.url().includes('/editorial/') && response.status() >= 400)
      failures.push(`${response.status()} ${response.url()}`);
  });
  await adminLogin(page, baseUrl, who.email, ADMIN_PASSWORD);
  await page.evaluate((code) => localStorage.setItem('strapi-admin-language', code), language);
  return { page, failures };
};
