import { defaultPopulate, matchContentRoute, restSegment, type RouteTable } from '../../src/lib/public-api';

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
