/**
 * Workflow operations the admin UI and API call: the panel's view of a document-locale, moving
 * it between stages, assigning it, commenting, and the "waiting for me" queue.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { versionOf } from '../../../../lib/snapshot';
import { SOURCE_LOCALE } from '../../../../lib/locales';
import { panelActions } from '../../../../lib/panel-actions';
import {
  availableTransitions,
  decide,
  initialState,
  STAGES,
  type Stage,
  type Transition,
} from '../../../../lib/workflow';
import { capabilitiesOf, userName, type ResolvedActor } from './actor';
import { mayAssign, mayComment, shownPerson } from '../../../../lib/assignees';
import type { EventStream } from '../../../events/server/services/stream';
import { actorOf, isManaged, stageEvent, titleOf } from './guard';
import { loadSnapshot, loadState, saveState, STATE_UID, type Target } from './store';

export const COMMENT_UID = 'plugin::editorial.comment';

export interface AdminUser {
  id: number;
  firstname?: string;
  lastname?: string;
  email?: string;
}

export interface Ability {
  can(action: string, subject?: unknown): boolean;
}

export const userActor = (strapi: Core.Strapi, user: AdminUser, ability: Ability, target: Target): ResolvedActor => ({
  kind: 'user',
  key: `user:${user.id}`,
  name: userName(user),
  userId: user.id,
  email: user.email,
  can: capabilitiesOf(strapi, ability, target.uid, target.locale),
});

/** A refusal with its stable code (in details, for the admin's language) and the English reason. */
const failure = (status: 400 | 403, reason: string, code = 'workflow.refused', params: Record<string, unknown> = {}) =>
  status === 400
    ? new errors.ValidationError(reason, { code, params })
    : new errors.PolicyError(reason, { code, params });

