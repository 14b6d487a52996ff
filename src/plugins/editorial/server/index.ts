/**
 * Editorial plugin: review stages with two-person approval on every publish path, assignees and
 * comments, an append-only audit log and notifications; version history with diff and restore,
 * scheduled publishing, releases and conflict-safe saves. The state machine is src/lib/workflow.ts.
 */
import type { Core } from '@strapi/strapi';
import { asSystem, systemReason } from '../../../lib/system-actor';
import { envInt, envString } from '../../../lib/env';
import contentTypes from './content-types';
import controllers from './controllers';
import routes from './routes';
import { resolveActor } from './services/actor';
import { guardTokens, siteChanges } from './services/access-changes';
import { backfillAuditSearch, DEFAULT_RETENTION_DAYS, purgeAudit, recordAudit } from './services/audit';
import { ensureAuditSearchIndex, ensureDatabaseRules } from './services/database';
import type { EventStream, EventType } from '../../events/server/services/stream';
import { createGuard } from './services/guard';
import { createNotifier, STAGE_CHANGE_WEBHOOK, type Notifier } from './services/notifications';
import { addLocaleToRoles, ensureRoles } from './services/roles';
import { createWorkflow, type Workflow } from './services/workflow';
import { createHistory, type History } from './services/history';
import { createSchedules, type Schedules } from './services/schedules';
import { createConflicts, type Conflicts } from './services/conflicts';
import { recordSeenVersions } from './services/seen-middleware';
import { createTranslations, type Translations } from './services/translations';
import { machineTranslatorFromEnv } from '../../../lib/machine-translation';

let bus: EventStream;
let workflow: Workflow;
let notifier: Notifier;
let history: History;
let schedules: Schedules;
let conflicts: Conflicts;
let translations: Translations;

const retentionDays = () => Math.max(180, envInt(process.env, 'AUDIT_RETENTION_DAYS', DEFAULT_RETENTION_DAYS));

/** Admin events Strapi emits for role, permission and user changes, recorded in the audit log. */
const ADMIN_EVENTS: Record<string, EventType> = {
  'role.create': 'admin.role-changed',
  'role.update': 'admin.role-changed',
  'role.delete': 'admin.role-changed',
  'permission.create': 'admin.permissions-changed',
  'permission.update': 'admin.permissions-changed',
  'permission.delete': 'admin.permissions-changed',
  'user.create': 'admin.user-changed',
  'user.update': 'admin.user-changed',
  'user.delete': 'admin.user-changed',
};

