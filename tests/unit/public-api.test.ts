import {
  decidePublicRead,
  defaultPopulate,
  matchContentRoute,
  matchSignature,
  pageOf,
  restSegment,
  routeTableOf,
  totalFromPage,
  type RouteTable,
} from '../../src/lib/public-api';

const table: RouteTable = {
  prefix: '/api',
  segments: {
    projects: { uid: 'api::project.project', kind: 'collectionType' },
    'district-profile': { uid: 'api::district-profile.district-profile', kind: 'singleType' },
  },
};

describe('matchContentRoute', () => {
  it('tells lists from detail routes', () => {
    expect(matchContentRoute('/api/projects', table)).toEqual({ uid: 'api::project.project', detail: false });
    expect(matchContentRoute('/api/projects/abc123', table)).toEqual({
      uid: 'api::project.project',
      detail: true,
      documentId: 'abc123',
    });
    expect(matchContentRoute('/api/district-profile', table)).toEqual({
      uid: 'api::district-profile.district-profile',
      detail: true,
    });
  });

  it('ignores other paths', () => {
    expect(matchContentRoute('/admin/projects', table)).toBeUndefined();
    expect(matchContentRoute('/api/unknown', table)).toBeUndefined();
    expect(matchContentRoute('/api/projects/abc/extra', table)).toBeUndefined();
    expect(matchContentRoute('/api/district-profile/x', table)).toBeUndefined();
    expect(matchContentRoute('/apiprojects', table)).toBeUndefined();
  });

  it('matches every spelling the router accepts: any case, percent-encoding, extra slashes', () => {
    for (const path of ['/API/projects', '/api/PROJECTS', '/api/%70rojects', '/api//projects', '/api/projects/'])
      expect([path, matchContentRoute(path, table)]).toEqual([path, { uid: 'api::project.project', detail: false }]);
    expect(matchContentRoute('/api/projects/%E0%A4%A', table)).toMatchObject({ documentId: '%E0%A4%A' });
  });
});

describe('defaultPopulate', () => {
  it('populates a project list with what a card needs, relations limited to link fields', () => {
    const populate = defaultPopulate('api::project.project', false);
    expect(Object.keys(populate ?? {}).sort()).toEqual(['cover', 'highlights', 'industries', 'location', 'park']);
    expect(populate?.park).toEqual({ fields: ['name', 'slug'] });
  });

  it('adds detail-only parts for a single project, and never the private contact or localizations', () => {
    const populate = defaultPopulate('api::project.project', true) ?? {};
    expect(populate).toHaveProperty('seo');
    expect(populate).toHaveProperty('gallery');
    expect(populate).not.toHaveProperty('contact');
    expect(populate).not.toHaveProperty('localizations');
  });

  it('has nothing to add for a type without defaults', () => {
    expect(defaultPopulate('api::industry.industry', false)).toBeUndefined();
  });
});

describe('REST path segments', () => {
  it('uses the plural name of a collection type and the singular name of a single type', () => {
    const info = { singularName: 'district-profile', pluralName: 'district-profiles' };
    expect(restSegment({ kind: 'singleType', info })).toBe('district-profile');
    expect(restSegment({ kind: 'collectionType', info: { singularName: 'project', pluralName: 'projects' } })).toBe(
      'projects',
    );
  });
});

describe('routeTableOf', () => {
  it('maps each api:: type to its REST segment, and nothing else', () => {
    const models = [
      {
        uid: 'api::project.project',
        kind: 'collectionType',
        info: { singularName: 'project', pluralName: 'projects' },
      },
      {
        uid: 'api::district-profile.district-profile',
        kind: 'singleType',
        info: { singularName: 'district-profile', pluralName: 'district-profiles' },
      },
      { uid: 'plugin::upload.file', kind: 'collectionType', info: { singularName: 'file', pluralName: 'files' } },
    ];
    expect(routeTableOf('/api', models)).toEqual(table);
  });
});

