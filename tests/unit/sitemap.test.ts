import {
  absolute,
  buildSitemap,
  buildSitemapIndex,
  childSitemapUrl,
  pageOf,
  pageRange,
  pageRowsOf,
  pageUrls,
  pagesBetween,
  sitemapRequest,
  SITEMAP_MAX_URLS,
  SITEMAP_PAGE_ROWS,
  urlEntries,
  URLSET_HEAD,
  URLSET_TAIL,
  type SitemapUrl,
  type VersionRow,
} from '../../src/lib/sitemap';
import { child, parseXml } from '../helpers/xml';

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

describe('a urlset written in batches', () => {
  it('is the same document as one written at once', () => {
    const urls = [...versions('/projects/a', '2025-01-02T03:04:05.678Z'), ...versions('/projects/b', null)];
    expect(URLSET_HEAD + urlEntries(urls.slice(0, 1)) + urlEntries([]) + urlEntries(urls.slice(1)) + URLSET_TAIL).toBe(
      buildSitemap(urls),
    );
    expect(urlEntries([])).toBe('');
  });
});

describe('buildSitemapIndex', () => {
  it('is a well-formed sitemapindex naming each child sitemap, escaped', () => {
    const locs = [
      childSitemapUrl('https://cms.example.cn/api', 'investor', 'projects', 1),
      childSitemapUrl('https://cms.example.cn/api/', 'a&b "site"', 'news', 12),
    ];
    const xml = buildSitemapIndex(locs);
    const index = parseXml(xml);
    expect(index.name).toBe('sitemapindex');
    expect(index.attributes).toEqual({ xmlns: 'http://www.sitemaps.org/schemas/sitemap/0.9' });
    expect(index.children.map((c) => c.name)).toEqual(['sitemap', 'sitemap']);
    expect(index.children.map((c) => child(c, 'loc')[0].text)).toEqual([
      'https://cms.example.cn/api/sitemap.xml?site=investor&type=projects&page=1',
      'https://cms.example.cn/api/sitemap.xml?site=a%26b%20%22site%22&type=news&page=12',
    ]);
    expect(xml).toContain('?site=investor&amp;type=projects&amp;page=1');
    expect(new URL(index.children[1].children[0].text).searchParams.get('site')).toBe('a&b "site"');
  });

  it('is an empty index for no pages', () => {
    expect(parseXml(buildSitemapIndex([])).children).toEqual([]);
  });
});

describe('sitemap pages', () => {
  it('cover every id exactly once, at most `width` ids each', () => {
    const width = 7;
    const seen = new Map<number, number>();
    for (const page of pagesBetween(1, 100, width)) {
      const { after, upTo } = pageRange(page, width);
      expect(upTo - after).toBe(width);
      for (let id = after + 1; id <= upTo; id += 1) {
        expect(pageOf(id, width)).toBe(page);
        seen.set(id, (seen.get(id) ?? 0) + 1);
      }
    }
    for (let id = 1; id <= 100; id += 1) expect(seen.get(id)).toBe(1);
  });

  it('keep their numbers whatever the lowest id (a page URL stays the same page)', () => {
    expect(pagesBetween(1, 10_000, 10_000)).toEqual([1]);
    expect(pagesBetween(10_000, 10_001, 10_000)).toEqual([1, 2]);
    expect(pagesBetween(25_001, 61_000, 10_000)).toEqual([3, 4, 5, 6, 7]);
    expect(pageRange(3, 10_000)).toEqual({ after: 20_000, upTo: 30_000 });
  });

  it('are 10,000 rows wide unless set, never more than the protocol allows', () => {
    expect(SITEMAP_PAGE_ROWS).toBeLessThanOrEqual(SITEMAP_MAX_URLS);
    expect(SITEMAP_MAX_URLS).toBe(50_000);
    expect(pageRowsOf(undefined)).toBe(10_000);
    expect(pageRowsOf('')).toBe(10_000);
    expect(pageRowsOf('7')).toBe(7);
    expect(pageRowsOf('80000')).toBe(50_000);
    for (const bad of ['0', '-5', '2.5', 'many']) expect(pageRowsOf(bad)).toBe(10_000);
  });
});

