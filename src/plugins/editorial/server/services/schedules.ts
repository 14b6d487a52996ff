/**
 * Scheduled publishing and unpublishing of document-locales, and releases: groups of documents
 * and locales published (or unpublished) together, all or nothing, now or at a set time.
 *
 * Exactly once, across processes: a job runs in one transaction that first flips its row from
 * "pending" to "done" (a conditional update, which also locks the row), then publishes. Another
 * process trying the same job waits for that lock and then finds nothing pending; a crash rolls
 * both back, so the job is still pending and runs on the next tick — including jobs that fell due
 * while every process was down.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { asScheduler } from '../../../../lib/system-actor';
import { formatInZone, parseScheduleTime } from '../../../../lib/time';
import { decide } from '../../../../lib/workflow';
import { versionOf } from '../../../../lib/snapshot';
import { codeOf } from '../../../../lib/messages';
import { releaseFailure, type FailedMember } from '../../../../lib/release-failure';
import type { ResolvedActor } from './actor';
import type { EventStream } from '../../../events/server/services/stream';
import { actorOf, isManaged } from './guard';
import { loadSnapshot, loadState, type Target } from './store';

export const SCHEDULE_UID = 'plugin::editorial.schedule';
export const RELEASE_UID = 'plugin::editorial.release';
export const ENTRY_UID = 'plugin::editorial.release-entry';

type Action = 'publish' | 'unpublish';

interface ScheduleRow {
  id: number;
  action: Action | 'release';
  targetUid: string | null;
  targetDocumentId: string | null;
  targetLocale: string | null;
  releaseId: number | null;
  runAt: string;
  status: string;
  createdByKey: string | null;
  createdByName: string | null;
}

interface EntryRow {
  id: number;
  releaseId: number;
  targetUid: string;
  targetDocumentId: string;
  targetLocale: string;
  action: Action;
}

const refuse = (message: string, code = 'schedule.refused', params: Record<string, unknown> = {}) =>
  new errors.PolicyError(message, { code, params });
const invalid = (message: string) => new errors.ValidationError(message);

/** What a failed job or release stores: the English text, and the code and params to show it translated. */
const failure = (error: unknown) => {
  const coded = codeOf(error);
  return {
    lastError: (error as Error).message,
    lastErrorCode: coded?.code ?? null,
    lastErrorParams: coded?.params ?? null,
  };
};

