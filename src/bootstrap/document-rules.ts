/**
 * Content rules on the one path every write and read takes: the Document Service.
 * Each rule is a pure function from src/lib; this file only adapts Strapi to them.
 */
import type { Core, UID } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { mayReadDrafts, READ_ACTIONS, type RequestAuth } from '../lib/access';
import { issue, rangeIssues, validationDetails, type AttributeMap, type ValidationIssue } from '../lib/validation';
import {
  CONTENT_MANAGER_EXTRA_KEYS,
  depthIssue,
  DOCUMENT_EXTRA_KEYS,
  nulIssues,
  shapeIssues,
  tooDeep,
  unknownFieldIssues,
} from '../lib/strict-input';
import { violatedIndex, type UniqueIndex } from '../lib/unique';
import { uniqueIndexesOf } from './unique-indexes';
import { chosenLocale, chosenRowIds } from './fallback';
import { fallbackChain, parseChains } from '../lib/fallback';
import { envString } from '../lib/env';
import { SOURCE_LOCALE } from '../lib/locales';
import { matchSignature, pageOf, totalFromPage, type PageRead } from '../lib/public-api';

interface DocumentContext {
  uid: string;
  action: string;
  params: Record<string, unknown> & { data?: Record<string, unknown>; status?: string };
}

type DocumentMiddleware = (ctx: DocumentContext, next: () => Promise<unknown>) => Promise<unknown>;

const invalid = (issues: ValidationIssue[]) => {
  const { message, details } = validationDetails(issues);
  return new errors.ValidationError(message, details);
};

/**
 * Strict input on every write (admin, REST, GraphQL, code), drafts as published: min/max and the
 * column's range for numbers (Strapi 5 only checks `min` when publishing, and no column limit at
 * all), no NUL bytes, no over-deep nesting, blocks of the right shape, `regex` patterns, and only
 * attributes. Over-deep data is refused before anything else walks it.
 */
const WRITES_DATA = new Set(['create', 'update', 'clone']);

// The Content Manager passes its form's `status` and `__temp_key__`s on (Strapi ignores them);
// src/middlewares/strict-input.ts has already checked its request body for anything else.
const extraKeys = (strapi: Core.Strapi) =>
  (strapi.requestContext.get() as { path?: string } | undefined)?.path?.startsWith('/content-manager/')
    ? CONTENT_MANAGER_EXTRA_KEYS
    : DOCUMENT_EXTRA_KEYS;

const validateInput =
  (strapi: Core.Strapi): DocumentMiddleware =>
  async (ctx, next) => {
    const { data } = ctx.params;
    if (WRITES_DATA.has(ctx.action) && ctx.uid.startsWith('api::') && data) {
      const deep = tooDeep(data);
      if (deep) throw invalid([depthIssue(deep)]);
      const attributes = strapi.getModel(ctx.uid as UID.Schema).attributes as unknown as AttributeMap;
      const componentAttributes = (uid: string) =>
        strapi.components[uid as UID.Component]?.attributes as unknown as AttributeMap | undefined;
      const issues = [
        ...unknownFieldIssues(attributes, data, componentAttributes, extraKeys(strapi)),
        ...rangeIssues(attributes, data, componentAttributes),
        ...shapeIssues(attributes, data, componentAttributes),
        ...nulIssues(data),
      ];
      if (issues.length) throw invalid(issues);
    }
    return next();
  };

/** A duplicate caught by the database (a race the application check missed) is a 400, not a 500. */
const reportDuplicates =
  (indexes: () => UniqueIndex[]): DocumentMiddleware =>
  async (ctx, next) => {
    try {
      return await next();
    } catch (error) {
      const index = violatedIndex(error, indexes());
      if (!index) throw error;
      const value = ctx.params.data?.[index.attribute];
      throw invalid([issue([index.attribute], 'This attribute must be unique', value, 'validation.unique')]);
    }
  };

