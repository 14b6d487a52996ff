import { highlight, likePattern, MAX_QUERY_LENGTH, parseQuery, plainText, scoreEntry } from '../../src/lib/search';

/** What `column LIKE pattern ESCAPE '\'` matches, as a regular expression (case-sensitive, like SQLite's for non-ASCII). */
const likeRegExp = (pattern: string) => {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i];
    if (c === '\\') source += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
};

const paragraph = (...children: unknown[]) => ({ type: 'paragraph', children });
const text = (value: string, marks: Record<string, boolean> = {}) => ({ type: 'text', text: value, ...marks });

describe('parseQuery', () => {
  it('keeps Chinese without spaces as one term, matched as a substring', () => {
    expect(parseQuery('洛阳投资')).toEqual(['洛阳投资']);
    expect(parseQuery('梧桐谷 酒店')).toEqual(['梧桐谷', '酒店']);
    expect(parseQuery('洛阳\u3000投资')).toEqual(['洛阳', '投资']); // ideographic space from a Chinese keyboard
  });

  it('splits English on whitespace and lower-cases it', () => {
    expect(parseQuery('Five-Star  Hotel')).toEqual(['five-star', 'hotel']);
    expect(parseQuery('\tLuoyang\nNew District ')).toEqual(['luoyang', 'new', 'district']);
  });

  it('handles mixed scripts', () => {
    expect(parseQuery('梧桐谷 Hotel 5G产业园')).toEqual(['梧桐谷', 'hotel', '5g产业园']);
  });

  it('de-duplicates terms, whatever their case or quoting', () => {
    expect(parseQuery('Hotel hotel HOTEL "hotel"')).toEqual(['hotel']);
    expect(parseQuery('a a a a a a a a a b')).toEqual(['a', 'b']);
  });

  it('keeps a quoted phrase together', () => {
    expect(parseQuery('"five star" hotel')).toEqual(['five star', 'hotel']);
    expect(parseQuery('"梧桐谷 酒店"')).toEqual(['梧桐谷 酒店']);
    expect(parseQuery('" Wutong  Valley " park')).toEqual(['wutong  valley', 'park']);
    expect(parseQuery('"  " hotel')).toEqual(['hotel']);
  });

  it('keeps punctuation inside terms (they are matched literally)', () => {
    expect(parseQuery('node.js C++ 100% a_b')).toEqual(['node.js', 'c++', '100%', 'a_b']);
    expect(parseQuery('梧桐谷，酒店')).toEqual(['梧桐谷，酒店']);
  });

  it('returns no terms for an empty or blank query', () => {
    expect(parseQuery('')).toEqual([]);
    expect(parseQuery('   \t\n')).toEqual([]);
  });

  it(`reads at most ${MAX_QUERY_LENGTH} characters and 8 terms`, () => {
    expect(MAX_QUERY_LENGTH).toBe(100);
    expect(parseQuery('a'.repeat(150))).toEqual(['a'.repeat(100)]);
    expect(parseQuery(`${'x'.repeat(98)} yz`)).toEqual(['x'.repeat(98), 'y']);
    expect(parseQuery(`${'字'.repeat(120)}`)).toEqual(['字'.repeat(100)]);
    expect(parseQuery('a b c d e f g h i j')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
  });
});

describe('likePattern', () => {
  it('matches the term anywhere', () => {
    expect(likePattern('梧桐谷')).toBe('%梧桐谷%');
    expect(likeRegExp(likePattern('梧桐谷')).test('洛阳梧桐谷酒店')).toBe(true);
    expect(likeRegExp(likePattern('梧桐谷')).test('梧桐 谷')).toBe(false);
  });

  it("escapes LIKE's wildcards and the escape character itself", () => {
    expect(likePattern('100%')).toBe('%100\\%%');
    expect(likePattern('a_b')).toBe('%a\\_b%');
    expect(likePattern('a\\b')).toBe('%a\\\\b%');
    expect(likePattern('%_\\')).toBe('%\\%\\_\\\\%');
    expect(likePattern("it's")).toBe("%it's%");
  });

  it('so that wildcards in a term only match themselves', () => {
    expect(likeRegExp(likePattern('100%')).test('growth 100% in 2024')).toBe(true);
    expect(likeRegExp(likePattern('100%')).test('growth 1000 in 2024')).toBe(false);
    expect(likeRegExp(likePattern('1_0')).test('1_0')).toBe(true);
    expect(likeRegExp(likePattern('1_0')).test('100')).toBe(false);
    expect(likeRegExp(likePattern('%')).test('no percent')).toBe(false);
    expect(likeRegExp(likePattern('a\\%')).test('a\\%')).toBe(true);
    expect(likeRegExp(likePattern('a\\%')).test('a\\b')).toBe(false);
  });
});

describe('plainText', () => {
  const blocks = [
    { type: 'heading', level: 2, children: [text('梧桐谷')] },
    paragraph(
      text('位于'),
      text('洛阳', { bold: true }),
      text('市，'),
      text('five-star', { italic: true }),
      text(' hotel.'),
    ),
    paragraph(
      text('See '),
      { type: 'link', url: 'https://example.cn/a?b=1', children: [text('our '), text('site', { bold: true })] },
      text(' for more.'),
    ),
    {
      type: 'list',
      format: 'unordered',
      children: [
        { type: 'list-item', children: [text('Land: '), text('280 mu', { bold: true })] },
        {
          type: 'list',
          format: 'ordered',
          children: [{ type: 'list-item', children: [text('nested item')] }],
        },
        { type: 'list-item', children: [text('Power')] },
      ],
    },
    { type: 'image', image: { url: '/uploads/a.jpg', alternativeText: 'alt' }, children: [text('')] },
    { type: 'quote', children: [text('Quoted')] },
    { type: 'code', children: [text('const a = 1;')] },
  ];
  const expected =
    '梧桐谷 位于洛阳市，five-star hotel. See our site for more. Land: 280 mu nested item Power Quoted const a = 1;';

  it('reads Strapi blocks: blocks and list items separated, formatted and linked text joined as written', () => {
    expect(plainText(blocks)).toBe(expected);
  });

  it('reads blocks stored as JSON text (SQLite)', () => {
    expect(plainText(JSON.stringify(blocks))).toBe(expected);
    expect(plainText(JSON.stringify(paragraph(text('单个段落'))))).toBe('单个段落');
  });

  it('leaves the markup out, so that a match in it does not count', () => {
    const words = plainText(JSON.stringify(blocks));
    for (const markup of [
      'paragraph',
      'children',
      'type',
      'bold',
      'https://example.cn',
      'uploads',
      'alternativeText',
    ]) {
      expect(words).not.toContain(markup);
    }
  });

  it('returns strings and Markdown rich text as they are, even when they only look like JSON', () => {
    expect(plainText('梧桐谷酒店')).toBe('梧桐谷酒店');
    expect(plainText('## 标题\n\n正文 **粗体** [link](https://x.cn)')).toBe(
      '## 标题\n\n正文 **粗体** [link](https://x.cn)',
    );
    expect(plainText('[Draft] Hotel')).toBe('[Draft] Hotel');
    expect(plainText('{not json')).toBe('{not json');
    expect(plainText('')).toBe('');
  });

  it('reads numbers, nested arrays and plain string lists; ignores what has no text', () => {
    expect(plainText(280)).toBe('280');
    expect(plainText(0)).toBe('0');
    expect(plainText(['a', ['b', ['c']], 7])).toBe('a b c 7');
    expect(plainText([paragraph(text('one')), [paragraph(text('two'))]])).toBe('one two');
    expect(plainText(null)).toBe('');
    expect(plainText(undefined)).toBe('');
    expect(plainText(true)).toBe('');
    expect(plainText({})).toBe('');
    expect(plainText({ title: 'not a block' })).toBe('');
    expect(plainText([])).toBe('');
    expect(plainText([paragraph(), paragraph(text('')), paragraph(text('x'))])).toBe('x');
  });
});

describe('highlight', () => {
  it('marks a match, keeping the text’s own case', () => {
    expect(highlight('Wutong Valley Hotel', ['hotel'])).toBe('Wutong Valley <mark>Hotel</mark>');
    expect(highlight('HOTEL hotel Hotel', ['hotel'])).toBe('<mark>HOTEL</mark> <mark>hotel</mark> <mark>Hotel</mark>');
    expect(highlight('洛阳梧桐谷酒店', ['梧桐谷'])).toBe('洛阳<mark>梧桐谷</mark>酒店');
  });

  it('marks every term, longest first, merging overlapping and adjacent ones', () => {
    expect(highlight('梧桐谷酒店与梧桐路', ['梧桐', '梧桐谷'])).toBe('<mark>梧桐谷</mark>酒店与<mark>梧桐</mark>路');
    expect(highlight('梧桐谷酒店', ['梧桐谷', '酒店'])).toBe('<mark>梧桐谷酒店</mark>');
    expect(highlight('five-star hotel and spa', ['spa', 'five-star'])).toBe(
      '<mark>five-star</mark> hotel and <mark>spa</mark>',
    );
  });

  it('HTML-escapes the content, inside and outside the marks', () => {
    const out = highlight(
      `<script>alert("x")</script> Tom & Jerry's <b>hotel</b> <img src=x onerror=alert(1)>`,
      ['hotel'],
      500,
    );
    expect(out).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Tom &amp; Jerry&#39;s &lt;b&gt;<mark>hotel</mark>&lt;/b&gt; &lt;img src=x onerror=alert(1)&gt;',
    );
    expect(out.replace(/<\/?mark>/g, '')).not.toMatch(/[<>"']/);
    expect(highlight('a <b> c & d', ['<b>'])).toBe('a <mark>&lt;b&gt;</mark> c &amp; d');
    expect(highlight('x &amp; y', ['&amp;'])).toBe('x <mark>&amp;amp;</mark> y');
  });

  it('shows a window around the first match, with ellipses where text was cut', () => {
    const long = `${'a'.repeat(100)}梧桐谷${'b'.repeat(100)}`;
    expect(highlight(long, ['梧桐谷'], 10)).toBe(`…${'a'.repeat(10)}<mark>梧桐谷</mark>${'b'.repeat(17)}…`);
    expect(highlight(long, ['梧桐谷'])).toBe(`…${'a'.repeat(40)}<mark>梧桐谷</mark>${'b'.repeat(77)}…`);
    expect(highlight(`梧桐谷${'b'.repeat(10)}`, ['梧桐谷'], 10)).toBe(`<mark>梧桐谷</mark>${'b'.repeat(10)}`);
    // the window starts at the earliest of the terms; a term cut by its end is not marked
    expect(highlight(`${'x'.repeat(50)}spa${'y'.repeat(5)}hotel`, ['hotel', 'spa'], 5)).toBe(
      `…xxxxx<mark>spa</mark>yyyyyho…`,
    );
  });

  it('is empty when nothing matches', () => {
    expect(highlight('Wutong Valley', ['hotel'])).toBe('');
    expect(highlight('', ['hotel'])).toBe('');
    expect(highlight('Wutong Valley', [])).toBe('');
  });
});

describe('scoreEntry', () => {
  const weights = { title: 3, summary: 2, body: 1 };

  it('requires every term somewhere in the entry', () => {
    expect(scoreEntry({ title: 'Wutong Hotel', body: 'spa' }, ['hotel', 'spa'], weights, 'title')).not.toBeNull();
    expect(scoreEntry({ title: 'Wutong Hotel', body: 'pool' }, ['hotel', 'spa'], weights, 'title')).toBeNull();
    expect(scoreEntry({ title: '', body: '' }, ['hotel'], weights, 'title')).toBeNull();
    expect(scoreEntry({}, ['hotel'], weights, 'title')).toBeNull();
  });

  it('scores nothing for no terms', () => {
    expect(scoreEntry({ title: 'Wutong Hotel' }, [], weights, 'title')).toBeNull();
  });

  it('counts each field’s weight per occurrence, at most three per term and field', () => {
    const scored = scoreEntry(
      { title: 'Wutong Valley Hotel', summary: 'A hotel in the valley. Hotel hotel hotel.', body: 'HOTEL' },
      ['hotel'],
      weights,
      'title',
    );
    expect(scored?.score).toBe(3 * 1 + 2 * 3 + 1 * 1 + 10); // + the title holds the term
  });

  it('weights fields it has no weight for as 1, and rounds to two decimals', () => {
    expect(scoreEntry({ extra: 'hotel hotel' }, ['hotel'], {}, 'title')?.score).toBe(2);
    expect(scoreEntry({ title: 'a hotel' }, ['hotel'], { title: 1 / 3 }, 'title')?.score).toBe(10.33);
  });

  it('adds a bonus for the whole query as a phrase, and for a title that holds, starts with or is it', () => {
    const phrase = scoreEntry(
      { title: 'Wutong Valley Hotel', summary: 'A hotel in the valley.', body: '' },
      ['valley', 'hotel'],
      weights,
      'title',
    );
    expect(phrase?.score).toBe(3 * 2 + 3 * 2 + 2 * 2 + 10);
    expect(scoreEntry({ title: 'Hotel' }, ['hotel'], weights, 'title')?.score).toBe(3 + 30);
    expect(scoreEntry({ title: 'Hotel Wutong' }, ['hotel'], weights, 'title')?.score).toBe(3 + 20);
    expect(scoreEntry({ title: 'Wutong Hotel' }, ['hotel'], weights, 'title')?.score).toBe(3 + 10);
    expect(scoreEntry({ title: 'Five-Star Hotel' }, ['five-star', 'hotel'], weights, 'title')?.score).toBe(
      3 * 2 + 3 * 2 + 30,
    );
    // only the title field gets the title bonus
    expect(scoreEntry({ body: 'Hotel' }, ['hotel'], weights, 'title')?.score).toBe(1);
  });

  it('ranks a title match above a body match', () => {
    const inTitle = scoreEntry({ title: '梧桐谷酒店', body: '位于洛阳' }, ['酒店'], weights, 'title');
    const inBody = scoreEntry({ title: '洛阳新区', body: '新建五星级酒店' }, ['酒店'], weights, 'title');
    expect(inTitle!.score).toBeGreaterThan(inBody!.score);
    const inSummary = scoreEntry({ title: '洛阳新区', summary: '五星级酒店', body: '' }, ['酒店'], weights, 'title');
    expect(inTitle!.score).toBeGreaterThan(inSummary!.score);
    expect(inSummary!.score).toBeGreaterThan(inBody!.score);
  });

  it('ranks a title naming the query above many mentions in the text', () => {
    const named = scoreEntry({ title: '凤凰谷产业园招商项目', body: '' }, ['产业园'], weights, 'title');
    const mentions = scoreEntry(
      { title: '西工区科技创新', summary: '产业园 产业园 产业园', body: '产业园 产业园 产业园' },
      ['产业园'],
      weights,
      'title',
    );
    expect(named!.score).toBeGreaterThan(mentions!.score);
  });

  it('ranks more matching terms and more occurrences higher', () => {
    const both = scoreEntry({ title: '梧桐谷酒店', body: '' }, ['梧桐谷', '酒店'], weights, 'title');
    const one = scoreEntry({ title: '梧桐谷', body: '酒店' }, ['梧桐谷', '酒店'], weights, 'title');
    expect(both!.score).toBeGreaterThan(one!.score);
    const twice = scoreEntry({ title: 'x', body: 'hotel, hotel' }, ['hotel'], weights, 'title');
    const once = scoreEntry({ title: 'x', body: 'hotel' }, ['hotel'], weights, 'title');
    expect(twice!.score).toBeGreaterThan(once!.score);
  });

  it('matches English case-insensitively and highlights each matching field', () => {
    const scored = scoreEntry(
      { title: 'WUTONG Hotel', summary: 'Nothing here', body: 'The <b>hotel</b> & spa' },
      ['hotel'],
      weights,
      'title',
    );
    expect(scored).toEqual({
      score: 3 + 1 + 10,
      highlights: { title: 'WUTONG <mark>Hotel</mark>', body: 'The &lt;b&gt;<mark>hotel</mark>&lt;/b&gt; &amp; spa' },
    });
  });
});

describe('empty terms', () => {
  it('are ignored rather than matching everywhere', () => {
    expect(highlight('梧桐谷', ['', '梧桐'])).toBe('<mark>梧桐</mark>谷');
    expect(scoreEntry({ title: 'x' }, [''], { title: 1 }, 'title')).toBeNull();
  });
});
