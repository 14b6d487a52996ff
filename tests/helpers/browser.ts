/**
 * Headless Debian Chromium driven by playwright-core (never a downloaded browser); Playwright gives
 * each launch a fresh profile. The flags keep Chromium off the network this machine does not have.
 */
import fs from 'fs';
import path from 'path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from './paths';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(ROOT, 'tests', 'e2e', 'screenshots');

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });

export const screenshot = async (page: Page, name: string) => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
};

/** Logs in through the admin's login form. */
export const adminLogin = async (page: Page, baseUrl: string, email: string, password: string) => {
  await page.goto(`${baseUrl}/admin/auth/login`);
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/password/i).fill(password);
  await page.getByRole('button', { name: /log ?in|登录/i }).click();
  await page.waitForURL(/\/admin(?!\/auth)/, { timeout: 60000 });
};

/** The admin's interface languages; tests set one as Strapi does (its language picker's key). */
export const LANGUAGES = ['zh-Hans', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * A fresh browser context and page for one person, logged in through the form, the admin in
 * `language` (when given) from its next page on. `watch` sees the page before the login, so that
 * listeners miss no request; `browserLocale` sets the browser's own language too
 * (navigator.language), as on the editor's machine.
 */
export const openSession = async (
  browser: Browser,
  baseUrl: string,
  email: string,
  password: string,
  options: {
    viewport: { width: number; height: number };
    language?: Language;
    browserLocale?: boolean;
    /** The browser's own time zone (IANA id), as on an editor's machine abroad; the machine's otherwise. */
    timeZone?: string;
    watch?: (page: Page) => void;
  },
): Promise<{ context: BrowserContext; page: Page }> => {
  const { viewport, language, browserLocale, timeZone, watch } = options;
  const context = await browser.newContext({
    viewport,
    ...(timeZone ? { timezoneId: timeZone } : {}),
    ...(browserLocale && language ? { locale: language === 'zh-Hans' ? 'zh-CN' : 'en-US' } : {}),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(60000);
  watch?.(page);
  await adminLogin(page, baseUrl, email, password);
  if (language) await page.evaluate((value) => localStorage.setItem('strapi-admin-language', value), language);
  return { context, page };
};

/** A fresh session for one person at 1440 pixels wide, in `language`, the browser's too. */
export const openAs = async (
  browser: Browser,
  baseUrl: string,
  email: string,
  password: string,
  language: Language,
  height = 1400,
  timeZone?: string,
): Promise<Page> =>
  (
    await openSession(browser, baseUrl, email, password, {
      viewport: { width: 1440, height },
      language,
      browserLocale: true,
      timeZone,
    })
  ).page;
