/**
 * Changes to who and what can reach our content from outside: the delivery sites (webhook URLs,
 * secrets, their tokens) and API/admin tokens. Only Super Admins make them over a request (rule:
 * src/lib/write-rules.ts mayChangeAccess), and each one is recorded in the audit log.
 */
import type { Core } from '@strapi/strapi';
import { runningAs } from '../../../../lib/system-actor';
import { actionKind, admitAction, mayChangeAccess } from '../../../../lib/write-rules';
import { resolveActor, type ResolvedActor } from './actor';
import type { EventStream } from '../../../events/server/services/stream';
import { actorOf, refusal } from './guard';

export const SITE_UID = 'plugin::delivery.site';

const TOKEN_SERVICES = { 'admin::api-token-content-api': 'API token', 'admin::api-token-admin': 'admin token' };
const TOKEN_METHODS = ['create', 'update', 'regenerate', 'revoke'] as const;

interface DocumentContext {
  uid: string;
  action: string;
  params: { documentId?: string; data?: { name?: unknown } };
}

const VERBS: Record<string, string> = { create: 'created', update: 'updated', delete: 'deleted', clone: 'cloned' };

const check = (actor: ResolvedActor) => {
  const denied = refusal(mayChangeAccess(actor));
  if (denied) throw denied;
};

/** Document Service middleware for the site registry. */
export const siteChanges =
  (strapi: Core.Strapi, bus: EventStream) => async (ctx: DocumentContext, next: () => Promise<unknown>) => {
    if (ctx.uid !== SITE_UID) return next();
    const kind = actionKind(ctx.action);
    if (kind === 'read') return next();
    const unknown = refusal(admitAction(ctx.action, runningAs()?.kind === 'system'));
    if (unknown) throw unknown;
    const actor = resolveActor(strapi, SITE_UID, '-');
    check(actor);
    return strapi.db.transaction(async ({ onCommit }) => {
      const before = ctx.params.documentId
        ? ((await strapi.db
            .query(SITE_UID as never)
            .findOne({ where: { documentId: ctx.params.documentId }, select: ['name'] })) as { name?: string } | null)
        : null;
      const result = (await next()) as { name?: string } | null;
      const name = result?.name ?? before?.name ?? ctx.params.data?.name ?? '';
      // Like role changes: recorded when a person or the system context makes them.
      if (actor.kind === 'code') return result;
      await bus.publish({
        type: 'admin.site-changed',
        actor: actorOf(actor),
        payload: {
          summary: `site "${name}" ${VERBS[ctx.action] ?? ctx.action}`,
          action: ctx.action,
          site: name,
          fields: Object.keys(ctx.params.data ?? {}).filter((field) => field !== 'webhookSecret'),
        },
      });
      onCommit(() => void bus.kick());
      return result;
    });
  };

/**
 * Wraps the token services' writes (the admin's token routes call them): refused for anyone but a
 * Super Admin over a request, and audited. Site tokens made and revoked by the site registry run
 * inside the Super Admin's own site change.
 */
export const guardTokens = (strapi: Core.Strapi, bus: EventStream) => {
  for (const [uid, label] of Object.entries(TOKEN_SERVICES)) {
    const service = strapi.service(uid as never) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    if (!service) continue;
    for (const method of TOKEN_METHODS) {
      const original = service[method];
      if (typeof original !== 'function') continue;
      service[method] = async (...args: unknown[]) => {
        const actor = resolveActor(strapi, uid, '-');
        check(actor);
        const before =
          method === 'create'
            ? null
            : ((await strapi.db.query('admin::api-token').findOne({ where: { id: args[0] }, select: ['name'] })) as {
                name?: string;
              } | null);
        const result = (await original.apply(service, args)) as { name?: string } | null;
        // Regenerating answers with the new key only: the name is the one it had.
        const name = (method === 'regenerate' ? undefined : result?.name) ?? before?.name ?? `#${String(args[0])}`;
        if (actor.kind === 'code') return result;
        const verb = method === 'create' ? 'created' : method === 'revoke' ? 'revoked' : `${method}d`;
        await bus.publish({
          type: 'admin.token-changed',
          actor: actorOf(actor),
          payload: { summary: `${label} "${name}" ${verb}`, action: method, token: name, kind: label },
        });
        void bus.kick();
        return result;
      };
    }
  }
};
