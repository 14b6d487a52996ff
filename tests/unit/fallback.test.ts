import { contentLanguage, fallbackChain, parseChains, wantsFallback } from '../../src/lib/fallback';

describe('fallback chains', () => {
  const known = ['zh-Hans', 'en', 'ja', 'ko'];

  it('go to English, then the source, by default', () => {
    expect(fallbackChain('ja', {}, 'zh-Hans', known)).toEqual(['ja', 'en', 'zh-Hans']);
    expect(fallbackChain('en', {}, 'zh-Hans', known)).toEqual(['en', 'zh-Hans']);
    expect(fallbackChain('zh-Hans', {}, 'zh-Hans', known)).toEqual(['zh-Hans', 'en']);
  });

  it('follow a configured chain and always end with the source', () => {
    const chains = parseChains('ko:ja,en; ja:en');
    expect(chains).toEqual({ ko: ['ja', 'en'], ja: ['en'] });
    expect(fallbackChain('ko', chains, 'zh-Hans', known)).toEqual(['ko', 'ja', 'en', 'zh-Hans']);
  });

  it('drop languages that do not exist', () => {
    expect(fallbackChain('ja', { ja: ['fr', 'en'] }, 'zh-Hans', known)).toEqual(['ja', 'en', 'zh-Hans']);
  });
});

describe('wantsFallback', () => {
  it('reads the query flag, or the default when absent', () => {
    expect(wantsFallback('true', false)).toBe(true);
    expect(wantsFallback('1', false)).toBe(true);
    expect(wantsFallback('false', true)).toBe(false);
    expect(wantsFallback(undefined, true)).toBe(true);
    expect(wantsFallback(undefined, false)).toBe(false);
  });
});

describe('contentLanguage', () => {
  it('lists each locale served once', () => {
    expect(contentLanguage(['ja', 'en', 'ja', null])).toBe('ja, en');
    expect(contentLanguage([])).toBeUndefined();
  });
});
