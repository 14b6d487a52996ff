import {
  cacheKey,
  documentTags,
  etagOf,
  isCacheableRequest,
  notModified,
  publicCacheControl,
} from '../../src/lib/http-cache';

describe('ETags', () => {
  it('are strong, and equal for equal bytes', () => {
    expect(etagOf('{"a":1}')).toMatch(/^"[\w-]{27}"$/);
    expect(etagOf('{"a":1}')).toBe(etagOf(Buffer.from('{"a":1}')));
    expect(etagOf('{"a":1}')).not.toBe(etagOf('{"a":2}'));
  });

  it('answer If-None-Match, including lists, weak forms and *', () => {
    const etag = etagOf('x');
    expect(notModified(etag, etag)).toBe(true);
    expect(notModified(`"other", ${etag}`, etag)).toBe(true);
    expect(notModified(`W/${etag}`, etag)).toBe(true);
    expect(notModified('*', etag)).toBe(true);
    expect(notModified('"other"', etag)).toBe(false);
    expect(notModified(undefined, etag)).toBe(false);
  });
});

describe('cache keys and rules', () => {
  it('ignore the order of query parameters', () => {
    expect(cacheKey('/api/projects?locale=en&sort=code')).toBe(cacheKey('/api/projects?sort=code&locale=en'));
    expect(cacheKey('/api/projects?')).toBe('/api/projects');
    expect(cacheKey('/api/projects')).toBe('/api/projects');
  });

  it('cache anonymous API GETs only, never previews', () => {
    expect(isCacheableRequest('GET', '/api/projects?locale=en', undefined)).toBe(true);
    expect(isCacheableRequest('GET', '/api/projects', 'Bearer x')).toBe(false);
    expect(isCacheableRequest('POST', '/api/projects', undefined)).toBe(false);
    expect(isCacheableRequest('GET', '/admin/init', undefined)).toBe(false);
    expect(isCacheableRequest('GET', '/api/projects/abc?preview=token', undefined)).toBe(false);
  });

  it('ask shared caches to keep responses briefly and revalidate in the background', () => {
    expect(publicCacheControl({ sMaxAge: 60, staleWhileRevalidate: 300 })).toBe(
      'public, max-age=0, s-maxage=60, stale-while-revalidate=300',
    );
  });
});

describe('documentTags', () => {
  it('finds every document in a response, through relations and components', () => {
    const body = {
      data: [
        {
          documentId: 'p1',
          park: { documentId: 'k1' },
          industries: [{ documentId: 'i1' }, { documentId: 'i2' }],
          location: { id: 3 },
        },
        { documentId: 'p2', park: null },
      ],
      meta: {},
    };
    expect(documentTags(body).sort()).toEqual(['doc:i1', 'doc:i2', 'doc:k1', 'doc:p1', 'doc:p2']);
  });
});
