/**
 * Stage changes notify the people concerned by e-mail (Strapi's email plugin; provider from the
 * environment, logged in development) and fire the `editorial.stage-change` webhook event.
 */
import type { Core } from '@strapi/strapi';
import { audienceFor, type Stage } from '../../../../lib/workflow';
import { REVIEW_ACTION } from './actor';
import type { DomainEvent } from '../../../events/server/services/stream';

export const STAGE_CHANGE_WEBHOOK = 'editorial.stage-change';

const STAGE_LABELS: Record<Stage, string> = {
  draft: '草稿 Draft',
  in_review: '待审核 In review',
  changes_requested: '需修改 Changes requested',
  approved: '已批准 Approved',
  published: '已发布 Published',
  unpublished: '已撤回 Unpublished',
};

interface Mail {
  to: string;
  subject: string;
  text: string;
}

interface AdminUserRow {
  id: number;
  email: string;
  isActive: boolean;
  roles?: { id: number; code: string }[];
}

const SUPER_ADMIN = 'strapi-super-admin';

/** Active users holding `action` through a role other than Super Admin (who sees everything anyway). */
const usersWithPermission = async (strapi: Core.Strapi, action: string, uid?: string, locale?: string) => {
  const permissions = (await strapi.db.query('admin::permission').findMany({
    where: { action, ...(uid ? { subject: uid } : {}) },
    populate: { role: { select: ['id', 'code'] } } as never,
  })) as { properties?: { locales?: string[] | null }; role?: { id: number; code: string } }[];
  const roleIds = permissions
    .filter(
      ({ role, properties }) =>
        role && role.code !== SUPER_ADMIN && (!locale || !properties?.locales || properties.locales.includes(locale)),
    )
    .map(({ role }) => role!.id);
  if (!roleIds.length) return [];
  return (await strapi.db.query('admin::user').findMany({
    where: { isActive: true, roles: { id: { $in: roleIds } } },
    select: ['id', 'email', 'isActive'],
  })) as AdminUserRow[];
};

const userFromKey = async (strapi: Core.Strapi, key: unknown) => {
  const match = typeof key === 'string' && /^user:(\d+)$/.exec(key);
  if (!match) return undefined;
  return (await strapi.db
    .query('admin::user')
    .findOne({ where: { id: Number(match[1]), isActive: true }, select: ['id', 'email'] })) as AdminUserRow | undefined;
};

export const recipientsOf = async (strapi: Core.Strapi, event: DomainEvent): Promise<string[]> => {
  const { to, assigneeId, lastEditor } = event.payload as {
    to: Stage;
    assigneeId?: number | null;
    lastEditor?: string | null;
  };
  const emails = new Set<string>();
  for (const audience of audienceFor(to)) {
    if (audience === 'assignee' && assigneeId) {
      const user = await userFromKey(strapi, `user:${assigneeId}`);
      if (user) emails.add(user.email);
    } else if (audience === 'editor') {
      const user = await userFromKey(strapi, lastEditor);
      if (user) emails.add(user.email);
    } else if (audience === 'reviewers') {
      (await usersWithPermission(strapi, REVIEW_ACTION)).forEach(({ email }) => emails.add(email));
    } else if (audience === 'publishers') {
      (
        await usersWithPermission(
          strapi,
          'plugin::content-manager.explorer.publish',
          event.target?.uid,
          event.target?.locale,
        )
      ).forEach(({ email }) => emails.add(email));
    }
  }
  const actor = await userFromKey(strapi, event.actor.key);
  if (actor) emails.delete(actor.email); // nobody needs telling what they just did
  return [...emails].sort();
};

export const createNotifier = (strapi: Core.Strapi) => {
  const sent: Mail[] = [];

  const adminLink = (event: DomainEvent) => {
    const base = `${strapi.config.get('server.url', '') || ''}${strapi.config.get('admin.url', '/admin')}`;
    const { uid, documentId, locale } = event.target ?? {};
    const single = (strapi.getModel(uid as never) as { kind?: string } | undefined)?.kind === 'singleType';
    const path = single ? `single-types/${uid}` : `collection-types/${uid}/${documentId}`;
    return `${base}/content-manager/${path}?plugins[i18n][locale]=${locale}`;
  };

  return {
    /** Mail handed to the email plugin (most recent last), kept for the development log and tests. */
    sent: () => [...sent],

    /** A provider for Strapi's email plugin that logs instead of sending (no EMAIL_PROVIDER set). */
    logProvider: {
      async send(options: Mail) {
        strapi.log.info(`email (not sent, no EMAIL_PROVIDER): to ${options.to}: ${options.subject}`);
      },
    },

    async handle(event: DomainEvent) {
      if (event.type === 'workflow.schedule-failed') {
        // Whoever set the schedule hears that it did not happen, and why.
        const user = await userFromKey(strapi, event.payload.createdByKey);
        if (!user) return;
        const mail = {
          to: user.email,
          subject: `[Wutong] 定时任务失败 Scheduled ${event.payload.action} failed`,
          text: `${event.payload.reason}\n${event.target ? adminLink(event) : ''}`,
        };
        await strapi.plugin('email').service('email').send(mail);
        sent.push(mail);
        return;
      }
      if (event.type !== 'workflow.stage-changed') return;
      const { to, from, reason, title, transition } = event.payload as {
        to: Stage;
        from: Stage;
        reason?: string;
        title?: string;
        transition?: string;
      };
      const subject = `[Wutong] ${STAGE_LABELS[to]}: ${title ?? event.target?.documentId} (${event.target?.locale})`;
      const text = [
        `${event.actor.name}: ${STAGE_LABELS[from]} → ${STAGE_LABELS[to]}`,
        reason ? `\n${reason}` : '',
        `\n${adminLink(event)}`,
      ].join('\n');
      for (const recipient of await recipientsOf(strapi, event)) {
        const mail = { to: recipient, subject, text };
        await strapi.plugin('email').service('email').send(mail);
        sent.push(mail);
        if (sent.length > 500) sent.shift();
      }
      await strapi.eventHub.emit(STAGE_CHANGE_WEBHOOK, {
        model: event.target?.uid,
        documentId: event.target?.documentId,
        locale: event.target?.locale,
        transition,
        from,
        to,
        reason: reason ?? null,
        actor: { kind: event.actor.kind, name: event.actor.name },
      });
    },
  };
};

export type Notifier = ReturnType<typeof createNotifier>;
