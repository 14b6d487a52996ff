/**
 * Stage changes notify the people concerned by e-mail (Strapi's email plugin; provider from the
 * environment, logged in development) and fire the `editorial.stage-change` webhook event.
 *
 * Each e-mail is written in its recipient's interface language (`preferedLanguage`, which Strapi
 * stores when they pick one on their profile; Chinese when unset) from the admin's own tables:
 * the editorial plugin's `msg.mail.*` templates, stage names and refusal messages, and the
 * content types' names and field labels, so a mail says what the admin says.
 */
import type { Core } from '@strapi/strapi';
import { audienceFor, type Stage } from '../../../../lib/workflow';
import {
  fill,
  languageFor,
  nameActor,
  renderMessage,
  tableContext,
  type MessageParams,
} from '../../../../lib/messages';
import { REVIEW_ACTION } from './actor';
import { loadSnapshot } from './store';
import type { DomainEvent } from '../../../events/server/services/stream';
import { failedMembers } from '../../../../lib/release-failure';
import { LABELS, LANGUAGES, TEMPLATES } from '../texts';

export const STAGE_CHANGE_WEBHOOK = 'editorial.stage-change';

/** Our editors write Chinese first: someone who never chose a language reads Chinese. */
const DEFAULT_LANGUAGE = 'zh-Hans';

interface Recipient {
  email: string;
  language: string;
}

interface Mail {
  to: string;
  subject: string;
  text: string;
}

interface AdminUserRow {
  id: number;
  email: string;
  isActive?: boolean;
  preferedLanguage?: string | null;
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
    select: ['id', 'email', 'isActive', 'preferedLanguage'],
  })) as AdminUserRow[];
};

const userFromKey = async (strapi: Core.Strapi, key: unknown) => {
  const match = typeof key === 'string' && /^user:(\d+)$/.exec(key);
  if (!match) return undefined;
  return (await strapi.db
    .query('admin::user')
    .findOne({ where: { id: Number(match[1]), isActive: true }, select: ['id', 'email', 'preferedLanguage'] })) as
    | AdminUserRow
    | undefined;
};

const recipient = (user: AdminUserRow): Recipient => ({
  email: user.email,
  language: languageFor(user.preferedLanguage, LANGUAGES, DEFAULT_LANGUAGE),
});

/** One e-mail's texts in one language: templates filled, stages and fields by their names there. */
const writer = (strapi: Core.Strapi, language: string, uid?: string) => {
  const labels = LABELS[language] ?? LABELS.en;
  const context = tableContext(language, TEMPLATES, (field) =>
    uid ? labels[`content-manager.content-types.${uid}.${field}`] : undefined,
  );
  const say = (key: string, params: MessageParams = {}) => fill(context.template(key) ?? key, params, context);
  return {
    say,
    /** Who acted: people by name, the system's own actors in this language. */
    who: (name: string) =>
      nameActor(name, (key, fallback, params) => fill(context.template(key) ?? fallback, params ?? {}, context)),
    /** A coded message (a refusal) in this language; its English text when no template has it. */
    message: (code: unknown, params: unknown, english: string) =>
      (typeof code === 'string' && renderMessage({ code, params: (params ?? {}) as MessageParams }, context)) ||
      english,
    /** "招商项目“滨江地块”（zh-Hans）": the content type by its name in this language. */
    document: (title: string, locale?: string) => {
      const displayName = uid
        ? (strapi.getModel(uid as never) as { info?: { displayName?: string } })?.info?.displayName
        : undefined;
      const type = displayName ? (labels[displayName] ?? displayName) : (uid ?? '');
      return say('msg.mail.document', { type, title, locale: locale ?? '' });
    },
  };
};

export const recipientsOf = async (strapi: Core.Strapi, event: DomainEvent): Promise<Recipient[]> => {
  const { to, assigneeId, lastEditor } = event.payload as {
    to: Stage;
    assigneeId?: number | null;
    lastEditor?: string | null;
  };
  const emails = new Map<string, Recipient>();
  const add = (user: AdminUserRow | undefined) => {
    if (user) emails.set(user.email, recipient(user));
  };
  for (const audience of audienceFor(to)) {
    if (audience === 'assignee' && assigneeId) {
      add(await userFromKey(strapi, `user:${assigneeId}`));
    } else if (audience === 'editor') {
      add(await userFromKey(strapi, lastEditor));
    } else if (audience === 'reviewers') {
      (await usersWithPermission(strapi, REVIEW_ACTION)).forEach(add);
    } else if (audience === 'publishers') {
      (
        await usersWithPermission(
          strapi,
          'plugin::content-manager.explorer.publish',
          event.target?.uid,
          event.target?.locale,
        )
      ).forEach(add);
    }
  }
  const actor = await userFromKey(strapi, event.actor.key);
  if (actor) emails.delete(actor.email); // nobody needs telling what they just did
  return [...emails.values()].sort((a, b) => a.email.localeCompare(b.email));
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

  const send = async (mail: Mail) => {
    await strapi.plugin('email').service('email').send(mail);
    sent.push(mail);
    if (sent.length > 500) sent.shift();
  };

  /** The title of the document an event is about, as its draft (or live version) has it. */
  const titleOf = async (event: DomainEvent) => {
    const target = event.target;
    if (!target?.uid || !target.documentId) return '';
    const snapshot =
      (await loadSnapshot(strapi, target as never)) ?? (await loadSnapshot(strapi, target as never, 'published'));
    const title = snapshot?.title ?? snapshot?.name ?? snapshot?.term;
    return typeof title === 'string' && title ? title : target.documentId;
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
        const { action, releaseId, reason, reasonCode, reasonParams } = event.payload as {
          action: string;
          releaseId?: number | null;
          reason: string;
          reasonCode?: string | null;
          reasonParams?: MessageParams | null;
        };
        const { language } = recipient(user);
        const write = writer(strapi, language, event.target?.uid);
        const what = event.target?.uid
          ? write.document(await titleOf(event), event.target.locale)
          : write.say('msg.mail.release', { id: releaseId ?? '' });
        await send({
          to: user.email,
          subject: write.say('msg.mail.schedule-failed.subject', {
            action: write.say(`schedule.${action}`),
            document: what,
          }),
          text: [
            write.message(reasonCode, reasonParams, reason),
            event.target?.uid ? write.say('msg.mail.open', { link: adminLink(event) }) : '',
            // A release names each member that refused, with where to open it.
            ...failedMembers(reasonCode, reasonParams).map((member) =>
              write.say('msg.mail.open-member', {
                document: writer(strapi, language, member.uid).document(member.title, member.locale),
                link: adminLink({
                  ...event,
                  target: { uid: member.uid, documentId: member.documentId, locale: member.locale },
                }),
              }),
            ),
          ]
            .filter(Boolean)
            .join('\n\n'),
        });
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
      for (const { email, language } of await recipientsOf(strapi, event)) {
        const write = writer(strapi, language, event.target?.uid);
        const document = write.document(title ?? event.target?.documentId ?? '', event.target?.locale);
        await send({
          to: email,
          subject: write.say('msg.mail.stage.subject', { to, document }),
          text: [
            write.say('msg.mail.stage', { who: write.who(event.actor.name), from, to }),
            reason ? write.say('msg.mail.reason', { reason }) : '',
            write.say('msg.mail.open', { link: adminLink(event) }),
          ]
            .filter(Boolean)
            .join('\n\n'),
        });
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