describe('sitemapRequest', () => {
  it('is the index without page, a page with site, type and page', () => {
    expect(sitemapRequest({})).toEqual({ kind: 'index' });
    expect(sitemapRequest({ site: 'investor' })).toEqual({ kind: 'index', site: 'investor' });
    expect(sitemapRequest({ site: 'investor', type: 'projects' })).toMatchObject({ kind: 'index', type: 'projects' });
    expect(sitemapRequest({ site: 'investor', type: 'projects', page: '12' })).toEqual({
      kind: 'page',
      site: 'investor',
      type: 'projects',
      page: 12,
    });
  });

  it.each([
    [{ status: 'draft' }, 'status'],
    [{ publicationState: 'preview' }, 'publicationState'],
    [{ preview: 'token' }, 'preview'],
    [{ site: 'investor', locale: 'en' }, 'locale'],
    [{ site: ['a', 'b'] }, 'site'],
    [{ site: { $ne: 'x' } }, 'site'],
    [{ site: '' }, 'site'],
    [{ site: 'a', type: 'projects', page: '0' }, 'page'],
    [{ site: 'a', type: 'projects', page: '1.5' }, 'page'],
    [{ site: 'a', type: 'projects', page: '-1' }, 'page'],
    [{ site: 'a', type: 'projects', page: '1e3' }, 'page'],
    [{ site: 'a', type: 'projects', page: '9999999999' }, 'page'],
    [{ site: 'a', page: '1' }, 'type'],
    [{ type: 'projects', page: '1' }, 'site'],
  ])('refuses %j, naming %s', (query, path) => {
    expect(sitemapRequest(query as Record<string, unknown>)).toMatchObject({ problem: { path } });
  });
});

describe('pageUrls', () => {
  const row = (documentId: string, locale: string, slug: string | null = documentId): VersionRow => ({
    documentId,
    locale,
    slug,
    updatedAt: '2025-03-04T05:06:07.000Z',
  });
  const href = (one: VersionRow) => absolute(SITE, `/${one.locale}/projects/${one.slug ?? one.documentId}`);
  const options = { href, locales: ['zh-Hans', 'en'], sourceLocale: 'zh-Hans' };

  it("gives each row its URL with every version in the site's language order and x-default the source", () => {
    const versionsOf = new Map([['d1', [row('d1', 'en'), row('d1', 'zh-Hans')]]]);
    const [url] = pageUrls([row('d1', 'en')], versionsOf, options);
    expect(url).toEqual({
      loc: `${SITE}/en/projects/d1`,
      lastmod: '2025-03-04T05:06:07.000Z',
      alternates: [
        { hreflang: 'zh-Hans', href: `${SITE}/zh-Hans/projects/d1` },
        { hreflang: 'en', href: `${SITE}/en/projects/d1` },
        { hreflang: 'x-default', href: `${SITE}/zh-Hans/projects/d1` },
      ],
    });
  });

  it("makes the first version x-default when the source language has none; keeps the rows' order", () => {
    const versionsOf = new Map([
      ['d2', [row('d2', 'en')]],
      ['d3', [row('d3', 'en'), row('d3', 'zh-Hans')]],
    ]);
    const urls = pageUrls([row('d3', 'zh-Hans'), row('d2', 'en')], versionsOf, options);
    expect(urls.map((url) => url.loc)).toEqual([`${SITE}/zh-Hans/projects/d3`, `${SITE}/en/projects/d2`]);
    expect(urls[1].alternates).toEqual([
      { hreflang: 'en', href: `${SITE}/en/projects/d2` },
      { hreflang: 'x-default', href: `${SITE}/en/projects/d2` },
    ]);
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