type RequestState = {
  state?: {
    route?: { info?: { type?: string } };
    auth?: RequestAuth;
    fallback?: boolean;
    /** a checked preview token's claims (src/middlewares/public-api.ts) */
    preview?: { uid: string; documentId: string; locale: string };
    /** the route's lean default populate, when the client sent none (src/middlewares/public-api.ts) */
    defaultPopulate?: { uid: string; populate: unknown };
  };
};

const contentApiRequest = (strapi: Core.Strapi) => {
  const request = strapi.requestContext.get() as RequestState | undefined;
  return request?.state?.route?.info?.type === 'content-api' ? request.state : undefined;
};

type Entry = Record<string, unknown> & { documentId?: string; locale?: string };
type PopulateSpec = { fields?: unknown; populate?: unknown; filters?: unknown; sort?: unknown };

/** What a populate parameter asks of one attribute: `true`, or its own fields/populate/filters/sort. */
const populateOf = (populate: unknown, name: string): PopulateSpec | undefined => {
  if (populate === '*' || populate === true) return {};
  if (typeof populate === 'string')
    return populate.split(',').some((item) => item.trim().split('.')[0] === name) ? {} : undefined;
  if (Array.isArray(populate)) return populate.some((item) => populateOf(item, name)) ? {} : undefined;
  if (!populate || typeof populate !== 'object') return undefined;
  const spec = (populate as Record<string, unknown>)[name];
  if (spec === undefined || spec === false) return undefined;
  return spec && typeof spec === 'object' ? (spec as PopulateSpec) : {};
};

/**
 * A preview shows one document's draft; what it links to appears as published (or not at all):
 * read with `status: draft`, populated relations would otherwise be other documents' drafts.
 * Each populated relation to a Draft & Publish type (and `localizations`) is read again, published,
 * outside the preview (so a relation to the previewed type is not served as its draft either).
 */
const publishedRelations = async (strapi: Core.Strapi, uid: string, result: unknown, populate: unknown) => {
  const entries = ([] as unknown[])
    .concat(result ?? [])
    .filter((entry): entry is Entry => !!entry && typeof entry === 'object');
  if (!entries.length) return result;
  const request = strapi.requestContext.get() as { state: Record<string, unknown> };
  const run = strapi.requestContext.run as unknown as <T>(store: unknown, cb: () => Promise<T>) => Promise<T>;
  const outside = Object.create(request) as { state: Record<string, unknown> };
  outside.state = { ...request.state, preview: undefined, fallback: false };
  const attributes = strapi.getModel(uid as UID.Schema).attributes as Record<string, { type: string; target?: string }>;
  for (const [name, attribute] of Object.entries(attributes)) {
    if (attribute.type !== 'relation' || !attribute.target) continue;
    const target = strapi.contentTypes[attribute.target as UID.ContentType] as
      | { options?: { draftAndPublish?: boolean } }
      | undefined;
    if (!target?.options?.draftAndPublish && name !== 'localizations') continue;
    const spec = populateOf(populate, name);
    if (!spec) continue;
    for (const entry of entries) {
      const related = entry[name];
      if (related === undefined) continue;
      const wanted = (([] as unknown[]).concat(related ?? []) as Entry[]).filter((item) => item?.documentId);
      const published: Entry[] = [];
      // Per language (a relation links one language's entries; localizations several).
      for (const locale of new Set(wanted.map((item) => item.locale))) {
        const ids = wanted.filter((item) => item.locale === locale).map((item) => item.documentId as string);
        const only = { documentId: { $in: ids } };
        const found = (await run(outside, () =>
          strapi.documents(attribute.target as UID.ContentType).findMany({
            ...(locale ? { locale } : {}),
            status: 'published',
            filters: spec.filters ? { $and: [spec.filters, only] } : only,
            ...(spec.fields ? { fields: spec.fields } : {}),
            ...(spec.populate ? { populate: spec.populate } : {}),
            ...(spec.sort ? { sort: spec.sort } : {}),
          } as never),
        )) as unknown as Entry[];
        if (spec.sort) published.push(...found);
        else {
          const byId = new Map(found.map((item) => [item.documentId, item]));
          published.push(...ids.map((id) => byId.get(id)).filter((item): item is Entry => !!item));
        }
      }
      entry[name] = Array.isArray(related) ? published : (published[0] ?? null);
    }
  }
  return result;
};