describe('decidePublicRead', () => {
  const decide = (url: string, method = 'GET', authorization?: string) => {
    const at = url.indexOf('?');
    const [path, querystring] = at < 0 ? [url, ''] : [url.slice(0, at), url.slice(at + 1)];
    return decidePublicRead({ method, path, querystring, authorization }, table);
  };

  it('matches the content route in every spelling the router accepts, with the query parsed once', () => {
    for (const path of ['/API/projects', '/api/PROJECTS', '/api/%70rojects', '/api//projects', '/api/projects/'])
      expect([path, decide(`${path}?locale=en&pagination[page]=2`)]).toMatchObject([
        path,
        {
          route: { uid: 'api::project.project', detail: false },
          query: { locale: 'en', pagination: { page: '2' } },
        },
      ]);
    expect(decide('/api/projects/abc?locale=en')?.route).toEqual({
      uid: 'api::project.project',
      detail: true,
      documentId: 'abc',
    });
  });

  const routeAndKey = (decision: ReturnType<typeof decide>) => [
    decision?.route && (decision.route.detail ? 'detail' : 'list'),
    decision?.cacheKey,
  ];

  it('keys anonymous GETs under the prefix as written by their canonical query; never previews', () => {
    expect(decide('/api/projects?sort=code&locale=en')?.cacheKey).toBe(
      decide('/api/projects?locale=en&sort=code')?.cacheKey,
    );
    expect(decide('/api/projects?%6Cocale=en')?.cacheKey).toBe('/api/projects?[["locale","en"]]');
    expect(decide('/api/projects')?.cacheKey).toBe('/api/projects');
    // Not a content route, still cached (search, map, sitemap).
    expect(decide('/api/search?q=x')).toEqual({
      route: undefined,
      query: { q: 'x' },
      cacheKey: '/api/search?[["q","x"]]',
    });
    // A content route, not cacheable: the allow-list still applies.
    expect(routeAndKey(decide('/api/projects?%70review=t'))).toEqual(['list', undefined]);
    expect(routeAndKey(decide('/api/projects', 'GET', 'Bearer x'))).toEqual(['list', undefined]);
    expect(routeAndKey(decide('/API/projects'))).toEqual(['list', undefined]);
    expect(routeAndKey(decide('/api/projects', 'HEAD'))).toEqual(['list', undefined]);
  });

  it('has nothing to say about writes and other paths', () => {
    expect(decide('/api/projects', 'POST')).toBeUndefined();
    expect(decide('/admin/init')).toBeUndefined();
    expect(decide('/api/search', 'GET', 'Bearer x')).toBeUndefined();
  });
});

describe("a list's total from its page", () => {
  it('reads the page from page/pageSize or start/limit', () => {
    expect(pageOf({ page: 3, pageSize: 10 })).toEqual({ start: 20, limit: 10 });
    expect(pageOf({ start: '5', limit: '25' })).toEqual({ start: 5, limit: 25 });
    expect(pageOf({ filters: {} })).toEqual({ start: 0, limit: undefined });
    expect(pageOf({ start: 0, limit: -1 })).toEqual({ start: 0, limit: undefined });
  });

  it('knows the total when the page came back short, not when it was full or empty past the start', () => {
    expect(totalFromPage({ start: 0, limit: 25, rows: 0 })).toBe(0);
    expect(totalFromPage({ start: 0, limit: 25, rows: 7 })).toBe(7);
    expect(totalFromPage({ start: 50, limit: 25, rows: 3 })).toBe(53);
    expect(totalFromPage({ start: 0, rows: 40 })).toBe(40);
    expect(totalFromPage({ start: 0, limit: 25, rows: 25 })).toBeUndefined();
    expect(totalFromPage({ start: 50, limit: 25, rows: 0 })).toBeUndefined();
  });

  it('pairs a page with its count by what they match, not by how they page, sort or populate', () => {
    const filters = { title: { $containsi: 'x' } };
    const page = { filters, locale: 'en', status: 'published', page: 2, pageSize: 10, populate: {}, sort: 'id' };
    const count = { filters, locale: 'en', status: 'published', page: 2, pageSize: 10 };
    expect(matchSignature(page)).toBe(matchSignature(count));
    expect(matchSignature(page)).not.toBe(matchSignature({ ...count, locale: 'zh-Hans' }));
    expect(matchSignature(page)).not.toBe(matchSignature({ ...count, status: 'draft' }));
    expect(matchSignature(page)).not.toBe(matchSignature({ ...count, filters: { title: { $containsi: 'y' } } }));
  });
});
