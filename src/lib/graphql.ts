/**
 * GraphQL (/graphql) follows the public API's rules; these are its own. Pure, wired in by
 * src/bootstrap/graphql.ts.
 */
import { mayReadDrafts, type RequestAuth } from './access';

/**
 * The `status` a GraphQL read is run with: as asked for callers who may read drafts, otherwise
 * `published` (REST's rule). `undefined` when the query sent none.
 */
export const readStatus = (requested: unknown, auth: RequestAuth | null | undefined): unknown =>
  requested === undefined || mayReadDrafts(auth) ? requested : 'published';

/** Our plugins' bookkeeping (workflow states, audit log, versions, sites, webhook deliveries) is not content. */
const INTERNAL = ['plugin::editorial.', 'plugin::delivery.', 'plugin::review-workflows.'];

/** The content types left out of the GraphQL schema altogether (no types, queries or mutations). */
export const hiddenFromGraphql = (uids: string[]): string[] =>
  uids.filter((uid) => INTERNAL.some((prefix) => uid.startsWith(prefix))).sort();

/** Where `localizations` appears in a filters object or a sort (`filters.projects.localizations`), if it does. */
const localizationsIn = (value: unknown, path: string[]): string | undefined => {
  if (typeof value === 'string')
    return value.split(/[,.:\s]+/).includes('localizations') ? [...path, 'localizations'].join('.') : undefined;
  if (!value || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const here = Array.isArray(value) ? path : [...path, key];
    if (key === 'localizations') return here.join('.');
    const found = localizationsIn(item, here);
    if (found) return found;
  }
  return undefined;
};

/** An argument actually sent (the plugin defaults some, e.g. `sort: []`). */
const given = (value: unknown) =>
  value !== undefined && value !== null && !(typeof value === 'object' && !Object.keys(value).length);

/**
 * The REST allow-list's GraphQL side (src/lib/public-query.ts), for callers who may not read
 * drafts: no `publicationFilter` / `hasPublishedVersion` (which live documents have unpublished
 * edits), no `status` but PUBLISHED, and `localizations` only as a selection, never inside
 * `filters` or `sort` (nor filtering or sorting the `localizations` field) (Strapi joins every version of it, drafts included). The schema's own types
 * already restrict attributes (no private ones), operators and value types. Returns the refused
 * argument and why, or undefined.
 */
export const refusedArgument = (
  args: Record<string, unknown>,
  auth: RequestAuth | null | undefined,
  field?: string,
): { argument: string; message: string } | undefined => {
  if (mayReadDrafts(auth)) return undefined;
  // The `localizations` field itself: selected as it is (published), not filtered or sorted.
  if (field === 'localizations')
    for (const argument of ['filters', 'sort'])
      if (given(args[argument]))
        return { argument, message: 'localizations may only be selected, not filtered or sorted on' };
  for (const argument of ['publicationFilter', 'hasPublishedVersion'])
    if (args[argument] !== undefined && args[argument] !== null)
      return { argument, message: 'only for API tokens that may read drafts' };
  if (args.status !== undefined && args.status !== null && args.status !== 'published')
    return { argument: 'status', message: 'only PUBLISHED content is served' };
  for (const argument of ['filters', 'sort']) {
    const found = localizationsIn(args[argument], [argument]);
    if (found) return { argument: found, message: 'localizations may only be selected, not filtered or sorted on' };
  }
  return undefined;
};
