/**
 * Signed webhooks to the sites that show a published, unpublished or deleted document.
 *
 * The domain event is already in the database with the change (the editorial outbox); its
 * outward handler, run once per event, records one delivery per site (idempotently) and queues
 * it. The delivery row is the record of each attempt and of when the next is due (backoffDelay
 * from src/lib/backoff.ts, a fixed number of attempts, then `failed`); the queue only wakes it up:
 * on PostgreSQL pg-boss (kept across crashes and restarts, each job taken by one process), on the
 * embedded SQLite default timers in process and a sweep of the delivery table.
 */
import { createHash } from 'crypto';
import dns from 'dns/promises';
import http from 'http';
import https from 'https';
import type { LookupFunction } from 'net';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import PgBoss from 'pg-boss';
import type { Background } from '../../../../lib/background';
import { envInt, envList } from '../../../../lib/env';
import { retryDelayAfter, webhookRetryPolicy } from '../../../../lib/webhook-retry';
import { signPayload } from '../../../../lib/signature';
import { checkWebhookUrl, refusedAddress } from '../../../../lib/ssrf';
import { networkCause } from '../../../../lib/webhook-failure';
import type { Sites } from './sites';

export const DELIVERY_UID = 'plugin::delivery.delivery';
export const QUEUE = 'wutong-webhooks';
/** pg-boss's own schema (PostgreSQL), beside the app's. */
export const JOBS_SCHEMA = 'wutong_jobs';
/** Added to the timeout for the database writes around an attempt: the lease (see createWebhooks). */
const LEASE_MARGIN_MS = 5000;
/** A wake-up this early still counts as on time (timers and clocks are not exact). */
const EARLY_MS = 500;
/** A pending delivery this far past its time on PostgreSQL lost its wake-up: the sweep sends another. */
const OVERDUE_MS = 10_000;

const EVENTS: Record<string, string> = {
  'document.published': 'entry.publish',
  'document.unpublished': 'entry.unpublish',
  'document.deleted': 'entry.delete',
};

interface DomainEvent {
  id: number;
  type: string;
  target?: { uid: string; documentId: string; locale: string };
  payload: Record<string, unknown>;
}

interface DeliveryRow {
  id: number;
  eventId: number;
  siteId: number;
  url: string;
  event: string;
  payload: Record<string, unknown>;
  status: string;
  attempts: number;
  nextAttemptAt: string | number | null;
  createdAt: unknown;
}

