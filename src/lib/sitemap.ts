/**
 * sitemap.xml with hreflang alternates (https://www.sitemaps.org, Google's xhtml:link form).
 */

export interface SitemapUrl {
  loc: string;
  lastmod?: string | null;
  /** every language version of the page, itself included */
  alternates: { hreflang: string; href: string }[];
}

const xml = (text: string) =>
  text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string,
  );

export const buildSitemap = (urls: SitemapUrl[]): string => {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
  ];
  for (const url of urls) {
    lines.push('  <url>', `    <loc>${xml(url.loc)}</loc>`);
    if (url.lastmod) lines.push(`    <lastmod>${xml(url.lastmod)}</lastmod>`);
    for (const { hreflang, href } of url.alternates) {
      lines.push(`    <xhtml:link rel="alternate" hreflang="${xml(hreflang)}" href="${xml(href)}"/>`);
    }
    lines.push('  </url>');
  }
  lines.push('</urlset>', '');
  return lines.join('\n');
};

/** An absolute URL from a site's base URL and a path. */
export const absolute = (baseUrl: string, path: string) =>
  `${baseUrl.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
