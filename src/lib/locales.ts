/** Chinese is the source language of all content; English is the first translation. */
export const SOURCE_LOCALE = 'zh-Hans';

/** Each language by its own name (as language pickers do), so 中文 is never called "Chinese" to a Chinese editor. */
export const CONFIGURED_LOCALES = [
  { code: 'zh-Hans', name: '简体中文 (zh-Hans)' },
  { code: 'en', name: 'English (en)' },
];

export const missingLocales = <T extends { code: string }>(existing: string[], wanted: T[]): T[] =>
  wanted.filter(({ code }) => !existing.includes(code));