export const createSchedules = (strapi: Core.Strapi, bus: EventStream, timeZone: string) => {
  const schedules = () => strapi.db.query(SCHEDULE_UID as never);
  const releases = () => strapi.db.query(RELEASE_UID as never);
  const entries = () => strapi.db.query(ENTRY_UID as never);
  let stopTimer: (() => void) | undefined;

  const targetOf = (row: {
    targetUid: string | null;
    targetDocumentId: string | null;
    targetLocale: string | null;
  }): Target => ({
    uid: row.targetUid as string,
    documentId: row.targetDocumentId as string,
    locale: row.targetLocale as string,
  });

  const whenOf = (value: unknown) => {
    const runAt = parseScheduleTime(value, timeZone);
    if (!runAt) throw invalid(`Give a time like 2026-12-01T09:00 (read in ${timeZone}) or with an offset`);
    if (runAt.getTime() < Date.now() - 60_000) throw invalid('That time has passed');
    return runAt;
  };

  /** May this content be scheduled for `action` by `actor` now? */
  const checkSchedulable = async (target: Target, action: Action, actor: ResolvedActor) => {
    if (!isManaged(strapi, target.uid)) throw new errors.NotFoundError(`${target.uid} has no editorial workflow`);
    const [state, draft, live] = await Promise.all([
      loadState(strapi, target),
      loadSnapshot(strapi, target),
      loadSnapshot(strapi, target, 'published'),
    ]);
    if (!draft && !live) throw new errors.NotFoundError('No such document in this locale');
    const decision = decide(action, state, actor, { version: draft ? versionOf(draft) : null, live: !!live });
    if (!decision.ok) throw refuse(decision.reason, decision.code, decision.params);
  };

  /** Runs `fn` for the person who scheduled `row`, within the workflow's rules. */
  const asCreator = <T>(
    row: { id: number; createdByKey: string | null; createdByName: string | null },
    fn: () => Promise<T>,
  ) =>
    asScheduler(
      row.createdByKey ?? `schedule:${row.id}`,
      `schedule #${row.id} (set by ${row.createdByName ?? 'unknown'})`,
      fn,
    );

  const publishRelease = async (releaseId: number, actor: { kind: string; key: string; name: string }) => {
    // Claim: one process, one run. Inside the transaction, so a failure leaves it publishable.
    const { count } = (await releases().updateMany({
      where: { id: releaseId, status: { $in: ['open', 'scheduled', 'failed'] } },
      data: {
        status: 'released',
        releasedAt: new Date(),
        lastError: null,
        lastErrorCode: null,
        lastErrorParams: null,
      } as never,
    })) as { count: number };
    if (count !== 1) throw invalid('This release has already been published');
    const members = (await entries().findMany({ where: { releaseId }, orderBy: { id: 'asc' } })) as EntryRow[];
    if (!members.length) throw invalid('This release has nothing in it');
    // Titles first: after a failure that is not a refusal the transaction may take no more reads.
    const titles = await Promise.all(
      members.map(async (member) => {
        const draft = await loadSnapshot(strapi, targetOf(member));
        const title = draft?.title ?? draft?.name ?? draft?.term;
        return typeof title === 'string' && title ? title : member.targetDocumentId;
      }),
    );
    const failed: FailedMember[] = [];
    for (const [index, member] of members.entries()) {
      const documents = strapi.documents(member.targetUid as never) as unknown as Record<
        Action,
        (params: unknown) => Promise<unknown>
      >;
      try {
        await documents[member.action]({ documentId: member.targetDocumentId, locale: member.targetLocale });
      } catch (error) {
        const coded = codeOf(error);
        failed.push({
          uid: member.targetUid,
          documentId: member.targetDocumentId,
          locale: member.targetLocale,
          action: member.action,
          title: titles[index],
          reason: (error as Error).message,
          reasonCode: coded?.code ?? null,
          reasonParams: coded?.params ?? null,
        });
        // A refusal (coded) is decided before anything is written, so the rest are tried too and
        // every refusing member is named; anything else may have broken the transaction.
        if (!coded) break;
      }
    }
    if (failed.length) {
      // All or nothing: the caller's transaction rolls back what the other members did.
      const { message, coded } = releaseFailure(failed);
      throw new errors.PolicyError(message, coded);
    }
    await bus.publish({
      type: 'release.published',
      actor,
      payload: {
        summary: `release #${releaseId} published (${members.length} entries)`,
        releaseId,
        entries: members.length,
      },
    });
  };

  const markReleaseFailed = async (
    releaseId: number,
    actor: { kind: string; key: string; name: string },
    error: Error,
  ) =>
    strapi.db.transaction(async ({ onCommit }) => {
      await releases().update({
        where: { id: releaseId },
        data: { status: 'failed', ...failure(error) } as never,
      });
      await bus.publish({
        type: 'release.failed',
        actor,
        payload: {
          summary: `release #${releaseId} not published: ${error.message}`,
          releaseId,
          reason: error.message,
          // The audit log says it in the reader's language, naming the members, from these.
          reasonCode: codeOf(error)?.code ?? null,
          reasonParams: codeOf(error)?.params ?? null,
        },
      });
      onCommit(() => void bus.kick());
    });

  /** Runs one due job; returns false if another process has it. */
  const runJob = async (job: ScheduleRow) => {
    try {
      return await strapi.db.transaction(async ({ onCommit }) => {
        const { count } = (await schedules().updateMany({
          where: { id: job.id, status: 'pending' },
          data: { status: 'done', doneAt: new Date() } as never,
        })) as { count: number };
        if (count !== 1) return false;
        await asCreator(job, async () => {
          if (job.action === 'release') {
            await publishRelease(job.releaseId as number, {
              kind: 'scheduler',
              key: job.createdByKey ?? 'scheduler',
              name: `schedule #${job.id}`,
            });
          } else {
            const documents = strapi.documents(job.targetUid as never) as unknown as Record<
              Action,
              (params: unknown) => Promise<unknown>
            >;
            await documents[job.action]({ documentId: job.targetDocumentId, locale: job.targetLocale });
          }
        });
        onCommit(() => void bus.kick());
        return true;
      });
    } catch (error) {
      // Rolled back: record the failure once (the conditional update again picks one process).
      await strapi.db.transaction(async ({ onCommit }) => {
        const { count } = (await schedules().updateMany({
          where: { id: job.id, status: 'pending' },
          data: { status: 'failed', doneAt: new Date(), ...failure(error) } as never,
        })) as { count: number };
        if (count !== 1) return;
        const actor = { kind: 'scheduler', key: job.createdByKey ?? 'scheduler', name: `schedule #${job.id}` };
        if (job.action === 'release') {
          await releases().update({
            where: { id: job.releaseId },
            data: { status: 'failed', ...failure(error) } as never,
          });
        }
        await bus.publish({
          type: 'workflow.schedule-failed',
          target: job.targetUid ? targetOf(job) : undefined,
          actor,
          payload: {
            summary: `scheduled ${job.action} failed: ${(error as Error).message}`,
            action: job.action,
            releaseId: job.releaseId,
            reason: (error as Error).message,
            // The notice to its author is written from these, in their language.
            reasonCode: codeOf(error)?.code ?? null,
            reasonParams: codeOf(error)?.params ?? null,
            createdByKey: job.createdByKey,
          },
        });
        onCommit(() => void bus.kick());
      });
      strapi.log.warn(`editorial: scheduled ${job.action} #${job.id} failed: ${(error as Error).message}`);
      return false;
    }
  };

  const tick = async () => {
    const due = (await schedules().findMany({
      where: { status: 'pending', runAt: { $lte: new Date() } },
      orderBy: [{ runAt: 'asc' }, { id: 'asc' }],
      limit: 50,
    })) as ScheduleRow[];
    for (const job of due) await runJob(job);
  };

  const ticks = bus.background.single('editorial: scheduler', tick);

  const service = {
    timeZone,

    /** Due jobs now (also what the timer calls); concurrent calls share one pass. */
    tick() {
      return ticks.run();
    },

    start(intervalMs: number) {
      stopTimer = bus.background.every(intervalMs, 'editorial: scheduler', service.tick);
      void service.tick(); // jobs that fell due while no process was running
    },
    stop() {
      stopTimer?.();
    },

    async forTarget(target: Target) {
      const rows = (await schedules().findMany({
        where: { targetUid: target.uid, targetDocumentId: target.documentId, targetLocale: target.locale },
        orderBy: { runAt: 'desc' },
        limit: 20,
      })) as ScheduleRow[];
      return rows.map((row) => ({ ...row, runAtLocal: formatInZone(new Date(row.runAt), timeZone) }));
    },

    async schedule(target: Target, action: Action, when: unknown, actor: ResolvedActor) {
      const runAt = whenOf(when);
      await checkSchedulable(target, action, actor);
      return strapi.db.transaction(async ({ onCommit }) => {
        // One pending job per action: a new time replaces the old one.
        await schedules().updateMany({
          where: {
            targetUid: target.uid,
            targetDocumentId: target.documentId,
            targetLocale: target.locale,
            action,
            status: 'pending',
          },
          data: { status: 'cancelled' } as never,
        });
        const row = await schedules().create({
          data: {
            action,
            targetUid: target.uid,
            targetDocumentId: target.documentId,
            targetLocale: target.locale,
            runAt,
            status: 'pending',
            createdByKey: actor.key,
            createdByName: actor.name,
          } as never,
        });
        await bus.publish({
          type: 'workflow.scheduled',
          target,
          actor: actorOf(actor),
          payload: {
            summary: `${action} scheduled for ${formatInZone(runAt, timeZone)}`,
            action,
            runAt: runAt.toISOString(),
          },
        });
        onCommit(() => void bus.kick());
        return row;
      });
    },

    async unschedule(target: Target, action: Action, actor: ResolvedActor) {
      if (!actor.can.publish) throw refuse('You may not change the schedule of this content');
      return strapi.db.transaction(async ({ onCommit }) => {
        const { count } = (await schedules().updateMany({
          where: {
            targetUid: target.uid,
            targetDocumentId: target.documentId,
            targetLocale: target.locale,
            action,
            status: 'pending',
          },
          data: { status: 'cancelled' } as never,
        })) as { count: number };
        if (!count) throw new errors.NotFoundError(`No ${action} is scheduled`);
        await bus.publish({
          type: 'workflow.unscheduled',
          target,
          actor: actorOf(actor),
          payload: { summary: `scheduled ${action} cancelled`, action },
        });
        onCommit(() => void bus.kick());
      });
    },

    releases: {
      async list() {
        const rows = (await releases().findMany({ orderBy: { id: 'desc' }, limit: 200 })) as Record<string, unknown>[];
        const counts = (await entries().findMany({ select: ['releaseId'] })) as { releaseId: number }[];
        return rows.map((row) => ({ ...row, entries: counts.filter(({ releaseId }) => releaseId === row.id).length }));
      },

      async get(id: number) {
        const release = await releases().findOne({ where: { id } });
        if (!release) throw new errors.NotFoundError('No such release');
        const members = (await entries().findMany({ where: { releaseId: id }, orderBy: { id: 'asc' } })) as EntryRow[];
        const detailed = [];
        for (const member of members) {
          const target = targetOf(member);
          const [state, draft] = await Promise.all([loadState(strapi, target), loadSnapshot(strapi, target)]);
          detailed.push({
            ...member,
            stage: state.stage,
            title: String(draft?.title ?? draft?.name ?? member.targetDocumentId),
          });
        }
        const schedule = await schedules().findOne({ where: { releaseId: id, status: 'pending' } });
        return { ...release, entries: detailed, schedule };
      },

      /** Releases a document-locale belongs to (side panel). */
      async forTarget(target: Target) {
        const members = (await entries().findMany({
          where: { targetUid: target.uid, targetDocumentId: target.documentId, targetLocale: target.locale },
          select: ['releaseId', 'action'],
        })) as { releaseId: number; action: Action }[];
        if (!members.length) return [];
        const rows = (await releases().findMany({
          where: { id: { $in: members.map(({ releaseId }) => releaseId) } },
        })) as { id: number }[];
        return rows.map((row) => ({ ...row, action: members.find(({ releaseId }) => releaseId === row.id)?.action }));
      },

      async create(input: { name?: unknown; description?: unknown }, actor: ResolvedActor) {
        const name = typeof input.name === 'string' ? input.name.trim() : '';
        if (!name) throw invalid('A release needs a name');
        if (name.length > 255) throw invalid('A release name is at most 255 characters');
        return strapi.db.transaction(async ({ onCommit }) => {
          const release = (await releases().create({
            data: {
              name,
              description: typeof input.description === 'string' ? input.description : null,
              status: 'open',
              createdByKey: actor.key,
              createdByName: actor.name,
            } as never,
          })) as { id: number };
          await bus.publish({
            type: 'release.changed',
            actor: actorOf(actor),
            payload: { summary: `release #${release.id} "${name}" created`, releaseId: release.id },
          });
          onCommit(() => void bus.kick());
          return release;
        });
      },

      async assertOpen(id: number) {
        const release = (await releases().findOne({ where: { id } })) as { status: string } | null;
        if (!release) throw new errors.NotFoundError('No such release');
        if (release.status === 'released') throw invalid('This release has been published and cannot change');
        return release;
      },

      async addEntry(id: number, target: Target, action: Action, actor: ResolvedActor) {
        await service.releases.assertOpen(id);
        if (action !== 'publish' && action !== 'unpublish') throw invalid('action must be publish or unpublish');
        if (!isManaged(strapi, target.uid)) throw new errors.NotFoundError(`${target.uid} has no editorial workflow`);
        if (!actor.can.publish) throw refuse('You may not publish this content');
        const exists = await strapi.db
          .query(target.uid as never)
          .findOne({ where: { documentId: target.documentId, locale: target.locale }, select: ['id'] });
        if (!exists) throw new errors.NotFoundError('No such document in this locale');
        return strapi.db.transaction(async ({ onCommit }) => {
          await entries().deleteMany({
            where: {
              releaseId: id,
              targetUid: target.uid,
              targetDocumentId: target.documentId,
              targetLocale: target.locale,
            },
          });
          await entries().create({
            data: {
              releaseId: id,
              targetUid: target.uid,
              targetDocumentId: target.documentId,
              targetLocale: target.locale,
              action,
            } as never,
          });
          await bus.publish({
            type: 'release.changed',
            target,
            actor: actorOf(actor),
            payload: { summary: `added to release #${id} (${action})`, releaseId: id, action },
          });
          onCommit(() => void bus.kick());
        });
      },

      async removeEntry(id: number, target: Target, actor: ResolvedActor) {
        await service.releases.assertOpen(id);
        return strapi.db.transaction(async ({ onCommit }) => {
          await entries().deleteMany({
            where: {
              releaseId: id,
              targetUid: target.uid,
              targetDocumentId: target.documentId,
              targetLocale: target.locale,
            },
          });
          await bus.publish({
            type: 'release.changed',
            target,
            actor: actorOf(actor),
            payload: { summary: `removed from release #${id}`, releaseId: id },
          });
          onCommit(() => void bus.kick());
        });
      },

      /** Publishes every member now, in one transaction: all or nothing. */
      async publishNow(id: number, actor: ResolvedActor) {
        await service.releases.assertOpen(id);
        try {
          await strapi.db.transaction(async ({ onCommit }) => {
            await publishRelease(id, actorOf(actor));
            await schedules().updateMany({
              where: { releaseId: id, status: 'pending' },
              data: { status: 'cancelled' } as never,
            });
            onCommit(() => void bus.kick());
          });
        } catch (error) {
          if ((error as Error).message === 'This release has already been published') throw error;
          await markReleaseFailed(id, actorOf(actor), error as Error);
          throw error;
        }
      },

      async schedule(id: number, when: unknown, actor: ResolvedActor) {
        await service.releases.assertOpen(id);
        const runAt = whenOf(when);
        return strapi.db.transaction(async ({ onCommit }) => {
          await schedules().updateMany({
            where: { releaseId: id, status: 'pending' },
            data: { status: 'cancelled' } as never,
          });
          await schedules().create({
            data: {
              action: 'release',
              releaseId: id,
              runAt,
              status: 'pending',
              createdByKey: actor.key,
              createdByName: actor.name,
            } as never,
          });
          await releases().update({ where: { id }, data: { status: 'scheduled', scheduledAt: runAt } as never });
          await bus.publish({
            type: 'release.changed',
            actor: actorOf(actor),
            payload: {
              summary: `release #${id} scheduled for ${formatInZone(runAt, timeZone)}`,
              releaseId: id,
              runAt: runAt.toISOString(),
            },
          });
          onCommit(() => void bus.kick());
        });
      },

      async delete(id: number, actor: ResolvedActor) {
        await service.releases.assertOpen(id);
        return strapi.db.transaction(async ({ onCommit }) => {
          await schedules().updateMany({
            where: { releaseId: id, status: 'pending' },
            data: { status: 'cancelled' } as never,
          });
          await entries().deleteMany({ where: { releaseId: id } });
          await releases().delete({ where: { id } });
          await bus.publish({
            type: 'release.changed',
            actor: actorOf(actor),
            payload: { summary: `release #${id} deleted`, releaseId: id },
          });
          onCommit(() => void bus.kick());
        });
      },
    },
  };
  return service;
};

export type Schedules = ReturnType<typeof createSchedules>;
