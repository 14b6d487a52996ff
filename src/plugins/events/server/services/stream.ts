/**
 * The event stream: the domain events table (the outbox) and the only code that reads or writes
 * it. Three ways to hear of an event, each with its guarantee:
 *
 * - `onChange`: in the transaction of the change (audit, history, translation status); fails it.
 * - `onCommitted`: after commit, once across all processes (e-mail, webhooks, the read model's
 *   durable apply): each event is claimed by a conditional update, retried with backoffDelay
 *   (10 s doubling to one hour, 10 attempts), taken over 60 s after a claim whose process died.
 * - `subscribe`: in every process, once per process, in id order (this process's caches). One
 *   follower per process reads the table with a cursor (src/lib/event-cursor.ts) every
 *   WUTONG_EVENTS_POLL_MS, and this process's own events are handed over right after their commit
 *   (so its next request sees them), then the follower is kicked for anything committed meanwhile.
 *
 * Subscriber failures: each subscriber has its own queue (its position in the stream). A handler
 * that throws is logged and called again with the same event after backoffDelay (one poll interval
 * doubling to 30 s), later events waiting behind it; the other subscribers and the follower's
 * cursor go on. After WUTONG_EVENTS_MAX_ATTEMPTS failures on one event, or when more than
 * MAX_BACKLOG events wait, the subscriber gives the event (or the backlog) up, logged as an error,
 * and its `onGiveUp` resynchronises it from scratch (the cache clears, the read model rebuilds).
 */
import type { Core } from '@strapi/strapi';
import { backoffDelay } from '../../../../lib/backoff';
import type { Background } from '../../../../lib/background';
import { envInt } from '../../../../lib/env';
import { createEventCursor, DEFAULT_WINDOW, type EventCursor } from '../../../../lib/event-cursor';
import type { Snapshot } from '../../../../lib/snapshot';
import { createWakeUp } from './wake-up';

export const EVENT_UID = 'plugin::events.event';

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

export interface EventTarget {
  uid: string;
  documentId: string;
  locale: string;
}

export interface DomainEvent {
  type: EventType;
  target?: EventTarget;
  actor: EventActor;
  payload: Record<string, unknown>;
  /** The content after the change, for in-transaction subscribers (history); not stored with the event. */
  snapshot?: Snapshot | null;
}

/** What subscribers receive: the stored event, and whether this process wrote it. */
export type StreamEvent = Omit<DomainEvent, 'snapshot'> & { id: number; local: boolean };

type Handler = (event: DomainEvent & { id: number }) => Promise<void>;

export type Subscriber = (event: StreamEvent) => unknown;

export interface SubscribeOptions {
  /** Only these event types (default: every event). */
  types?: readonly string[];
  /** Called after the subscriber gave up an event (undefined: a whole backlog) — resynchronise. */
  onGiveUp?: (event: StreamEvent | undefined) => unknown;
}

export interface StreamSettings {
  /** How often the follower reads the table (WUTONG_EVENTS_POLL_MS, 200). */
  pollMs: number;
  /** How often the outbox looks for events due again or abandoned (WUTONG_OUTBOX_SWEEP_MS, 15 s). */
  sweepMs: number;
  /** Failures of one subscriber on one event before it gives that event up (WUTONG_EVENTS_MAX_ATTEMPTS, 10). */
  maxAttempts: number;
  window: number;
}

export const streamSettings = (env: NodeJS.ProcessEnv = process.env): StreamSettings => ({
  pollMs: Math.max(10, envInt(env, 'WUTONG_EVENTS_POLL_MS', 200)),
  sweepMs: Math.max(1000, envInt(env, 'WUTONG_OUTBOX_SWEEP_MS', 15_000)),
  maxAttempts: Math.max(1, envInt(env, 'WUTONG_EVENTS_MAX_ATTEMPTS', 10)),
  window: DEFAULT_WINDOW,
});

const CLAIM_TIMEOUT_MS = 60_000; // a claim older than this was abandoned (crash) and may be taken again
const OUTBOX_MAX_ATTEMPTS = 10;
const OUTBOX_BACKOFF = { baseMs: 10_000, capMs: 3_600_000 };
const SUBSCRIBER_RETRY_CAP_MS = 30_000;
const MAX_BACKLOG = 10_000;
const PAGE = 1000;
const COLUMNS = ['id', 'type', 'targetUid', 'targetDocumentId', 'targetLocale', 'actor', 'payload'];

