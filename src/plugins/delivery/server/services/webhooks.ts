/**
 * Signed webhooks to the sites that show a published, unpublished or deleted document.
 *
 * The domain event is already in the database with the change (the editorial outbox); its
 * outward handler, run once per event, records one delivery per site (idempotently) and queues
 * it. On PostgreSQL the queue is pg-boss: retried with exponential backoff, each job taken by one
 * process (SKIP LOCKED), kept across crashes and restarts. The embedded SQLite default runs the
 * same deliveries in process from the delivery table.
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
import { signPayload } from '../../../../lib/signature';
import { checkWebhookUrl, refusedAddress } from '../../../../lib/ssrf';
import type { Sites } from './sites';

export const DELIVERY_UID = 'plugin::delivery.delivery';
export const QUEUE = 'wutong-webhooks';
/** pg-boss's own schema (PostgreSQL), beside the app's. */
export const JOBS_SCHEMA = 'wutong_jobs';

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
}

const MAX_ATTEMPTS = 10;
/** Exponential backoff after the n-th failed attempt: base, 2×base, 4×base … capped at an hour. */
const backoffSeconds = (base: number, attempts: number) => Math.min(3600, base * 2 ** Math.max(0, attempts - 1));

/**
 * The id of a delivery's first job, the same however often it is sent (pg-boss inserts a job id
 * once): the outbox handler may queue a recorded delivery again after a crash or a shutdown.
 */
