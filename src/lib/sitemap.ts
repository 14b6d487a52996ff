/**
 * sitemap.xml with hreflang alternates (https://www.sitemaps.org, Google's xhtml:link form), as a
 * sitemap index and paged child sitemaps, so that no answer grows with the content.
 *
 * A child sitemap is one page of one type's table for one site: the rows whose id is in
 * ((page − 1) × width, page × width]. A row is one language version of a document, so a page holds
 * at most `width` URLs (the protocol allows 50,000) and reading it touches at most `width` rows of
 * the primary key, at page 1 as at page 40. Page numbers stay put as content changes (a URL a
 * crawler has stays the same page); a page can thin out, never overflow.
 */

export interface SitemapUrl {
  loc: string;
  lastmod?: string | null;
  /** every language version of the page, itself included */
  alternates: { hreflang: string; href: string }[];
}

/** The protocol's limit of URLs per sitemap. */
export const SITEMAP_MAX_URLS = 50_000;
/**
 * Rows per child sitemap unless WUTONG_SITEMAP_PAGE_ROWS says otherwise: at most that many URLs
 * (with two languages, about 5 MB of XML), well under the protocol's 50,000 URLs and 50 MB.
 */
export const SITEMAP_PAGE_ROWS = 10_000;

const xml = (text: string) =>
  text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string,
  );

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NAMESPACE = 'http://www.sitemaps.org/schemas/sitemap/0.9';

/** The start of a urlset; then urlEntries, then URLSET_TAIL (a page is written in batches). */
export const URLSET_HEAD = `${DECLARATION}<urlset xmlns="${NAMESPACE}" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n`;
export const URLSET_TAIL = '</urlset>\n';

/** The <url> elements of these pages, each line ending in a newline. */
export const urlEntries = (urls: SitemapUrl[]): string => {
  const lines: string[] = [];
  for (const url of urls) {
    lines.push('  <url>', `    <loc>${xml(url.loc)}</loc>`);
    if (url.lastmod) lines.push(`    <lastmod>${xml(url.lastmod)}</lastmod>`);
    for (const { hreflang, href } of url.alternates) {
      lines.push(`    <xhtml:link rel="alternate" hreflang="${xml(hreflang)}" href="${xml(href)}"/>`);
    }
    lines.push('  </url>');
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
};

export const buildSitemap = (urls: SitemapUrl[]): string => URLSET_HEAD + urlEntries(urls) + URLSET_TAIL;

/** A sitemap index listing these child sitemaps (absolute URLs). */
export const buildSitemapIndex = (locs: string[]): string =>
  `${DECLARATION}<sitemapindex xmlns="${NAMESPACE}">\n` +
  locs.map((loc) => `  <sitemap>\n    <loc>${xml(loc)}</loc>\n  </sitemap>\n`).join('') +
  '</sitemapindex>\n';

/** An absolute URL from a site's base URL and a path. */
export const absolute = (baseUrl: string, path: string) =>
  `${baseUrl.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;

// ---- paging ----

/** Rows per page from the environment's value: a whole number 1…50,000, else the default. */
export const pageRowsOf = (value: string | undefined): number => {
  const rows = Number(value);
  return value && Number.isInteger(rows) && rows >= 1 ? Math.min(rows, SITEMAP_MAX_URLS) : SITEMAP_PAGE_ROWS;
};

/** The page a row id falls on (pages count from 1). */
export const pageOf = (id: number, width: number) => Math.max(1, Math.ceil(id / width));

/** The ids a page holds: after < id ≤ upTo. */
export const pageRange = (page: number, width: number) => ({ after: (page - 1) * width, upTo: page * width });

/** The pages from the one holding the lowest id to the one holding the highest. */
export const pagesBetween = (minId: number, maxId: number, width: number): number[] => {
  const pages: number[] = [];
  for (let page = pageOf(minId, width); page <= pageOf(maxId, width); page += 1) pages.push(page);
  return pages;
};

/** A child sitemap's URL under the API's base URL (`https://cms.example.cn/api`). */
export const childSitemapUrl = (apiBase: string, site: string, type: string, page: number) =>
  `${apiBase.replace(/\/+$/, '')}/sitemap.xml?site=${encodeURIComponent(site)}&type=${encodeURIComponent(type)}&page=${page}`;

export type SitemapRequest =
  | { kind: 'index'; site?: string; type?: string }
  | { kind: 'page'; site: string; type: string; page: number };

export const SITEMAP_PARAMS = ['site', 'type', 'page'];

/**
 * The query of GET /sitemap.xml: no `page`, the index (of every site, or `site`, or one of its
 * types); `site`, `type` and `page`, one child sitemap. Anything else is refused (`status`,
 * `preview`… have no meaning here: the sitemap lists published pages only).
 */
export const sitemapRequest = (
  query: Record<string, unknown>,
): SitemapRequest | { problem: { path: string; message: string } } => {
  const unknown = Object.keys(query).find((name) => !SITEMAP_PARAMS.includes(name));
  if (unknown !== undefined)
    return { problem: { path: unknown, message: `Unknown parameter "${unknown}": use ${SITEMAP_PARAMS.join(', ')}` } };
  for (const name of SITEMAP_PARAMS) {
    const value = query[name];
    if (value !== undefined && (typeof value !== 'string' || !value))
      return { problem: { path: name, message: `${name} must be given once, as text` } };
  }
  const { site, type, page } = query as Record<string, string | undefined>;
  if (page === undefined) return { kind: 'index', site, type };
  if (!/^[1-9]\d{0,8}$/.test(page)) return { problem: { path: 'page', message: 'page must be a whole number from 1' } };
  if (!site || !type)
    return { problem: { path: site ? 'type' : 'site', message: 'a sitemap page needs site, type and page' } };
  return { kind: 'page', site, type, page: Number(page) };
};

// ---- a page's URLs ----

export interface VersionRow {
  documentId: string;
  locale: string;
  slug: string | null;
  updatedAt: string | number | Date;
}

/**
 * The URLs of a page's rows (in their order), each with every published version of its document
 * in the site's languages (`versions`, by documentId, in any order) as alternates, in the site's
 * language order, and x-default: the source language's version, else the first.
 */
export const pageUrls = (
  rows: VersionRow[],
  versions: Map<string, VersionRow[]>,
  { href, locales, sourceLocale }: { href: (row: VersionRow) => string; locales: string[]; sourceLocale: string },
): SitemapUrl[] =>
  rows.map((row) => {
    const order = (one: VersionRow) => locales.indexOf(one.locale);
    const all = [...(versions.get(row.documentId) ?? [row])].sort((a, b) => order(a) - order(b));
    const alternates = all.map((one) => ({ hreflang: one.locale, href: href(one) }));
    const source = all.find((one) => one.locale === sourceLocale) ?? all[0];
    alternates.push({ hreflang: 'x-default', href: href(source) });
    return { loc: href(row), lastmod: new Date(row.updatedAt).toISOString(), alternates };
  });
