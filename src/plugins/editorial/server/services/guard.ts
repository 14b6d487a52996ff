/**
 * The write path's guard and bookkeeping, as a Document Service middleware: every write from the
 * admin, REST, GraphQL or code passes here.
 *
 * Before the write: REST writes become drafts; publishing is refused unless the workflow allows it
 * (approved by someone other than the last editor, for exactly this version), unless running in
 * the explicit system context. After the write, in the same transaction: the workflow state moves
 * (an edit voids approval) and one domain event per document-locale is recorded.
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
import { afterEdit, decide, initialState, type Stage } from '../../../../lib/workflow';
import { runningAs } from '../../../../lib/system-actor';
import { actionKind, admitAction, cloneLocales, mayTakeDownLive, type Verdict } from '../../../../lib/write-rules';
import { resolveActor, type ResolvedActor } from './actor';
import { parseIfMatch, type Conflicts } from './conflicts';
import type { DomainEvent, EventBus, EventType } from './events';
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

// A PolicyError (a 403) keeps its message: Strapi's route authorisation replaces the message of
// any other ForbiddenError thrown behind it with a bare "Forbidden".
const forbid = (reason: string) => new errors.PolicyError(reason);

/** A refusal by a rule of src/lib, with its stable code for the admin's translations. */
export const refusal = (verdict: Verdict) => {
  if (verdict.ok) return undefined;
  return new errors.PolicyError(verdict.reason, { code: verdict.code });
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

/** What publishing, unpublishing and discarding a draft record, and the stage they leave. */
const OUTCOMES: Record<string, { event: EventType; transition: string; stage: (state: StoredState) => Stage }> = {
  publish: { event: 'document.published', transition: 'publish', stage: () => 'published' },
  // Unpublishing takes the live version down; a draft being reworked keeps its stage.
  unpublish: {
    event: 'document.unpublished',
    transition: 'unpublish',
    stage: ({ stage }) => (stage === 'published' ? 'unpublished' : stage),
  },
  discardDraft: { event: 'document.draft-discarded', transition: 'discard_draft', stage: () => 'published' },
};

export const createGuard = (strapi: Core.Strapi, bus: EventBus, conflicts: Conflicts) => {
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

  return async (ctx: DocumentContext, next: () => Promise<unknown>) => {
    if (!isManaged(strapi, ctx.uid)) return next();
    // Default-deny: reads pass, known writes follow the rules below, anything else is refused
    // unless the audited system context runs it.
    const kind = actionKind(ctx.action);
    if (kind === 'read') return next();
    const refused = refusal(admitAction(ctx.action, runningAs()?.kind === 'system'));
    if (refused) throw refused;
    if (kind === 'unknown') return next();
    const cloning = ctx.action === 'clone';
    // The document written to before the call: none for a clone (it makes a new one).
    const existing = cloning ? undefined : ctx.params.documentId;

    // REST (and GraphQL) writes only ever create drafts, whatever `status` they send.
    if ((ctx.action === 'create' || ctx.action === 'update') && isContentApiRequest(strapi)) {
      ctx.params = { ...ctx.params, status: 'draft' };
    }
    const publishing =
      ctx.action === 'publish' ||
      ((ctx.action === 'create' || ctx.action === 'update') && ctx.params.status === 'published');

    return strapi.db.transaction(async ({ onCommit, onRollback }) => {
      const locales = await localesOf(ctx);
      // Documents pointing at this one before a change to its live version (a delete or an
      // unpublish removes those links): their cached pages show it.
      const changesLive = ['publish', 'unpublish', 'delete', 'discardDraft'].includes(ctx.action);
      const referredBy = existing && changesLive ? await referrers(ctx.uid, existing) : undefined;
      const before = new Map<
        string,
        { snapshot: Snapshot | null; live: Snapshot | null; state: StoredState; actor: ResolvedActor }
      >();
      for (const locale of locales) {
        const target = { uid: ctx.uid, documentId: existing ?? '', locale };
        const snapshot = existing ? await loadSnapshot(strapi, target) : null;
        const state = existing ? await loadState(strapi, target) : initialState();
        // The live version too, when it is about to change: what it related to must be refreshed.
        const live = existing && changesLive ? await loadSnapshot(strapi, target, 'published') : null;
        before.set(locale, { snapshot, live, state, actor: resolveActor(strapi, ctx.uid, locale) });
      }

      // A save based on a stale version: the admin user's last loaded version, or an API
      // client's If-Match, is not the current one.
      if (ctx.action === 'update') {
        for (const [locale, { snapshot, actor }] of before) {
          if (!snapshot || !ctx.params.documentId) continue;
          const target = { uid: ctx.uid, documentId: ctx.params.documentId, locale };
          const base =
            actor.kind === 'user' && actor.userId !== undefined
              ? await conflicts.seenVersion(actor.userId, target)
              : isContentApiRequest(strapi)
                ? parseIfMatch(requestOf(strapi)?.request?.headers?.['if-match'])
                : undefined;
          if (base && base !== versionOf(snapshot)) {
            const { userId } = actor;
            const mine = ctx.params.data ?? {};
            // Kept for "keep mine" once the refusal has been rolled back.
            if (userId !== undefined)
              onRollback(
                () =>
                  void bus.background.run('editorial: keeping a refused save', () =>
                    conflicts.record(userId, target, base, versionOf(snapshot), mine),
                  ),
              );
            throw await conflicts.conflict(target, base, snapshot);
          }
        }
      }

      // People write only the languages they may edit, and shared fields (numbers, coordinates:
      // the same in every language) only if they may edit every language the document has.
      // A clone creates the new document in each locale it copies: the same rights as a create.
      if (((ctx.action === 'create' || ctx.action === 'update') && ctx.params.data) || cloning) {
        for (const [locale, { snapshot, actor }] of before) {
          if (actor.kind !== 'user') continue;
          if (!actor.can.edit) throw forbid(`You may not edit the ${locale} version of this content`);
          if (cloning) continue; // a new document: its shared fields are its own
          const shared = await sharedFieldsChanged(ctx, locale, snapshot);
          if (!shared.length || !ctx.params.documentId) continue;
          for (const other of await documentLocales(strapi, ctx.uid, ctx.params.documentId)) {
            if (!resolveActor(strapi, ctx.uid, other).can.edit) {
              throw forbid(
                `${shared.join(', ')} ${shared.length > 1 ? 'are' : 'is'} the same in every language: only someone who may edit every language (including ${other}) can change it`,
              );
            }
          }
        }
      }

      // The guard proper.
      for (const [locale, { snapshot, live, state, actor }] of before) {
        if (actor.kind === 'system') continue;
        // Taking live content down: Publishers and Super Admins only, never the content API.
        if (ctx.action === 'delete' && live) {
          const denied = refusal(
            mayTakeDownLive('delete', {
              kind: actor.kind,
              roles: actor.roles,
              contentApi: isContentApiRequest(strapi),
            }),
          );
          if (denied) throw denied;
        }
        if (ctx.action === 'publish') {
          const decision = decide('publish', state, actor, { version: snapshot ? versionOf(snapshot) : null });
          if (!decision.ok) throw forbid(`${decision.reason} (${locale})`);
        } else if (publishing) {
          throw forbid('Save the content as a draft and have it approved: it cannot be published in the same step');
        } else if (ctx.action === 'unpublish') {
          const live = !!(await loadSnapshot(
            strapi,
            { uid: ctx.uid, documentId: ctx.params.documentId ?? '', locale },
            'published',
          ));
          const decision = decide('unpublish', state, actor, { live });
          if (!decision.ok) throw forbid(`${decision.reason} (${locale})`);
          const denied = refusal(
            mayTakeDownLive('unpublish', {
              kind: actor.kind,
              roles: actor.roles,
              contentApi: isContentApiRequest(strapi),
            }),
          );
          if (denied) throw denied;
        }
      }

      const result = (await next()) as { documentId?: string; entries?: { documentId?: string }[] } | null;
      const documentId = existing ?? result?.documentId ?? result?.entries?.[0]?.documentId;
      if (!documentId) return result;

      for (const [locale, previous] of before) {
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
          const outcome = publishing ? OUTCOMES.publish : OUTCOMES[ctx.action];
          if (outcome) {
            next = { ...next, stage: outcome.stage(next), reason: null };
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
      onCommit(() => void bus.kick());
      return result;
    });
  };
};
