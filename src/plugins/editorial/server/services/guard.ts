/**
 * The write path's guard and bookkeeping, as a chain of Document Service middlewares: every
 * action on managed content from the admin, REST, GraphQL or code passes here. Each link is a
 * thin wire over one pure rule in src/lib, in this order:
 *
 *   admitActions         reads pass, known writes go on, anything else is refused   write-rules.admitAction
 *   draftsFromContentApi REST and GraphQL writes only ever make drafts
 *   loadWrite            opens the transaction and reads what the rules compare against
 *   staleSave            a save based on an old version is a 409                      write-rules.isStaleSave
 *   localeRights         people write only the languages they may edit                 write-rules.localeRight
 *   publishRule          publishing needs approval; live content comes down only by Publishers
 *                                                                                       write-rules.publishRule
 *   recordWrite          after the write, in the same transaction: the workflow state moves (an
 *                        edit voids approval) and one domain event per document-locale is recorded
 *                                                                                       workflow.afterEdit
 * The explicit system context (asSystem) may publish directly; it is still recorded.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import {
  changedInputFields,
  diffSnapshots,
  summarizeChanges,
  versionOf,
  type Snapshot,
} from '../../../../lib/snapshot';
import { afterEdit, initialState, stageAfterLiveChange } from '../../../../lib/workflow';
import { runningAs } from '../../../../lib/system-actor';
import {
  actionKind,
  admitAction,
  cloneLocales,
  isStaleSave,
  localeRight,
  publishRule,
  type Verdict,
} from '../../../../lib/write-rules';
import { resolveActor, type ResolvedActor } from './actor';
import { parseIfMatch, type Conflicts } from './conflicts';
import type { DomainEvent, EventStream, EventType } from '../../../events/server/services/stream';
import {
  deleteStates,
  documentLocales,
  loadSnapshot,
  loadState,
  saveState,
  schemaOf,
  type StoredState,
  type Target,
} from './store';

interface DocumentContext {
  uid: string;
  action: string;
  params: Record<string, unknown> & {
    documentId?: string;
    locale?: string | string[];
    status?: string;
    data?: Record<string, unknown>;
  };
}

export const isManaged = (strapi: Core.Strapi, uid: string) =>
  uid.startsWith('api::') &&
  (strapi.getModel(uid as never) as { options?: { draftAndPublish?: boolean } })?.options?.draftAndPublish === true;

interface RequestContext {
  state?: { route?: { info?: { type?: string } } };
  request?: { headers?: Record<string, string | undefined> };
}

const requestOf = (strapi: Core.Strapi) => strapi.requestContext.get() as RequestContext | undefined;

const isContentApiRequest = (strapi: Core.Strapi) => requestOf(strapi)?.state?.route?.info?.type === 'content-api';

export const titleOf = (snapshot: Snapshot | null) => String(snapshot?.title ?? snapshot?.name ?? '') || undefined;

/**
 * A refusal by a rule of src/lib, with its stable code for the admin's translations. A
 * PolicyError (a 403) keeps its message: Strapi's route authorisation replaces the message of any
 * other ForbiddenError thrown behind it with a bare "Forbidden".
 */
export const refusal = (verdict: Verdict) => {
  if (verdict.ok) return undefined;
  return new errors.PolicyError(verdict.reason, { code: verdict.code, params: verdict.params });
};

export const actorOf = (actor: ResolvedActor): DomainEvent['actor'] => ({
  kind: actor.kind,
  key: actor.key,
  name: actor.name,
});

/** The event that records a stage move, with what the notifier needs. */
export const stageEvent = (
  target: Target,
  actor: ResolvedActor,
  from: StoredState,
  to: StoredState,
  transition: string,
  title?: string,
): DomainEvent => ({
  type: 'workflow.stage-changed',
  target,
  actor: actorOf(actor),
  payload: {
    summary: `${transition.replace('_', ' ')}: ${from.stage} → ${to.stage}${to.reason && transition === 'request_changes' ? ` (${to.reason})` : ''}`,
    transition,
    from: from.stage,
    to: to.stage,
    reason: to.reason ?? null,
    title,
    lastEditor: to.lastEditor,
    assigneeId: from.assignee?.id ?? null,
  },
});

/** What publishing, unpublishing and discarding a draft record. */
const OUTCOMES: Record<string, { event: EventType; transition: string }> = {
  publish: { event: 'document.published', transition: 'publish' },
  unpublish: { event: 'document.unpublished', transition: 'unpublish' },
  discardDraft: { event: 'document.draft-discarded', transition: 'discard_draft' },
};