/** What a delivery's job is keyed on: its id and the moment it was due (a crash may send it twice). */
const jobId = (row: { id: number; createdAt: unknown }, dueAt: number) => {
  const hex = createHash('sha256')
    .update(`wutong-delivery:${row.id}:${new Date(row.createdAt as string).getTime()}:${dueAt}`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** A refused webhook URL: a 400 with a stable code (and its values) the admin translates. */
const refused = (message: string, code: string, values?: Record<string, string>) =>
  new errors.ValidationError(message, { code, ...(values ? { values } : {}) });

/**
 * Why a notice was not delivered: a stable code for the admin (`webhook.timeout`, `webhook.http`,
 * `webhook.redirect`, `webhook.network`, a refused URL's code…), its params (src/lib/webhook-failure.ts
 * renders them), the HTTP status when there was one.
 */
export class SendError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number | null = null,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

/** Any failure of `send` as its code and params: a SendError's own, a refused URL's (ValidationError). */
const codeOf = (error: unknown): { code: string; params: Record<string, string | number> } => {
  if (error instanceof SendError) return { code: error.code, params: error.params };
  const details = (error as { details?: { code?: string; values?: Record<string, string> } }).details;
  if (details?.code) return { code: details.code, params: details.values ?? {} };
  return { code: 'webhook.network', params: { cause: networkCause(error as Error) } };
};

/**
 * Resolves a webhook host and refuses it when any of its addresses is not public (unless
 * allow-listed); the answer is pinned: the connection goes to a checked address, never to a
 * second DNS answer (rebinding).
 */
export const resolveWebhookTarget = async (value: string, allowList: string[]) => {
  const checked = checkWebhookUrl(value);
  if (!checked.ok) throw refused(`Webhook URL refused: ${checked.reason}`, checked.code);
  const { hostname } = checked.url;
  const host = hostname.replace(/^\[|\]$/g, '');
  const addresses = await dns.lookup(host, { all: true, verbatim: true }).catch(() => []);
  if (!addresses.length) throw refused(`Webhook URL refused: ${host} does not resolve`, 'webhook.unresolved', { host });
  const address = refusedAddress(
    host,
    addresses.map(({ address }) => address),
    allowList,
  );
  if (address !== undefined) {
    throw refused(
      `Webhook URL refused: ${host} resolves to ${address}, a private or loopback (not public) address (allow it with WEBHOOK_ALLOWLIST)`,
      'webhook.private',
      { host, address },
    );
  }
  return { url: checked.url, address: addresses[0].address, family: addresses[0].family };
};

/** What an attempt that outlived its timeout failed with (also what the admin shows). */
const noAnswer = (timeoutMs: number) =>
  new SendError(`no answer within ${timeoutMs} ms`, 'webhook.timeout', null, { ms: timeoutMs });

/**
 * POSTs with the connection pinned to the checked address (no second DNS answer can redirect it).
 * `deadline` bounds the whole exchange, not just a silence on the socket: an answer that is still
 * arriving at the deadline (headers sent late, a body trickled) is a failure, never a success.
 */
const post = (
  target: Awaited<ReturnType<typeof resolveWebhookTarget>>,
  headers: Record<string, string>,
  body: string,
  deadline: number,
  timeoutMs: number,
) =>
  new Promise<{ status: number; text: string }>((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null, result?: { status: number; text: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(result!);
    };
    const lookup: LookupFunction = (_host, options, callback) =>
      (options as { all?: boolean }).all
        ? (callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void)(null, [
            { address: target.address, family: target.family },
          ])
        : callback(null, target.address, target.family);
    const request = (target.url.protocol === 'https:' ? https : http).request(
      target.url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        lookup,
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          if (text.length < 2000) text += chunk;
        });
        response.on('end', () => finish(null, { status: response.statusCode ?? 0, text }));
        response.on('error', finish);
      },
    );
    const timer = setTimeout(
      () =>
        // After the socket is read once more: when this process was stalled, timers run before
        // the I/O that waited, and an answer already received would be taken for a late one.
        setImmediate(() => {
          finish(noAnswer(timeoutMs));
          request.destroy();
        }),
      Math.max(0, deadline - Date.now()),
    );
    request.on('error', finish);
    request.end(body);
  });

/** The queue's settings, shared with `npm run restore` (it queues the restored pending deliveries). */
export const webhookJobSettings = (env: Record<string, string | undefined>) => {
  const policy = webhookRetryPolicy(env);
  // While an attempt runs its delivery is leased: no other worker starts the next attempt before
  // the lease ends. The attempt itself ends at its timeout; the margin covers the database writes
  // around it. A lease that runs out means the process died mid-attempt: another takes over.
  const leaseMs = policy.timeoutMs + LEASE_MARGIN_MS;
  // pg-boss only wakes deliveries up; their schedule is ours (`step`), the same as on SQLite: its
  // own retry backoff doubled the first delay and added jitter. A job is retried by pg-boss only
  // when its process died (the job expires, after the lease) or the database failed.
  const jobOptions = {
    retryLimit: 5,
    retryDelay: 1,
    retryBackoff: false,
    expireInSeconds: Math.ceil(leaseMs / 1000) + 1,
  };
  return { policy, leaseMs, jobOptions };
};