interface Subscription {
  name: string;
  types?: Set<string>;
  handler: Subscriber;
  onGiveUp?: SubscribeOptions['onGiveUp'];
  queue: StreamEvent[];
  /** Callers of `attempted`, by event id. */
  waiters: Map<number, (() => void)[]>;
  failures: number;
  retryAt: number;
  running?: Promise<void>;
}

const eventOf = (row: Record<string, unknown>) => ({
  id: Number(row.id),
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
});

export const createEventStream = (
  strapi: Core.Strapi,
  background: Background,
  settings: StreamSettings = streamSettings(),
) => {
  const inTransaction: Handler[] = [];
  const outward: Handler[] = [];
  const subscriptions: Subscription[] = [];
  /** Ids this process inserted, until handed to the subscribers (or rolled back). */
  const local = new Set<number>();
  let cursor: EventCursor | undefined;
  let started = false;
  let lastSweep = 0;
  let stopTimer: (() => void) | undefined;
  const events = () => strapi.db.query(EVENT_UID as never);

  // ---- the outbox: once across processes ----

  const dispatchOne = async (row: Record<string, unknown>) => {
    const event = eventOf(row);
    try {
      for (const handler of outward) await handler(event);
      await events().update({ where: { id: event.id }, data: { deliveredAt: new Date() } as never });
    } catch (error) {
      const attempts = ((row.attempts as number) ?? 0) + 1;
      strapi.log.error(
        `events: event ${event.id} (${event.type}) failed (attempt ${attempts}): ${(error as Error).message}`,
      );
      await events().update({
        where: { id: event.id },
        data: {
          claimedAt: null,
          attempts,
          nextAttemptAt: new Date(Date.now() + backoffDelay(attempts, OUTBOX_BACKOFF)),
          lastError: String((error as Error).message),
        } as never,
      });
    }
  };

  /** Claims and handles pending events, page by page, until none is due. */
  const drain = async () => {
    if (!outward.length || !started) return;
    for (;;) {
      const now = new Date();
      const stale = new Date(now.getTime() - CLAIM_TIMEOUT_MS);
      const pending = (await events().findMany({
        where: {
          deliveredAt: null,
          attempts: { $lt: OUTBOX_MAX_ATTEMPTS },
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
          .connection(strapi.db.metadata.get(EVENT_UID as never).tableName)
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

  // A kick during a pass asks for one more, so that an event committed just as a pass ended is
  // not left for the timer.
  const again = { outbox: false, follow: false };
  const outboxPasses = background.single('events: outbox', async () => {
    while (again.outbox) {
      again.outbox = false;
      await drain();
    }
  });
  const kickOutbox = () => {
    again.outbox = true;
    return outboxPasses.run();
  };

  // ---- the follower: every event, once per process ----

  const giveUp = async (subscription: Subscription, event: StreamEvent | undefined) => {
    try {
      await subscription.onGiveUp?.(event);
    } catch (error) {
      strapi.log.error(`events: ${subscription.name} could not resynchronise: ${(error as Error).message}`);
    }
  };

  const attemptedOnce = (subscription: Subscription, id?: number) => {
    for (const [key, callbacks] of subscription.waiters) {
      if (id !== undefined && key !== id) continue;
      subscription.waiters.delete(key);
      callbacks.forEach((callback) => callback());
    }
  };

  /** Hands a subscriber its queued events, one at a time, unless it is waiting to retry. */
  const pump = (subscription: Subscription): Promise<void> | undefined => {
    if (subscription.running || !subscription.queue.length || Date.now() < subscription.retryAt)
      return subscription.running;
    if (background.closed) return undefined; // shutting down: what is queued is dropped with the process
    const run = background.run(`events: ${subscription.name}`, async () => {
      while (subscription.queue.length && !background.closed) {
        const event = subscription.queue[0];
        try {
          await subscription.handler(event);
          attemptedOnce(subscription, event.id);
        } catch (error) {
          attemptedOnce(subscription, event.id);
          subscription.failures += 1;
          const attempt = subscription.failures;
          if (attempt >= settings.maxAttempts) {
            strapi.log.error(
              `events: ${subscription.name} gave up event ${event.id} (${event.type}) after ${attempt} attempts: ${(error as Error).message}`,
            );
            if (subscription.queue[0] === event) subscription.queue.shift();
            subscription.failures = 0;
            await giveUp(subscription, event);
            continue;
          }
          const wait = backoffDelay(attempt, { baseMs: settings.pollMs, capMs: SUBSCRIBER_RETRY_CAP_MS });
          strapi.log.error(
            `events: ${subscription.name} failed on event ${event.id} (${event.type}), attempt ${attempt}, again in ${wait} ms: ${(error as Error).message}`,
          );
          subscription.retryAt = Date.now() + wait;
          return;
        }
        if (subscription.queue[0] === event) subscription.queue.shift();
        subscription.failures = 0;
        subscription.retryAt = 0;
      }
    });
    subscription.running = run;
    void run.then(() => {
      subscription.running = undefined;
      // Events queued just as the loop ended.
      if (subscription.queue.length && Date.now() >= subscription.retryAt) void pump(subscription);
    });
    return run;
  };

  const deliver = (fresh: StreamEvent[]) => {
    if (!fresh.length) return;
    for (const event of fresh) local.delete(event.id);
    // In subscription order: the read model notes an event before the cache drops what it changed.
    for (const subscription of subscriptions) {
      for (const event of fresh)
        if (!subscription.types || subscription.types.has(event.type)) subscription.queue.push(event);
      if (subscription.queue.length > MAX_BACKLOG) {
        strapi.log.error(`events: ${subscription.name} fell ${subscription.queue.length} events behind; skipping them`);
        subscription.queue.splice(0);
        attemptedOnce(subscription);
        subscription.failures = 0;
        subscription.retryAt = 0;
        void background.run(`events: ${subscription.name}`, () => giveUp(subscription, undefined));
        continue;
      }
      void pump(subscription);
    }
  };

  /** One read of the table: everything committed since the last one, in id order. */
  const read = async () => {
    if (!cursor) return;
    for (;;) {
      const { after, seen } = cursor;
      const rows = (await events().findMany({
        select: COLUMNS,
        where: seen.length ? { $and: [{ id: { $gt: after } }, { id: { $notIn: seen } }] } : { id: { $gt: after } },
        orderBy: { id: 'asc' },
        limit: PAGE,
      })) as Record<string, unknown>[];
      deliver(cursor.take(rows.map((row) => ({ ...eventOf(row), local: local.has(Number(row.id)) }))));
      if (rows.length < PAGE) return;
    }
  };

  const follows = background.single('events: follower', async () => {
    do {
      again.follow = false;
      await read();
    } while (again.follow);
  });
  const follow = () => {
    again.follow = true;
    return follows.run();
  };
  // PostgreSQL: another process's commit wakes the follower at once (./wake-up.ts).
  const wakeUp = createWakeUp(strapi, () => void follow());

  /** The timer: read the table, retry subscribers that are due, sweep the outbox now and then. */
  const tick = async () => {
    for (const subscription of subscriptions) void pump(subscription);
    if (Date.now() - lastSweep >= settings.sweepMs) {
      lastSweep = Date.now();
      void kickOutbox();
    }
    await follows.run();
  };

  const stream = {
    settings,
    /** Timers and after-commit work (shared with the editorial plugin's), waited for at shutdown. */
    background,

    /** Handlers that must commit or fail with the change (audit, history, status). */
    onChange(handler: Handler) {
      inTransaction.push(handler);
    },

    /** Handlers that talk to the outside (e-mail, webhooks): after commit, once, retried. */
    onCommitted(handler: Handler) {
      outward.push(handler);
    },

    /** Every event, once in this process, in id order (see the top of this file for failures). */
    subscribe(name: string, handler: Subscriber, options: SubscribeOptions = {}) {
      const subscription: Subscription = {
        name,
        handler,
        types: options.types ? new Set(options.types) : undefined,
        onGiveUp: options.onGiveUp,
        queue: [],
        waiters: new Map(),
        failures: 0,
        retryAt: 0,
      };
      subscriptions.push(subscription);
      return () => {
        const index = subscriptions.indexOf(subscription);
        if (index >= 0) subscriptions.splice(index, 1);
        attemptedOnce(subscription);
      };
    },

    /**
     * Resolves once the named subscriber has had this event at least once (whatever it answered),
     * at once if it has no such event waiting, and after `timeoutMs` at the latest. The read
     * model's outbox handler waits for this process's own apply instead of doing it again.
     */
    attempted(name: string, id: number, timeoutMs = 10_000): Promise<void> {
      const subscription = subscriptions.find((candidate) => candidate.name === name);
      if (!subscription?.queue.some((event) => event.id === id)) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        timer.unref();
        const callbacks = subscription.waiters.get(id) ?? [];
        callbacks.push(() => {
          clearTimeout(timer);
          resolve();
        });
        subscription.waiters.set(id, callbacks);
      });
    },

    /** Records an event in the current transaction and runs the in-transaction handlers. */
    publish: (event: DomainEvent) =>
      strapi.db.transaction(async ({ trx, onCommit, onRollback }) => {
        const row = (await events().create({
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
        const id = Number(row.id);
        local.add(id);
        for (const handler of inTransaction) await handler({ ...event, id });
        await wakeUp?.notify(trx);
        const { snapshot: _snapshot, ...stored } = event;
        onRollback(() => local.delete(id));
        onCommit(() => {
          // This process's own change: to its subscribers at once (its next request sees it),
          // then to the outbox and a read for what other processes committed meanwhile.
          // (Unless the follower read it first.) Not through the cursor's window: a long
          // transaction's own event is delivered however far behind its id is.
          if (local.has(id)) {
            cursor?.take([{ id }]);
            deliver([{ ...stored, id, local: true }]);
          }
          void kickOutbox();
          void follow();
        });
        return id;
      }),

    /** The newest event's id (0 when there is none): a version for what is built from the content. */
    async latestId(): Promise<number> {
      const [row] = (await events().findMany({ select: ['id'], orderBy: { id: 'desc' }, limit: 1 })) as {
        id: number;
      }[];
      return Number(row?.id ?? 0);
    },

    /**
     * Stored events of these types above `after`, in id order, at most `limit`: for a subscriber
     * that keeps its own durable position (the read model catching up after a restart).
     */
    async after(after: number, types: readonly string[], limit = PAGE): Promise<StreamEvent[]> {
      const rows = (await events().findMany({
        select: COLUMNS,
        where: { id: { $gt: after }, type: { $in: [...types] } },
        orderBy: { id: 'asc' },
        limit,
      })) as Record<string, unknown>[];
      return rows.map((row) => ({ ...eventOf(row), local: false }));
    },

    /** Runs the outbox now (tests, and after changes made outside `publish`). */
    kick: kickOutbox,

    /** Reads the table now and waits until every subscriber has handled what it can (tests). */
    async sync() {
      await follow();
      for (let i = 0; i < 100; i += 1) {
        const running = subscriptions.map((subscription) => pump(subscription)).filter(Boolean);
        if (!running.length) return;
        await Promise.all(running);
      }
    },

    /** Waits for the outbox and follower passes in progress (tests, shutdown). */
    async settle() {
      await Promise.all([outboxPasses.current(), follows.current()]);
    },

    /** Starts following (from the newest event) and the outbox: once every plugin has subscribed. */
    async start() {
      if (started) return;
      const newest = (await events().findMany({
        select: ['id'],
        orderBy: { id: 'desc' },
        limit: settings.window,
      })) as { id: number }[];
      // Own events handed out before the start are among these: not handed out again.
      cursor = createEventCursor(
        newest.map(({ id }) => Number(id)),
        settings.window,
      );
      started = true;
      lastSweep = Date.now();
      stopTimer = background.every(settings.pollMs, 'events: follower', tick);
      await wakeUp?.start();
      void kickOutbox(); // events left by a crash or by another process that stopped
    },

    async stop() {
      stopTimer?.();
      await wakeUp?.stop();
    },
  };
  return stream;
};

export type EventStream = ReturnType<typeof createEventStream>;
