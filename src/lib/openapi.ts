/**
 * The public API's OpenAPI 3 document, made from what @strapi/openapi generates for the whole
 * content API: only the public read paths (GET list and detail of the public types), our own
 * endpoints and query parameters, and response schemas that match what the API really answers.
 *
 * What the generator (5.54) gets wrong for us, corrected here:
 * - documentIds are described as UUIDs (Strapi 5's are 24-character lowercase ids);
 * - `publishedAt` carries the generation time as its `default` (the document changed every time),
 *   and defaults (a write-side notion) made type generators take attributes as always present;
 * - every required attribute is `required` in responses, yet `fields` and `populate` may leave any
 *   of them out, and optional attributes without a value are `null`, which the schemas refused
 *   (and a blocks field is listed as required whatever the model says);
 * - component entries forbid additional properties but lack their `id`, which responses include;
 * - responses have no `meta` (pagination), errors no schema.
 */
type Json = Record<string, unknown>;
type Operation = Json & { parameters?: Json[]; responses?: Record<string, Json> };

export interface OpenApiDocument {
  openapi: string;
  info: Json;
  servers?: { url: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Json>; securitySchemes?: Record<string, Json> } & Json;
  security?: Json[];
  [key: string]: unknown;
}

/** A model's attributes (content type or component), as far as responses go: which ones it requires. */
export type ModelAttributes = Record<string, { type: string; required?: boolean }>;

export interface PublicType {
  /** REST path segment: the plural name, or the singular name of a single type */
  segment: string;
  /** the name of its schema in the generated document (ApiProjectProjectDocument) */
  schema: string;
  kind: 'collectionType' | 'singleType';
  /** has coordinates: its list takes `near` and `radius`, and /geo serves it */
  located?: boolean;
  /** /search looks into it */
  searchable?: boolean;
}

export interface PublicApiOptions {
  title: string;
  version: string;
  /** the REST prefix (/api): the default server, relative to where the document is served */
  prefix: string;
  types: PublicType[];
  /** the largest `pageSize` of /search */
  searchMaxPageSize: number;
  /** the largest `radius` (km) */
  maxRadiusKm: number;
  /** every model's attributes, by the name of its schema in the generated document */
  models: Record<string, ModelAttributes>;
}

/** Parameters a public caller cannot use: the public API always serves published content. */
const DRAFT_PARAMETERS = new Set(['status', 'publicationFilter', 'hasPublishedVersion']);

const DOCUMENT_ID = {
  type: 'string',
  description: 'The document ID, the same in every language (24 lowercase letters and digits)',
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ref('Error') } },
});
const ERRORS = {
  '400': errorResponse('Bad request: an invalid parameter (named in error.details.errors)'),
  '401': errorResponse('Unauthorized: an invalid API token or preview token'),
  '403': errorResponse('Forbidden'),
  '404': errorResponse('Not found'),
  '500': errorResponse('Internal server error'),
};

const query = (name: string, description: string, schema: Json, required = false) => ({
  name,
  in: 'query',
  required,
  description,
  schema,
});

const LOCALE_DESCRIPTION =
  'Language of the content: zh-Hans (the default and source language), en, or any language added since. An unknown locale is a 400.';

const FALLBACK = query(
  'fallback',
  'true: serve each document in the first language of its fallback chain that has it (e.g. ja → en → zh-Hans) instead of leaving it out; the language served is in each entry’s `locale` and the Content-Language header. Off unless the server turns it on for everyone.',
  { type: 'boolean' },
);
const PREVIEW = query(
  'preview',
  'A preview token (from the admin’s preview link): serves that one document’s draft in that one language. Such responses are private and never cached.',
  { type: 'string' },
);
const near = (maxRadiusKm: number) => [
  query(
    'near',
    '"latitude,longitude": only entries within `radius` km, each with its `distanceKm`; nearest first unless `sort`, `filters` or `pagination[start]`/`[limit]` are given.',
    { type: 'string', pattern: '^\\s*-?\\d+(\\.\\d+)?\\s*,\\s*-?\\d+(\\.\\d+)?\\s*$', examples: ['34.66,112.40'] },
  ),
  query('radius', `Kilometres around \`near\` (default 10, at most ${maxRadiusKm}).`, {
    type: 'number',
    exclusiveMinimum: 0,
    maximum: maxRadiusKm,
    default: 10,
  }),
];

const CONTENT_LANGUAGE = {
  'Content-Language': { description: 'The language(s) of the content served', schema: { type: 'string' } },
};

const isObject = (value: unknown): value is Json => !!value && typeof value === 'object' && !Array.isArray(value);

