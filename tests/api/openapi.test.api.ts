/**
 * GET /api/openapi.json: a valid OpenAPI 3.1 description of the public read API and nothing else,
 * no private fields, response schemas that real responses satisfy, built once per process, and
 * the committed front-end types (types/public-api.d.ts) generated from this very document.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { fromDist, ROOT } from '../helpers/paths';
import type { OpenApiDocument } from '../../src/lib/openapi';

const COLLECTIONS = ['industries', 'news', 'organizations', 'parks', 'platforms', 'projects', 'talents'];
const EXPECTED_PATHS = [
  ...COLLECTIONS.flatMap((segment) => [`/${segment}`, `/${segment}/{documentId}`]),
  '/district-profile',
  '/search',
  '/geo',
  '/sitemap.xml',
  '/openapi.json',
].sort();

let app: Core.Strapi;
let served: OpenApiDocument;
let firstMs: number;

/** Runs a script with a document on stdin: the validator and openapi-typescript are ES modules, which Jest cannot load. */
const withDocument = (script: string, document: unknown, ...args: string[]) =>
  execFileSync(process.execPath, [path.join(ROOT, script), ...args], {
    input: JSON.stringify(document),
    maxBuffer: 64 * 1024 * 1024,
  }).toString();

const validateDocument = (document: unknown) =>
  JSON.parse(withDocument('tests/helpers/validate-openapi.mjs', document)) as {
    valid: boolean;
    version: string;
    errors: unknown;
  };

beforeAll(async () => {
  app = await startStrapi();
  const started = Date.now();
  const response = await http(app).get('/api/openapi.json').expect(200);
  firstMs = Date.now() - started;
  served = response.body;
});

afterAll(async () => {
  await stopStrapi(app);
});

