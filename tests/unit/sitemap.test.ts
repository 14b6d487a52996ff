import { absolute, buildSitemap, type SitemapUrl } from '../../src/lib/sitemap';

interface Element {
  name: string;
  attributes: Record<string, string>;
  children: Element[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescape = (raw: string, where: string) => {
  if (/[<]/.test(raw)) throw new Error(`raw < in ${where}: ${raw}`);
  return raw.replace(/&([^;]*);|&/g, (entity, name: string | undefined) => {
    if (name === undefined || !(name in ENTITIES)) throw new Error(`bad entity ${entity} in ${where}: ${raw}`);
    return ENTITIES[name];
  });
};

/** A strict little XML parser for what a sitemap uses: one declaration, elements, attributes, text. */
const parseXml = (xml: string): Element => {
  const declaration = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/;
  if (!declaration.test(xml)) throw new Error('missing XML declaration');
  const body = xml.replace(declaration, '');
  const root: Element = { name: '#document', attributes: {}, children: [], text: '' };
  const stack = [root];
  const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[A-Za-z][\w:.-]*="[^"]*")*)\s*(\/?)>|([^<]+)/y;
  let at = 0;
  while (at < body.length) {
    token.lastIndex = at;
    const match = token.exec(body);
    if (!match) throw new Error(`not well-formed at ${at}: ${body.slice(at, at + 40)}`);
    at = token.lastIndex;
    const [, closing, name, rawAttributes, selfClosing, rawText] = match;
    const current = stack[stack.length - 1];
    if (rawText !== undefined) {
      if (stack.length === 1 && rawText.trim()) throw new Error('text outside the root element');
      if (rawText.includes('>')) throw new Error(`raw > in text: ${rawText}`);
      current.text += unescape(rawText, current.name);
    } else if (closing) {
      if (current.name !== name) throw new Error(`</${name}> closes <${current.name}>`);
      stack.pop();
    } else {
      const attributes: Record<string, string> = {};
      for (const [, attribute, value] of rawAttributes.matchAll(/([\w:.-]+)="([^"]*)"/g)) {
        if (attribute in attributes) throw new Error(`duplicate attribute ${attribute}`);
        attributes[attribute] = unescape(value, `${name}@${attribute}`);
      }
      const element: Element = { name, attributes, children: [], text: '' };
      if (stack.length === 1 && root.children.length) throw new Error('more than one root element');
      current.children.push(element);
      if (!selfClosing) stack.push(element);
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (root.children.length !== 1) throw new Error('no root element');
  return root.children[0];
};

const child = (element: Element, name: string) => element.children.filter((c) => c.name === name);

const SITE = 'https://invest.example.cn';
const versions = (path: string, lastmod?: string | null): SitemapUrl[] => {
  const alternates = [
    { hreflang: 'zh-Hans', href: absolute(SITE, `/zh${path}`) },
    { hreflang: 'en', href: absolute(SITE, `/en${path}`) },
    { hreflang: 'x-default', href: absolute(SITE, `/zh${path}`) },
  ];
  return [
    { loc: alternates[0].href, lastmod, alternates },
    { loc: alternates[1].href, lastmod, alternates },
  ];
};

describe('absolute', () => {
  it('joins a base URL and a path with exactly one slash', () => {
    expect(absolute(SITE, '/en/projects/a')).toBe('https://invest.example.cn/en/projects/a');
    expect(absolute(`${SITE}/`, '/en/projects/a')).toBe('https://invest.example.cn/en/projects/a');
    expect(absolute(`${SITE}///`, 'en/projects/a')).toBe('https://invest.example.cn/en/projects/a');
    expect(absolute(SITE, 'en')).toBe('https://invest.example.cn/en');
    expect(absolute(`${SITE}/`, '/')).toBe('https://invest.example.cn/');
    expect(absolute(SITE, '')).toBe('https://invest.example.cn/');
  });

  it('keeps a base path', () => {
    expect(absolute('https://example.cn/luoyang/', '/en/')).toBe('https://example.cn/luoyang/en/');
  });

  it('gives URLs that parse as absolute', () => {
    for (const url of [absolute(SITE, 'x'), absolute(`${SITE}/`, '/zh/项目?a=1')]) {
      expect(new URL(url).origin).toBe(SITE);
    }
  });
});

describe('buildSitemap', () => {
  it('is a well-formed urlset with the sitemap and xhtml namespaces', () => {
    const xml = buildSitemap(versions('/projects/wutong', '2025-01-02T03:04:05.678Z'));
    const urlset = parseXml(xml);
    expect(urlset.name).toBe('urlset');
    expect(urlset.attributes).toEqual({
      xmlns: 'http://www.sitemaps.org/schemas/sitemap/0.9',
      'xmlns:xhtml': 'http://www.w3.org/1999/xhtml',
    });
    expect(urlset.children.map((c) => c.name)).toEqual(['url', 'url']);
    expect(xml.endsWith('</urlset>\n')).toBe(true);
  });

  it('lists each page with its absolute URL, lastmod and every language version incl. x-default', () => {
    const urls = [...versions('/projects/wutong', '2025-01-02T03:04:05.678Z'), ...versions('/parks/yibin', null)];
    const urlset = parseXml(buildSitemap(urls));
    const entries = child(urlset, 'url');
    expect(entries).toHaveLength(4);
    entries.forEach((entry, i) => {
      expect(entry.children.map((c) => c.name)).toEqual([
        'loc',
        ...(urls[i].lastmod ? ['lastmod'] : []),
        'xhtml:link',
        'xhtml:link',
        'xhtml:link',
      ]);
      const [loc] = child(entry, 'loc');
      expect(loc.text).toBe(urls[i].loc);
      expect(new URL(loc.text).href).toBe(loc.text);
      expect(loc.text.startsWith(`${SITE}/`)).toBe(true);
      const links = child(entry, 'xhtml:link');
      expect(links.map((link) => link.attributes)).toEqual(
        urls[i].alternates.map(({ hreflang, href }) => ({ rel: 'alternate', hreflang, href })),
      );
      expect(links.map((link) => link.attributes.hreflang)).toEqual(['zh-Hans', 'en', 'x-default']);
      // the page itself is among its alternates
      expect(links.map((link) => link.attributes.href)).toContain(loc.text);
      for (const link of links) {
        expect(link.children).toEqual([]);
        expect(new URL(link.attributes.href).origin).toBe(SITE);
      }
    });
    expect(child(entries[0], 'lastmod')[0].text).toBe('2025-01-02T03:04:05.678Z');
    expect(child(entries[2], 'lastmod')).toEqual([]);
  });

  it('writes lastmod as given (W3C datetime) and leaves it out when unknown', () => {
    const lastmod = new Date(Date.UTC(2024, 11, 31, 23, 59, 59)).toISOString();
    const entry = (value: string | null | undefined) =>
      child(parseXml(buildSitemap([{ loc: `${SITE}/a`, lastmod: value, alternates: [] }])), 'url')[0];
    const [written] = child(entry(lastmod), 'lastmod');
    expect(written.text).toBe('2024-12-31T23:59:59.000Z');
    expect(written.text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(child(entry('2024-12-31'), 'lastmod')[0].text).toBe('2024-12-31');
    for (const missing of [null, undefined, '']) expect(child(entry(missing), 'lastmod')).toEqual([]);
  });

  it('escapes & < > and quotes in URLs and language codes', () => {
    const nasty = `${SITE}/en/search?q=a&b=<c>&d="e"&f='g'`;
    const xml = buildSitemap([{ loc: nasty, lastmod: '<2025>', alternates: [{ hreflang: 'en"><x', href: nasty }] }]);
    expect(xml).toContain(
      '<loc>https://invest.example.cn/en/search?q=a&amp;b=&lt;c&gt;&amp;d=&quot;e&quot;&amp;f=&apos;g&apos;</loc>',
    );
    expect(xml).toContain('<lastmod>&lt;2025&gt;</lastmod>');
    expect(xml).toContain('hreflang="en&quot;&gt;&lt;x"');
    expect(xml).not.toContain('<c>');
    expect(xml).not.toContain('en"><x');
    const [entry] = child(parseXml(xml), 'url');
    expect(child(entry, 'loc')[0].text).toBe(nasty);
    expect(child(entry, 'lastmod')[0].text).toBe('<2025>');
    expect(child(entry, 'xhtml:link')[0].attributes).toEqual({ rel: 'alternate', hreflang: 'en"><x', href: nasty });
  });

  it('escapes an already escaped ampersand again (the URL is text, not markup)', () => {
    const xml = buildSitemap([{ loc: `${SITE}/?a=1&amp;b=2`, alternates: [] }]);
    expect(xml).toContain('<loc>https://invest.example.cn/?a=1&amp;amp;b=2</loc>');
    expect(child(child(parseXml(xml), 'url')[0], 'loc')[0].text).toBe(`${SITE}/?a=1&amp;b=2`);
  });

  it('keeps non-ASCII URLs as UTF-8 text', () => {
    const loc = `${SITE}/zh/项目/梧桐谷`;
    const xml = buildSitemap([{ loc, alternates: [{ hreflang: 'zh-Hans', href: loc }] }]);
    expect(child(child(parseXml(xml), 'url')[0], 'loc')[0].text).toBe(loc);
  });

  it('writes a page without alternates as just its loc', () => {
    const [entry] = child(parseXml(buildSitemap([{ loc: `${SITE}/en/`, alternates: [] }])), 'url');
    expect(entry.children.map((c) => c.name)).toEqual(['loc']);
  });

  it('is an empty urlset for no pages', () => {
    const xml = buildSitemap([]);
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' +
        '</urlset>\n',
    );
    const urlset = parseXml(xml);
    expect(urlset.name).toBe('urlset');
    expect(urlset.children).toEqual([]);
  });
});

describe('the test XML parser', () => {
  it.each([
    ['<?xml version="1.0" encoding="UTF-8"?>\n<a><b></a></b>'],
    ['<?xml version="1.0" encoding="UTF-8"?>\n<a>x & y</a>'],
    ['<?xml version="1.0" encoding="UTF-8"?>\n<a>x < y</a>'],
    ['<?xml version="1.0" encoding="UTF-8"?>\n<a href="x"y"/>'],
    ['<?xml version="1.0" encoding="UTF-8"?>\n<a/><b/>'],
    ['<?xml version="1.0" encoding="UTF-8"?>\n<a>'],
    ['<a/>'],
  ])('rejects what is not well-formed: %j', (xml) => {
    expect(() => parseXml(xml)).toThrow();
  });
});