const firstJobId = (row: { id: number; eventId: number; siteId: number; createdAt: unknown }) => {
  const hex = createHash('sha256')
    .update(`wutong-delivery:${row.id}:${row.eventId}:${row.siteId}:${new Date(row.createdAt as string).getTime()}`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/**
 * Resolves a webhook host and refuses it when any of its addresses is not public (unless
 * allow-listed); the answer is pinned: the connection goes to a checked address, never to a
 * second DNS answer (rebinding).
 */
export const resolveWebhookTarget = async (value: string, allowList: string[]) => {
  const checked = checkWebhookUrl(value);
  if (!checked.ok) throw new errors.ValidationError(`Webhook URL refused: ${checked.reason}`);
  const { hostname } = checked.url;
  const host = hostname.replace(/^\[|\]$/g, '');
  const addresses = await dns.lookup(host, { all: true, verbatim: true }).catch(() => []);
  if (!addresses.length) throw new errors.ValidationError(`Webhook URL refused: ${host} does not resolve`);
  const refused = refusedAddress(
    host,
    addresses.map(({ address }) => address),
    allowList,
  );
  if (refused !== undefined) {
    throw new errors.ValidationError(
      `Webhook URL refused: ${host} resolves to ${refused}, a private or loopback (not public) address (allow it with WEBHOOK_ALLOWLIST)`,
    );
  }
  return { url: checked.url, address: addresses[0].address, family: addresses[0].family };
};

/** POSTs with the connection pinned to the checked address (no second DNS answer can redirect it). */
const post = (
  target: Awaited<ReturnType<typeof resolveWebhookTarget>>,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
) =>
  new Promise<{ status: number; text: string }>((resolve, reject) => {
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
        timeout: timeoutMs,
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          if (text.length < 2000) text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });

/** The queue's settings, shared with `npm run restore` (it queues the restored pending deliveries). */
export const webhookJobSettings = (env: Record<string, string | undefined>) => {
  const timeoutMs = envInt(env, 'WEBHOOK_TIMEOUT_MS', 10000);
  const retryDelay = Math.max(1, envInt(env, 'WEBHOOK_RETRY_DELAY_SECONDS', 5));
  // An attempt that outlives its timeout by this much was cut short by a crash: another process
  // may take the delivery over.
  const leaseMs = timeoutMs + 5000;
  const jobOptions = {
    retryLimit: MAX_ATTEMPTS - 1,
    retryDelay,
    retryBackoff: true,
    expireInSeconds: Math.ceil(leaseMs / 1000),
  };
  return { timeoutMs, retryDelay, leaseMs, jobOptions };
};

export const createWebhooks = (strapi: Core.Strapi, sites: Sites, background: Background) => {
  const deliveries = () => strapi.db.query(DELIVERY_UID as never);
  const allowList = () => envList(process.env, 'WEBHOOK_ALLOWLIST');
  const { timeoutMs, retryDelay, leaseMs, jobOptions } = webhookJobSettings(process.env);
  let workerIds: string[] = [];
  const postgres = strapi.db.dialect.client === 'postgres';
  let boss: PgBoss | undefined;
  const timers = new Set<NodeJS.Timeout>();
  let stopSweeps: (() => void) | undefined;
  let stopped = false;

  /** One attempt. Throws when it should be retried. */
  const attempt = async (id: number) => {
    const row = (await deliveries().findOne({ where: { id } })) as DeliveryRow | null;
    if (!row || row.status === 'delivered') return;
    const attempts = (row.attempts ?? 0) + 1;
    let lastStatus: number | null = null;
    try {
      const site = await sites.byId(row.siteId);
      if (!site?.webhookUrl || !site.webhookSecret) throw new Error('the site has no webhook URL or secret any more');
      const target = await resolveWebhookTarget(site.webhookUrl, allowList());
      const body = JSON.stringify({ ...row.payload, id: String(row.id) });
      const timestamp = Math.floor(Date.now() / 1000);
      const response = await post(
        target,
        {
          'Content-Type': 'application/json',
          'User-Agent': 'Wutong-Webhooks/1',
          'X-Wutong-Event': row.event,
          'X-Wutong-Delivery': String(row.id),
          'X-Wutong-Timestamp': String(timestamp),
          'X-Wutong-Signature': signPayload(site.webhookSecret, timestamp, body),
        },
        body,
        timeoutMs,
      );
      lastStatus = response.status;
      // Node's http client never follows a redirect: a 3xx is a failed attempt like any non-2xx.
      if (response.status >= 300 && response.status < 400)
        throw new Error(`HTTP ${response.status}: redirects are not followed`);
      if (response.status < 200 || response.status >= 300)
        throw new Error(`HTTP ${response.status} ${response.text.slice(0, 300)}`.trim());
      await deliveries().update({
        where: { id },
        data: {
          attempts,
          lastStatus,
          lastError: null,
          status: 'delivered',
          deliveredAt: new Date(),
          nextAttemptAt: null,
        } as never,
      });
    } catch (error) {
      const final = attempts >= MAX_ATTEMPTS;
      await deliveries().update({
        where: { id },
        data: {
          attempts,
          lastStatus,
          lastError: (error as Error).message,
          status: final ? 'failed' : 'pending',
          nextAttemptAt: final ? null : new Date(Date.now() + backoffSeconds(retryDelay, attempts) * 1000),
        } as never,
      });
      if (!final) throw error;
    }
  };

  // In-process queue (SQLite): a timer per pending delivery; rows are the durable record, and a
  // sweep takes up what another process left (it stopped, or crashed mid-way).
  const scheduled = new Set<number>();
  const schedule = (id: number, delayMs: number) => {
    if (stopped || scheduled.has(id)) return;
    scheduled.add(id);
    const timer = setTimeout(() => {
      timers.delete(timer);
      scheduled.delete(id);
      void background.run(`delivery: webhook ${id}`, () => claimAndAttempt(id));
    }, delayMs);
    timer.unref();
    timers.add(timer);
  };
  /** A pending delivery this process was due to try: claimed first, retried later if it fails. */
  const claimAndAttempt = async (id: number) => {
    // Claim: of several processes sharing the file, one takes it.
    const claimed = (await deliveries().updateMany({
      where: {
        id,
        status: 'pending',
        $or: [{ nextAttemptAt: null }, { nextAttemptAt: { $lte: new Date(Date.now() + 1000) } }],
      },
      data: { nextAttemptAt: new Date(Date.now() + leaseMs) } as never,
    })) as { count: number };
    if (claimed.count !== 1) return;
    try {
      await attempt(id);
    } catch {
      const row = (await deliveries().findOne({ where: { id }, select: ['attempts'] })) as {
        attempts: number;
      } | null;
      schedule(id, backoffSeconds(retryDelay, row?.attempts ?? 1) * 1000);
    }
  };

  /** Schedules every pending delivery this process is not already holding. */
  const sweep = async () => {
    const pending = (await deliveries().findMany({
      where: { status: 'pending' },
      select: ['id', 'nextAttemptAt'],
    })) as {
      id: number;
      nextAttemptAt: string | number | null;
    }[];
    for (const row of pending) {
      schedule(row.id, Math.max(0, (row.nextAttemptAt ? new Date(row.nextAttemptAt).getTime() : 0) - Date.now()));
    }
  };

  /** `first`: a delivery's first job, which a handler run twice for one event must not queue twice. */
  const enqueue = async (id: number, first?: Parameters<typeof firstJobId>[0]) => {
    // Stopping: the outbox retries the event after the next start, and queues the delivery then.
    if (postgres && !boss) throw new Error('the webhook queue is stopped');
    if (boss) {
      await boss.send(QUEUE, { id }, first ? { ...jobOptions, id: firstJobId(first) } : jobOptions);
      // This process picks it up now rather than at its next poll.
      workerIds.forEach((workerId) => boss?.notifyWorker(workerId));
    } else {
      schedule(id, 0);
    }
  };

  return {
    backend: () => (boss ? 'pg-boss' : 'in-process'),

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
                await attempt(data.id);
              } catch (error) {
                await queue.fail(QUEUE, job.id, { message: (error as Error).message });
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
          select: ['id', 'status', 'createdAt'],
        })) as { id: number; status: string; createdAt: unknown } | null;
        if (existing) {
          if (existing.status === 'pending')
            await enqueue(existing.id, { ...existing, eventId: event.id, siteId: site.id });
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
        await enqueue(row.id, { ...row, eventId: event.id, siteId: site.id });
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

    /** Sends a delivery again (the admin's "redeliver"), whatever its state. */
    async redeliver(id: number) {
      const row = await deliveries().findOne({ where: { id }, select: ['id'] });
      if (!row) throw new errors.NotFoundError('No such delivery');
      await deliveries().update({
        where: { id },
        data: { status: 'pending', attempts: 0, nextAttemptAt: null, lastError: null } as never,
      });
      await enqueue(id);
    },
  };
};

export type Webhooks = ReturnType<typeof createWebhooks>;
