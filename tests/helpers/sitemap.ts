/** Reading /api/sitemap.xml as a crawler does: the index, then each page it names. */
import type { Core } from '@strapi/strapi';
import { http } from './strapi';
import { child, parseXml, type Element } from './xml';

export interface SitemapPage {
  url: URL;
  urlset: Element;
  /** each <url>: its loc and its alternates by hreflang */
  urls: { loc: string; lastmod?: string; alternates: Record<string, string> }[];
}

const text = (element: Element, name: string) => child(element, name)[0]?.text;

/** The index (for `query`) and every page it lists, each parsed strictly. */
export const readSitemap = async (app: Core.Strapi, query: Record<string, string> = {}) => {
  const response = await http(app).get('/api/sitemap.xml').query(query).expect(200);
  expect(response.headers['content-type']).toMatch(/application\/xml/);
  const index = parseXml(response.text);
  expect(index.name).toBe('sitemapindex');
  const pages: SitemapPage[] = [];
  for (const entry of child(index, 'sitemap')) {
    const url = new URL(text(entry, 'loc'));
    const page = await http(app)
      .get(`${url.pathname}${url.search}`)
      .expect(200)
      .expect('content-type', /application\/xml/);
    const urlset = parseXml(page.text);
    expect(urlset.name).toBe('urlset');
    pages.push({
      url,
      urlset,
      urls: child(urlset, 'url').map((one) => ({
        loc: text(one, 'loc'),
        lastmod: text(one, 'lastmod'),
        alternates: Object.fromEntries(
          child(one, 'xhtml:link').map((link) => [link.attributes.hreflang, link.attributes.href]),
        ),
      })),
    });
  }
  return { index, pages, urls: pages.flatMap((page) => page.urls) };
};
