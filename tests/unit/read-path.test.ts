import type { IncomingMessage } from 'http';
import type { Core } from '@strapi/strapi';
import { createReadPath } from '../../src/plugins/delivery/server/services/read-path';

const strapi = {
  config: { get: (_name: string, fallback: unknown) => fallback },
  contentTypes: {
    'api::project.project': {
      uid: 'api::project.project',
      kind: 'collectionType',
      info: { singularName: 'project', pluralName: 'projects' },
    },
  },
} as unknown as Core.Strapi;

const request = (url: string, headers: Record<string, string> = {}) =>
  ({ method: 'GET', url, headers }) as unknown as IncomingMessage;
/** What Koa makes of a request: the same Node request, its path and query as Koa parses them. */
const koa = (req: IncomingMessage, path: string, querystring: string) => ({ req, path, querystring });

describe('the read path', () => {
  it('decides once per request: the cache, the read model and the allow-list share one decision', () => {
    const readPath = createReadPath(strapi);
    for (const url of ['/API/projects?locale=en', '/api/%70rojects?locale=en', '/api//projects/?locale=en']) {
      const req = request(url);
      const raw = readPath.ofRaw(req);
      const [path, querystring] = url.split('?');
      const inKoa = koa(req, path, querystring);
      expect([url, raw?.route]).toEqual([url, { uid: 'api::project.project', detail: false }]);
      // The same object, not a second match and parse.
      expect(readPath.of(inKoa)).toBe(raw);
      expect(readPath.of(inKoa)).toBe(raw);
    }
    // Another request, another decision.
    const one = readPath.ofRaw(request('/api/projects?locale=en'));
    expect(readPath.ofRaw(request('/api/projects?locale=en'))).not.toBe(one);
  });

  it('decides again where Koa reads the target otherwise than the raw URL (absolute form)', () => {
    const readPath = createReadPath(strapi);
    const req = request('http://example.test/api/projects?filters[x]=1');
    expect(readPath.ofRaw(req)).toBeUndefined();
    // The router goes by Koa's path: the allow-list must see this as the projects list.
    const inKoa = koa(req, '/api/projects', 'filters[x]=1');
    expect(readPath.of(inKoa)).toMatchObject({
      route: { uid: 'api::project.project' },
      query: { filters: { x: '1' } },
    });
    expect(readPath.of(inKoa)).toBe(readPath.of(inKoa));
  });
});
