import type { Core } from '@strapi/strapi';
import { generate } from '@strapi/openapi';
import { publicActions } from '../../../../lib/access';
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
      kind: kind as PublicType['kind'],
      located: uid in LOCATED,
      searchable: uid in SEARCHABLE,
    }));
};

/**
 * The public API's OpenAPI document, without servers. Generating takes seconds of CPU (the
 * generator converts every route's validation schemas): the delivery service builds it once.
 */
export const publicOpenApi = (strapi: Core.Strapi): OpenApiDocument =>
  publicDocument(generate(strapi, { type: 'content-api' }).document as unknown as OpenApiDocument, {
    title: 'Wutong public API',
    version: strapi.config.get('info.version', '0.0.0') as string,
    prefix: strapi.config.get('api.rest.prefix', '/api') as string,
    types: publicTypes(strapi),
    searchMaxPageSize: MAX_PAGE_SIZE,
    maxRadiusKm: MAX_RADIUS_KM,
  });
