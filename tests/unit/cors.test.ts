import { corsDecision, isPublicRead, normalizeOrigin, originAllowed } from '../../src/lib/cors';

const settings = { apiPrefix: '/api', graphqlPath: '/graphql', adminOrigins: ['https://admin.example.gov.cn/'] };
const SELF = 'https://cms.example.gov.cn';
const decide = (path: string, method: string, requestMethod?: string) =>
  corsDecision({ path, method, requestMethod, selfOrigins: [SELF] }, settings);

describe('CORS policy', () => {
  it('lets any origin read the public content API, without credentials', () => {
    for (const [path, method] of [
      ['/api/projects', 'GET'],
      ['/api/projects/abc', 'HEAD'],
      ['/api/search', 'GET'],
      ['/api', 'GET'],
      ['/graphql', 'POST'],
      ['/graphql', 'GET'],
    ]) {
      const decision = decide(path, method);
      expect(decision).toEqual({ origins: ['*'], credentials: false });
      expect(originAllowed(decision, 'https://evil.example')).toBe(true);
    }
    // a preflight counts as the method it announces
    expect(decide('/api/projects', 'OPTIONS', 'GET')).toEqual({ origins: ['*'], credentials: false });
    expect(decide('/graphql', 'OPTIONS', 'POST')).toEqual({ origins: ['*'], credentials: false });
  });

  it('keeps the admin side and content-API writes to our own origin and ADMIN_ORIGINS, with credentials', () => {
    for (const [path, method, requestMethod] of [
      ['/admin/login', 'POST'],
      ['/admin/login', 'OPTIONS', 'POST'],
      ['/admin/users/me', 'GET'],
      ['/admin/access-token', 'POST'],
      ['/admin', 'GET'],
      ['/content-manager/collection-types/api::project.project', 'GET'],
      ['/upload', 'POST'],
      ['/editorial/assignees', 'GET'],
      ['/delivery/deliveries', 'GET'],
      ['/i18n/locales', 'GET'],
      ['/users-permissions/roles', 'GET'],
      ['/api/projects', 'POST'],
      ['/api/projects/abc', 'DELETE'],
      ['/api/projects', 'OPTIONS', 'PUT'],
      ['/api/projects', 'OPTIONS'],
      ['/graphql', 'PUT'],
      // look-alike prefixes are not the content API
      ['/apix/projects', 'GET'],
      ['/graphqlx', 'GET'],
      ['/uploads/x.png', 'GET'],
    ] as [string, string, string?][]) {
      const decision = decide(path, method, requestMethod);
      expect(decision).toEqual({ origins: [SELF, 'https://admin.example.gov.cn'], credentials: true });
      expect(originAllowed(decision, 'https://evil.example')).toBe(false);
      expect(originAllowed(decision, 'null')).toBe(false);
      expect(originAllowed(decision, 'https://cms.example.gov.cn.evil.example')).toBe(false);
      expect(originAllowed(decision, 'http://cms.example.gov.cn')).toBe(false); // another scheme is another origin
      expect(originAllowed(decision, undefined)).toBe(false);
      expect(originAllowed(decision, SELF)).toBe(true);
      expect(originAllowed(decision, 'https://admin.example.gov.cn')).toBe(true);
    }
  });

  it('never turns "*" or "null" in ADMIN_ORIGINS into a wildcard', () => {
    const decision = corsDecision(
      { path: '/admin/users/me', method: 'GET', selfOrigins: [SELF] },
      { ...settings, adminOrigins: ['*', 'null', 'file://x', 'not a url'] },
    );
    expect(decision).toEqual({ origins: [SELF], credentials: true });
    expect(originAllowed(decision, 'https://evil.example')).toBe(false);
  });

  it('normalizes origins and recognizes public reads', () => {
    expect(normalizeOrigin('https://A.example:443/path')).toBe('https://a.example');
    expect(normalizeOrigin('http://127.0.0.1:1337')).toBe('http://127.0.0.1:1337');
    expect(normalizeOrigin('null')).toBeUndefined();
    expect(isPublicRead('/api/projects', 'get', settings)).toBe(true);
    expect(isPublicRead('/admin/projects', 'GET', settings)).toBe(false);
  });
});
