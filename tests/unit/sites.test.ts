import { affectedPaths, documentPath, siteInput, siteIssues, siteProblems } from '../../src/lib/sites';

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

describe('siteProblems', () => {
  const known = { locales: ['zh-Hans', 'en'], contentTypes: ['api::project.project'] };

  it('gives each problem its field, a stable code and the values for the translation', () => {
    expect(
      siteProblems(
        { locales: ['en', 'fr'], contentTypes: 'api::project.project' as never, previewUrl: 'ftp://x' },
        known,
      ),
    ).toEqual([
      { path: 'locales', code: 'site.locale-unknown', message: 'unknown locale "fr"', values: { value: 'fr' } },
      { path: 'contentTypes', code: 'site.types-empty', message: 'a list of content-type uids' },
      { path: 'previewUrl', code: 'site.preview-url', message: 'an http(s) URL pattern' },
    ]);
  });
});

describe('siteInput', () => {
  it('keeps known fields, trims text and makes empty optional text null', () => {
    expect(
      siteInput(
        {
          name: ' portal ',
          title: '',
          locales: ['en'],
          contentTypes: ['api::project.project'],
          baseUrl: 'https://a.cn',
          localePaths: {},
          enabled: false,
        },
        true,
      ),
    ).toEqual({
      data: {
        name: 'portal',
        title: null,
        locales: ['en'],
        contentTypes: ['api::project.project'],
        baseUrl: 'https://a.cn',
        localePaths: null,
        enabled: false,
      },
      problems: [],
    });
  });

  it('names unknown fields, wrong shapes, over-long text and what a new site lacks', () => {
    const { problems } = siteInput(
      {
        webhookSecret: 'x',
        enabled: 'yes',
        localePaths: { en: 1 },
        title: 5,
        baseUrl: 'https://a.cn/' + 'x'.repeat(10),
      },
      true,
      { baseUrl: 10 },
    );
    expect(problems.map(({ path, code }) => `${path} ${code}`)).toEqual([
      'webhookSecret site.unknown-field',
      'enabled site.boolean',
      'localePaths site.locale-paths',
      'title site.text',
      'baseUrl site.too-long',
      'name site.required',
      'locales site.required',
      'contentTypes site.required',
    ]);
    expect(siteInput([], false).problems).toEqual([expect.objectContaining({ code: 'site.body' })]);
    expect(siteInput({}, false).problems).toEqual([expect.objectContaining({ code: 'site.empty-update' })]);
  });
});
