import { apiBaseUrl, publicDocument, responseEntity, withServers, type OpenApiDocument } from '../../src/lib/openapi';

/** A trimmed copy of what @strapi/openapi 5.54 generates for the whole content API. */
const UUID = {
  type: 'string',
  format: 'uuid',
  pattern: '^[0-9a-f-]{36}$',
  description: 'The document ID, represented by a UUID',
};
const document = (required: string[], properties: Record<string, unknown>) => ({
  type: 'object',
  properties: { documentId: UUID, id: { anyOf: [{ type: 'string' }, { type: 'number' }] }, ...properties },
  required: ['documentId', 'id', ...required],
  additionalProperties: false,
});
const PROJECT = document(['title', 'publishedAt', 'body'], {
  title: { type: 'string' },
  code: { type: 'string' },
  stage: { type: 'string', enum: ['open', 'signed'], default: 'open' },
  publishedAt: { type: 'string', default: '2026-12-01T07:41:59.992Z' },
  createdAt: { type: 'string' },
  park: { description: 'A relational field', $ref: '#/components/schemas/ApiParkParkDocument' },
  industries: { type: 'array', items: { $ref: '#/components/schemas/ApiParkParkDocument' } },
  cover: { $ref: '#/components/schemas/SharedImageEntry' },
  body: { type: 'array', items: {}, description: 'A blocks field' },
});
const PARK = document(['name'], {
  name: { type: 'string' },
  projects: { type: 'array', items: { $ref: '#/components/schemas/ApiProjectProjectDocument' } },
});
const IMAGE = {
  type: 'object',
  properties: { alt: { type: 'string' }, image: { type: 'object' } },
  required: ['image'],
  additionalProperties: false,
};
const ok = (schema: unknown) => ({ '200': { description: 'OK', content: { 'application/json': { schema } } } });
const list = (ref: unknown) => ({
  type: 'object',
  properties: { data: { type: 'array', items: ref } },
  required: ['data'],
});
const one = (ref: unknown) => ({ type: 'object', properties: { data: ref }, required: ['data'] });
const parameters = (path = false) => [
  ...(path ? [{ name: 'id', in: 'path', required: true, schema: UUID }] : []),
  { name: 'fields', in: 'query', schema: { type: 'array' } },
  { name: 'locale', in: 'query', schema: { type: 'string' } },
  { name: 'status', in: 'query', schema: { type: 'string', enum: ['draft', 'published'] } },
  { name: 'publicationFilter', in: 'query', schema: { type: 'string' } },
  { name: 'hasPublishedVersion', in: 'query', schema: { type: 'boolean' } },
];
const stub = (operationId: string) => ({
  get: { operationId, parameters: [], responses: { '404': { description: 'Not found' } } },
});
const generated = (): OpenApiDocument => ({
  openapi: '3.1.0',
  'x-strapi-version': '5.54.0',
  info: { title: 'wutong', version: '0.1.0' },
  servers: [{ url: '' }],
  security: [{ bearerAuth: [] }],
  paths: {
    '/projects': {
      get: {
        operationId: 'project/get/projects',
        tags: ['project'],
        parameters: parameters(),
        responses: ok(list(PROJECT)),
      },
      post: { operationId: 'project/post/projects', responses: ok(one(PROJECT)) },
    },
    '/projects/{id}': {
      get: {
        operationId: 'project/get/projects_by_id',
        tags: ['project'],
        parameters: parameters(true),
        responses: ok(one(PROJECT)),
      },
      put: { operationId: 'put', responses: ok(one(PROJECT)) },
      delete: { operationId: 'delete', responses: ok(one(PROJECT)) },
    },
    '/parks': {
      get: { operationId: 'park/get/parks', tags: ['park'], parameters: parameters(), responses: ok(list(PARK)) },
    },
    '/parks/{id}': {
      get: {
        operationId: 'park/get/parks_by_id',
        tags: ['park'],
        parameters: parameters(true),
        responses: ok(one(PARK)),
      },
    },
    '/district-profile': {
      get: { operationId: 'district', tags: ['district-profile'], parameters: parameters(), responses: ok(one(PARK)) },
      put: { operationId: 'district-put', responses: ok(one(PARK)) },
    },
    '/glossary-terms': {
      get: {
        operationId: 'glossary',
        responses: ok(list({ $ref: '#/components/schemas/ApiGlossaryGlossaryTermDocument' })),
      },
    },
    '/auth/local': { post: { operationId: 'login', responses: {} } },
    '/users': {
      get: {
        operationId: 'users',
        responses: ok(list({ $ref: '#/components/schemas/PluginUsersPermissionsUserDocument' })),
      },
    },
    '/upload/files': { get: { operationId: 'files', responses: {} } },
    '/search': stub('delivery/get/search'),
    '/geo': stub('delivery/get/geo'),
    '/sitemap.xml': stub('delivery/get/sitemap_xml'),
    '/openapi.json': stub('delivery/get/openapi_json'),
  },
  components: {
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    schemas: {
      ApiProjectProjectDocument: PROJECT,
      ApiParkParkDocument: PARK,
      SharedImageEntry: IMAGE,
      ApiGlossaryGlossaryTermDocument: document([], {}),
      PluginUsersPermissionsUserDocument: document([], { email: { type: 'string' } }),
    },
  },
});