const nullable = (schema: Json): Json => {
  if (schema.$ref) {
    const { description, ...rest } = schema;
    return { ...(description ? { description } : {}), anyOf: [rest, { type: 'null' }] };
  }
  if (Array.isArray(schema.anyOf)) {
    return schema.anyOf.some((option) => isObject(option) && option.type === 'null')
      ? schema
      : { ...schema, anyOf: [...schema.anyOf, { type: 'null' }] };
  }
  if (typeof schema.type === 'string') {
    return {
      ...schema,
      type: [schema.type, 'null'],
      ...(Array.isArray(schema.enum) ? { enum: [...schema.enum, null] } : {}),
    };
  }
  return schema;
};

/** Set on every row by Strapi itself. */
const ALWAYS_SET = new Set(['id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt']);

/** A list of documents or repeatable components: `[]` when empty, never null. */
const isListOfRefs = (schema: Json) => schema.type === 'array' && isObject(schema.items) && !!schema.items.$ref;

/**
 * A document or component schema as responses really are: only the ids are always there; an
 * attribute the model does not require may be null; a component entry has its `id`. The model's
 * attributes decide what may be null, not the generator's `required` (it lists a blocks field
 * whatever the model says, yet an entry saved without one answers `null`); what the model does
 * not list (the ids, `locale`) keeps the generator's word.
 */
export const responseEntity = (schema: Json, attributes: ModelAttributes = {}): Json => {
  if (!isObject(schema.properties)) return schema;
  const listed = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const required = (name: string) => (Object.hasOwn(attributes, name) ? !!attributes[name].required : listed.has(name));
  const properties: Record<string, Json> = {};
  for (const [name, property] of Object.entries(schema.properties as Record<string, Json>)) {
    // A default is what a write gets when it leaves the attribute out; a response has the value
    // (and type generators take a default to mean "always present", which `fields` disproves).
    const { default: _default, ...rest } = property;
    let fixed: Json = rest;
    if (name === 'documentId') fixed = DOCUMENT_ID;
    else if (name === 'publishedAt' || name === 'createdAt' || name === 'updatedAt')
      fixed = { ...rest, format: 'date-time' };
    if (!required(name) && !ALWAYS_SET.has(name) && !isListOfRefs(fixed)) fixed = nullable(fixed);
    properties[name] = fixed;
  }
  const document = 'documentId' in properties;
  if (!document && !properties.id) properties.id = { type: 'number' };
  return { ...schema, properties, required: document ? ['documentId', 'id'] : ['id'] };
};

const META = {
  type: 'object',
  properties: {
    pagination: ref('Pagination'),
    near: {
      description: 'The point and radius of a `near` query',
      type: 'object',
      properties: { lat: { type: 'number' }, lng: { type: 'number' }, radiusKm: { type: 'number' } },
    },
  },
};

/** A generated content GET made public: no draft parameters, our extras, real response shapes. */
const contentOperation = (generated: Operation, type: PublicType, detail: boolean, options: PublicApiOptions) => {
  const parameters = (generated.parameters ?? [])
    .filter((parameter) => !DRAFT_PARAMETERS.has(parameter.name as string))
    .map((parameter) => {
      if (parameter.in === 'path') return { ...parameter, name: 'documentId', schema: DOCUMENT_ID };
      if (parameter.name === 'locale') return { ...parameter, description: LOCALE_DESCRIPTION };
      return parameter;
    });
  parameters.push(FALLBACK, PREVIEW);
  const list = type.kind === 'collectionType' && !detail;
  if (list && type.located) parameters.push(...near(options.maxRadiusKm));

  const ok = generated.responses?.['200'] as Json | undefined;
  const schema = (ok?.content as Record<string, { schema: Json }> | undefined)?.['application/json']?.schema;
  const data = isObject(schema?.properties) ? (schema.properties as Json).data : undefined;
  if (!isObject(data)) throw new Error(`OpenAPI: no response schema for GET /${type.segment}`);
  let entity = responseEntity((list ? data.items : data) as Json, options.models[type.schema]);
  if (list && type.located) {
    entity = {
      ...entity,
      properties: {
        ...(entity.properties as Json),
        distanceKm: { type: 'number', description: 'Distance from `near` in km (with `near` only)' },
      },
    };
  }
  const { security: _security, ...rest } = generated;
  return {
    ...rest,
    parameters,
    responses: {
      '200': {
        description: 'OK',
        headers: CONTENT_LANGUAGE,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: { data: list ? { type: 'array', items: entity } : entity, meta: META },
              required: ['data', 'meta'],
            },
          },
        },
      },
      ...ERRORS,
    },
  };
};

const LOCALE = query('locale', LOCALE_DESCRIPTION, { type: 'string', default: 'zh-Hans' });

