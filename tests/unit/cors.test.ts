import path from 'path';
import Koa from 'koa';
import request from 'supertest';
import middlewares from '../../config/middlewares';
import {
  corsAnswerHeaders,
  corsDecision,
  corsSettingsFrom,
  isPublicRead,
  normalizeOrigin,
  originAllowed,
} from '../../src/lib/cors';

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

describe('CORS headers written before Koa (the response cache’s fast path)', () => {
  // Strapi's cors middleware with this project's configuration (config/middlewares.ts), in Koa.
  const entry = (middlewares as unknown[]).find(
    (item): item is { name: string; config: Record<string, unknown> } =>
      typeof item === 'object' && (item as { name?: string }).name === 'strapi::cors',
  );
  // Not among @strapi/core's exports: loaded from its file.
  const { cors: strapiCors } = jest.requireActual<typeof import('@strapi/core/dist/middlewares/cors')>(
    path.join(path.dirname(require.resolve('@strapi/core/package.json')), 'dist/middlewares/cors.js'),
  );
  const app = new Koa();
  app.use(strapiCors(entry!.config as never, {} as never) as never);
  app.use((ctx) => {
    ctx.body = 'ok';
  });
  const server = app.callback();
  const ACCESS = /^access-control-/i;

  it.each([
    ['/api/projects', undefined],
    ['/api/projects', 'https://invest.example.org'],
    ['/api/projects/abc', 'null'],
    ['/admin/users/me', 'https://evil.example'],
    ['/admin/users/me', undefined],
  ])('are those Strapi’s cors middleware sets: GET %s from %s', async (path, origin) => {
    const sent = origin ? request(server).get(path).set('Origin', origin) : request(server).get(path);
    // superagent's Node response keeps the IncomingMessage: the headers as sent, in order
    const raw = ((await sent) as unknown as { res: { rawHeaders: string[] } }).res.rawHeaders;
    const strapis = raw.flatMap((item, at) => (at % 2 === 0 && ACCESS.test(item) ? [item, raw[at + 1]] : []));
    const decision = corsDecision({ path, method: 'GET', selfOrigins: ['http://127.0.0.1'] }, corsSettingsFrom([]));
    expect(corsAnswerHeaders(decision, origin)).toEqual(strapis);
  });

  it('name a listed origin with credentials, and nothing for a refused one', () => {
    const decision = { origins: [SELF], credentials: true };
    expect(corsAnswerHeaders(decision, SELF)).toEqual([
      'Access-Control-Allow-Origin',
      SELF,
      'Access-Control-Allow-Credentials',
      'true',
    ]);
    expect(corsAnswerHeaders(decision, 'https://evil.example')).toEqual([]);
  });
});
