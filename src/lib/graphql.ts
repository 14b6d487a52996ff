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
