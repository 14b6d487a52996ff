/**
 * The write path's default-deny rules for managed content (Document Service actions), pure: the
 * editorial guard resolves who is acting and what exists, these decide.
 *
 * - Every Document Service action is known by name: reads pass, writes go through the editorial
 *   rules, and any other action is refused unless the audited system context runs it.
 * - A save must be based on the current version (stale-save check).
 * - People write only the languages they may edit (locale rights).
 * - Publishing follows the workflow; taking live content down (deleting or unpublishing a
 *   document-locale that has a published version) is for Publishers and Super Admins only, never
 *   for the content API (publish rule).
 */
import { decide, type Actor, type WorkflowState } from './workflow';

/** Strapi 5.54's Document Service (core/dist/services/document-service/repository.js). */
export const DOCUMENT_READS = ['findOne', 'findFirst', 'findMany', 'count'] as const;
export const DOCUMENT_WRITES = ['create', 'update', 'clone', 'delete', 'publish', 'unpublish', 'discardDraft'] as const;

export type DocumentWrite = (typeof DOCUMENT_WRITES)[number];

/** A refusal: `reason` in English for API clients, `code` and `params` for the admin's own language. */
export type Verdict =
  | { ok: true }
  | { ok: false; reason: string; code: string; params: Record<string, string | string[]> };

const OK: Verdict = { ok: true };
const refuse = (reason: string, code: string, params: Record<string, string | string[]> = {}): Verdict => ({
  ok: false,
  reason,
  code,
  params,
});

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
    : refuse(`"${action}" is not an editorial action on managed content`, 'write.unknown-action', { action });

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
  if (who.kind === 'scheduler')
    return action === 'unpublish' ? OK : refuse('A schedule cannot delete', 'write.live', { action });
  if (who.contentApi)
    return refuse(
      `The content API cannot ${action} published content: a Publisher does it in the admin`,
      'write.live-content-api',
      { action },
    );
  if (who.kind === 'user' && who.roles?.some((code) => LIVE_REMOVER_ROLES.includes(code))) return OK;
  return refuse(`Only a Publisher or a Super Admin may ${action} published content`, 'write.live-needs-publisher', {
    action,
  });
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

/** A save based on another version than the current one (stale form, If-Match) is refused: a 409. */
export const isStaleSave = (base: string | undefined, current: string): boolean => !!base && base !== current;

export interface LocaleRightInput {
  locale: string;
  canEdit: boolean;
  /** Non-localized fields the write changes (the same in every language). */
  sharedChanged: string[];
  /** Another language of the document the writer may not edit, if any. */
  otherLocked?: string;
}

/**
 * People write only the languages they may edit, and shared fields (numbers, coordinates: the
 * same in every language) only if they may edit every language the document has.
 */
export const localeRight = ({ locale, canEdit, sharedChanged, otherLocked }: LocaleRightInput): Verdict => {
  if (!canEdit) return refuse(`You may not edit the ${locale} version of this content`, 'write.locale', { locale });
  if (sharedChanged.length && otherLocked)
    return refuse(
      `${sharedChanged.join(', ')} ${sharedChanged.length > 1 ? 'are' : 'is'} the same in every language: only someone who may edit every language (including ${otherLocked}) can change it`,
      'write.shared-fields',
      { fields: sharedChanged, locale: otherLocked },
    );
  return OK;
};

export interface PublishRuleInput {
  action: string;
  locale: string;
  /** A create or update that asks for the published status. */
  publishing: boolean;
  state: WorkflowState;
  actor: Actor & { roles?: string[] };
  /** Content hash of the current draft. */
  version: string | null;
  /** Whether this document-locale has a published version. */
  live: boolean;
  contentApi: boolean;
}

/**
 * What may change the live version: publishing needs the workflow's approval (by someone other
 * than the last editor, of exactly this version), never in the same step as a save; unpublishing
 * and deleting live content need a Publisher or a Super Admin.
 */
export const publishRule = (input: PublishRuleInput): Verdict => {
  const { action, locale, actor, state } = input;
  if (actor.kind === 'system') return OK;
  const remover = { kind: actor.kind, roles: actor.roles, contentApi: input.contentApi };
  if (action === 'delete') return input.live ? mayTakeDownLive('delete', remover) : OK;
  if (action === 'publish') {
    const decision = decide('publish', state, actor, { version: input.version });
    return decision.ok ? OK : refuse(`${decision.reason} (${locale})`, decision.code, { ...decision.params, locale });
  }
  if (input.publishing)
    return refuse(
      'Save the content as a draft and have it approved: it cannot be published in the same step',
      'workflow.publish-in-one-step',
      { locale },
    );
  if (action === 'unpublish') {
    const decision = decide('unpublish', state, actor, { live: input.live });
    if (!decision.ok) return refuse(`${decision.reason} (${locale})`, decision.code, { ...decision.params, locale });
    return mayTakeDownLive('unpublish', remover);
  }
  return OK;
};