/** Our own endpoints (src/plugins/delivery): open to everyone, published content only. */
const customPaths = (types: PublicType[], options: PublicApiOptions) => {
  const searchable = types.filter((type) => type.searchable).map(({ segment }) => segment);
  const located = types.filter((type) => type.located).map(({ segment }) => segment);
  const typesParam = (allowed: string[]) =>
    query('types', `Comma-separated types to include (default all): ${allowed.join(', ')}`, {
      type: 'string',
      pattern: `^(${allowed.join('|')})(,(${allowed.join('|')}))*$`,
    });
  const open = { security: [] };
  return {
    '/search': {
      get: {
        operationId: 'search',
        summary: 'Search published content',
        description:
          'Every word must occur in the entry (Chinese matched as substrings, English case-insensitively); ranked by where the words occur.',
        tags: ['finding'],
        ...open,
        parameters: [
          query('q', 'The words to search for', { type: 'string', minLength: 1 }, true),
          LOCALE,
          typesParam(searchable),
          query('page', 'Page number (from 1)', { type: 'integer', minimum: 1, default: 1 }),
          query('pageSize', 'Results per page', {
            type: 'integer',
            minimum: 1,
            maximum: options.searchMaxPageSize,
            default: 10,
          }),
        ],
        responses: {
          '200': {
            description: 'Ranked results',
            content: { 'application/json': { schema: ref('SearchResults') } },
          },
          '400': ERRORS['400'],
          '500': ERRORS['500'],
        },
      },
    },
    '/geo': {
      get: {
        operationId: 'geo',
        summary: 'Located projects and parks as GeoJSON',
        tags: ['finding'],
        ...open,
        parameters: [LOCALE, typesParam(located), ...near(options.maxRadiusKm)],
        responses: {
          '200': {
            description: 'A GeoJSON FeatureCollection (RFC 7946: coordinates are [longitude, latitude])',
            content: { 'application/geo+json': { schema: ref('FeatureCollection') } },
          },
          '400': ERRORS['400'],
          '500': ERRORS['500'],
        },
      },
    },
    '/sitemap.xml': {
      get: {
        operationId: 'sitemap',
        summary:
          'Sitemap of the registered sites’ published pages, with their language versions: an index, and its pages',
        tags: ['finding'],
        ...open,
        parameters: [
          query('site', 'Only this site (its name in the site registry); required with `page`', { type: 'string' }),
          query('type', 'Only this collection (its REST segment, e.g. `projects`); required with `page`', {
            type: 'string',
          }),
          query('page', 'One page of the index: the URLs themselves (at most 50,000)', {
            type: 'integer',
            minimum: 1,
          }),
        ],
        responses: {
          '200': {
            description:
              'Without `page`, a sitemaps.org sitemapindex naming its pages; with `site`, `type` and `page`, ' +
              'a urlset with xhtml:link alternates',
            content: { 'application/xml': { schema: { type: 'string' } } },
          },
          '400': ERRORS['400'],
          '404': errorResponse('No enabled site of that name, no such collection on it, or no such page'),
          '500': ERRORS['500'],
        },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'openapi',
        summary: 'This document',
        tags: ['meta'],
        ...open,
        responses: {
          '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } },
        },
      },
    },
  };
};

const SCHEMAS = {
  Error: {
    type: 'object',
    description: 'Strapi’s error format',
    properties: {
      data: { type: 'null' },
      error: {
        type: 'object',
        properties: {
          status: { type: 'integer' },
          name: { type: 'string' },
          message: { type: 'string' },
          details: { type: 'object' },
        },
        required: ['status', 'name', 'message'],
      },
    },
    required: ['error'],
  },
  Pagination: {
    anyOf: [
      {
        type: 'object',
        properties: {
          page: { type: 'integer' },
          pageSize: { type: 'integer' },
          pageCount: { type: 'integer' },
          total: { type: 'integer' },
        },
        required: ['page', 'pageSize', 'pageCount', 'total'],
      },
      {
        type: 'object',
        properties: { start: { type: 'integer' }, limit: { type: 'integer' }, total: { type: 'integer' } },
        required: ['start', 'limit', 'total'],
      },
    ],
  },
  SearchResults: {
    type: 'object',
    properties: {
      data: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            type: { type: 'string', description: 'The content type (project, park, …)' },
            collection: { type: 'string', description: 'Its REST path segment (projects, parks, …)' },
            documentId: DOCUMENT_ID,
            locale: { type: 'string' },
            title: { type: 'string' },
            slug: { type: ['string', 'null'] },
            summary: { type: ['string', 'null'] },
            score: { type: 'number' },
            highlights: {
              type: 'object',
              description: 'Field → HTML-escaped snippet with <mark> around the words',
              additionalProperties: { type: 'string' },
            },
          },
          required: ['type', 'collection', 'documentId', 'locale', 'title', 'score', 'highlights'],
        },
      },
      meta: {
        type: 'object',
        properties: {
          query: { type: 'string' },
          terms: { type: 'array', items: { type: 'string' } },
          locale: { type: 'string' },
          pagination: ref('Pagination'),
          totalCapped: {
            type: 'boolean',
            description: 'More entries match than are ranked: `pagination.total` is the cap (200), not every match',
          },
        },
        required: ['query', 'terms', 'locale', 'pagination', 'totalCapped'],
      },
    },
    required: ['data', 'meta'],
  },
  FeatureCollection: {
    type: 'object',
    properties: {
      type: { const: 'FeatureCollection' },
      features: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            type: { const: 'Feature' },
            id: { type: 'string', description: '<collection>/<documentId>' },
            geometry: {
              type: 'object',
              properties: {
                type: { const: 'Point' },
                coordinates: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 },
              },
              required: ['type', 'coordinates'],
            },
            properties: {
              type: 'object',
              properties: {
                type: { type: 'string' },
                collection: { type: 'string' },
                documentId: DOCUMENT_ID,
                locale: { type: 'string' },
                title: { type: 'string' },
                slug: { type: ['string', 'null'] },
                kind: { type: ['string', 'null'] },
                coordinatesApproximate: { type: 'boolean' },
                distanceKm: { type: 'number', description: 'With `near` only' },
              },
              required: ['type', 'collection', 'documentId', 'locale', 'title', 'coordinatesApproximate'],
            },
          },
          required: ['type', 'id', 'geometry', 'properties'],
        },
      },
    },
    required: ['type', 'features'],
  },
};

