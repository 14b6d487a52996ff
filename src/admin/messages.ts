/**
 * The admin's texts per interface language, one file per language in each folder:
 * - translations/<lang>.json: our content types' names, field labels, hints and enumeration
 *   options, under the message ids the Content Manager looks up (complete for every language;
 *   tests/unit/admin-translations.test.ts checks it against the schemas);
 * - translations/strapi/<lang>.json: Strapi's own admin strings it ships no translation of.
 * Adding a language is adding its files.
 */
type Messages = Record<string, string>;

const byLanguage = (files: Record<string, Messages>) =>
  Object.fromEntries(Object.entries(files).map(([file, messages]) => [/([^/]+)\.json$/.exec(file)![1], messages]));

const labels = byLanguage(import.meta.glob<Messages>('./translations/*.json', { eager: true, import: 'default' }));
const strapi = byLanguage(
  import.meta.glob<Messages>('./translations/strapi/*.json', { eager: true, import: 'default' }),
);

export const translations: Record<string, Messages> = Object.fromEntries(
  Object.keys(labels).map((language) => [language, { ...strapi[language], ...labels[language] }]),
);

/** English is Strapi's own; the others are offered on the profile page. */
export const interfaceLanguages = Object.keys(labels).filter((language) => language !== 'en');