const options = {
  title: 'Wutong public API',
  version: '1.2.3',
  prefix: '/api',
  searchMaxPageSize: 50,
  maxRadiusKm: 500,
  types: [
    {
      segment: 'projects',
      schema: 'ApiProjectProjectDocument',
      kind: 'collectionType' as const,
      located: true,
      searchable: true,
    },
    {
      segment: 'parks',
      schema: 'ApiParkParkDocument',
      kind: 'collectionType' as const,
      located: true,
      searchable: true,
    },
    { segment: 'district-profile', schema: 'ApiParkParkDocument', kind: 'singleType' as const },
  ],
  // What the models say (the attributes as Strapi has them): the generator's `required` agrees,
  // but for the blocks field `body`, which it lists as required (below).
  models: {
    ApiProjectProjectDocument: {
      title: { type: 'string', required: true },
      code: { type: 'string' },
      stage: { type: 'enumeration' },
      park: { type: 'relation' },
      industries: { type: 'relation' },
      cover: { type: 'component' },
      body: { type: 'blocks' },
    },
    ApiParkParkDocument: { name: { type: 'string', required: true }, projects: { type: 'relation' } },
    SharedImageEntry: { alt: { type: 'string' }, image: { type: 'media', required: true } },
  },
};

const names = (operation: { parameters?: Record<string, unknown>[] }) =>
  (operation.parameters ?? []).map((p) => p.name);
const dataSchema = (doc: OpenApiDocument, path: string) =>
  (
    doc.paths[path].get.responses?.['200'] as {
      content: Record<string, { schema: { properties: Record<string, Record<string, unknown>> } }>;
    }
  ).content['application/json'].schema.properties.data;