/** What one document-locale looked like before the write, and who is writing it. */
interface Before {
  snapshot: Snapshot | null;
  live: Snapshot | null;
  state: StoredState;
  actor: ResolvedActor;
}

/** What one guarded write carries from link to link (set by loadWrite). */
interface Write {
  /** The document written to before the call: none for a create or a clone (it makes a new one). */
  existing?: string;
  cloning: boolean;
  publishing: boolean;
  /** Documents pointing at this one before a change to its live version. */
  referredBy?: string[];
  before: Map<string, Before>;
  onCommit(fn: () => void): void;
  onRollback(fn: () => void): void;
}

type Middleware = (ctx: DocumentContext & { write?: Write }, next: () => Promise<unknown>) => Promise<unknown>;

export const createGuard = (strapi: Core.Strapi, bus: EventStream, conflicts: Conflicts) => {
  const defaultLocale = async (): Promise<string> => strapi.plugin('i18n').service('locales').getDefaultLocale();

  /** Documents whose relations point at this one (relations declared on their side only). */
  const referrers = async (uid: string, documentId: string) => {
    const found: string[] = [];
    for (const model of Object.values(strapi.contentTypes)) {
      if (!model.uid.startsWith('api::')) continue;
      for (const [name, attribute] of Object.entries(model.attributes)) {
        const relation = attribute as { type: string; target?: string };
        if (relation.type !== 'relation' || relation.target !== uid) continue;
        const rows = (await strapi.db.query(model.uid as never).findMany({
          where: { [name]: { documentId } },
          select: ['documentId'],
        })) as { documentId: string }[];
        rows.forEach((row) => found.push(row.documentId));
      }
    }
    return found;
  };

  /**
   * What delivery needs to know about a change to the live version: its slug, and every document
   * it related to before or after (their cached pages show it). `referredBy`: the referrers read
   * before the change when it was one to the live version (the change itself moves no other
   * document's links); otherwise they are read now.
   */
  const delivery = async (
    uid: string,
    documentId: string,
    referredBy: string[] | undefined,
    ...snapshots: (Snapshot | null)[]
  ) => {
    const attributes = schemaOf(strapi)(uid) ?? {};
    const related = new Set<string>(referredBy ?? (await referrers(uid, documentId)));
    let slug: unknown;
    for (const snapshot of snapshots) {
      for (const [name, attribute] of Object.entries(attributes)) {
        const value = snapshot?.[name];
        if (attribute.type === 'uid' && value) slug ??= value;
        if (attribute.type === 'relation')
          ([] as unknown[]).concat(value ?? []).forEach((id) => typeof id === 'string' && related.add(id));
      }
    }
    return { slug: slug ?? null, related: [...related] };
  };

  /** Non-localized fields a write would change, compared with what the document has now. */
  const sharedFieldsChanged = async (ctx: DocumentContext, locale: string, snapshot: Snapshot | null) => {
    const attributes = schemaOf(strapi)(ctx.uid) ?? {};
    const shared = Object.fromEntries(
      Object.entries(attributes).filter(
        ([, attribute]) =>
          (attribute as { pluginOptions?: { i18n?: { localized?: boolean } } }).pluginOptions?.i18n?.localized ===
          false,
      ),
    );
    if (!Object.keys(shared).length) return [];
    // A new language version starts from the shared values the other versions already have.
    let base = snapshot;
    if (!base && ctx.params.documentId) {
      const [other] = (await documentLocales(strapi, ctx.uid, ctx.params.documentId)).filter((code) => code !== locale);
      base = other
        ? await loadSnapshot(strapi, { uid: ctx.uid, documentId: ctx.params.documentId, locale: other })
        : null;
    }
    if (!base) return [];
    return changedInputFields(ctx.params.data ?? {}, base, shared, schemaOf(strapi));
  };

  /** The locales a call touches. */
  const localesOf = async (ctx: DocumentContext): Promise<string[]> => {
    const { locale, documentId } = ctx.params;
    // A clone creates a new document in each locale it copies.
    if (ctx.action === 'clone')
      return cloneLocales(
        locale,
        await defaultLocale(),
        documentId && locale === '*' ? await documentLocales(strapi, ctx.uid, documentId, 'draft') : [],
      );
    if (Array.isArray(locale)) return locale;
    if (locale === '*') {
      return documentId
        ? documentLocales(strapi, ctx.uid, documentId, ctx.action === 'publish' ? 'draft' : undefined)
        : [];
    }
    return [locale ?? (await defaultLocale())];
  };

  const isWrite = (ctx: DocumentContext) => actionKind(ctx.action) === 'write' && isManaged(strapi, ctx.uid);

  /** Default-deny: reads pass, known writes go on to the rules, anything else is refused. */
  const admitActions: Middleware = async (ctx, next) => {
    if (!isManaged(strapi, ctx.uid) || actionKind(ctx.action) === 'read') return next();
    const refused = refusal(admitAction(ctx.action, runningAs()?.kind === 'system'));
    if (refused) throw refused;
    return next();
  };

  /** REST (and GraphQL) writes only ever create drafts, whatever `status` they send. */
  const draftsFromContentApi: Middleware = async (ctx, next) => {
    if (isWrite(ctx) && (ctx.action === 'create' || ctx.action === 'update') && isContentApiRequest(strapi)) {
      ctx.params = { ...ctx.params, status: 'draft' };
    }
    return next();
  };

  /** Opens the write's transaction and reads, per locale, what the rules and the record need. */
  const loadWrite: Middleware = async (ctx, next) => {
    if (!isWrite(ctx)) return next();
    const cloning = ctx.action === 'clone';
    const existing = cloning ? undefined : ctx.params.documentId;
    const publishing =
      ctx.action === 'publish' ||
      ((ctx.action === 'create' || ctx.action === 'update') && ctx.params.status === 'published');
    return strapi.db.transaction(async ({ onCommit, onRollback }) => {
      const locales = await localesOf(ctx);
      // Documents pointing at this one before a change to its live version (a delete or an
      // unpublish removes those links): their cached pages show it.
      const changesLive = ['publish', 'unpublish', 'delete', 'discardDraft'].includes(ctx.action);
      const referredBy = existing && changesLive ? await referrers(ctx.uid, existing) : undefined;
      const before = new Map<string, Before>();
      for (const locale of locales) {
        const target = { uid: ctx.uid, documentId: existing ?? '', locale };
        const snapshot = existing ? await loadSnapshot(strapi, target) : null;
        const state = existing ? await loadState(strapi, target) : initialState();
        // The live version too, when it is about to change: what it related to must be refreshed.
        const live = existing && changesLive ? await loadSnapshot(strapi, target, 'published') : null;
        before.set(locale, { snapshot, live, state, actor: resolveActor(strapi, ctx.uid, locale) });
      }
      ctx.write = { existing, cloning, publishing, referredBy, before, onCommit, onRollback };
      return next();
    });
  };

  /**
   * A save based on a stale version: the admin user's last loaded version, or an API client's
   * If-Match, is not the current one.
   */
  const staleSave: Middleware = async (ctx, next) => {
    const { write } = ctx;
    if (!write || ctx.action !== 'update' || !write.existing) return next();
    for (const [locale, { snapshot, actor }] of write.before) {
      if (!snapshot) continue;
      const target = { uid: ctx.uid, documentId: write.existing, locale };
      const base =
        actor.kind === 'user' && actor.userId !== undefined
          ? await conflicts.seenVersion(actor.userId, target)
          : isContentApiRequest(strapi)
            ? parseIfMatch(requestOf(strapi)?.request?.headers?.['if-match'])
            : undefined;
      if (base && isStaleSave(base, versionOf(snapshot))) {
        const { userId } = actor;
        const mine = ctx.params.data ?? {};
        // Kept for "keep mine" once the refusal has been rolled back.
        if (userId !== undefined)
          write.onRollback(
            () =>
              void bus.background.run('editorial: keeping a refused save', () =>
                conflicts.record(userId, target, base, versionOf(snapshot), mine),
              ),
          );
        throw await conflicts.conflict(target, base, snapshot);
      }
    }
    return next();
  };

  /**
   * People write only the languages they may edit, and shared fields only if they may edit every
   * language the document has. A clone creates the new document in each locale it copies: the
   * same rights as a create (its shared fields are its own).
   */
  const localeRights: Middleware = async (ctx, next) => {
    const { write } = ctx;
    const writes = ((ctx.action === 'create' || ctx.action === 'update') && ctx.params.data) || write?.cloning;
    if (!write || !writes) return next();
    for (const [locale, { snapshot, actor }] of write.before) {
      if (actor.kind !== 'user') continue;
      const sharedChanged = write.cloning || !actor.can.edit ? [] : await sharedFieldsChanged(ctx, locale, snapshot);
      let otherLocked: string | undefined;
      if (sharedChanged.length && write.existing) {
        otherLocked = (await documentLocales(strapi, ctx.uid, write.existing)).find(
          (other) => !resolveActor(strapi, ctx.uid, other).can.edit,
        );
      }
      const refused = refusal(localeRight({ locale, canEdit: actor.can.edit, sharedChanged, otherLocked }));
      if (refused) throw refused;
    }
    return next();
  };

  /** Publishing needs the workflow's approval; live content comes down only by Publishers. */
  const publishRuleLink: Middleware = async (ctx, next) => {
    const { write } = ctx;
    if (!write) return next();
    for (const [locale, { snapshot, live, state, actor }] of write.before) {
      const refused = refusal(
        publishRule({
          action: ctx.action,
          locale,
          publishing: write.publishing,
          state,
          actor,
          version: snapshot ? versionOf(snapshot) : null,
          live: !!live,
          contentApi: isContentApiRequest(strapi),
        }),
      );
      if (refused) throw refused;
    }
    return next();
  };

  /** After the write: the workflow state moves and one event per document-locale is recorded. */
  const recordWrite: Middleware = async (ctx, next) => {
    const { write } = ctx;
    if (!write) return next();
    const result = (await next()) as { documentId?: string; entries?: { documentId?: string }[] } | null;
    const documentId = write.existing ?? result?.documentId ?? result?.entries?.[0]?.documentId;
    if (!documentId) return result;
    const { cloning, publishing, referredBy } = write;

    for (const [locale, previous] of write.before) {
      const target: Target = { uid: ctx.uid, documentId, locale };
      const { actor } = previous;
      const events: DomainEvent[] = [];
      let state: StoredState = previous.state;

      if (ctx.action === 'delete') {
        await deleteStates(strapi, target);
        events.push({
          type: 'document.deleted',
          target,
          actor: actorOf(actor),
          payload: {
            summary: `deleted ${titleOf(previous.snapshot) ?? ''}`.trim(),
            ...(await delivery(ctx.uid, target.documentId, referredBy, previous.snapshot, previous.live)),
          },
        });
      } else {
        const after = await loadSnapshot(strapi, target);
        const title = titleOf(after) ?? titleOf(previous.snapshot);
        let next = state;
        if (ctx.action === 'create' || ctx.action === 'update' || cloning) {
          const changes = diffSnapshots(previous.snapshot, after);
          const created = !previous.snapshot;
          if (created || changes.length) {
            next = afterEdit(state, actor.key);
            events.push({
              snapshot: after,
              type: created ? 'document.created' : 'document.updated',
              target,
              actor: actorOf(actor),
              payload: {
                summary: created
                  ? `created ${title ?? ''}${cloning ? ` (a copy of ${ctx.params.documentId})` : ''}`.trim()
                  : summarizeChanges(changes),
                ...(cloning ? { clonedFrom: ctx.params.documentId } : {}),
                fields: changes.map(({ field }) => field),
                version: after ? versionOf(after) : null,
              },
            });
          }
        }
        const liveAction = publishing ? 'publish' : ctx.action;
        const outcome = OUTCOMES[liveAction];
        if (outcome) {
          next = {
            ...next,
            stage: stageAfterLiveChange(liveAction as 'publish' | 'unpublish' | 'discardDraft', next.stage),
            reason: null,
          };
          events.push({
            type: outcome.event,
            target,
            actor: actorOf(actor),
            payload: {
              summary: `${outcome.event.split('.')[1]} ${title ?? ''}`.trim(),
              version: after ? versionOf(after) : null,
              ...(await delivery(ctx.uid, target.documentId, referredBy, after, previous.live)),
            },
          });
        }
        if (next.stage !== state.stage) {
          events.push(stageEvent(target, actor, state, next, outcome?.transition ?? 'edit', title));
        }
        if (next !== state) {
          await saveState(strapi, target, next, next.stage !== state.stage ? actor.key : undefined);
          state = next;
        }
        // The editor has now seen what they saved.
        if (after && actor.kind === 'user' && actor.userId !== undefined)
          await conflicts.markSeen(actor.userId, target, versionOf(after));
      }
      for (const event of events) await bus.publish(event);
    }
    write.onCommit(() => void bus.kick());
    return result;
  };

  return [admitActions, draftsFromContentApi, loadWrite, staleSave, localeRights, publishRuleLink, recordWrite];
};
