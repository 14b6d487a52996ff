/**
 * The write path's default-deny rules for managed content (Document Service actions), pure: the
 * editorial guard resolves who is acting and what exists, these decide.
 *
 * - Every Document Service action is known by name: reads pass, writes go through the editorial
 *   rules, and any other action is refused unless the audited system context runs it.
 * - Taking live content down (deleting or unpublishing a document-locale that has a published
 *   version) is for Publishers and Super Admins only, never for the content API.
 */
import type { Actor } from './workflow';

/** Strapi 5.54's Document Service (core/dist/services/document-service/repository.js). */
export const DOCUMENT_READS = ['findOne', 'findFirst', 'findMany', 'count'] as const;
export const DOCUMENT_WRITES = ['create', 'update', 'clone', 'delete', 'publish', 'unpublish', 'discardDraft'] as const;

export type DocumentWrite = (typeof DOCUMENT_WRITES)[number];

export type Verdict = { ok: true } | { ok: false; reason: string; code: string };

const OK: Verdict = { ok: true };
const refuse = (reason: string, code: string): Verdict => ({ ok: false, reason, code });

export const actionKind = (action: string): 'read' | 'write' | 'unknown' =>
  (DOCUMENT_READS as readonly string[]).includes(action)
    ? 'read'
    : (DOCUMENT_WRITES as readonly string[]).includes(action)
      ? 'write'
      : 'unknown';

/** An action no rule names is refused, except in the audited system context (seed, migrations). */
export const admitAction = (action: string, system: boolean): Verdict =>
  actionKind(action) !== 'unknown' || system
    ? OK
    : refuse(`"${action}" is not an editorial action on managed content`, 'write.unknown-action');

/** Role codes whose holders may take live content down (Strapi's Super Admin and our Publisher). */
export const SUPER_ADMIN_ROLE = 'strapi-super-admin';
export const PUBLISHER_ROLE = 'wutong-publisher';
export const LIVE_REMOVER_ROLES = [SUPER_ADMIN_ROLE, PUBLISHER_ROLE];

export interface Remover {
  kind: Actor['kind'];
  /** The admin user's role codes. */
  roles?: string[];
  /** The call comes from the content API (REST, GraphQL): tokens and end users. */
  contentApi: boolean;
}

/**
 * May `who` delete or unpublish a document-locale that has a published version? Drafts that were
 * never published are not live: deleting them follows the ordinary permissions.
 */
export const mayTakeDownLive = (action: 'delete' | 'unpublish', who: Remover): Verdict => {
  // Server code without a request (scripts, the seed's tools) is trusted as before: no one can
  // reach it from outside. Requests are where the rule bites.
  if (who.kind === 'system' || who.kind === 'code') return OK;
  // A scheduled unpublish runs for the Publisher who scheduled it (schedules check that).
  if (who.kind === 'scheduler') return action === 'unpublish' ? OK : refuse('A schedule cannot delete', 'write.live');
  if (who.contentApi)
    return refuse(
      `The content API cannot ${action} published content: a Publisher does it in the admin`,
      'write.live-content-api',
    );
  if (who.kind === 'user' && who.roles?.some((code) => LIVE_REMOVER_ROLES.includes(code))) return OK;
  return refuse(`Only a Publisher or a Super Admin may ${action} published content`, 'write.live-needs-publisher');
};

/**
 * The locales a clone produces: the one asked for, each of a list, or (for "*") every locale the
 * source has a draft in. No locale means the default one.
 */
export const cloneLocales = (
  requested: string | string[] | undefined,
  defaultLocale: string,
  sourceLocales: string[],
): string[] => {
  if (Array.isArray(requested)) return requested;
  if (requested === '*') return sourceLocales;
  return [requested ?? defaultLocale];
};

/**
 * Only Super Admins change sites and API/admin tokens over a request: sites hold webhook secrets
 * and tokens, tokens grant access. Server code without a request (and the system context) may.
 */
export const mayChangeAccess = (who: { kind: Actor['kind']; roles?: string[] }): Verdict =>
  who.kind === 'system' || who.kind === 'code' || (who.kind === 'user' && !!who.roles?.includes(SUPER_ADMIN_ROLE))
    ? OK
    : refuse('Only a Super Admin may change sites and access tokens', 'write.access-needs-super-admin');
