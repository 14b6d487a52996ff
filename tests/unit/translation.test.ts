import {
  basesFrom,
  fieldHash,
  glossaryFlags,
  glossaryHints,
  outdatedFields,
  translatableFields,
  translationStatus,
  untranslatedFields,
} from '../../src/lib/translation';

const L = { i18n: { localized: true } };
const N = { i18n: { localized: false } };

describe('translatableFields', () => {
  it('takes localized text and components, not slugs, relations, media or shared fields', () => {
    expect(
      translatableFields({
        title: { type: 'string', pluginOptions: L },
        slug: { type: 'uid', pluginOptions: L },
        body: { type: 'blocks', pluginOptions: L },
        location: { type: 'component', pluginOptions: L },
        landAreaMu: { type: 'decimal', pluginOptions: N },
        park: { type: 'relation' },
        gallery: { type: 'media', pluginOptions: L },
      }),
    ).toEqual(['title', 'body', 'location']);
  });
});

describe('outdatedFields', () => {
  const fields = ['title', 'summary'];
  const bases = basesFrom({ title: '凤凰谷产业园', summary: null }, fields);

  it('is empty while the source is unchanged', () => {
    expect(outdatedFields({ title: '凤凰谷产业园', summary: '' }, bases, fields)).toEqual([]);
  });

  it('names each changed field with the old and new source text', () => {
    expect(outdatedFields({ title: '凤凰谷产业园（二期）', summary: '新增摘要' }, bases, fields)).toEqual([
      { field: 'title', before: '凤凰谷产业园', after: '凤凰谷产业园（二期）' },
      { field: 'summary', before: null, after: '新增摘要' },
    ]);
  });

  it('is current again when the source changes back', () => {
    expect(outdatedFields({ title: '凤凰谷产业园', summary: null }, bases, fields)).toEqual([]);
  });

  it('treats a field with source text and no base as outdated', () => {
    expect(outdatedFields({ title: 'x', summary: null }, {}, fields).map(({ field }) => field)).toEqual(['title']);
  });

  it('hashes empty values alike', () => {
    expect(fieldHash('')).toBe(fieldHash(null));
    expect(fieldHash([])).toBe(fieldHash(undefined));
    expect(fieldHash('a')).not.toBe(fieldHash('b'));
  });
});

describe('untranslatedFields', () => {
  it('lists fields with source text and an empty translation', () => {
    expect(
      untranslatedFields({ title: '标题', summary: '摘要', body: null }, { title: 'Title', summary: '' }, [
        'title',
        'summary',
        'body',
      ]),
    ).toEqual(['summary']);
  });
});

describe('translationStatus', () => {
  it('says missing, outdated, or where the workflow is', () => {
    expect(translationStatus(false, 'draft', 0)).toBe('missing');
    expect(translationStatus(true, 'published', 2)).toBe('outdated');
    expect(translationStatus(true, 'published', 0)).toBe('published');
    expect(translationStatus(true, 'approved', 0)).toBe('in_review');
    expect(translationStatus(true, 'in_review', 0)).toBe('in_review');
    expect(translationStatus(true, 'changes_requested', 0)).toBe('draft');
    expect(translationStatus(true, 'unpublished', 0)).toBe('draft');
  });
});

describe('glossaryFlags', () => {
  const terms = [
    { source: '西工区', target: 'Xigong District' },
    { source: '洛阳市西工区', target: 'Xigong District, Luoyang' },
    { source: '亩', target: 'mu' },
  ];

  it('flags a source term whose fixed rendering the translation lacks', () => {
    const source = { summary: '位于西工区，占地约280亩' };
    expect(glossaryFlags(source, { summary: 'In the Xigong district, about 280 mu' }, ['summary'], terms)).toEqual([]);
    expect(glossaryFlags(source, { summary: 'In West Works District, about 280 acres' }, ['summary'], terms)).toEqual([
      { field: 'summary', source: '西工区', expected: 'Xigong District' },
      { field: 'summary', source: '亩', expected: 'mu' },
    ]);
  });

  it('checks the longest term only, and reads text inside blocks and components', () => {
    const source = { body: [{ type: 'paragraph', children: [{ type: 'text', text: '洛阳市西工区' }] }] };
    expect(
      glossaryFlags(
        source,
        { body: [{ type: 'paragraph', children: [{ type: 'text', text: 'Xigong District, Luoyang' }] }] },
        ['body'],
        terms,
      ),
    ).toEqual([]);
    expect(
      glossaryFlags(
        source,
        { body: [{ type: 'paragraph', children: [{ type: 'text', text: 'Xigong' }] }] },
        ['body'],
        terms,
      ),
    ).toEqual([{ field: 'body', source: '洛阳市西工区', expected: 'Xigong District, Luoyang' }]);
  });

  it('accepts a rendering without its explanation in parentheses', () => {
    const explained = [
      { source: '亩', target: 'mu (1 mu ≈ 666.7 m²)' },
      { source: '凤凰谷产业园', target: 'Fenghuanggu (Phoenix Valley) Industrial Park' },
    ];
    const source = { summary: '凤凰谷产业园，占地约280亩' };
    expect(
      glossaryFlags(source, { summary: 'Fenghuanggu Industrial Park, about 280 mu' }, ['summary'], explained),
    ).toEqual([]);
    expect(
      glossaryFlags(
        source,
        { summary: 'Fenghuanggu (Phoenix Valley) Industrial Park, 280 mu' },
        ['summary'],
        explained,
      ),
    ).toEqual([]);
    expect(glossaryFlags(source, { summary: 'Phoenix Valley Park, 280 acres' }, ['summary'], explained)).toHaveLength(
      2,
    );
    // whole words only: "mu" is not found in "community"
    expect(glossaryFlags({ summary: '亩' }, { summary: 'a community' }, ['summary'], explained)).toHaveLength(1);
    // scripts without spaces match inside words
    expect(
      glossaryFlags(
        { summary: '西工区' },
        { summary: '洛陽市西工区の計画' },
        ['summary'],
        [{ source: '西工区', target: '西工区' }],
      ),
    ).toEqual([]);
  });

  it('ignores untranslated fields', () => {
    expect(glossaryFlags({ summary: '西工区' }, { summary: null }, ['summary'], terms)).toEqual([]);
  });
});

describe('glossaryHints', () => {
  const terms = [
    { source: '西工区', target: 'Xigong District' },
    { source: '洛阳市西工区', target: 'Xigong District, Luoyang' },
    { source: '亩', target: 'mu' },
    { source: '凤凰谷', target: 'Fenghuanggu' },
    { source: '空', target: '' },
  ];

  it('lists each term the source uses once, longest first, with its rendering', () => {
    const source = {
      title: '洛阳市西工区项目',
      summary: [{ type: 'paragraph', children: [{ type: 'text', text: '占地约280亩，另有60亩' }] }],
      slug: '凤凰谷',
    };
    expect(glossaryHints(source, ['title', 'summary'], terms)).toEqual([
      { source: '洛阳市西工区', target: 'Xigong District, Luoyang' },
      { source: '亩', target: 'mu' },
    ]);
  });

  it('finds nothing without a source', () => {
    expect(glossaryHints(null, ['title'], terms)).toEqual([]);
  });
});