describe('the document', () => {
  it('is valid OpenAPI 3.1', () => {
    const result = validateDocument(served);
    if (!result.valid) console.error(JSON.stringify(result.errors, null, 2));
    expect(result.errors).toBeNull();
    expect(result.valid).toBe(true);
    expect(result.version).toBe('3.1');
  });

  it('the validator does refuse a broken document (so the check above means something)', () => {
    const broken = { ...served, info: { title: 'no version' } };
    expect(validateDocument(broken).valid).toBe(false);
  });

  it('names the API, its version from package.json, and the server the request came to', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(served.info).toMatchObject({ title: 'Wutong public API', version: pkg.version });
    const { port } = app.server.httpServer.address() as { port: number };
    expect(served.servers).toEqual([{ url: `http://127.0.0.1:${port}/api` }]);
    const other = await http(app).get('/api/openapi.json').set('Host', 'cms.example.org').expect(200);
    expect(other.body.servers).toEqual([{ url: 'http://cms.example.org/api' }]);
    // Differs by host: not kept in the shared response cache, whose key is the path.
    expect(other.headers['x-cache']).toBeUndefined();
  });

  it('contains exactly the public GET paths, and no write methods', () => {
    expect(Object.keys(served.paths).sort()).toEqual(EXPECTED_PATHS);
    for (const [route, item] of Object.entries(served.paths))
      expect([route, Object.keys(item)]).toEqual([route, ['get']]);
    expect(JSON.stringify(served.paths)).not.toMatch(/"\/(auth|users|upload|i18n|content-type-builder|glossary-terms)/);
  });

  it('documents our query parameters and not the draft ones', () => {
    const names = (route: string) => (served.paths[route].get.parameters ?? []).map((p) => p.name as string);
    for (const route of ['/projects', '/parks']) {
      expect(names(route)).toEqual(expect.arrayContaining(['locale', 'fallback', 'preview', 'near', 'radius']));
    }
    expect(names('/projects/{documentId}')).toEqual(expect.arrayContaining(['documentId', 'locale', 'fallback']));
    expect(names('/projects/{documentId}')).not.toContain('near');
    expect(names('/news')).not.toContain('near');
    for (const route of Object.keys(served.paths)) {
      expect(names(route)).not.toContain('status');
      expect(names(route)).not.toContain('publicationFilter');
    }
    expect(names('/search')).toEqual(['q', 'locale', 'types', 'page', 'pageSize']);
    expect(names('/geo')).toEqual(['locale', 'types', 'near', 'radius']);
  });

  it('has no private field anywhere, although the project model has one', () => {
    const project = app.getModel('api::project.project').attributes as Record<string, { private?: boolean }>;
    expect(project.contact.private).toBe(true);
    const text = JSON.stringify(served);
    for (const secret of ['contact', 'phone', 'wechat', 'PeopleContact']) expect(text).not.toContain(secret);
  });

  it('is built once per process (generating costs seconds of CPU)', async () => {
    const delivery = app.plugin('delivery').service('delivery') as { openapi(): OpenApiDocument };
    expect(delivery.openapi()).toBe(delivery.openapi());
    const started = Date.now();
    await http(app).get('/api/openapi.json').expect(200);
    const againMs = Date.now() - started;
    console.log(
      `GET /api/openapi.json: first ${firstMs} ms (generated or from disk), then ${againMs} ms (from memory)`,
    );
    expect(againMs).toBeLessThan(1000);
  });

  it('is the same read from the disk cache as built fresh, and a schema change builds it anew', () => {
    const { cachedPublicOpenApi, openApiCacheKey, publicOpenApi } = fromDist<
      typeof import('../../src/plugins/delivery/server/services/openapi')
    >('src/plugins/delivery/server/services/openapi');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wutong-openapi-'));
    const project = app.contentTypes['api::project.project'] as unknown as { attributes: Record<string, unknown> };
    const summary = project.attributes.summary as { required?: boolean };
    const wasRequired = Object.hasOwn(summary, 'required');
    try {
      // What a JSON response of the fresh document holds, as the served one is (servers aside).
      const fresh = JSON.parse(JSON.stringify(publicOpenApi(app)));
      expect(served).toEqual({ ...fresh, servers: served.servers });
      const built = cachedPublicOpenApi(app, dir);
      expect(built.cached).toBe(false);
      expect(built.document).toEqual(fresh);
      const [file] = fs.readdirSync(dir);
      expect(file).toBe(`openapi-${openApiCacheKey(app)}.json`);
      const read = cachedPublicOpenApi(app, dir);
      expect(read.cached).toBe(true);
      expect(read.document).toEqual(fresh);

      // A public type's field made required: another key, so the document is built again (not read), the old file gone.
      expect(summary.required).toBeFalsy();
      summary.required = true;
      const changed = cachedPublicOpenApi(app, dir);
      expect(changed.cached).toBe(false);
      expect(fs.readdirSync(dir)).toEqual([`openapi-${openApiCacheKey(app)}.json`]);
      expect(fs.readdirSync(dir)).not.toContain(file);
    } finally {
      if (!wasRequired) delete summary.required;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('matches the committed front-end types (npm run types:public)', () => {
    const delivery = app.plugin('delivery').service('delivery') as { openapi(): OpenApiDocument };
    const { servers: _servers, ...withoutServers } = served;
    const { servers: _default, ...generated } = delivery.openapi();
    expect(withoutServers).toEqual(generated);
    const rendered = withDocument('scripts/public-api-types.js', delivery.openapi(), '--stdin');
    expect(rendered).toBe(fs.readFileSync(path.join(ROOT, 'types/public-api.d.ts'), 'utf8'));
  });
});

describe('the API it describes', () => {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  const pointer = (route: string, status: number, type: string) =>
    `openapi#/paths/${route.replace(/~/g, '~0').replace(/\//g, '~1')}/get/responses/${status}/content/${type.replace(/\//g, '~1')}/schema`;

  /** Fetches a URL anonymously and checks the body against the response schema documented for it. */
  const conforms = async (route: string, url: string, status = 200) => {
    const response = await http(app).get(`/api${url}`);
    expect([url, response.status]).toEqual([url, status]);
    const type = status === 200 ? String(response.headers['content-type']).split(';')[0] : 'application/json';
    const validate = ajv.getSchema(pointer(route, status, type)) ?? ajv.compile({ $ref: pointer(route, status, type) });
    const valid = validate(response.body);
    if (!valid) console.error(url, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    expect([url, valid]).toEqual([url, true]);
    return response;
  };

  beforeAll(() => {
    ajv.addSchema(served, 'openapi');
  });

  it('answers every documented content path with 200 and bodies that match the schemas, in both languages', async () => {
    for (const locale of ['zh-Hans', 'en']) {
      for (const segment of COLLECTIONS) {
        const list = await conforms(`/${segment}`, `/${segment}?locale=${locale}`);
        expect(list.body.data.length).toBeGreaterThan(0);
        const { documentId } = list.body.data[0];
        await conforms(`/${segment}/{documentId}`, `/${segment}/${documentId}?locale=${locale}`);
      }
      await conforms('/district-profile', `/district-profile?locale=${locale}`);
    }
  });

  it('matches with other documented parameters too', async () => {
    await conforms('/projects', '/projects?locale=en&populate=*');
    await conforms('/projects', '/projects?locale=en&fields[0]=title&pagination[start]=0&pagination[limit]=2');
    const near = await conforms('/parks', '/parks?near=34.66,112.40&radius=50');
    expect(near.body.data.every((park: { distanceKm?: number }) => typeof park.distanceKm === 'number')).toBe(true);
    await conforms('/projects', '/projects?locale=en&fallback=true');
  });

  it('answers our endpoints with what they document', async () => {
    const search = await conforms('/search', `/search?q=${encodeURIComponent('产业')}`);
    expect(search.body.data.length).toBeGreaterThan(0);
    await conforms('/search', '/search?q=park&locale=en&types=parks,projects');
    const geo = await conforms('/geo', '/geo?locale=en');
    expect(geo.body.features.length).toBeGreaterThan(0);
    await conforms('/geo', '/geo?near=34.66,112.40&radius=20');
    const sitemap = await http(app).get('/api/sitemap.xml').expect(200);
    expect(sitemap.headers['content-type']).toMatch(/application\/xml/);
    await http(app).get('/api/openapi.json').expect(200);
  });

  it('documents errors in Strapi’s format', async () => {
    await conforms('/projects', '/projects?locale=xx', 400);
    await conforms('/projects/{documentId}', '/projects/doesnotexist000000000000', 404);
    await conforms('/parks', '/parks?near=north', 400);
    await conforms('/search', '/search', 400);
  });
});