const summarizeAdminEvent = (name: string, payload: Record<string, unknown>) => {
  const [subject, verb] = name.split('.');
  const role = payload.role as { name?: string } | undefined;
  const user = payload.user as { email?: string; roles?: { name?: string }[] } | undefined;
  const permissions = ([] as { action?: string; subject?: string }[]).concat((payload.permissions as never) ?? []);
  if (subject === 'role') return `role "${role?.name}" ${verb}d`;
  if (subject === 'user')
    return `admin user ${user?.email ?? ''} ${verb}d${user?.roles ? ` (roles: ${user.roles.map(({ name }) => name).join(', ')})` : ''}`;
  return `${permissions.length} permission(s) ${verb}d: ${permissions
    .slice(0, 5)
    .map(({ action, subject: s }) => `${action}${s ? ` on ${s}` : ''}`)
    .join(', ')}${permissions.length > 5 ? ', …' : ''}`;
};

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    // The events plugin's stream (it owns the events table); its background also runs this
    // plugin's timers and after-commit work, and is closed first at shutdown.
    bus = strapi.plugin('events').service('stream') as EventStream;
    workflow = createWorkflow(strapi, bus);
    notifier = createNotifier(strapi);
    history = createHistory(strapi, bus);
    conflicts = createConflicts(strapi, () => history);
    schedules = createSchedules(strapi, bus, envString(process.env, 'WUTONG_TIMEZONE', 'Asia/Shanghai') as string);
    strapi.server.use(recordSeenVersions(strapi, conflicts));
    const translator = machineTranslatorFromEnv(process.env); // read once: a bad setting fails at start
    translations = createTranslations(strapi, bus, () => translator);

    void strapi.service('admin::permission').actionProvider.registerMany([
      { section: 'plugins', displayName: 'See the editorial panel and queue', uid: 'read', pluginName: 'editorial' },
      { section: 'plugins', displayName: 'Review: approve or request changes', uid: 'review', pluginName: 'editorial' },
      { section: 'plugins', displayName: 'Read and export the audit log', uid: 'audit', pluginName: 'editorial' },
      { section: 'plugins', displayName: 'Manage releases', uid: 'releases', pluginName: 'editorial' },
    ]);

    for (const link of createGuard(strapi, bus, conflicts)) strapi.documents.use(link as never);
    strapi.documents.use(siteChanges(strapi, bus) as never);
    strapi.get('webhookStore').addAllowedEvent('EDITORIAL_STAGE_CHANGE', STAGE_CHANGE_WEBHOOK);
    strapi.hook('strapi::content-types.afterSync').register(async () => {
      await ensureDatabaseRules(strapi, retentionDays());
      await ensureAuditSearchIndex(strapi);
    });
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    bus.onChange((event) => recordAudit(strapi, event).then(() => undefined));
    // Search rows for entries written before search or from other texts (a language added): in
    // batches, before the audit log is served, so every entry is findable in every language.
    const searchRows = await backfillAuditSearch(strapi);
    if (searchRows) strapi.log.info(`Audit search: ${searchRows} entries indexed`);
    bus.onChange((event) => history.record(event));
    bus.onChange((event) => translations.record(event));
    bus.onCommitted((event) => notifier.handle(event));
    guardTokens(strapi, bus);

    // Development and tests: log e-mail instead of sending it.
    if (!process.env.EMAIL_PROVIDER) strapi.plugin('email').provider = notifier.logProvider;

    for (const [name, type] of Object.entries(ADMIN_EVENTS)) {
      strapi.eventHub.on(name, async (payload: Record<string, unknown>) => {
        const request = strapi.requestContext.get() as { state?: { user?: unknown } } | undefined;
        // Strapi resets the Super Admin's permissions at every start: only record changes made
        // by a person or by the explicit system context.
        if (!request?.state?.user && !systemReason()) return;
        const actor = resolveActor(strapi, 'admin::role', '-');
        await bus.publish({
          type,
          actor: { kind: actor.kind, key: actor.key, name: actor.name },
          payload: { summary: summarizeAdminEvent(name, payload), event: name },
        });
      });
    }

    // The Public and Authenticated roles' API permissions (Settings → Users & Permissions): audited,
    // and public responses cached under the old permissions are dropped. Once per request, after
    // the response (a role update writes many permission rows).
    const publicAccessChanged = (actor: { kind: string; key: string; name: string }) =>
      bus.publish({
        type: 'admin.permissions-changed',
        actor,
        payload: { summary: 'API permissions of the users & permissions roles changed', scope: 'content-api' },
      });
    const onPermissionRow = () => {
      const request = strapi.requestContext.get() as
        | {
            state?: { user?: unknown; publicAccessChanged?: boolean };
            res?: { once(event: string, fn: () => void): void };
          }
        | undefined;
      if (!request?.state?.user && !systemReason()) return; // the bootstrap's own idempotent grants
      // Who did it is known now, not after the response.
      const { kind, key, name } = resolveActor(strapi, 'plugin::users-permissions.role', '-');
      const changed = () =>
        void bus.background.run('editorial: permissions', () => publicAccessChanged({ kind, key, name }));
      if (!request?.res) return changed();
      if (request.state?.publicAccessChanged) return;
      request.state!.publicAccessChanged = true;
      request.res.once('finish', changed);
    };
    strapi.db.lifecycles.subscribe({
      models: ['plugin::users-permissions.permission'],
      afterCreate: onPermissionRow,
      afterUpdate: onPermissionRow,
      afterDelete: onPermissionRow,
      afterCreateMany: onPermissionRow,
      afterDeleteMany: onPermissionRow,
    });

    // A language added in Settings or with `npm run locale:add`: roles follow. Added or removed,
    // it is audited, and the public API's caches follow the event.
    type LocaleEvent = { result?: { code?: string; name?: string } };
    const localeChanged = async (event: LocaleEvent, type: 'admin.locale-added' | 'admin.locale-removed') => {
      const code = event.result?.code;
      if (!code) return;
      const actor = resolveActor(strapi, 'plugin::i18n.locale', code);
      const verb = type === 'admin.locale-added' ? 'added' : 'removed';
      if (verb === 'added') await asSystem(`language ${code} added`, () => addLocaleToRoles(strapi, code));
      await bus.publish({
        type,
        actor: { kind: actor.kind, key: actor.key, name: actor.name },
        payload: { summary: `language ${event.result?.name ?? code} ${verb}`, locale: code },
      });
    };
    strapi.db.lifecycles.subscribe({
      models: ['plugin::i18n.locale'],
      afterCreate: (event: LocaleEvent) => localeChanged(event, 'admin.locale-added'),
      afterDelete: (event: LocaleEvent) => localeChanged(event, 'admin.locale-removed'),
    });

    strapi.cron.add({
      editorialAuditRetention: {
        task: async () => {
          await purgeAudit(strapi, retentionDays());
        },
        options: { rule: '17 3 * * *' },
      },
    });
    schedules.start(envInt(process.env, 'WUTONG_SCHEDULER_INTERVAL_MS', 5000));
  },

  async destroy() {
    schedules?.stop();
    await bus?.background.close();
  },

  contentTypes,
  routes,
  controllers: { workflow: controllers },
  services: {
    workflow: () => workflow,
    notifications: () => notifier,
    history: () => history,
    schedules: () => schedules,
    conflicts: () => conflicts,
    translations: () => translations,
    // Called from the app's bootstrap: it must run after the admin's own bootstrap, which creates
    // the Super Admin role only when no role exists yet.
    roles: ({ strapi }: { strapi: Core.Strapi }) => ({
      ensure: () => asSystem('bootstrap', () => ensureRoles(strapi)),
    }),
  },
};
