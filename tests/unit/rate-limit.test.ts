import { clientIp, rateLimitBucket, rateLimitKey, rateLimitSettings, tokenId, verdict } from '../../src/lib/rate-limit';

const PATHS = { apiPrefix: '/api', graphqlPath: '/graphql' };

describe('rate limits', () => {
  it('read their settings from the environment: generous defaults, 0 turns a limit off', () => {
    expect(rateLimitSettings({})).toEqual({ perMinute: 600, searchPerMinute: 120 });
    expect(rateLimitSettings({ RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_SEARCH_PER_MINUTE: '5' })).toEqual({
      perMinute: 0,
      searchPerMinute: 5,
    });
    expect(() => rateLimitSettings({ RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(/0 \(off\) or more/);
    expect(() => rateLimitSettings({ RATE_LIMIT_SEARCH_PER_MINUTE: 'lots' })).toThrow(/integer/);
  });

  it('count the public content API, search in its own bucket, and nothing on the admin side', () => {
    expect(rateLimitBucket('GET', '/api/projects', PATHS)).toBe('api');
    expect(rateLimitBucket('GET', '/api/projects/abc', PATHS)).toBe('api');
    expect(rateLimitBucket('POST', '/api/projects', PATHS)).toBe('api');
    expect(rateLimitBucket('POST', '/graphql', PATHS)).toBe('api');
    expect(rateLimitBucket('GET', '/api/search', PATHS)).toBe('search');
    expect(rateLimitBucket('GET', '/api/search/anything', PATHS)).toBe('search');
    expect(rateLimitBucket('GET', '/api/searchx', PATHS)).toBe('api');
    expect(rateLimitBucket('OPTIONS', '/api/projects', PATHS)).toBeUndefined();
    for (const path of ['/admin/login', '/admin/users/me', '/content-manager/x', '/upload', '/uploads/a.png', '/apix'])
      expect(rateLimitBucket('GET', path, PATHS)).toBeUndefined();
  });

  it('count a proven token, hashed, whatever address it comes from; else the address', () => {
    const proven = (id: string) => id === tokenId('Bearer secret-token-a');
    const a = rateLimitKey('Bearer secret-token-a', '10.0.0.1', proven);
    expect(a).toMatch(/^token:[0-9a-f]{32}$/);
    expect(a).not.toContain('secret');
    expect(rateLimitKey('bearer secret-token-a', '10.0.0.2', proven)).toBe(a);
    // a token not (yet) seen to authenticate counts against the address: made-up ones do not escape
    expect(rateLimitKey('Bearer secret-token-b', '10.0.0.1', proven)).toBe('ip:10.0.0.1');
    expect(rateLimitKey('Bearer secret-token-a', '10.0.0.1')).toBe('ip:10.0.0.1');
    expect(rateLimitKey(undefined, '10.0.0.1', proven)).toBe('ip:10.0.0.1');
    expect(rateLimitKey('Basic abc', '10.0.0.1', () => true)).toBe('ip:10.0.0.1');
    expect(tokenId('Bearer x')).toMatch(/^[0-9a-f]{32}$/);
    expect(tokenId('Bearer ')).toBeUndefined();
  });

  it('take the client IP from the proxy header only when the proxy is trusted, like Koa', () => {
    const request = { forwarded: '203.0.113.9, 10.0.0.2', maxIpsCount: 0, remoteAddress: '127.0.0.1' };
    expect(clientIp({ ...request, proxy: false })).toBe('127.0.0.1');
    expect(clientIp({ ...request, proxy: true })).toBe('203.0.113.9');
    expect(clientIp({ ...request, proxy: true, maxIpsCount: 1 })).toBe('10.0.0.2');
    expect(clientIp({ ...request, proxy: true, forwarded: undefined })).toBe('127.0.0.1');
    expect(clientIp({ ...request, proxy: false, remoteAddress: undefined })).toBe('');
  });

  it('answer with X-RateLimit headers, and Retry-After once over the limit', () => {
    expect(verdict(5, 1, 59_500)).toEqual({
      allowed: true,
      retryAfterSeconds: 0,
      headers: { 'X-RateLimit-Limit': '5', 'X-RateLimit-Remaining': '4', 'X-RateLimit-Reset': '60' },
    });
    expect(verdict(5, 5, 1000).allowed).toBe(true);
    expect(verdict(5, 6, 12_001)).toEqual({
      allowed: false,
      retryAfterSeconds: 13,
      headers: {
        'X-RateLimit-Limit': '5',
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': '13',
        'Retry-After': '13',
      },
    });
    expect(verdict(5, 9, 0).retryAfterSeconds).toBe(1);
  });
});
