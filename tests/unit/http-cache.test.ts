import {
  documentTags,
  etagOf,
  notModified,
  notModifiedAfter,
  publicCacheControl,
  requestCacheKey,
  sentAs200,
  storedHead,
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
  const cacheKey = (url: string) => requestCacheKey('GET', url, undefined);

  it('ignore the order of query parameters, and spellings Strapi parses alike', () => {
    expect(cacheKey('/api/projects?locale=en&sort=code')).toBe(cacheKey('/api/projects?sort=code&locale=en'));
    expect(cacheKey('/api/projects?%6Cocale=en')).toBe(cacheKey('/api/projects?locale=en'));
    expect(cacheKey('/api/projects?sort=a&sort=b')).toBe(cacheKey('/api/projects?sort[0]=a&sort[1]=b'));
    expect(cacheKey('/api/projects?')).toBe('/api/projects');
    expect(cacheKey('/api/projects')).toBe('/api/projects');
  });

  it('keep queries Strapi parses differently apart (finding 10: sort order)', () => {
    expect(cacheKey('/api/projects?sort=a&sort=b')).not.toBe(cacheKey('/api/projects?sort=b&sort=a'));
    expect(cacheKey('/api/projects?fields=a,b')).not.toBe(cacheKey('/api/projects?fields=b,a'));
    expect(cacheKey('/api/projects?locale=en')).not.toBe(cacheKey('/api/projects?locale=en&locale=fr'));
  });

  it('cache anonymous API GETs only, never previews in any spelling (finding 6)', () => {
    expect(requestCacheKey('GET', '/api/projects?locale=en', undefined)).toBeDefined();
    expect(requestCacheKey('GET', '/api/projects', 'Bearer x')).toBeUndefined();
    expect(requestCacheKey('POST', '/api/projects', undefined)).toBeUndefined();
    expect(requestCacheKey('GET', '/admin/init', undefined)).toBeUndefined();
    for (const query of ['preview=token', '%70review=token', 'pr%65view=token', 'locale=en&preview', 'preview[0]=x'])
      expect([query, requestCacheKey('GET', `/api/projects/abc?${query}`, undefined)]).toEqual([query, undefined]);
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

describe('stored heads (what a cache hit is answered with)', () => {
  const sent: [string, string][] = [
    ['X-Frame-Options', 'SAMEORIGIN'],
    ['Vary', 'Origin, Accept-Encoding, Authorization'],
    ['Access-Control-Allow-Origin', 'https://a.example'],
    ['X-RateLimit-Limit', '600'],
    ['X-RateLimit-Remaining', '599'],
    ['X-RateLimit-Reset', '60'],
    ['Content-Type', 'application/json; charset=utf-8'],
    ['ETag', '"abc"'],
    ['Set-Cookie', 'koa.sess=1'],
    ['Content-Length', '12'],
    ['X-Powered-By', 'Strapi <strapi.io>'],
  ];

  it('keeps the headers as sent, in order, around the per-client ones, with X-Cache before Content-Length', () => {
    expect(storedHead(sent)).toEqual({
      before: ['X-Frame-Options', 'SAMEORIGIN', 'Vary', 'Origin, Accept-Encoding, Authorization'],
      after: [
        'Content-Type',
        'application/json; charset=utf-8',
        'ETag',
        '"abc"',
        'X-Cache',
        'HIT',
        'Content-Length',
        '12',
        'X-Powered-By',
        'Strapi <strapi.io>',
      ],
    });
    // No CORS or rate-limit header: nowhere to put this client's, so not stored.
    expect(storedHead(sent.filter(([name]) => !/^(access|x-rate)/i.test(name)))).toBeUndefined();
  });

  it('answers a 304 without Content-Type and Content-Length, as Koa does', () => {
    expect(notModifiedAfter(storedHead(sent)!.after)).toEqual([
      'ETag',
      '"abc"',
      'X-Cache',
      'HIT',
      'X-Powered-By',
      'Strapi <strapi.io>',
    ]);
  });

  it('knows what a 200 would have been sent with from a 304 answered instead', () => {
    const ordered = ['Vary', 'Access-Control-Allow-Origin', 'Content-Type', 'ETag'];
    const sent: [string, string][] = [
      ['Vary', 'Origin'],
      ['Access-Control-Allow-Origin', '*'],
      ['ETag', '"abc"'],
      ['X-Powered-By', 'Strapi <strapi.io>'],
    ];
    expect(sentAs200(ordered, sent, 'application/json', 12)).toEqual([
      ['Vary', 'Origin'],
      ['Access-Control-Allow-Origin', '*'],
      ['Content-Type', 'application/json'],
      ['ETag', '"abc"'],
      ['Content-Length', '12'],
      ['X-Powered-By', 'Strapi <strapi.io>'],
    ]);
  });
});
