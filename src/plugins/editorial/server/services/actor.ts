/**
 * Who is writing: an admin user (with their permissions on this type and locale), an API token,
 * the explicit system context, or plain code. Read from Strapi's request context.
 */
import type { Core } from '@strapi/strapi';
import { runningAs } from '../../../../lib/system-actor';
import type { Actor, Capabilities } from '../../../../lib/workflow';

export interface ResolvedActor extends Actor {
  name: string;
  userId?: number;
  email?: string;
  /** An admin user's role codes (who may take live content down, change sites and tokens). */
  roles?: string[];
}

interface AdminUser {
  id: number;
  firstname?: string;
  lastname?: string;
  username?: string;
  email?: string;
  roles?: { code?: string }[];
}

interface Ability {
  can(action: string, subject?: unknown): boolean;
}

interface RequestState {
  route?: { info?: { type?: string } };
  user?: AdminUser;
  userAbility?: Ability;
  auth?: { strategy?: { name?: string }; credentials?: { id?: number; name?: string; type?: string } | null };
}

const NONE: Capabilities = { edit: false, review: false, publish: false };
const ALL: Capabilities = { edit: true, review: true, publish: true };

export const REVIEW_ACTION = 'plugin::editorial.review';

export const userName = (user: AdminUser) =>
  [user.firstname, user.lastname].filter(Boolean).join(' ') || user.username || user.email || `user ${user.id}`;

const requestState = (strapi: Core.Strapi): RequestState | undefined =>
  (strapi.requestContext.get() as { state?: RequestState } | undefined)?.state;

/** What an admin user may do to one content type in one locale, as the Content Manager judges it. */
export const capabilitiesOf = (strapi: Core.Strapi, ability: Ability, uid: string, locale: string): Capabilities => {
  const checker = strapi
    .plugin('content-manager')
    .service('permission-checker')
    .create({ userAbility: ability, model: uid });
  return {
    edit: checker.can.update({ locale }) || checker.can.create({ locale }),
    review: ability.can(REVIEW_ACTION),
    publish: checker.can.publish({ locale }),
  };
};

export const resolveActor = (strapi: Core.Strapi, uid: string, locale: string): ResolvedActor => {
  const running = runningAs();
  if (running?.kind === 'system') return { ...running, can: ALL };
  // A scheduled job publishes for whoever scheduled it, within the workflow's rules.
  if (running?.kind === 'scheduler') return { ...running, can: { ...NONE, publish: true } };

  const state = requestState(strapi);
  const type = state?.route?.info?.type;
  if (type === 'admin' && state?.user && state.userAbility) {
    return {
      kind: 'user',
      key: `user:${state.user.id}`,
      name: userName(state.user),
      userId: state.user.id,
      email: state.user.email,
      roles: (state.user.roles ?? []).map(({ code }) => code ?? ''),
      can: capabilitiesOf(strapi, state.userAbility, uid, locale),
    };
  }
  if (type === 'content-api') {
    const token = state?.auth?.credentials;
    if (token?.type && token.id !== undefined) {
      // API tokens write drafts only (the guard forces it): never review or publish.
      return {
        kind: 'api-token',
        key: `api-token:${token.id}`,
        name: `API token "${token.name}"`,
        can: { ...NONE, edit: true },
      };
    }
    return { kind: 'anonymous', key: 'anonymous', name: 'anonymous', can: NONE };
  }
  return { kind: 'code', key: 'code', name: 'code without a request', can: NONE };
};