export const createWorkflow = (strapi: Core.Strapi, bus: EventStream) => {
  const assertTarget = async (target: Target) => {
    if (!isManaged(strapi, target.uid)) throw new errors.NotFoundError(`${target.uid} has no editorial workflow`);
    const exists = await strapi.db
      .query(target.uid as never)
      .findOne({ where: { documentId: target.documentId, locale: target.locale }, select: ['id'] });
    if (!exists) throw new errors.NotFoundError('No such document in this locale');
  };

  const comments = (target: Target) =>
    strapi.db.query(COMMENT_UID as never).findMany({
      where: { targetUid: target.uid, targetDocumentId: target.documentId, targetLocale: target.locale },
      orderBy: { id: 'asc' },
      populate: { author: { select: ['id', 'firstname', 'lastname', 'email'] } } as never,
    });

  return {
    /** Everything the side panel shows for one document-locale and one user. */
    async view(target: Target, actor: ResolvedActor) {
      if (!isManaged(strapi, target.uid)) throw new errors.NotFoundError(`${target.uid} has no editorial workflow`);
      const rows = (await strapi.db.query(target.uid as never).findMany({
        where: { documentId: target.documentId },
        select: ['locale'],
      })) as { locale: string }[];
      if (!rows.length) throw new errors.NotFoundError('No such document');
      const exists = rows.some(({ locale }) => locale === target.locale);
      const context = {
        exists,
        translation: target.locale !== SOURCE_LOCALE,
        sourceExists: rows.some(({ locale }) => locale === SOURCE_LOCALE),
      };
      if (!exists) {
        // A translation nobody has started: the panel explains it and offers to start it.
        return {
          missing: true,
          stage: null,
          reason: null,
          lastEditor: null,
          approvedBy: null,
          approvalCurrent: false,
          stageChangedAt: null,
          stageChangedBy: null,
          assignee: null,
          dueDate: null,
          live: false,
          version: null,
          transitions: [],
          actions: panelActions(initialState(), actor, { ...context, version: null, live: false }),
          comments: [],
        };
      }
      const [state, snapshot, published] = await Promise.all([
        loadState(strapi, target),
        loadSnapshot(strapi, target),
        loadSnapshot(strapi, target, 'published'),
      ]);
      const version = snapshot ? versionOf(snapshot) : null;
      return {
        missing: false,
        stage: state.stage,
        reason: state.reason ?? null,
        lastEditor: state.lastEditor,
        approvedBy: state.approvedBy,
        approvalCurrent: !!state.approvedVersion && state.approvedVersion === version,
        stageChangedAt: state.stageChangedAt ?? null,
        stageChangedBy: state.stageChangedBy ?? null,
        // Names only: e-mail addresses are not for every reader of the panel.
        assignee: shownPerson(state.assignee),
        dueDate: state.dueDate ?? null,
        live: !!published,
        version,
        transitions: availableTransitions(state, actor, version, !!published),
        actions: panelActions(state, actor, { ...context, version, live: !!published }),
        comments: ((await comments(target)) as { author?: AdminUser | null }[]).map((comment) => ({
          ...comment,
          author: shownPerson(comment.author),
        })),
      };
    },

    /** Moves a document-locale; publish and unpublish go through the Document Service (and its guard). */
    async transition(target: Target, transition: Transition, actor: ResolvedActor, reason?: string) {
      await assertTarget(target);
      if (transition === 'publish' || transition === 'unpublish') {
        const documents = strapi.documents(target.uid as never) as unknown as Record<
          Transition,
          (params: unknown) => Promise<unknown>
        >;
        await documents[transition]({ documentId: target.documentId, locale: target.locale });
        return;
      }
      await strapi.db.transaction(async ({ onCommit }) => {
        const state = await loadState(strapi, target);
        const snapshot = await loadSnapshot(strapi, target);
        const decision = decide(transition, state, actor, { version: snapshot ? versionOf(snapshot) : null, reason });
        if (!decision.ok) throw failure(decision.status, decision.reason, decision.code, decision.params);
        await saveState(strapi, target, decision.next, actor.key);
        await bus.publish(
          stageEvent(target, actor, state, { ...state, ...decision.next }, transition, titleOf(snapshot)),
        );
        onCommit(() => void bus.kick());
      });
    },

    async assign(target: Target, actor: ResolvedActor, assigneeId: number | null, dueDate: string | null) {
      await assertTarget(target);
      if (!mayAssign(actor.can))
        throw failure(403, 'Only a Reviewer or a Publisher may assign this content', 'workflow.no-assign');
      const assignee = assigneeId
        ? ((await strapi.db.query('admin::user').findOne({
            where: { id: assigneeId, isActive: true },
            select: ['id', 'firstname', 'lastname', 'email'],
          })) as AdminUser | null)
        : null;
      if (assigneeId && !assignee) throw failure(400, 'No active admin user with that id', 'workflow.unknown-assignee');
      if (dueDate !== null && Number.isNaN(Date.parse(dueDate)))
        throw failure(400, 'dueDate must be a date (YYYY-MM-DD)', 'workflow.due-date');
      await strapi.db.transaction(async ({ onCommit }) => {
        const state = await loadState(strapi, target);
        await saveState(strapi, target, { ...state, assignee: assignee as never, dueDate });
        await bus.publish({
          type: 'workflow.assigned',
          target,
          actor: actorOf(actor),
          payload: {
            summary: assignee ? `assigned to ${userName(assignee)}${dueDate ? `, due ${dueDate}` : ''}` : 'unassigned',
            assigneeId: assignee?.id ?? null,
            dueDate,
          },
        });
        onCommit(() => void bus.kick());
      });
    },

    async comment(target: Target, actor: ResolvedActor, body: string, parentId?: number | null) {
      await assertTarget(target);
      if (!mayComment(actor.can)) throw failure(403, 'You may not comment on this content', 'workflow.no-comment');
      const text = body?.trim();
      if (!text) throw failure(400, 'A comment needs some text', 'workflow.comment-empty');
      if (text.length > 5000)
        throw failure(400, 'A comment is at most 5000 characters', 'workflow.comment-long', { max: 5000 });
      if (parentId) {
        const parent = await strapi.db.query(COMMENT_UID as never).findOne({
          where: {
            id: parentId,
            targetUid: target.uid,
            targetDocumentId: target.documentId,
            targetLocale: target.locale,
          },
        });
        if (!parent) throw failure(400, 'The comment replied to is not on this document', 'workflow.comment-parent');
      }
      return strapi.db.transaction(async ({ onCommit }) => {
        const comment = await strapi.db.query(COMMENT_UID as never).create({
          data: {
            targetUid: target.uid,
            targetDocumentId: target.documentId,
            targetLocale: target.locale,
            body: text,
            parentId: parentId ?? null,
            author: actor.userId,
          } as never,
        });
        await bus.publish({
          type: 'workflow.commented',
          target,
          actor: actorOf(actor),
          payload: {
            summary: text.length > 120 ? `${text.slice(0, 117)}…` : text,
            commentId: (comment as { id: number }).id,
          },
        });
        onCommit(() => void bus.kick());
        return comment;
      });
    },

    /** Stages of many documents of one type and locale (list view column and filter). */
    async stages(uid: string, locale: string, documentIds: string[]) {
      const stored = (await strapi.db.query(STATE_UID as never).findMany({
        where: { targetUid: uid, targetLocale: locale, targetDocumentId: { $in: documentIds } },
        select: ['targetDocumentId', 'stage'],
      })) as { targetDocumentId: string; stage: Stage }[];
      const result: Record<string, Stage> = {};
      for (const documentId of documentIds) {
        result[documentId] =
          stored.find((row) => row.targetDocumentId === documentId)?.stage ??
          (await loadState(strapi, { uid, documentId, locale })).stage;
      }
      return result;
    },

    /** documentIds of one type and locale in a stage (the list view's stage filter). */
    async documentsInStage(uid: string, locale: string, stage: Stage) {
      if (!STAGES.includes(stage))
        throw failure(400, `stage must be one of ${STAGES.join(', ')}`, 'workflow.unknown-stage');
      const rows = (await strapi.db
        .query(STATE_UID as never)
        .findMany({ where: { targetUid: uid, targetLocale: locale, stage }, select: ['targetDocumentId'] })) as {
        targetDocumentId: string;
      }[];
      return rows.map(({ targetDocumentId }) => targetDocumentId);
    },

    /**
     * "Waiting for me": what this user can act on now — reviews (in review, not their own edit),
     * approved content to publish, their edits sent back, and anything assigned to them.
     */
    async queue(user: AdminUser, ability: Ability) {
      const rows = (await strapi.db.query(STATE_UID as never).findMany({
        where: {
          $or: [{ stage: { $in: ['in_review', 'approved', 'changes_requested'] } }, { assignee: { id: user.id } }],
        },
        populate: { assignee: { select: ['id', 'firstname', 'lastname', 'email'] } } as never,
        orderBy: [{ dueDate: 'asc' }, { stageChangedAt: 'asc' }],
      })) as (Record<string, unknown> & {
        targetUid: string;
        targetDocumentId: string;
        targetLocale: string;
        stage: Stage;
        lastEditor: string | null;
        assignee?: AdminUser | null;
      })[];
      const items = [];
      for (const row of rows) {
        if (!isManaged(strapi, row.targetUid)) continue;
        const target = { uid: row.targetUid, documentId: row.targetDocumentId, locale: row.targetLocale };
        const actor = userActor(strapi, user, ability, target);
        const snapshot = await loadSnapshot(strapi, target);
        const version = snapshot ? versionOf(snapshot) : null;
        const mine = row.assignee?.id === user.id;
        // Taking content down is never "waiting": the queue lists review, publishing and fixes only.
        const actions = availableTransitions(row as never, actor, version, false).filter(
          (transition) => transition !== 'withdraw',
        );
        const sentBack = row.stage === 'changes_requested' && row.lastEditor === actor.key;
        if (
          !mine &&
          !sentBack &&
          !actions.some((transition) => ['approve', 'publish', 'request_changes'].includes(transition))
        )
          continue;
        items.push({
          ...target,
          kind: (strapi.getModel(target.uid as never) as { kind?: string } | undefined)?.kind,
          title: titleOf(snapshot) ?? target.documentId,
          stage: row.stage,
          reason: row.reason ?? null,
          dueDate: row.dueDate ?? null,
          assignee: shownPerson(row.assignee),
          stageChangedAt: row.stageChangedAt ?? null,
          actions,
          mine,
        });
      }
      return items;
    },
  };
};

export type Workflow = ReturnType<typeof createWorkflow>;