describe('publicDocument', () => {
  const doc = publicDocument(generated(), options);

  it('keeps only the public GET paths and our endpoints', () => {
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/district-profile',
        '/geo',
        '/openapi.json',
        '/parks',
        '/parks/{documentId}',
        '/projects',
        '/projects/{documentId}',
        '/search',
        '/sitemap.xml',
      ].sort(),
    );
    for (const item of Object.values(doc.paths)) expect(Object.keys(item)).toEqual(['get']);
  });

  it('names the title, version and a server relative to the document', () => {
    expect(doc.info).toMatchObject({ title: 'Wutong public API', version: '1.2.3' });
    expect(doc.servers).toEqual([{ url: '/api' }]);
    expect(withServers(doc, ['https://cms.example.org/api']).servers).toEqual([{ url: 'https://cms.example.org/api' }]);
  });

  it('drops the draft parameters and adds ours, near and radius on located lists only', () => {
    const projects = doc.paths['/projects'].get;
    expect(names(projects)).toEqual(['fields', 'locale', 'fallback', 'preview', 'near', 'radius']);
    expect(names(doc.paths['/projects/{documentId}'].get)).toEqual([
      'documentId',
      'fields',
      'locale',
      'fallback',
      'preview',
    ]);
    expect(names(doc.paths['/district-profile'].get)).toEqual(['fields', 'locale', 'fallback', 'preview']);
    const path = doc.paths['/parks/{documentId}'].get.parameters?.[0];
    expect(path).toMatchObject({ name: 'documentId', in: 'path', required: true, schema: { type: 'string' } });
    expect(JSON.stringify(path)).not.toContain('uuid');
    const radius = projects.parameters?.find((p) => p.name === 'radius');
    expect(radius?.schema).toMatchObject({ maximum: 500 });
  });

  it('describes list and detail responses as Strapi sends them, with meta and errors', () => {
    const body = (
      doc.paths['/projects'].get.responses?.['200'] as { content: Record<string, { schema: Record<string, unknown> }> }
    ).content['application/json'].schema;
    expect(body.required).toEqual(['data', 'meta']);
    expect(JSON.stringify(body)).toContain('#/components/schemas/Pagination');
    const items = dataSchema(doc, '/projects').items as { properties: Record<string, unknown> };
    expect(items.properties.distanceKm).toMatchObject({ type: 'number' });
    expect((dataSchema(doc, '/parks/{documentId}').properties as Record<string, unknown>).distanceKm).toBeUndefined();
    expect(doc.paths['/projects'].get.responses?.['404']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    });
  });

  it('fixes entity schemas: documentId, nullable optional attributes, no generation time, component ids', () => {
    const project = doc.components?.schemas?.ApiProjectProjectDocument as {
      properties: Record<string, Record<string, unknown>>;
      required: string[];
    };
    expect(project.required).toEqual(['documentId', 'id']);
    expect(project.properties.documentId).toEqual({ type: 'string', description: expect.any(String) });
    expect(project.properties.title).toEqual({ type: 'string' }); // required by the model: never null
    expect(project.properties.code).toEqual({ type: ['string', 'null'] });
    expect(project.properties.stage).toEqual({ type: ['string', 'null'], enum: ['open', 'signed', null] });
    expect(project.properties.publishedAt).toEqual({ type: 'string', format: 'date-time' });
    expect(project.properties.createdAt).toEqual({ type: 'string', format: 'date-time' }); // set by Strapi
    expect(project.properties.park).toEqual({
      description: 'A relational field',
      anyOf: [{ $ref: '#/components/schemas/ApiParkParkDocument' }, { type: 'null' }],
    });
    expect(project.properties.industries).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/ApiParkParkDocument' },
    }); // [] when empty
    // Listed as required by the generator, optional in the model: null when saved without one.
    expect(project.properties.body).toEqual({ type: ['array', 'null'], items: {}, description: 'A blocks field' });
    const image = doc.components?.schemas?.SharedImageEntry as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(image.properties.id).toEqual({ type: 'number' });
    expect(image.required).toEqual(['id']);
    expect(image.properties.image).toEqual({ type: 'object' }); // required by the component
  });

  it('lets an attribute be null when its model does not require it, whatever the generator lists', () => {
    const schema = {
      type: 'object',
      properties: { documentId: { type: 'string' }, body: { type: 'array', items: {} }, intro: { type: 'string' } },
      required: ['documentId', 'body'],
    };
    const entity = (attributes: Record<string, { type: string; required?: boolean }>) =>
      (responseEntity(schema, attributes) as { properties: Record<string, unknown> }).properties;
    // The model decides, however the field is described.
    expect(entity({ body: { type: 'blocks' }, intro: { type: 'string' } }).body).toEqual({
      type: ['array', 'null'],
      items: {},
    });
    expect(entity({ body: { type: 'blocks', required: true } }).body).toEqual({ type: 'array', items: {} });
    expect(entity({ intro: { type: 'string', required: true } }).intro).toEqual({ type: 'string' });
    // What the model does not list keeps the generator's word.
    expect(entity({}).body).toEqual({ type: 'array', items: {} });
    expect(entity({}).intro).toEqual({ type: ['string', 'null'] });
    expect(entity({}).documentId).toEqual({ type: 'string', description: expect.any(String) });
  });

  it('keeps only the schemas the public paths use', () => {
    expect(Object.keys(doc.components?.schemas ?? {}).sort()).toEqual([
      'ApiParkParkDocument',
      'ApiProjectProjectDocument',
      'Error',
      'FeatureCollection',
      'Pagination',
      'SearchResults',
      'SharedImageEntry',
    ]);
    expect(JSON.stringify(doc)).not.toMatch(/users-permissions|Glossary|email|bearerFormat/i);
  });

  it('makes a token optional on content paths and none on our open endpoints', () => {
    expect(doc.security).toEqual([{}, { bearerAuth: [] }]);
    expect(doc.paths['/projects'].get.security).toBeUndefined();
    for (const path of ['/search', '/geo', '/sitemap.xml', '/openapi.json'])
      expect(doc.paths[path].get.security).toEqual([]);
    expect(names(doc.paths['/search'].get)).toEqual(['q', 'locale', 'types', 'page', 'pageSize']);
    const types = doc.paths['/geo'].get.parameters?.find((p) => p.name === 'types') as { schema: { pattern: string } };
    expect(new RegExp(types.schema.pattern).test('projects,parks')).toBe(true);
    expect(new RegExp(types.schema.pattern).test('news')).toBe(false);
  });

  it('is the same document every time, and leaves its input alone', () => {
    const input = generated();
    const copy = JSON.parse(JSON.stringify(input));
    expect(JSON.stringify(publicDocument(input, options))).toBe(JSON.stringify(doc));
    expect(input).toEqual(copy);
  });

  it('fails loudly when a public type has no generated route', () => {
    const input = generated();
    delete input.paths['/parks/{id}'];
    expect(() => publicDocument(input, options)).toThrow('GET /parks/{id}');
  });
});

describe('responseEntity', () => {
  it('leaves schemas without properties alone', () => {
    expect(responseEntity({ type: 'string' })).toEqual({ type: 'string' });
  });
});

describe('apiBaseUrl', () => {
  it('uses an absolute configured URL as it is', () => {
    expect(apiBaseUrl('https://cms.example.org/', 'http://10.0.0.5:1337', '/api')).toEqual({
      url: 'https://cms.example.org/api',
      fromConfig: true,
    });
  });

  it('completes a relative or missing one with the request’s origin', () => {
    expect(apiBaseUrl('', 'http://127.0.0.1:1337', '/api')).toEqual({
      url: 'http://127.0.0.1:1337/api',
      fromConfig: false,
    });
    expect(apiBaseUrl('/cms', 'https://example.org', '/api')).toEqual({
      url: 'https://example.org/cms/api',
      fromConfig: false,
    });
  });
});