/**
 * Content-API reads get published content unless the caller may read drafts, and an unknown
 * locale is a 400 rather than an empty list. Applied here rather than in controllers so that
 * populated relations, custom routes and GraphQL follow it too.
 */
const unknownLocale = (locale: string) =>
  invalid([issue(['locale'], `Unknown locale "${locale}"`, locale, 'validation.unknown-locale', { locale })]);

/**
 * Writes name only configured locales: Strapi 5.54 creates a row in any locale a write names
 * (`PUT /api/projects/:id?locale=xx` answered 200), after which nobody may change that document's
 * shared fields. Every write path (admin, REST, GraphQL, code) passes here.
 */
// Actions that write content in the locales they name (deleting a stray row stays possible).
const WRITES_CONTENT = new Set(['create', 'update', 'clone', 'publish']);

const knownLocalesOnWrite =
  (locales: LocaleCodes): DocumentMiddleware =>
  async (ctx, next) => {
    if (ctx.uid.startsWith('api::') && WRITES_CONTENT.has(ctx.action)) {
      for (const locale of ([] as unknown[]).concat(ctx.params.locale ?? [])) {
        if (typeof locale === 'string' && locale !== '*' && !(await locales.has(locale))) throw unknownLocale(locale);
      }
    }
    return next();
  };

// The reads a content-API route makes for what it answers (a list's count needs no populate).
const DEFAULT_POPULATED = new Set(['findMany', 'findOne', 'findFirst']);

const publicReads = (strapi: Core.Strapi, locales: LocaleCodes): DocumentMiddleware => {
  const chains = parseChains(envString(process.env, 'WUTONG_FALLBACK_CHAINS'));
  return async (ctx, next) => {
    const request = READ_ACTIONS.has(ctx.action) ? contentApiRequest(strapi) : undefined;
    const defaults = request?.defaultPopulate;
    if (defaults?.uid === ctx.uid && DEFAULT_POPULATED.has(ctx.action) && ctx.params.populate === undefined) {
      // The route's own read only, once: not the reads a preview makes for its relations.
      request!.defaultPopulate = undefined;
      ctx.params = { ...ctx.params, populate: defaults.populate };
    }
    if (request?.preview?.uid === ctx.uid) {
      // A preview: that one document's draft in that one locale, whatever else was asked.
      const { documentId, locale } = request.preview;
      const only = { documentId };
      const filters = ctx.params.filters ? { $and: [ctx.params.filters, only] } : only;
      ctx.params = {
        ...ctx.params,
        status: 'draft',
        locale,
        ...(ctx.params.documentId ? { documentId } : { filters }),
      };
      const { populate } = ctx.params;
      // Which related documents show is decided on their published versions (below), not on their drafts.
      if (populate && typeof populate === 'object' && !Array.isArray(populate))
        ctx.params.populate = Object.fromEntries(
          Object.entries(populate).map(([name, spec]) => {
            if (!spec || typeof spec !== 'object') return [name, spec];
            const { filters: _filters, sort: _sort, ...rest } = spec as PopulateSpec;
            return [name, Object.keys(rest).length ? rest : true];
          }),
        );
      const result = await next();
      return ctx.action === 'count' ? result : publishedRelations(strapi, ctx.uid, result, populate);
    }
    if (request) {
      if (!mayReadDrafts(request.auth)) ctx.params = { ...ctx.params, status: 'published' };
      const { locale } = ctx.params;
      if (typeof locale === 'string' && locale !== '*' && !(await locales.has(locale))) throw unknownLocale(locale);
      if (request.fallback && typeof locale === 'string' && locale !== '*') {
        const chain = fallbackChain(locale, chains, SOURCE_LOCALE, [...(await locales.all())]);
        const status = ctx.params.status === 'draft' ? 'draft' : 'published';
        if (ctx.action === 'findMany' || ctx.action === 'count') {
          const ids = await chosenRowIds(strapi, ctx.uid, chain, status);
          const filters = ctx.params.filters
            ? { $and: [ctx.params.filters, { id: { $in: ids } }] }
            : { id: { $in: ids } };
          ctx.params = { ...ctx.params, locale: '*', filters };
        } else if (typeof ctx.params.documentId === 'string') {
          ctx.params = {
            ...ctx.params,
            locale: (await chosenLocale(strapi, ctx.uid, ctx.params.documentId, chain, status)) ?? locale,
          };
        } else {
          // A single type: its one document.
          const row = (await strapi.db.query(ctx.uid as never).findOne({ select: ['documentId'] })) as {
            documentId: string;
          } | null;
          if (row)
            ctx.params = {
              ...ctx.params,
              locale: (await chosenLocale(strapi, ctx.uid, row.documentId, chain, status)) ?? locale,
            };
        }
      }
    }
    return next();
  };
};

