/**
 * Strict input over HTTP:
 * - any body nested deeper than MAX_DEPTH levels is a 400 right after strapi::body parsed it,
 *   before anything walks it (a 5,000-deep body overflowed the stack in Strapi's traversals: a 500
 *   with an empty body);
 * - content writes over REST and the Content Manager name attributes only (the Content Manager
 *   dropped other fields silently; REST refused them without `details.errors`), and an update
 *   must name at least one. Checked as a route middleware, after authentication and policies:
 *   an anonymous client gets its 401/403, not a 400 that tells which field names exist.
 * Everything else (numbers, NUL bytes, blocks, patterns) is checked on the Document Service,
 * which every write path reaches (src/bootstrap/document-rules.ts).
 */
import type { Core, UID } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { validationDetails, type AttributeMap, type ValidationIssue } from '../lib/validation';
import {
  CONTENT_MANAGER_EXTRA_KEYS,
  depthIssue,
  emptyUpdateIssue,
  isEmptyUpdate,
  REST_EXTRA_KEYS,
  tooDeep,
  unknownFieldIssues,
  type ExtraKeys,
} from '../lib/strict-input';

interface Ctx {
  method: string;
  path: string;
  request: { body?: unknown };
}

interface Write {
  uid: string;
  data: unknown;
  update: boolean;
  extra: ExtraKeys;
  /** where `data` sits in the body, for the empty-update error */
  at: string[];
}

const invalid = (issues: ValidationIssue[]) => {
  const { message, details } = validationDetails(issues);
  return new errors.ValidationError(message, details);
};

// The Content Manager's document writes (its routes in @strapi/content-manager server/routes/admin).
const CM_WRITE =
  /^\/content-manager\/(collection-types|single-types)\/([^/]+)(?:\/(clone)\/[^/]+|\/(?!actions\/)([^/]+))?(?:\/actions\/(publish))?\/?$/;

const writeCheck = (strapi: Core.Strapi) => {
  const prefix = (strapi.config.get('api.rest.prefix', '/api') as string).replace(/\/$/, '');
  let routes: { collections: Map<string, string>; singles: Map<string, string> } | undefined;
  const restRoutes = () => {
    if (routes) return routes;
    routes = { collections: new Map(), singles: new Map() };
    for (const [uid, type] of Object.entries(strapi.contentTypes)) {
      if (!uid.startsWith('api::')) continue;
      const { info, kind } = type as unknown as { info: { singularName: string; pluralName: string }; kind: string };
      if (kind === 'singleType') routes.singles.set(info.singularName, uid);
      else routes.collections.set(info.pluralName, uid);
    }
    return routes;
  };

  /** The content write a request makes, if it is one. */
  const writeOf = (ctx: Ctx): Write | undefined => {
    const body = ctx.request.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || (ctx.method !== 'POST' && ctx.method !== 'PUT')) return undefined;
    const cm = CM_WRITE.exec(ctx.path);
    if (cm) {
      const [, kind, model, clone, id, publish] = cm;
      const uid = decodeURIComponent(model);
      if (!uid.startsWith('api::') || !strapi.contentTypes[uid as never]) return undefined;
      // POST: create, clone, (create or update and) publish; PUT: update.
      const single = kind === 'single-types';
      if (ctx.method === 'PUT' ? publish || clone || (single ? id : !id) : !publish && !clone && (single || id))
        return undefined;
      return { uid, data: body, update: ctx.method === 'PUT', extra: CONTENT_MANAGER_EXTRA_KEYS, at: [] };
    }
    if (!ctx.path.startsWith(`${prefix}/`)) return undefined;
    const segments = ctx.path
      .slice(prefix.length + 1)
      .replace(/\/$/, '')
      .split('/');
    const { collections, singles } = restRoutes();
    let uid: string | undefined;
    if (segments.length === 1 && ctx.method === 'POST') uid = collections.get(segments[0]);
    else if (segments.length === 2 && ctx.method === 'PUT') uid = collections.get(segments[0]);
    else if (segments.length === 1 && ctx.method === 'PUT') uid = singles.get(segments[0]);
    if (!uid || !('data' in body)) return undefined; // a missing `data` is Strapi's 400
    return { uid, data: body.data, update: ctx.method === 'PUT', extra: REST_EXTRA_KEYS, at: ['data'] };
  };

  return async (ctx: Ctx, next: () => Promise<void>) => {
    const write = writeOf(ctx);
    if (write) {
      const attributes = strapi.getModel(write.uid as UID.Schema).attributes as unknown as AttributeMap;
      const componentAttributes = (uid: string) =>
        strapi.components[uid as UID.Component]?.attributes as unknown as AttributeMap | undefined;
      const issues = unknownFieldIssues(attributes, write.data, componentAttributes, write.extra);
      if (issues.length) throw invalid(issues);
      if (write.update && isEmptyUpdate(attributes, write.data)) throw invalid([emptyUpdateIssue(write.at)]);
    }
    return next();
  };
};

/** Global: over-deep bodies, before anything (authentication included) walks them. */
export default () => async (ctx: Ctx, next: () => Promise<void>) => {
  const { body } = ctx.request;
  if (body && typeof body === 'object') {
    const deep = tooDeep(body);
    if (deep) throw invalid([depthIssue(deep)]);
  }
  return next();
};

interface Router {
  routes?: { method: string; config?: { middlewares?: unknown[] } }[];
}

/**
 * Adds the write check to every POST and PUT route as Strapi registers it (content API and admin
 * alike; the check itself picks the content writes), so that it runs after the route's
 * authentication and policies.
 */
export const registerStrictWrites = (strapi: Core.Strapi) => {
  const check = writeCheck(strapi);
  const server = strapi.server as unknown as { routes(router: Router): unknown };
  const register = server.routes.bind(server);
  server.routes = (router: Router) => {
    for (const route of router.routes ?? []) {
      if (route.method !== 'POST' && route.method !== 'PUT') continue;
      route.config = { ...route.config, middlewares: [...(route.config?.middlewares ?? []), check] };
    }
    return register(router);
  };
};
