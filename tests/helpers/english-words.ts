/**
 * English words a page shows, for the tests that walk the admin in 中文: names and abbreviations
 * that stay as they are in a Chinese interface are left out, and so are the words the caller
 * allows (the data on the page: titles, people's names). E-mail addresses, URLs, document ids
 * and configuration names (MT_PROVIDER) are not words.
 */
import type { Page } from 'playwright-core';

const NAMES = ['Wutong', 'Strapi', 'API', 'URL', 'ID', 'SEO', 'Markdown', 'English', 'zh', 'Hans', 'en', 'openai'];
/** Key names in the rich-text editor's shortcut hints. */
const KEYS = ['Command', 'Control', 'Shift'];

const WORD = /[A-Za-z][A-Za-z'’]*[A-Za-z]/g;

/** The words of a text, as englishWords counts them (to allow a title's or a name's words). */
export const wordsOf = (text: string): string[] => text.match(WORD) ?? [];

export const englishWords = async (page: Page, allowed: Iterable<string> = []): Promise<string[]> => {
  const skip = new Set([...NAMES, ...KEYS, ...allowed].map((word) => word.toLowerCase()));
  const text = (await page.locator('body').innerText())
    .replace(/\S+@\S+/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\b[a-z0-9]{24}\b/g, ' ')
    .replace(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g, ' ');
  return [...new Set(wordsOf(text))].filter((word) => !skip.has(word.toLowerCase()));
};