/** Names of the component schemas a value refers to, followed through the schemas themselves. */
const referenced = (root: unknown, schemas: Record<string, Json>): Set<string> => {
  const names = new Set<string>();
  const walk = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!isObject(value)) return;
    const target = typeof value.$ref === 'string' ? value.$ref.match(/^#\/components\/schemas\/(.+)$/)?.[1] : undefined;
    if (target && !names.has(target)) {
      names.add(target);
      walk(schemas[target]);
    }
    Object.values(value).forEach(walk);
  };
  walk(root);
  return names;
};

export const publicDocument = (generated: OpenApiDocument, options: PublicApiOptions): OpenApiDocument => {
  const paths: OpenApiDocument['paths'] = {};
  for (const type of [...options.types].sort((a, b) => a.segment.localeCompare(b.segment))) {
    const routes: [string, string, boolean][] =
      type.kind === 'singleType'
        ? [[`/${type.segment}`, `/${type.segment}`, true]]
        : [
            [`/${type.segment}`, `/${type.segment}`, false],
            [`/${type.segment}/{id}`, `/${type.segment}/{documentId}`, true],
          ];
    for (const [from, to, detail] of routes) {
      const get = generated.paths[from]?.get;
      // A public type without its route means the routes or the generator changed: say so.
      if (!get) throw new Error(`OpenAPI: the generated document has no GET ${from}`);
      paths[to] = { get: contentOperation(get, type, detail, options) };
    }
  }
  Object.assign(paths, customPaths(options.types, options));

  const generatedSchemas = generated.components?.schemas ?? {};
  const schemas: Record<string, Json> = { ...SCHEMAS };
  for (const [name, schema] of Object.entries(generatedSchemas))
    schemas[name] = responseEntity(schema, options.models[name]);
  const used = referenced(paths, schemas);
  const kept = Object.fromEntries(
    Object.keys(schemas)
      .filter((name) => used.has(name))
      .sort()
      .map((name) => [name, schemas[name]]),
  );

  return {
    openapi: generated.openapi,
    info: {
      title: options.title,
      version: options.version,
      description:
        'The public, read-only content API: published content only (drafts never, whatever is asked), no private fields. ' +
        'Anonymous requests need no token; a read-only API token sees the same content.',
    },
    servers: [{ url: options.prefix }],
    ...(generated['x-strapi-version'] ? { 'x-strapi-version': generated['x-strapi-version'] } : {}),
    security: [{}, { bearerAuth: [] }],
    tags: [...new Set(Object.values(paths).flatMap((item) => (item.get.tags as string[] | undefined) ?? []))]
      .sort()
      .map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token (`npm run token`). Optional: a read-only token sees what anonymous callers see.',
        },
      },
      schemas: kept,
    },
  };
};

/**
 * The API's base URL: the configured public URL (Strapi's normalised `server.url`: '' when unset,
 * '/path' or 'https://host/path'), completed by the origin the request came to when not absolute.
 */
export const apiBaseUrl = (configured: string, requestOrigin: string, prefix: string) => {
  const fromConfig = /^https?:\/\//.test(configured);
  return {
    url: `${(fromConfig ? configured : `${requestOrigin}${configured}`).replace(/\/+$/, '')}${prefix}`,
    fromConfig,
  };
};

/** The document with its servers. */
export const withServers = (document: OpenApiDocument, urls: string[]): OpenApiDocument => ({
  ...document,
  servers: urls.map((url) => ({ url })),
});
