import { slugify, type Romanize } from '../../src/lib/slug';

// The library the server uses (src/bootstrap/slugs.ts), with the same options.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pinyin } = require('pinyin-pro') as {
  pinyin: (text: string, options: Record<string, unknown>) => string[];
};
const romanize: Romanize = (text) => pinyin(text, { toneType: 'none', type: 'array', v: true, nonZh: 'consecutive' });
const slug = (text: string, maxLength?: number) => slugify(text, romanize, maxLength);

describe('slugify', () => {
  it('writes Chinese in toneless pinyin, a word per syllable', () => {
    expect(slug('西工区')).toBe('xi-gong-qu');
    expect(slug('凤凰谷产业园')).toBe('feng-huang-gu-chan-ye-yuan');
    expect(slug('绿色')).toBe('lv-se');
  });

  it('keeps Latin letters and digits among Chinese as their own words', () => {
    expect(slug('洛阳市西工区2024年第3号 ABC标准厂房')).toBe(
      'luo-yang-shi-xi-gong-qu-2024-nian-di-3-hao-abc-biao-zhun-chang-fang',
    );
    expect(slug('5G创新中心（一期）')).toBe('5g-chuang-xin-zhong-xin-yi-qi');
  });

  it('makes Latin text lower-case words without accents or punctuation', () => {
    expect(slug("Xigong District's Innovation Centre — Phase 2!")).toBe('xigong-district-s-innovation-centre-phase-2');
    expect(slug('Café Müller, Straße')).toBe('cafe-muller-strasse');
    expect(slug('ＡＢＣ１２３')).toBe('abc123'); // full-width forms
  });

  it('leaves nothing for text with no letters or digits', () => {
    expect(slug('！？ —— ')).toBe('');
    expect(slug('')).toBe('');
  });

  it('cuts long titles between words', () => {
    const long = slug('洛阳市西工区人民政府关于印发进一步优化营商环境促进招商引资高质量发展若干措施的通知', 40);
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long).toMatch(/^luo-yang-shi-xi-gong-qu(-[a-z]+)+$/);
    expect(slug('a'.repeat(100), 10)).toBe('aaaaaaaaaa');
  });

  it('only romanises text that has Chinese in it', () => {
    const calls: string[] = [];
    slugify('Plain title', (text) => (calls.push(text), [text]));
    expect(calls).toEqual([]);
  });
});