export const createWebhooks = (strapi: Core.Strapi, sites: Sites, background: Background) => {
  const deliveries = () => strapi.db.query(DELIVERY_UID as never);
  const allowList = () => envList(process.env, 'WEBHOOK_ALLOWLIST');
  const { policy, leaseMs, jobOptions } = webhookJobSettings(process.env);
  const { timeoutMs } = policy;
  let workerIds: string[] = [];
  const postgres = strapi.db.dialect.client === 'postgres';
  let boss: PgBoss | undefined;
  const timers = new Set<NodeJS.Timeout>();
  let stopSweeps: (() => void) | undefined;
  let stopped = false;

  const later = (ms: number, task: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      task();
    }, ms);
    timer.unref();
    timers.add(timer);
    return timer;
  };

  /**
   * Sends one signed notice to a site's webhook: the name lookup (pinned, SSRF-checked) and the
   * whole exchange within the timeout. Resolves with the status of a 2xx answer; anything else is a
   * SendError (or the refused URL's ValidationError) saying why.
   */
  const send = async (
    site: { webhookUrl?: string | null; webhookSecret?: string | null } | null,
    event: string,
    deliveryId: string,
    payload: Record<string, unknown>,
  ): Promise<number> => {
    if (!site?.webhookUrl || !site.webhookSecret)
      throw new SendError('the site has no webhook URL or secret any more', 'webhook.no-url');
    const deadline = Date.now() + timeoutMs;
    // The name lookup counts against the timeout too.
    let lookupTimer: NodeJS.Timeout | undefined;
    const target = await Promise.race([
      resolveWebhookTarget(site.webhookUrl, allowList()),
      new Promise<never>((_resolve, reject) => {
        lookupTimer = later(timeoutMs, () => reject(noAnswer(timeoutMs)));
      }),
    ]).finally(() => {
      clearTimeout(lookupTimer);
      timers.delete(lookupTimer!);
    });
    const body = JSON.stringify({ ...payload, id: deliveryId });
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await post(
      target,
      {
        'Content-Type': 'application/json',
        'User-Agent': 'Wutong-Webhooks/1',
        'X-Wutong-Event': event,
        'X-Wutong-Delivery': deliveryId,
        'X-Wutong-Timestamp': String(timestamp),
        'X-Wutong-Signature': signPayload(site.webhookSecret, timestamp, body),
      },
      body,
      deadline,
      timeoutMs,
    ).catch((error: Error) => {
      throw error instanceof SendError
        ? error
        : new SendError(error.message, 'webhook.network', null, { cause: networkCause(error) });
    });
    // Node's http client never follows a redirect: a 3xx is a failed attempt like any non-2xx.
    if (response.status >= 300 && response.status < 400)
      throw new SendError(`HTTP ${response.status}: redirects are not followed`, 'webhook.redirect', response.status, {
        status: response.status,
      });
    if (response.status < 200 || response.status >= 300)
      throw new SendError(
        `HTTP ${response.status} ${response.text.slice(0, 300)}`.trim(),
        'webhook.http',
        response.status,
        { status: response.status },
      );
    return response.status;
  };

  /**
   * The attempt `attempts` (already counted and leased by `step`). Records its outcome unless the
   * delivery changed meanwhile (redelivered); returns when the next attempt is due, if any.
   */
  const attempt = async (row: DeliveryRow, attempts: number): Promise<number | undefined> => {
    let outcome: Record<string, unknown>;
    let next: number | undefined;
    try {
      const lastStatus = await send(await sites.byId(row.siteId), row.event, String(row.id), row.payload);
      outcome = {
        lastStatus,
        lastError: null,
        lastErrorCode: null,
        lastErrorParams: null,
        status: 'delivered',
        deliveredAt: new Date(),
        nextAttemptAt: null,
      };
    } catch (error) {
      const delay = retryDelayAfter(attempts, policy);
      if (delay !== null) next = Date.now() + delay;
      const { code, params } = codeOf(error);
      outcome = {
        lastStatus: error instanceof SendError ? error.status : null,
        // The English text for API clients and logs; the code and params for the admin's language.
        lastError: (error as Error).message,
        lastErrorCode: code,
        lastErrorParams: params,
        status: next === undefined ? 'failed' : 'pending',
        nextAttemptAt: next === undefined ? null : new Date(next),
      };
    }
    const written = (await deliveries().updateMany({
      where: { id: row.id, status: 'pending', attempts },
      data: outcome as never,
    })) as { count: number };
    return written.count === 1 ? next : undefined;
  };

  /**
   * Makes the delivery's next attempt if it is due. The attempt is counted and leased before it is
   * sent, by a conditional update on the count: of any number of workers woken for one delivery,
   * one sends each attempt, and `attempts` is the number of requests sent. Returns when the
   * delivery is due next (undefined: delivered, failed, or another worker's turn).
   */
  const step = async (id: number): Promise<{ row: DeliveryRow; next: number } | undefined> => {
    const row = (await deliveries().findOne({ where: { id } })) as DeliveryRow | null;
    if (!row || row.status !== 'pending') return undefined;
    const due = row.nextAttemptAt ? new Date(row.nextAttemptAt).getTime() : 0;
    if (due > Date.now() + EARLY_MS) return { row, next: due };
    const attempts = (row.attempts ?? 0) + 1;
    const claimed = (await deliveries().updateMany({
      where: {
        id,
        status: 'pending',
        attempts: row.attempts ?? 0,
        $or: [{ nextAttemptAt: null }, { nextAttemptAt: { $lte: new Date(Date.now() + EARLY_MS) } }],
      },
      data: { attempts, nextAttemptAt: new Date(Date.now() + leaseMs) } as never,
    })) as { count: number };
    if (claimed.count !== 1) return undefined;
    const next = await attempt(row, attempts);
    return next === undefined ? undefined : { row, next };
  };

  // In-process queue (SQLite): a timer per pending delivery, the earliest wins; rows are the
  // durable record, and a sweep takes up what another process left (it stopped, or crashed).
  const scheduled = new Map<number, { at: number; timer: NodeJS.Timeout }>();
  const running = new Set<number>();
  const schedule = (id: number, at: number) => {
    const current = scheduled.get(id);
    if (stopped || running.has(id) || (current && current.at <= at)) return;
    if (current) {
      clearTimeout(current.timer);
      timers.delete(current.timer);
    }
    const timer = later(Math.max(0, at - Date.now()), () => {
      scheduled.delete(id);
      running.add(id);
      void background.run(`delivery: webhook ${id}`, async () => {
        let due: Awaited<ReturnType<typeof step>>;
        try {
          due = await step(id);
        } finally {
          running.delete(id);
        }
        if (due) schedule(id, due.next);
      });
    });
    scheduled.set(id, { at, timer });
  };

  /** pg-boss: a job that runs `step` at `at`; one per delivery and moment however often it is sent. */
  const wake = async (row: { id: number; createdAt: unknown }, at: number) => {
    // Stopping: the outbox retries the event after the next start, and queues the delivery then.
    if (!boss) throw new Error('the webhook queue is stopped');
    await boss.send(
      QUEUE,
      { id: row.id },
      { ...jobOptions, id: jobId(row, at), ...(at > Date.now() ? { startAfter: new Date(at) } : {}) },
    );
    // pg-boss polls every half second: this process starts the attempt on time.
    later(Math.max(0, at - Date.now()), () => workerIds.forEach((workerId) => boss?.notifyWorker(workerId)));
  };

  /** Queues the delivery's next attempt, at its due time. */
  const enqueue = async (row: { id: number; createdAt: unknown; nextAttemptAt?: unknown }) => {
    const at = row.nextAttemptAt ? new Date(row.nextAttemptAt as string).getTime() : 0;
    if (postgres) await wake(row, at);
    else schedule(row.id, at);
  };

  /**
   * The safety net: every pending delivery on SQLite (this process's timers are the queue); on
   * PostgreSQL the ones overdue (a wake-up lost to a crash or a database outage).
   */
  const sweep = async () => {
    const overdue = new Date(Date.now() - OVERDUE_MS);
    const pending = (await deliveries().findMany({
      where: postgres
        ? {
            status: 'pending',
            $or: [{ nextAttemptAt: { $lte: overdue } }, { nextAttemptAt: null, createdAt: { $lte: overdue } }],
          }
        : { status: 'pending' },
      select: ['id', 'nextAttemptAt', 'createdAt'],
      ...(postgres ? { limit: 100 } : {}),
    })) as { id: number; nextAttemptAt: string | number | null; createdAt: unknown }[];
    for (const row of pending) {
      if (postgres) {
        // A job of its own (not the lost one's key, which may still be taken): extra ones find the
        // attempt taken and end.
        await boss?.send(QUEUE, { id: row.id }, jobOptions);
      } else {
        schedule(row.id, row.nextAttemptAt ? new Date(row.nextAttemptAt).getTime() : 0);
      }
    }
  };

  return {
    backend: () => (boss ? 'pg-boss' : 'in-process'),
    policy: () => policy,

    async start() {
      stopped = false;
      if (postgres) {
        // The app's own connection settings (its `schema` is Strapi's; pg-boss keeps its jobs in its own).
        const { schema: _appSchema, ...connection } = strapi.config.get('database.connection.connection') as Record<
          string,
          unknown
        >;
        boss = new PgBoss({
          ...connection,
          schema: JOBS_SCHEMA,
          max: 3,
          supervise: true,
          migrate: true,
          // How often expired attempts (a crashed process) are put back for retry.
          maintenanceIntervalSeconds: envInt(process.env, 'WEBHOOK_MAINTENANCE_SECONDS', 30),
        });
        boss.on('error', (error) => strapi.log.error(`delivery: pg-boss: ${error.message}`));
        await boss.start();
        await boss.createQueue(QUEUE).catch(() => undefined);
        // Several workers, each attempting a batch side by side and failing only the jobs that
        // failed (pg-boss completes the others): a dead or stalling site's retries do not hold
        // back the other sites' deliveries (one job per poll was two a second).
        const queue = boss;
        const onJobs = async (jobs: PgBoss.Job<unknown>[]) => {
          await Promise.all(
            jobs.map(async (job) => {
              // Strapi's PostgreSQL dialect makes pg return json as text, for every pool in the process.
              const data = (typeof job.data === 'string' ? JSON.parse(job.data) : job.data) as { id: number };
              try {
                const due = await step(data.id);
                if (due) await wake(due.row, due.next);
              } catch (error) {
                // The database or the queue failed, not the receiver: pg-boss runs the job again
                // (stopped meanwhile: the sweep after the next start finds the delivery).
                await queue.fail(QUEUE, job.id, { message: (error as Error).message }).catch(() => undefined);
              }
            }),
          );
        };
        const concurrency = Math.max(1, envInt(process.env, 'WEBHOOK_CONCURRENCY', 4));
        workerIds = await Promise.all(
          Array.from({ length: concurrency }, () =>
            queue.work(QUEUE, { batchSize: 5, pollingIntervalSeconds: 0.5 }, onJobs),
          ),
        );
        await sweep();
        stopSweeps = background.every(envInt(process.env, 'WEBHOOK_SWEEP_MS', 60_000), 'delivery: webhooks', sweep);
      } else {
        await sweep();
        stopSweeps = background.every(envInt(process.env, 'WEBHOOK_SWEEP_MS', 5000), 'delivery: webhooks', sweep);
      }
    },

    async stop() {
      stopped = true;
      stopSweeps?.();
      timers.forEach((timer) => clearTimeout(timer));
      scheduled.clear();
      timers.clear();
      workerIds = [];
      if (boss) await boss.stop({ graceful: true, timeout: 5000 }).catch(() => undefined);
      boss = undefined;
    },

    /** Outward subscriber of the editorial events: one delivery per interested site. */
    async handle(event: DomainEvent) {
      const name = EVENTS[event.type];
      if (!name || !event.target) return;
      const { uid, documentId, locale } = event.target;
      for (const site of await sites.forDocument(uid, locale)) {
        if (!site.webhookUrl) continue;
        // Idempotent: this handler may run again for the same event after a crash, which may have
        // come between recording the delivery and queueing it (a queued one is not queued twice).
        const existing = (await deliveries().findOne({
          where: { eventId: event.id, siteId: site.id },
          select: ['id', 'status', 'createdAt', 'nextAttemptAt'],
        })) as { id: number; status: string; createdAt: unknown; nextAttemptAt: unknown } | null;
        if (existing) {
          if (existing.status === 'pending') await enqueue(existing);
          continue;
        }
        const payload = {
          event: name,
          type: uid,
          collection: sites.segmentOf(uid), // the REST path segment: projects, district-profile
          documentId,
          locale,
          slug: (event.payload.slug as string | null) ?? null,
          paths: sites.paths(site, uid, locale, (event.payload.slug as string | null) ?? null, documentId),
          occurredAt: new Date().toISOString(),
        };
        const row = (await deliveries().create({
          data: {
            eventId: event.id,
            siteId: site.id,
            siteName: site.name,
            url: site.webhookUrl,
            event: name,
            targetUid: uid,
            targetDocumentId: documentId,
            targetLocale: locale,
            payload,
            status: 'pending',
            attempts: 0,
          } as never,
        })) as { id: number; createdAt: unknown };
        await enqueue(row);
      }
    },

    async list(filters: { status?: string; site?: string }, page = 1, pageSize = 50) {
      const where = {
        ...(filters.status ? { status: filters.status } : {}),
        ...(filters.site ? { siteName: filters.site } : {}),
      };
      const [results, total] = await Promise.all([
        deliveries().findMany({ where, orderBy: { id: 'desc' }, offset: (page - 1) * pageSize, limit: pageSize }),
        deliveries().count({ where }),
      ]);
      return { results, pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize) } };
    },

    /**
     * A signed `site.test` notice to the site's webhook, sent now through the same code as every
     * delivery (no delivery row, no retries): what the receiver answered, or why it failed.
     */
    async test(site: { name: string; webhookUrl?: string | null; webhookSecret?: string | null }) {
      const started = Date.now();
      const payload = {
        event: 'site.test',
        site: site.name,
        message: 'A test notice from Wutong: no content changed.',
        occurredAt: new Date().toISOString(),
      };
      try {
        const status = await send(site, 'site.test', `test-${started}`, payload);
        return { ok: true as const, status, ms: Date.now() - started };
      } catch (error) {
        const { code, params } = codeOf(error);
        return {
          ok: false as const,
          status: error instanceof SendError ? error.status : null,
          code,
          values: params,
          error: (error as Error).message,
          ms: Date.now() - started,
        };
      }
    },

    /** Sends a delivery again (the admin's "redeliver"), whatever its state, with a fresh count of attempts. */
    async redeliver(id: number) {
      const row = (await deliveries().findOne({ where: { id }, select: ['id', 'createdAt'] })) as {
        id: number;
        createdAt: unknown;
      } | null;
      if (!row) throw new errors.NotFoundError('No such delivery');
      // Due now; the moment also keys its job apart from the delivery's earlier ones.
      const nextAttemptAt = new Date();
      await deliveries().update({
        where: { id },
        data: {
          status: 'pending',
          attempts: 0,
          nextAttemptAt,
          lastError: null,
          lastErrorCode: null,
          lastErrorParams: null,
          lastStatus: null,
        } as never,
      });
      await enqueue({ ...row, nextAttemptAt });
    },
  };
};

export type Webhooks = ReturnType<typeof createWebhooks>;
