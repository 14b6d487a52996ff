/**
 * Domain events: one record per change, written in the same transaction as the change (the
 * outbox). In-transaction subscribers (the audit log, later history and translation status) run
 * right away; outward ones (e-mail, webhooks) run after commit from the outbox, claimed
 * atomically so that each event is handled once even with several Strapi processes, and retried.
 */
import type { Core } from '@strapi/strapi';
import type { Background } from '../../../../lib/background';
import type { Snapshot } from '../../../../lib/snapshot';
import type { Target } from './store';

export const EVENT_UID = 'plugin::editorial.event';

export type EventType =
  | 'document.created'
  | 'document.updated'
  | 'document.published'
  | 'document.unpublished'
  | 'document.draft-discarded'
  | 'document.deleted'
  | 'document.restored'
  | 'workflow.stage-changed'
  | 'workflow.assigned'
  | 'workflow.commented'
  | 'workflow.scheduled'
  | 'workflow.unscheduled'
  | 'workflow.schedule-failed'
  | 'release.changed'
  | 'release.published'
  | 'release.failed'
  | 'translation.marked-current'
  | 'admin.locale-added'
  | 'admin.locale-removed'
  | 'admin.role-changed'
  | 'admin.permissions-changed'
  | 'admin.user-changed'
  | 'admin.site-changed'
  | 'admin.token-changed'
  | 'media.replaced'
  | 'media.deleted'
  | 'media.info-changed';

export interface EventActor {
  kind: string;
  key: string;
  name: string;
}

export interface DomainEvent {
  type: EventType;
  target?: Target;
  actor: EventActor;
  payload: Record<string, unknown>;
  /** The content after the change, for in-transaction subscribers (history); not stored with the event. */
  snapshot?: Snapshot | null;
}

type Handler = (event: DomainEvent & { id: number }) => Promise<void>;

const RETRY_AFTER_MS = 60_000; // a claim older than this was abandoned (crash) and may be taken again
const MAX_ATTEMPTS = 10;

/** Exponential backoff after the n-th failure: 10 s, 20 s, 40 s … capped at one hour. */
export const backoffMs = (attempts: number) => Math.min(3_600_000, 10_000 * 2 ** Math.max(0, attempts - 1));

export const createEventBus = (strapi: Core.Strapi, background: Background) => {
  const inTransaction: Handler[] = [];
  const outward: Handler[] = [];
  const committed: Handler[] = [];
  let stopTimer: (() => void) | undefined;

  const dispatchOne = async (row: Record<string, unknown>) => {
    const event = {
      id: row.id as number,
      type: row.type as EventType,
      target: row.targetUid
        ? {
            uid: row.targetUid as string,
            documentId: row.targetDocumentId as string,
            locale: row.targetLocale as string,
          }
        : undefined,
      actor: row.actor as EventActor,
      payload: (row.payload ?? {}) as Record<string, unknown>,
    };
    try {
      for (const handler of outward) await handler(event);
      await strapi.db
        .query(EVENT_UID as never)
        .update({ where: { id: event.id }, data: { deliveredAt: new Date() } as never });
    } catch (error) {
      const attempts = ((row.attempts as number) ?? 0) + 1;
      strapi.log.error(
        `editorial: event ${event.id} (${event.type}) failed (attempt ${attempts}): ${(error as Error).message}`,
      );
      await strapi.db.query(EVENT_UID as never).update({
        where: { id: event.id },
        data: {
          claimedAt: null,
          attempts,
          nextAttemptAt: new Date(Date.now() + backoffMs(attempts)),
          lastError: String((error as Error).message),
        } as never,
      });
    }
  };

  /** Claims and handles pending events, page by page, until none is due. */
  const drain = async () => {
    if (!outward.length) return;
    for (;;) {
      const now = new Date();
      const stale = new Date(now.getTime() - RETRY_AFTER_MS);
      const pending = (await strapi.db.query(EVENT_UID as never).findMany({
        where: {
          deliveredAt: null,
          attempts: { $lt: MAX_ATTEMPTS },
          $and: [
            { $or: [{ claimedAt: null }, { claimedAt: { $lt: stale } }] },
            { $or: [{ nextAttemptAt: null }, { nextAttemptAt: { $lte: now } }] },
          ],
        },
        orderBy: { id: 'asc' },
        limit: 100,
      })) as Record<string, unknown>[];
      let handled = 0;
      for (const row of pending) {
        if (background.closed) return; // shutting down: the next start (or another process) goes on
        // The claim is a conditional update: of several processes, exactly one changes the row.
        const claimed = await strapi.db
          .connection(strapi.db.metadata.get(EVENT_UID).tableName)
          .where({ id: row.id })
          .whereNull('delivered_at')
          .andWhere((query) => query.whereNull('claimed_at').orWhere('claimed_at', '<', stale))
          .update({ claimed_at: new Date() });
        if (claimed === 1) {
          await dispatchOne(row);
          handled += 1;
        }
      }
      if (!handled) return; // nothing due, or everything taken by other processes
    }
  };

  // A kick during a drain asks for one more pass, so an event committed just as a pass ended
  // is not left for the timer.
  let again = false;
  const passes = background.single('editorial: outbox', async () => {
    while (again) {
      again = false;
      await drain();
    }
  });
  const kick = () => {
    again = true;
    return passes.run();
  };

  return {
    /** Work started after commit or by timers, which shutdown waits for (src/lib/background.ts). */
    background,

    /** Handlers that must commit or fail with the change (audit, history, status). */
    onChange(handler: Handler) {
      inTransaction.push(handler);
    },
    /** Handlers that talk to the outside (e-mail, webhooks): after commit, once, retried. */
    onCommitted(handler: Handler) {
      outward.push(handler);
    },

    /** In-process listeners told right after the change commits (this process's own caches). */
    afterCommit(listener: Handler) {
      committed.push(listener);
    },

    /** Records an event in the current transaction and runs the in-transaction subscribers. */
    publish: (event: DomainEvent) =>
      strapi.db.transaction(async ({ onCommit }) => {
        const row = (await strapi.db.query(EVENT_UID as never).create({
          data: {
            type: event.type,
            targetUid: event.target?.uid ?? null,
            targetDocumentId: event.target?.documentId ?? null,
            targetLocale: event.target?.locale ?? null,
            actor: event.actor,
            payload: event.payload,
            attempts: 0,
          } as never,
        })) as { id: number };
        for (const handler of inTransaction) await handler({ ...event, id: row.id });
        const { snapshot: _snapshot, ...stored } = event;
        onCommit(() =>
          committed.forEach(
            (listener) =>
              void background.run('editorial: after-commit listener', () => listener({ ...stored, id: row.id })),
          ),
        );
        return row.id;
      }),

    kick,
    /** Waits for the outbox dispatch in progress (tests, shutdown). */
    settle: () => passes.current() ?? Promise.resolve(),

    start(intervalMs = 15_000) {
      stopTimer = background.every(intervalMs, 'editorial: outbox', kick);
      void kick(); // events left by a crash or by another process that stopped
    },
    stop() {
      stopTimer?.();
    },
  };
};

export type EventBus = ReturnType<typeof createEventBus>;