/**
 * A list's total without a second query where its page already tells it: Strapi's `find` reads a
 * page (findMany), then counts the same rows (count, a query and a transaction of its own). When
 * the page came back short it was the last one, and the total is where it started plus what it
 * holds: a filtered list with few hits (the usual search box) is then one query, not two. Content-API
 * reads only; after publicReads, so both see the same published-only, fallback-aware parameters.
 */
const countFromPage = (strapi: Core.Strapi): DocumentMiddleware => {
  const pages = new WeakMap<object, Map<string, PageRead>>();
  return async (ctx, next) => {
    const request = contentApiRequest(strapi);
    if (!request) return next();
    // A write in the same request may change what a page read: forget the pages.
    if (!READ_ACTIONS.has(ctx.action)) pages.delete(request);
    if (ctx.action !== 'findMany' && ctx.action !== 'count') return next();
    const key = `${ctx.uid} ${matchSignature(ctx.params)}`;
    if (ctx.action === 'count') {
      const page = pages.get(request)?.get(key);
      const total = page && totalFromPage(page);
      return total === undefined ? next() : total;
    }
    const result = await next();
    if (Array.isArray(result)) {
      if (!pages.has(request)) pages.set(request, new Map());
      pages.get(request)!.set(key, { ...pageOf(ctx.params), rows: result.length });
    }
    return result;
  };
};

/**
 * The configured locale codes: cached, re-read when this process adds or removes one, and
 * before refusing a code it does not know (another process, e.g. `npm run locale:add`, may
 * have just added it).
 */
type LocaleCodes = ReturnType<typeof localeCodes>;

const localeCodes = (strapi: Core.Strapi) => {
  let codes: Promise<Set<string>> | undefined;
  const load = () =>
    strapi.db
      .query('plugin::i18n.locale')
      .findMany({ select: ['code'] })
      .then((rows: { code: string }[]) => new Set(rows.map(({ code }) => code)));
  strapi.db.lifecycles.subscribe({
    models: ['plugin::i18n.locale'],
    afterCreate: () => void (codes = undefined),
    afterUpdate: () => void (codes = undefined),
    afterDelete: () => void (codes = undefined),
  });
  return {
    all: () => (codes ??= load()),
    async has(code: string) {
      if ((await (codes ??= load())).has(code)) return true;
      codes = load();
      return (await codes).has(code);
    },
  };
};

export const registerDocumentRules = (strapi: Core.Strapi) => {
  const indexes = () => uniqueIndexesOf(strapi);
  const locales = localeCodes(strapi);
  for (const middleware of [
    publicReads(strapi, locales),
    countFromPage(strapi),
    knownLocalesOnWrite(locales),
    reportDuplicates(indexes),
    validateInput(strapi),
  ]) {
    strapi.documents.use(middleware as never);
  }
};
