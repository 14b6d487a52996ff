import { affectedPaths, documentPath, siteIssues } from '../../src/lib/sites';

const site = {
  baseUrl: 'https://invest.example.cn',
  locales: ['zh-Hans', 'en'],
  contentTypes: ['api::project.project'],
  localePaths: { 'zh-Hans': 'zh' },
};

describe('site paths', () => {
  it('put a document where the site shows it', () => {
    expect(documentPath(site, 'projects', 'en', 'hasiman-plot', 'd1')).toBe('/en/projects/hasiman-plot');
    expect(documentPath(site, 'projects', 'zh-Hans', 'hasiman-plot', 'd1')).toBe('/zh/projects/hasiman-plot');
    expect(documentPath({ ...site, pathPattern: '/{lang}/p/{documentId}' }, 'projects', 'en', null, 'd1')).toBe(
      '/en/p/d1',
    );
    expect(documentPath(site, 'projects', 'en', null, 'd1')).toBe('/en/projects/d1');
  });

  it('name the page, its list and the home page as affected', () => {
    expect(affectedPaths(site, 'news', 'en', 'a', 'd')).toEqual(['/en/news/a', '/en/news', '/en/']);
  });
});

describe('siteIssues', () => {
  const known = { locales: ['zh-Hans', 'en'], contentTypes: ['api::project.project', 'api::news.news-article'] };

  it('accepts a good registration', () => {
    expect(siteIssues({ name: 'english-site', ...site }, known)).toEqual([]);
  });

  it('names every problem', () => {
    expect(
      siteIssues(
        { name: 'Bad Name', baseUrl: 'ftp://x', locales: ['fr'], contentTypes: ['api::nope.nope'], pathPattern: 'x' },
        known,
      ),
    ).toEqual([
      'name: lower-case letters, digits and "-"',
      'baseUrl: http or https',
      'locales: unknown locale "fr"',
      'contentTypes: unknown "api::nope.nope"',
      'pathPattern: starts with "/"',
    ]);
    expect(siteIssues({ baseUrl: 'not a url', locales: [], contentTypes: [] }, known)).toHaveLength(3);
  });
});
