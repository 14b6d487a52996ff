import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { generate } from '@strapi/openapi';
import { transformUidToValidOpenApiName } from '@strapi/utils';
import { publicActions } from '../../../../lib/access';
import { cachedJson, cacheKey } from '../../../../lib/disk-cache';
import { MAX_RADIUS_KM } from '../../../../lib/geo';
import { publicDocument, type OpenApiDocument, type PublicType } from '../../../../lib/openapi';
import { restSegment } from '../../../../lib/public-api';
import { LOCATED, MAX_PAGE_SIZE, SEARCHABLE } from './finding';

/** The types the Public role may read (the same rule that sets its permissions), as REST paths. */
export const publicTypes = (strapi: Core.Strapi): PublicType[] => {
  const models = Object.values(strapi.contentTypes);
  const readable = new Set(
    publicActions(
      models.map(({ uid, kind, options }) => ({
        uid,
        kind: kind as PublicType['kind'],
        draftAndPublish: options?.draftAndPublish === true,
      })),
    )
      .filter((action) => action.endsWith('.find'))
      .map((action) => action.slice(0, -'.find'.length)),
  );
  return models
    .filter(({ uid }) => readable.has(uid))
    .map(({ uid, kind, info }) => ({
      segment: restSegment({ kind, info }),
      schema: transformUidToValidOpenApiName(uid),
      kind: kind as PublicType['kind'],
      located: uid in LOCATED,
      searchable: uid in SEARCHABLE,
    }));
};

/** What the public document is made of, besides the generator's output. */
const publicOpenApiOptions = (strapi: Core.Strapi) => ({
  title: 'Wutong public API',
  version: strapi.config.get('info.version', '0.0.0') as string,
  prefix: strapi.config.get('api.rest.prefix', '/api') as string,
  types: publicTypes(strapi),
  searchMaxPageSize: MAX_PAGE_SIZE,
  maxRadiusKm: MAX_RADIUS_KM,
  // Named as the generator names their schemas.
  models: Object.fromEntries(
    [...Object.values(strapi.contentTypes), ...Object.values(strapi.components)].map(({ uid, attributes }) => [
      transformUidToValidOpenApiName(uid),
      attributes,
    ]),
  ),
});

/**
 * The public API's OpenAPI document, without servers. Generating takes seconds of CPU (the
 * generator converts every route's validation schemas): the delivery service builds it once.
 */
export const publicOpenApi = (strapi: Core.Strapi): OpenApiDocument =>
  publicDocument(
    generate(strapi, { type: 'content-api' }).document as unknown as OpenApiDocument,
    publicOpenApiOptions(strapi),
  );

/**
 * Everything the document is made from: every content type's and component's schema, the
 * options, the app's version and dependencies (Strapi's and the generator's versions, pinned), and
 * this code (the compiled modules that shape the document). Computed in milliseconds.
 */
export const openApiCacheKey = (strapi: Core.Strapi): string => {
  const schema = ({ uid, kind, info, options, pluginOptions, attributes }: Record<string, unknown>) => ({
    uid,
    kind,
    info,
    options,
    pluginOptions,
    attributes,
  });
  const pkg = JSON.parse(fs.readFileSync(path.join(strapi.dirs.app.root, 'package.json'), 'utf8')) as {
    version?: string;
    dependencies?: Record<string, string>;
  };
  return cacheKey({
    options: publicOpenApiOptions(strapi),
    contentTypes: Object.values(strapi.contentTypes).map((model) => schema(model as never)),
    components: Object.values(strapi.components).map((model) => schema(model as never)),
    app: { version: pkg.version, dependencies: pkg.dependencies },
    code: [__filename, require.resolve('../../../../lib/openapi')].map((file) => fs.readFileSync(file, 'utf8')),
  });
};

/** Where the document is kept between starts (.cache/ is not in the repository). */
export const openApiCacheDir = (strapi: Core.Strapi) => path.join(strapi.dirs.app.root, '.cache', 'wutong');

/**
 * publicOpenApi, read from the disk cache when nothing it is made from changed since it was
 * written (a start then costs milliseconds, not seconds of CPU), else built and written.
 */
export const cachedPublicOpenApi = (strapi: Core.Strapi, dir = openApiCacheDir(strapi)) => {
  const { value, cached } = cachedJson(
    dir,
    'openapi',
    openApiCacheKey(strapi),
    () => publicOpenApi(strapi),
    (message) => strapi.log.warn(`OpenAPI: ${message}`),
  );
  return { document: value, cached };
};
