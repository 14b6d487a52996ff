/**
 * Headless Debian Chromium driven by playwright-core (never a downloaded browser); Playwright gives
 * each launch a fresh profile. The flags keep Chromium off the network this machine does not have.
 */
import fs from 'fs';
import path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
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
export type Language = 'zh-Hans' | 'en';
export const LANGUAGES: Language[] = ['zh-Hans', 'en'];

/** A fresh browser session for one person, logged in, the admin in `language` from its next page on. */
export const openAs = async (
  browser: Browser,
  baseUrl: string,
  email: string,
  password: string,
  language: Language,
  height = 1400,
): Promise<Page> => {
  // The browser's own language too (navigator.language), as on the editor's machine.
  const context = await browser.newContext({
    viewport: { width: 1440, height },
    locale: language === 'zh-Hans' ? 'zh-CN' : 'en-US',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(60000);
  await adminLogin(page, baseUrl, email, password);
  await page.evaluate((value) => localStorage.setItem('strapi-admin-language', value), language);
  return page;
};
