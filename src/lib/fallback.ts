/**
 * Locale fallback for the public API: while a language is incomplete, `?fallback=true` serves
 * each document in the first language of a chain that has it published (e.g. ja → en → zh-Hans).
 */

/** "ja:en,zh-Hans;ko:en" → { ja: ['en', 'zh-Hans'], ko: ['en'] } */
export const parseChains = (text: string | undefined): Record<string, string[]> =>
  Object.fromEntries(
    (text ?? '')
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [locale, rest = ''] = part.split(':');
        return [
          locale.trim(),
          rest
            .split(',')
            .map((code) => code.trim())
            .filter(Boolean),
        ];
      }),
  );

/**
 * The languages to try, in order: the one asked for, its configured chain (English by default:
 * investors read it), then the source language. Unknown languages are dropped.
 */
export const fallbackChain = (
  requested: string,
  chains: Record<string, string[]>,
  source: string,
  known: string[],
): string[] => {
  const chain = [requested, ...(chains[requested] ?? (requested === 'en' ? [] : ['en'])), source];
  return [...new Set(chain)].filter((code) => known.includes(code));
};

/** Whether a request asked for fallback: `fallback=true|1` (or the site default when absent). */
export const wantsFallback = (value: unknown, byDefault: boolean): boolean => {
  if (value === undefined) return byDefault;
  return value === true || value === 'true' || value === '1';
};

/** The Content-Language header for the locales a response actually contains. */
export const contentLanguage = (locales: (string | null | undefined)[]): string | undefined => {
  const distinct = [...new Set(locales.filter((code): code is string => !!code))];
  return distinct.length ? distinct.join(', ') : undefined;
};
