/**
 * Slugs (the name of a page in its address) from titles in any of our languages. Chinese is
 * written in pinyin, one word per syllable (西工区 → xi-gong-qu); Strapi's own slugify drops
 * Chinese altogether and falls back to the type's name ("news-article").
 *
 * Romanisation is passed in (pinyin-pro on the server) so that this stays a pure function.
 */
export type Romanize = (text: string) => string[];

export const SLUG_MAX_LENGTH = 80;

const HAN = /\p{Script=Han}/u;

/** Lower-case ASCII words joined by "-", at most `maxLength` long, cut between words; '' if nothing is left. */
export const slugify = (text: string, romanize: Romanize, maxLength = SLUG_MAX_LENGTH): string => {
  const normalized = text.normalize('NFKC');
  // Only Chinese needs the romaniser; each syllable and each other run becomes its own word.
  const parts = HAN.test(normalized) ? romanize(normalized) : [normalized];
  const words = parts
    .join(' ')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '') // é → e, ü → u
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > maxLength) return slug || word.slice(0, maxLength);
    slug = next;
  }
  return slug;
};
