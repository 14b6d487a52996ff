/**
 * Admin API of the editorial plugin (mounted at /editorial, admin authentication).
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { STAGES, TRANSITIONS, type Stage, type Transition } from '../../../../lib/workflow';
import { auditCsv, listAudit, type AuditFilters } from '../services/audit';
import { capabilitiesOf } from '../services/actor';
import { isManaged } from '../services/guard';
import { redactChanges, redactSnapshot, redactVersion, visibleFields } from '../../../../lib/field-visibility';
import { assigneeList, mayAssignSomething } from '../../../../lib/assignees';
import { diffSnapshots, SYSTEM_ATTRIBUTES, type FieldChange, type Snapshot } from '../../../../lib/snapshot';
import { refsIn } from '../../../../lib/text-diff';

/** Which attribute names a related document, in order of preference. */
const TITLE_FIELDS = ['title', 'name', 'term', 'code', 'slug'];
import { userActor, type Ability, type AdminUser, type Workflow } from '../services/workflow';
import type { Target } from '../services/store';
import type { History } from '../services/history';
import type { Schedules } from '../services/schedules';
import type { Conflicts } from '../services/conflicts';
import type { Translations } from '../services/translations';
import { loadSnapshot } from '../services/store';

interface Ctx {
  params: Record<string, string>;
  query: Record<string, unknown>;
  request: { body?: Record<string, unknown> };
  state: { user: AdminUser; userAbility: Ability };
  body: unknown;
  status: number;
  set(name: string, value: string): void;
}

