/** Chinese is the source language of all content; English is the first translation. */
export const SOURCE_LOCALE = 'zh-Hans';

export const CONFIGURED_LOCALES = [
  { code: 'zh-Hans', name: 'Chinese (Simplified) (zh-Hans)' },
  { code: 'en', name: 'English (en)' },
];

export const missingLocales = <T extends { code: string }>(existing: string[], wanted: T[]): T[] =>
  wanted.filter(({ code }) => !existing.includes(code));
