/**
 * Who may see what on the content API. Pure rules, wired in by src/bootstrap/document-rules.ts.
 */
export interface RequestAuth {
  strategy?: { name?: string } | string | null;
  credentials?: { type?: string } | null;
}

// Strapi 5.54 names its content-API token strategy 'content-api-token'; earlier 5.x 'api-token'.
const API_TOKEN_STRATEGIES = new Set(['content-api-token', 'api-token']);

const strategyName = (auth: RequestAuth): string | undefined =>
  typeof auth.strategy === 'string' ? auth.strategy : (auth.strategy?.name ?? undefined);

/**
 * Drafts are for the CMS's own writers. On the content API only a full-access API token may ask
 * for them; the Public role, read-only tokens, custom tokens and end users always get published
 * content, whatever `status` they send (vanilla Strapi 5 serves drafts to `?status=draft`).
 */
export const mayReadDrafts = (auth: RequestAuth | null | undefined): boolean =>
  !!auth && API_TOKEN_STRATEGIES.has(strategyName(auth) ?? '') && auth.credentials?.type === 'full-access';

/**
 * GraphQL mutations need credentials other than a read-only token. users-permissions marks its
 * GraphQL `register`, `login`, `forgotPassword`, `resetPassword` and `emailConfirmation` as
 * `auth: false`, so without this rule anyone could sign up over GraphQL although the Public role
 * may not over REST. What a token or user may then write is still up to their permissions.
 */
export const mayMutate = (auth: RequestAuth | null | undefined): boolean =>
  !!auth?.credentials && !(API_TOKEN_STRATEGIES.has(strategyName(auth) ?? '') && auth.credentials.type === 'read-only');

export const READ_ACTIONS = new Set(['findOne', 'findMany', 'findFirst', 'count']);

export const WRITE_ACTIONS = new Set(['create', 'update', 'delete', 'publish', 'unpublish', 'discardDraft']);

/**
 * The Public role's whole permission set: read actions on our published content types (those
 * with Draft & Publish; internal ones like the glossary are not content), nothing else.
 */
export const publicActions = (
  contentTypes: { uid: string; kind: 'collectionType' | 'singleType'; draftAndPublish?: boolean }[],
): string[] =>
  contentTypes
    .filter(({ uid, draftAndPublish }) => uid.startsWith('api::') && draftAndPublish)
    .flatMap(({ uid, kind }) => (kind === 'singleType' ? [`${uid}.find`] : [`${uid}.find`, `${uid}.findOne`]))
    .sort();