const str = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const workflow = () => strapi.plugin('editorial').service('workflow') as Workflow;
  const history = () => strapi.plugin('editorial').service('history') as History;
  const schedules = () => strapi.plugin('editorial').service('schedules') as Schedules;
  const conflicts = () => strapi.plugin('editorial').service('conflicts') as Conflicts;
  const translations = () => strapi.plugin('editorial').service('translations') as Translations;

  const targetOf = async (ctx: Ctx): Promise<Target> => {
    const locale = str(ctx.query.locale) ?? (await strapi.plugin('i18n').service('locales').getDefaultLocale());
    const target = { uid: ctx.params.uid, documentId: ctx.params.documentId, locale };
    const checker = strapi
      .plugin('content-manager')
      .service('permission-checker')
      .create({ userAbility: ctx.state.userAbility, model: target.uid });
    if (!strapi.contentTypes[target.uid as never] || checker.cannot.read({ locale })) {
      throw new errors.PolicyError('You may not read this content', { code: 'policy.read' });
    }
    return target;
  };

  /**
   * Which fields of this type and locale the user may read in the Content Manager: history and
   * diffs show only those (a partly readable component is hidden whole).
   */
  const readableFields = (ctx: Ctx, target: Target) => {
    const model = strapi.contentTypes[target.uid as never] as { attributes: Record<string, unknown> };
    const checker = strapi
      .plugin('content-manager')
      .service('permission-checker')
      .create({ userAbility: ctx.state.userAbility, model: target.uid });
    const paths: string[] = strapi
      .service('admin::content-type')
      .getNestedFields(model, { components: strapi.components });
    const fields = Object.keys(model.attributes).filter((field) => !SYSTEM_ATTRIBUTES.has(field));
    const visible = visibleFields(fields, paths, (path) => checker.can.read({ locale: target.locale }, path));
    return { visible, hidden: new Set(fields.filter((field) => !visible.has(field))) };
  };

  /**
   * A diff as people read it: each change with its field's type, and the related documents'
   * titles and media files' names and thumbnails it names (`refs`, by id). A related type the
   * user may not read in the Content Manager keeps its ids only.
   */
  const forPeople = async (ctx: Ctx, target: Target, changes: FieldChange[]) => {
    type Attribute = { type: string; target?: string; component?: string; repeatable?: boolean };
    type Change = FieldChange & { type?: string; refs?: Record<string, unknown>; children?: Change[] };
    const attributesOf = (uid: string) =>
      (
        (strapi.contentTypes[uid as never] ?? strapi.components[uid as never]) as
          | { attributes: Record<string, Attribute> }
          | undefined
      )?.attributes ?? {};

    const titles = async (uid: string, ids: string[]) => {
      const related = strapi.contentTypes[uid as never] as { attributes: Record<string, unknown> } | undefined;
      const checker = strapi
        .plugin('content-manager')
        .service('permission-checker')
        .create({ userAbility: ctx.state.userAbility, model: uid });
      if (!related || checker.cannot.read()) return undefined;
      const titleField = TITLE_FIELDS.find((name) => name in related.attributes);
      const rows = (await strapi.db.query(uid as never).findMany({
        where: { documentId: { $in: ids } },
        select: ['documentId', 'locale', ...(titleField ? [titleField] : [])],
      })) as Record<string, string>[];
      // The title in this document's language, else in any language.
      const refs: Record<string, { title: string | null }> = {};
      for (const row of rows.sort((a, b) => Number(b.locale === target.locale) - Number(a.locale === target.locale)))
        refs[row.documentId] ??= { title: titleField ? (row[titleField] ?? null) : null };
      return refs;
    };

    const files = async (ids: string[]) => {
      const rows = (await strapi.db.query('plugin::upload.file').findMany({
        where: { id: { $in: ids.map(Number).filter(Number.isInteger) } },
        select: ['id', 'name', 'url', 'mime', 'formats'],
      })) as { id: number; name: string; url: string; mime: string; formats?: { thumbnail?: { url?: string } } }[];
      return Object.fromEntries(
        rows.map((file) => [
          String(file.id),
          { title: file.name, mime: file.mime, thumbnail: file.formats?.thumbnail?.url ?? file.url },
        ]),
      );
    };

    const enrich = async (change: FieldChange, attribute: Attribute | undefined): Promise<Change> => {
      if (!attribute) return change;
      const { type } = attribute;
      const ids = [...new Set([...refsIn(change.before), ...refsIn(change.after)])];
      if (type === 'relation' && attribute.target && ids.length)
        return { ...change, type, refs: await titles(attribute.target, ids) };
      if (type === 'media' && ids.length) return { ...change, type, refs: await files(ids) };
      if (type === 'component' && attribute.component) {
        // A component's change as its own fields' changes (an image's file, its caption…).
        const nested = attributesOf(attribute.component);
        const pairs: [string, unknown, unknown][] = attribute.repeatable
          ? Array.from(
              {
                length: Math.max(
                  ([] as unknown[]).concat(change.before ?? []).length,
                  ([] as unknown[]).concat(change.after ?? []).length,
                ),
              },
              (_, index) => [
                `#${index + 1}`,
                ([] as unknown[]).concat(change.before ?? [])[index] ?? null,
                ([] as unknown[]).concat(change.after ?? [])[index] ?? null,
              ],
            )
          : [['', change.before, change.after]];
        const children: Change[] = [];
        for (const [item, before, after] of pairs)
          for (const inner of diffSnapshots(before as Snapshot | null, after as Snapshot | null))
            children.push(
              await enrich({ ...inner, field: item ? `${item} ${inner.field}` : inner.field }, nested[inner.field]),
            );
        return { ...change, type, children };
      }
      return { ...change, type };
    };

    const attributes = attributesOf(target.uid);
    return Promise.all(changes.map((change) => enrich(change, attributes[change.field])));
  };

  const actorOf = (ctx: Ctx, target: Target) => userActor(strapi, ctx.state.user, ctx.state.userAbility, target);

  /** A refused save's values, only for the fields this user may read (as the history's diffs). */
  const visibleConflict = <T extends { values?: Record<string, unknown> }>(conflict: T | null, visible: Set<string>) =>
    conflict?.values
      ? {
          ...conflict,
          values: Object.fromEntries(Object.entries(conflict.values).filter(([field]) => visible.has(field))),
        }
      : conflict;

  /** Everything the side panel shows: workflow, schedule, releases, and a pending conflict. */
  const panel = async (ctx: Ctx, target: Target) => {
    const view = await workflow().view(target, actorOf(ctx, target));
    if (view.missing) {
      return { ...view, timeZone: schedules().timeZone, schedules: [], releases: [], conflict: null, stale: null };
    }
    const seen = await conflicts().seenVersion(ctx.state.user.id, target);
    return {
      ...view,
      timeZone: schedules().timeZone,
      schedules: await schedules().forTarget(target),
      releases: await schedules().releases.forTarget(target),
      // A save of this user's refused as stale, waiting for "keep mine" or "take theirs".
      conflict: visibleConflict(
        await conflicts().pending(ctx.state.user.id, target),
        readableFields(ctx, target).visible,
      ),
      // Someone saved since this user's form loaded: their next save would be refused.
      stale:
        seen && view.version && seen !== view.version
          ? await conflicts().describe(target, seen, await loadSnapshot(strapi, target))
          : null,
    };
  };

  const requireEdit = (ctx: Ctx, target: Target) => {
    if (!actorOf(ctx, target).can.edit)
      throw new errors.PolicyError('You may not edit this content', { code: 'policy.edit' });
  };

  const releaseId = (ctx: Ctx) => {
    const id = Number(ctx.params.id);
    if (!Number.isInteger(id)) throw new errors.ValidationError('Unknown release');
    return id;
  };

  /** The document-locale named in a request body (adding to a release). */
  const bodyTarget = async (ctx: Ctx): Promise<Target> => {
    const { uid, documentId, locale } = { ...ctx.query, ...ctx.request.body } as Record<string, unknown>;
    if (typeof uid !== 'string' || typeof documentId !== 'string')
      throw new errors.ValidationError('uid and documentId are required');
    ctx.params = { ...ctx.params, uid, documentId };
    ctx.query = { ...ctx.query, locale };
    return targetOf(ctx);
  };

  return {
    async view(ctx: Ctx) {
      const target = await targetOf(ctx);
      ctx.body = { data: await panel(ctx, target) };
    },

    async transition(ctx: Ctx) {
      const target = await targetOf(ctx);
      const transition = ctx.request.body?.transition as Transition;
      if (!TRANSITIONS.includes(transition))
        throw new errors.ValidationError(`transition must be one of ${TRANSITIONS.join(', ')}`);
      await workflow().transition(target, transition, actorOf(ctx, target), str(ctx.request.body?.reason));
      ctx.body = { data: await panel(ctx, target) };
    },

    async assign(ctx: Ctx) {
      const target = await targetOf(ctx);
      const { assigneeId = null, dueDate = null } = ctx.request.body ?? {};
      if (assigneeId !== null && !Number.isInteger(assigneeId))
        throw new errors.ValidationError('assigneeId must be an admin user id or null');
      if (dueDate !== null && typeof dueDate !== 'string')
        throw new errors.ValidationError('dueDate must be a date string or null');
      await workflow().assign(target, actorOf(ctx, target), assigneeId as number | null, dueDate as string | null);
      ctx.body = { data: await panel(ctx, target) };
    },

    async comment(ctx: Ctx) {
      const target = await targetOf(ctx);
      const { body, parentId } = ctx.request.body ?? {};
      if (typeof body !== 'string') throw new errors.ValidationError('body must be text');
      if (parentId !== undefined && parentId !== null && !Number.isInteger(parentId))
        throw new errors.ValidationError('parentId must be a comment id');
      await workflow().comment(target, actorOf(ctx, target), body, parentId as number | null | undefined);
      ctx.status = 201;
      ctx.body = { data: await panel(ctx, target) };
    },

    async versions(ctx: Ctx) {
      const target = await targetOf(ctx);
      const { visible, hidden } = readableFields(ctx, target);
      ctx.body = { data: (await history().list(target)).map((row) => redactVersion(row, visible, hidden)) };
    },

    async version(ctx: Ctx) {
      const target = await targetOf(ctx);
      const { visible, hidden } = readableFields(ctx, target);
      const row = await history().get(target, Number(ctx.params.id));
      ctx.body = { data: { ...redactVersion(row, visible, hidden), snapshot: redactSnapshot(row.snapshot, visible) } };
    },

    async diff(ctx: Ctx) {
      const target = await targetOf(ctx);
      const { visible } = readableFields(ctx, target);
      const changes = await history().diff(target, str(ctx.query.from) ?? 'published', str(ctx.query.to) ?? 'current');
      ctx.body = { data: await forPeople(ctx, target, redactChanges(changes, visible)) };
    },

    async restore(ctx: Ctx) {
      const target = await targetOf(ctx);
      requireEdit(ctx, target);
      await history().restore(target, Number(ctx.params.id), actorOf(ctx, target));
      ctx.body = { data: await panel(ctx, target) };
    },

    /** After a refused save: apply it over the current version after all. */
    async keepMine(ctx: Ctx) {
      const target = await targetOf(ctx);
      requireEdit(ctx, target);
      await conflicts().keepMine(ctx.state.user.id, target);
      ctx.body = { data: await panel(ctx, target) };
    },

    /** After a refused save: drop it and keep the current version. */
    async takeTheirs(ctx: Ctx) {
      const target = await targetOf(ctx);
      await conflicts().discard(ctx.state.user.id, target);
      ctx.body = { data: await panel(ctx, target) };
    },

    async schedule(ctx: Ctx) {
      const target = await targetOf(ctx);
      const { action, at } = ctx.request.body ?? {};
      if (action !== 'publish' && action !== 'unpublish')
        throw new errors.ValidationError('action must be publish or unpublish');
      await schedules().schedule(target, action, at, actorOf(ctx, target));
      ctx.body = { data: await panel(ctx, target) };
    },

    async unschedule(ctx: Ctx) {
      const target = await targetOf(ctx);
      const action = str(ctx.query.action);
      if (action !== 'publish' && action !== 'unpublish')
        throw new errors.ValidationError('action must be publish or unpublish');
      await schedules().unschedule(target, action, actorOf(ctx, target));
      ctx.body = { data: await panel(ctx, target) };
    },

    async releases(ctx: Ctx) {
      ctx.body = { data: await schedules().releases.list() };
    },

    async release(ctx: Ctx) {
      // The zone a release's schedule time is read in, for the page to name it.
      ctx.body = { data: await schedules().releases.get(releaseId(ctx)), meta: { timeZone: schedules().timeZone } };
    },

    async createRelease(ctx: Ctx) {
      const actor = userActor(strapi, ctx.state.user, ctx.state.userAbility, {
        uid: '-',
        documentId: '-',
        locale: '-',
      });
      const release = await schedules().releases.create(ctx.request.body ?? {}, actor);
      ctx.status = 201;
      ctx.body = { data: await schedules().releases.get(release.id) };
    },

    async deleteRelease(ctx: Ctx) {
      const actor = userActor(strapi, ctx.state.user, ctx.state.userAbility, {
        uid: '-',
        documentId: '-',
        locale: '-',
      });
      await schedules().releases.delete(releaseId(ctx), actor);
      ctx.status = 204;
    },

    async addToRelease(ctx: Ctx) {
      const id = releaseId(ctx);
      const target = await bodyTarget(ctx);
      await schedules().releases.addEntry(
        id,
        target,
        (ctx.request.body?.action ?? 'publish') as 'publish',
        actorOf(ctx, target),
      );
      ctx.body = { data: await schedules().releases.get(id) };
    },

    async removeFromRelease(ctx: Ctx) {
      const id = releaseId(ctx);
      const target = await bodyTarget(ctx);
      await schedules().releases.removeEntry(id, target, actorOf(ctx, target));
      ctx.body = { data: await schedules().releases.get(id) };
    },

    async publishRelease(ctx: Ctx) {
      const id = releaseId(ctx);
      const actor = userActor(strapi, ctx.state.user, ctx.state.userAbility, {
        uid: '-',
        documentId: '-',
        locale: '-',
      });
      await schedules().releases.publishNow(id, actor);
      ctx.body = { data: await schedules().releases.get(id) };
    },

    async scheduleRelease(ctx: Ctx) {
      const id = releaseId(ctx);
      const actor = userActor(strapi, ctx.state.user, ctx.state.userAbility, {
        uid: '-',
        documentId: '-',
        locale: '-',
      });
      await schedules().releases.schedule(id, ctx.request.body?.at, actor);
      ctx.body = { data: await schedules().releases.get(id) };
    },

    async translation(ctx: Ctx) {
      const target = await targetOf(ctx);
      ctx.body = { data: await translations().detail(target) };
    },

    async markUpToDate(ctx: Ctx) {
      const target = await targetOf(ctx);
      const fields = ctx.request.body?.fields;
      if (fields !== undefined && !(Array.isArray(fields) && fields.every((field) => typeof field === 'string'))) {
        throw new errors.ValidationError('fields must be a list of field names');
      }
      await translations().markUpToDate(target, actorOf(ctx, target), fields as string[] | undefined);
      ctx.body = { data: await translations().detail(target) };
    },

    async fill(ctx: Ctx) {
      const target = await targetOf(ctx);
      const mode = ctx.request.body?.mode ?? 'source';
      if (mode !== 'source' && mode !== 'machine') throw new errors.ValidationError('mode must be source or machine');
      const result = await translations().fill(target, actorOf(ctx, target), mode);
      ctx.body = { data: { ...result, ...(await translations().detail(target)) } };
    },

    /** Translation status of every document, for a language (the translator's dashboard and tools). */
    async translations(ctx: Ctx) {
      const locale = str(ctx.query.locale);
      const items = await translations().list({ locale, uid: str(ctx.query.uid), status: str(ctx.query.status) });
      // Only what this user may read.
      const readable = items.filter(({ uid, locale: code }) =>
        strapi
          .plugin('content-manager')
          .service('permission-checker')
          .create({ userAbility: ctx.state.userAbility, model: uid })
          .can.read({ locale: code }),
      );
      ctx.body = { data: readable };
    },

    async translationSummary(ctx: Ctx) {
      const locale = str(ctx.query.locale);
      if (!locale) throw new errors.ValidationError('locale is required');
      ctx.body = { data: await translations().summary(locale) };
    },

    /** Translation status of many documents of one type in one language (list view column). */
    async translationStatuses(ctx: Ctx) {
      const locale = str(ctx.query.locale);
      if (!locale) throw new errors.ValidationError('locale is required');
      const ids = ([] as unknown[])
        .concat(ctx.query.documentIds ?? [])
        .filter((id): id is string => typeof id === 'string')
        .slice(0, 200);
      const result: Record<string, string> = {};
      for (const documentId of ids)
        result[documentId] = (await translations().detail({ uid: ctx.params.uid, documentId, locale })).status;
      ctx.body = { data: result };
    },

    async stages(ctx: Ctx) {
      const locale = str(ctx.query.locale) ?? (await strapi.plugin('i18n').service('locales').getDefaultLocale());
      const stage = str(ctx.query.stage);
      if (stage) {
        if (!STAGES.includes(stage as Stage))
          throw new errors.ValidationError(`stage must be one of ${STAGES.join(', ')}`);
        ctx.body = { data: await workflow().documentsInStage(ctx.params.uid, locale, stage as Stage) };
        return;
      }
      const ids = ([] as unknown[])
        .concat(ctx.query.documentIds ?? [])
        .filter((id): id is string => typeof id === 'string')
        .slice(0, 200);
      ctx.body = { data: await workflow().stages(ctx.params.uid, locale, ids) };
    },

    async queue(ctx: Ctx) {
      ctx.body = { data: await workflow().queue(ctx.state.user, ctx.state.userAbility) };
    },

    /** People to assign work to: id and display name only, for those who may assign something. */
    async assignees(ctx: Ctx) {
      const locales = ((await strapi.plugin('i18n').service('locales').find()) as { code: string }[]).map(
        ({ code }) => code,
      );
      const capabilities = Object.keys(strapi.contentTypes)
        .filter((uid) => isManaged(strapi, uid))
        .flatMap((uid) => locales.map((locale) => capabilitiesOf(strapi, ctx.state.userAbility, uid, locale)));
      if (!mayAssignSomething(capabilities))
        throw new errors.PolicyError('You may not assign content', { code: 'workflow.no-assign' });
      const users = (await strapi.db.query('admin::user').findMany({
        where: { isActive: true },
        select: ['id', 'firstname', 'lastname', 'username'],
        orderBy: { firstname: 'asc' },
      })) as AdminUser[];
      ctx.body = { data: assigneeList(users) };
    },

    async audit(ctx: Ctx) {
      const page = Math.max(1, Number(ctx.query.page) || 1);
      const pageSize = Math.min(200, Math.max(1, Number(ctx.query.pageSize) || 50));
      const { results, pagination } = await listAudit(strapi, ctx.query as AuditFilters, page, pageSize);
      ctx.body = { data: results, meta: { pagination } };
    },

    async auditExport(ctx: Ctx) {
      ctx.set('Content-Type', 'text/csv; charset=utf-8');
      ctx.set(
        'Content-Disposition',
        `attachment; filename="wutong-audit-${new Date().toISOString().slice(0, 10)}.csv"`,
      );
      // In the requester's interface language when the admin sends it; the machine format without.
      const { language } = ctx.query as { language?: unknown };
      ctx.body = await auditCsv(strapi, ctx.query as AuditFilters, typeof language === 'string' ? language : undefined);
    },
  };
};
