/**
 * The "no English in the Chinese admin" check, shared by the screen walk (chinese-admin) and the
 * per-person browser tests: English words in a text, outside a short allow-list of names and what
 * is data, not interface (content, people's and roles' names, ids, e-mail addresses, time zones).
 */
import type { Core } from '@strapi/strapi';
import type { Locator, Page } from 'playwright-core';
import { describeAudit } from '../../src/lib/messages';

/** Names and abbreviations that stay as they are in a Chinese interface. */
export const ALLOWED = new Set(
  [
    'Wutong',
    'Strapi',
    'API',
    'URL',
    'REST',
    'GraphQL',
    'JSON',
    'SEO',
    'ID',
    'UID',
    'Markdown',
    'Webhook',
    'HTTP',
    'HTTPS',
    'PNG',
    'JPG',
    'JPEG',
    'GIF',
    'SVG',
    'PDF',
    'KB',
    'MB',
    'GB',
    'Beta',
    'CSV',
    // a language's own name in the language picker, and language codes
    'English',
    'zh',
    'Hans',
    'en',
    // key names in the rich-text editor's shortcut hints
    'Command',
    'Control',
    'Shift',
    // a machine-translation provider's name, in the hint on how to configure one
    'OpenAI',
    // "Strapi Cloud", a product's name in Strapi's guided tour (shown to the first Super Admin only)
    'Cloud',
  ].map((word) => word.toLowerCase()),
);

export const WORD = /[A-Za-z][A-Za-z'’]*[A-Za-z]/g;

/** The words of any stored value (strings, nested in objects and arrays), lower case. */
export const wordsOf = (value: unknown, words = new Set<string>()): Set<string> => {
  if (typeof value === 'string') for (const word of value.match(WORD) ?? []) words.add(word.toLowerCase());
  else if (value && typeof value === 'object') Object.values(value).forEach((item) => wordsOf(item, words));
  return words;
};

/**
 * English words in a text outside the allow-list and the given data words: e-mail addresses,
 * URLs, document ids and time zone ids aside.
 */
export const englishWords = (text: string, data: Set<string> = new Set()): string[] => {
  const words = text
    .replace(/\S+@\S+/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\b[a-z0-9]{24}\b/g, ' ') // document ids
    .replace(/\b[A-Z][a-z]+\/[A-Z][A-Za-z_]+\b/g, ' ') // time zone ids (Asia/Shanghai)
    .replace(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g, ' ') // configuration names (MT_PROVIDER)
    .replace(/(?:[0-9a-f]{0,4}:){2,}[0-9a-f.]*/gi, ' ') // IPv6 addresses (::ffff:7f00:1), data
    .match(WORD);
  return [...new Set(words ?? [])].filter((word) => !ALLOWED.has(word.toLowerCase()) && !data.has(word.toLowerCase()));
};

/** English words in what a part of the page shows (its rendered text). */
export const englishOn = async (locator: Locator, data?: Set<string>): Promise<string[]> =>
  englishWords(await locator.innerText(), data);

/** English words on the whole page, the given words (what the test put there) allowed. */
export const englishOnPage = async (page: Page, allowed: Iterable<string> = []): Promise<string[]> =>
  englishWords(await page.locator('body').innerText(), new Set([...allowed].map((word) => word.toLowerCase())));

/** Audit summary params that are codes (stages, transitions, fields, kinds), shown translated. */
const CODED_PARAMS = new Set([
  'transition',
  'from',
  'to',
  'stage',
  'right',
  'field',
  'fields',
  'fieldList',
  'tokenKind',
]);

/** Words that are data: every text stored in content, components, people's and roles' names. */
export const dataWords = async (app: Core.Strapi): Promise<Set<string>> => {
  const words = new Set<string>();
  const uids = [
    ...Object.keys(app.contentTypes).filter((uid) => uid.startsWith('api::')),
    ...Object.keys(app.components),
    // sites (names and addresses) and media folders
    'plugin::delivery.site',
    'plugin::upload.folder',
  ];
  for (const uid of uids) wordsOf(await app.db.query(uid as never).findMany({}), words);
  const users = await app.db.query('admin::user').findMany({ select: ['firstname', 'lastname'] });
  wordsOf(users, words);
  // the avatar's initials
  for (const { firstname, lastname } of users) words.add(`${firstname?.[0] ?? ''}${lastname?.[0] ?? ''}`.toLowerCase());
  wordsOf(await app.db.query('admin::role').findMany({ select: ['name'] }), words);
  // who did what, as the audit log stores it (tests act as "system (test fixture)")
  const audit = await app.db
    .query('plugin::editorial.audit-entry' as never)
    .findMany({ select: ['action', 'actorName', 'summary', 'details'] });
  // what the log quotes (titles of documents perhaps deleted since, comments, names), as the log
  // itself reads it; not the params that are codes the admin translates
  for (const entry of audit as Parameters<typeof describeAudit>[0][] & { actorName: string }[]) {
    wordsOf(entry.actorName, words);
    for (const [name, value] of Object.entries(describeAudit(entry)?.params ?? {}))
      if (!CODED_PARAMS.has(name)) wordsOf(value, words);
  }
  // the delivery log names sites (perhaps deleted since) and the documents it sent
  const deliveries = await app.db
    .query('plugin::delivery.delivery' as never)
    .findMany({ select: ['siteName', 'payload'] });
  for (const { siteName, payload } of deliveries as { siteName: string; payload?: { slug?: unknown } | null }[])
    wordsOf([siteName, payload?.slug], words);
  return words;
};
