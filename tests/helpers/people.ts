/**
 * The browser tests of one person's job (tests/e2e/<person>.test.e2e.ts): Strapi, the people and
 * a browser started and stopped the same way in every file, a logged-in session in one interface
 * language, and the admin's texts in that language, read from the translation files the admin
 * ships, so that a test finds a label by what the editor reads, not by its field name.
 */
import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, createAdmin, type AdminSession } from './admin';
import { launchBrowser, openSession, type Language } from './browser';
import { ROOT } from './paths';
import { baseUrlOf, deleteDocuments, startStrapi, stopStrapi } from './strapi';

export { LANGUAGES, type Language } from './browser';

/** What startBrowserTest started, for stopBrowserTest (Jest gives each test file its own modules). */
const started: { app?: Core.Strapi; browser?: Browser; env: Record<string, string | undefined> } = { env: {} };

/**
 * A browser test file's world: the environment variables set (until stopBrowserTest), Strapi on a
 * free port, the people created in order (each `[role codes, first name]`, returned under their
 * keys beside app, baseUrl and browser), and a browser.
 */
export const startBrowserTest = async <Name extends string>(
  people: Record<Name, [roles: string[], name: string]>,
  env: Record<string, string> = {},
) => {
  for (const [name, value] of Object.entries(env)) {
    started.env[name] = process.env[name];
    process.env[name] = value;
  }
  const app = (started.app = await startStrapi());
  const sessions = {} as Record<Name, AdminSession>;
  for (const [key, [roles, name]] of Object.entries(people) as [Name, [string[], string]][]) {
    if (['app', 'baseUrl', 'browser'].includes(key)) throw new Error(`a person may not be called ${key}`);
    sessions[key] = await createAdmin(app, roles, name);
  }
  const browser = (started.browser = await launchBrowser());
  return { ...sessions, app, baseUrl: baseUrlOf(app), browser };
};

/**
 * Undoes startBrowserTest, whatever part of it ran: closes the browser; while Strapi still runs,
 * runs the file's own clean-up, then deletes the documents the file created (by type, in every
 * locale: later files count documents per language); stops Strapi and restores the environment.
 */
export const stopBrowserTest = async (
  documents: Record<string, (string | undefined)[]> = {},
  cleanUp?: () => Promise<unknown>,
) => {
  const { app, browser, env } = started;
  await browser?.close();
  if (app) {
    await cleanUp?.();
    await deleteDocuments(
      app,
      Object.entries(documents).flatMap(([uid, ids]) => ids.map((id): [string, string | undefined] => [uid, id])),
    );
    await stopStrapi(app);
  }
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
};

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
  const failures: string[] = [];
  const { page } = await openSession(browser, baseUrl, who.email, ADMIN_PASSWORD, {
    viewport,
    language,
    watch: (page) =>
      page.on('response', (response) => {
        if (response.url().includes('/editorial/') && response.status() >= 400)
          failures.push(`${response.status()} ${response.url()}`);
      }),
  });
  return { page, failures };
};
