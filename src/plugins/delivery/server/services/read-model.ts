/**
 * The read model: each published entry's public list JSON, precomputed, so that a plain list
 * request (`/api/projects?locale=en&pagination[…]`) costs two indexed SQL queries instead of
 * Strapi's query pipeline (about 20 ms of CPU per request).
 *
 * Exactness: entries are rendered by Strapi's own core controller (`find`), with the Public
 * role's real authentication and the same default populate and request context as a real
 * anonymous request, so validation, the Document Service rules and output sanitizing all apply.
 *
 * Freshness: every change the public API can see is a domain event (publish, unpublish, delete,
 * locale and permission changes). Each process notes events as soon as it learns of them from the
 * event stream (its own right after commit; others' on the stream's poll) and answers nothing from
 * the read model while any noted event is not yet applied; Strapi answers instead. The publishing
 * process applies its event right after commit, and the outbox (`onCommitted`, durable, retried)
 * applies it if that process died first; other processes look whether it has been applied when a
 * list is asked for (at most once per poll interval; Strapi answers meanwhile). So a process serves
 * an old entry at most until its next poll (WUTONG_EVENTS_POLL_MS, 200 ms) after another process's
 * commit, never after its own.
 *
 * Rows carry the event id high-water mark read before rendering: a render that started earlier
 * never overwrites a later one (a slow full build racing a publish elsewhere).
 */
import type { Core } from '@strapi/strapi';
import type { Background } from '../../../../lib/background';
import { envBool, envInt, envString } from '../../../../lib/env';
import { defaultPopulate } from '../../../../lib/public-api';
import { listBody, parseListQuery, type ListRequest } from '../../../../lib/read-model';
import type { EventStream } from '../../../events/server/services/stream';
import { PUBLIC_CHANGES, PUBLIC_RESETS } from './cache';

export const READ_MODEL_TABLE = 'wutong_read_model';
/** Its subscription to the event stream. */
export const SUBSCRIBER = 'delivery: read model';
const APPLIED_TABLE = 'wutong_read_model_applied';

interface ChangeEvent {
  id: number;
  type: string;
  /** Written by this process (the event stream says so). */
  local?: boolean;
  target?: { uid: string; documentId: string } | null;
  payload?: { related?: unknown; scope?: unknown } | null;
}

interface Rendered {
  documentId: string;
  id: number;
  json: string;
}

const PAGE = 100; // Strapi's maxLimit (config/api.ts)

export const createReadModel = (
  strapi: Core.Strapi,
  background: Background,
  events: Pick<EventStream, 'latestId' | 'sync' | 'attempted' | 'settings'>,
) => {
  const latestEventId = () => events.latestId();
  let enabled =
    envString(process.env, 'WUTONG_READ_MODEL', 'on') !== 'off' && !envBool(process.env, 'WUTONG_FALLBACK', false);
  const knex = () => strapi.db.connection;
  const limits = () => ({
    defaultLimit: Number(strapi.config.get('api.rest.defaultLimit', 25)),
    maxLimit: Number(strapi.config.get('api.rest.maxLimit', 100)),
  });
  /** uids the Public role may list, by plural name; only these are served (after a build). */
  let served = new Map<string, string>();
  let locales = new Set<string>();
  let ready = false;
  let rebuildAgain = false;
  /** noted events not yet applied, with their type */
  const pending = new Map<number, string>();
  let notes = 0; // bumped whenever an event is noted: an answer read across one is dropped
  const timers: (() => void)[] = [];

  const collectionTypes = () =>
    Object.values(strapi.contentTypes).filter(
      (model) =>
        model.uid.startsWith('api::') &&
        model.kind === 'collectionType' &&
        (model.options as { draftAndPublish?: boolean } | undefined)?.draftAndPublish === true,
    );

  /** The content API's own authentication of an anonymous request: the Public role. */
  const publicAuth = async (uid: string) => {
    const route = {
      method: 'GET',
      path: `/${(strapi.contentTypes as unknown as Record<string, { info: { pluralName: string } }>)[uid].info.pluralName}`,
      handler: `${uid}.find`,
      info: { type: 'content-api', apiName: uid.split('::')[1].split('.')[0] },
      config: {},
    };
    const ctx = {
      state: { route } as Record<string, unknown>,
      request: { header: {}, headers: {}, query: {} },
      query: {},
      get: () => '',
      unauthorized: () => undefined,
    };
    const auth = strapi.get('auth') as {
      authenticate(ctx: unknown, next: () => Promise<void>): Promise<void>;
      verify(auth: unknown, config: unknown): Promise<void>;
    };
    await auth.authenticate(ctx, async () => undefined);
    if (!ctx.state.auth) return undefined;
    try {
      await auth.verify(ctx.state.auth, { scope: [`${uid}.find`] });
    } catch {
      return undefined; // the Public role may not list this type: Strapi answers (403)
    }
    return { route, auth: ctx.state.auth };
  };

  /** Entries as the REST list returns them, through Strapi's own controller, in list order. */
  const render = async (uid: string, locale: string, filters?: Record<string, unknown>): Promise<Rendered[]> => {
    const access = await publicAuth(uid);
    if (!access) return [];
    const out: Rendered[] = [];
    for (let page = 1; ; page += 1) {
      const query = {
        locale,
        populate: defaultPopulate(uid, false),
        pagination: { page: String(page), pageSize: String(PAGE) },
        ...(filters ? { filters } : {}),
      };
      const ctx = {
        method: 'GET',
        query,
        request: { query, header: {}, headers: {} },
        state: { route: access.route, auth: access.auth, isAuthenticated: true },
        params: {},
      };
      const controller = strapi.controller(uid as never) as unknown as {
        find(ctx: unknown): Promise<{ data: Record<string, unknown>[]; meta: { pagination: { pageCount: number } } }>;
      };
      type Body = Awaited<ReturnType<typeof controller.find>>;
      const run = strapi.requestContext.run as unknown as (store: unknown, cb: () => Promise<Body>) => Promise<Body>;
      const body = await run(ctx, () => controller.find(ctx));
      for (const entry of body.data)
        out.push({ documentId: entry.documentId as string, id: entry.id as number, json: JSON.stringify(entry) });
      if (page >= body.meta.pagination.pageCount) return out;
    }
  };

  /** undefined: a language removed since it was listed (its own event drops its rows). */
  const renderIn = (uid: string, locale: string, filters?: Record<string, unknown>) =>
    render(uid, locale, filters).catch((error: Error) => {
      if (/^Unknown locale/.test(error.message)) return undefined;
      throw error;
    });

  const write = async (uid: string, locale: string, rows: Rendered[], tombstones: string[], version: number) => {
    const now = new Date();
    const all = [
      ...rows.map(({ documentId, id, json }) => ({ document_id: documentId, entry_id: id, json })),
      ...tombstones.map((documentId) => ({ document_id: documentId, entry_id: 0, json: null })),
    ].map((row) => ({ ...row, uid, locale, version, updated_at: now }));
    for (let i = 0; i < all.length; i += 50) {
      await knex()(READ_MODEL_TABLE)
        .insert(all.slice(i, i + 50))
        .onConflict(['uid', 'document_id', 'locale'])
        .merge(['entry_id', 'json', 'version', 'updated_at'])
        // An older render (started before a later change was committed) never wins.
        .where(`${READ_MODEL_TABLE}.version`, '<=', version);
    }
  };

  const currentLocales = async () =>
    new Set(
      ((await strapi.db.query('plugin::i18n.locale').findMany({ select: ['code'] })) as { code: string }[]).map(
        ({ code }) => code,
      ),
    );

  /**
   * Renders every published entry of every public type and language; false when a shutdown cut it
   * short (every start builds again).
   */
  const buildAll = async (): Promise<boolean> => {
    const version = await latestEventId();
    const codes = await currentLocales();
    const next = new Map<string, string>();
    for (const model of collectionTypes()) {
      if (await publicAuth(model.uid)) next.set(model.info.pluralName, model.uid);
      for (const locale of codes) {
        if (background.closed) return false;
        const rows = (await renderIn(model.uid, locale)) ?? [];
        await write(model.uid, locale, rows, [], version);
        // Not rendered by this build nor written by a later change: no longer published.
        await knex()(READ_MODEL_TABLE).where({ uid: model.uid, locale }).andWhere('version', '<', version).delete();
      }
    }
    await knex()(READ_MODEL_TABLE)
      .whereNotIn('locale', [...codes])
      .delete();
    served = next;
    locales = codes;
    return true;
  };

  /** One full build at a time; one more after it when asked for during it. */
  const builds = background.single('delivery: read model', async () => {
    let complete: boolean;
    do {
      rebuildAgain = false;
      complete = await buildAll();
    } while (complete && rebuildAgain);
    ready = complete;
  });
  const runBuilds = builds.run;

  /** A full build that must finish before anything is served again. */
  const rebuildAll = async (): Promise<void> => {
    ready = false;
    if (builds.current()) rebuildAgain = true;
    await runBuilds();
    // Not applied, so that no process serves from it: the outbox retries the event.
    if (!ready) throw new Error('the full build failed');
  };

  /** Re-renders these documents in every language (or marks them gone). */
  const rebuildDocuments = async (targets: { uid: string; documentId: string }[]) => {
    const version = await latestEventId();
    const byUid = new Map<string, Set<string>>();
    for (const { uid, documentId } of targets) {
      if (!byUid.has(uid)) byUid.set(uid, new Set());
      byUid.get(uid)!.add(documentId);
    }
    for (const [uid, ids] of byUid) {
      for (const locale of await currentLocales()) {
        const rows = await renderIn(uid, locale, { documentId: { $in: [...ids] } });
        if (!rows) continue;
        const found = new Set(rows.map(({ documentId }) => documentId));
        await write(
          uid,
          locale,
          rows,
          [...ids].filter((id) => !found.has(id)),
          version,
        );
      }
    }
  };

  /** The documents an event changes: its target, and those whose relations show it (any public type). */
  const targetsOf = async (event: ChangeEvent) => {
    const targets: { uid: string; documentId: string }[] = [];
    const types = new Set(collectionTypes().map(({ uid }) => uid));
    if (event.target?.uid && types.has(event.target.uid)) targets.push(event.target);
    const related = ([] as unknown[])
      .concat(event.payload?.related ?? [])
      .filter((id): id is string => typeof id === 'string');
    if (related.length) {
      for (const uid of types) {
        const rows = (await strapi.db.query(uid as never).findMany({
          where: { documentId: { $in: related } },
          select: ['documentId'],
        })) as { documentId: string }[];
        for (const documentId of new Set(rows.map((row) => row.documentId))) targets.push({ uid, documentId });
      }
    }
    return targets;
  };

  const markApplied = (id: number) => knex()(APPLIED_TABLE).insert({ event_id: id }).onConflict('event_id').ignore();

  const apply = async (event: ChangeEvent) => {
    if (!PUBLIC_CHANGES.includes(event.type)) return;
    // Admin roles' permissions do not change what the public API shows; the Public role's do.
    const adminOnly = event.type === 'admin.permissions-changed' && event.payload?.scope !== 'content-api';
    if (adminOnly) await refreshScope();
    else if (PUBLIC_RESETS.includes(event.type)) await rebuildAll();
    else await rebuildDocuments(await targetsOf(event));
    await markApplied(event.id);
  };

  /** What is served: the languages and the types the Public role may list (after a change to either). */
  const refreshScope = async () => {
    const next = new Map<string, string>();
    for (const model of collectionTypes()) if (await publicAuth(model.uid)) next.set(model.info.pluralName, model.uid);
    locales = await currentLocales();
    served = next;
  };

  /** Drops noted events that some process has applied meanwhile. */
  const recheck = async () => {
    if (!pending.size) return;
    const done = (await knex()(APPLIED_TABLE)
      .whereIn('event_id', [...pending.keys()])
      .select('event_id')) as {
      event_id: number | string;
    }[];
    const ids = done.map(({ event_id: id }) => Number(id));
    if (ids.some((id) => PUBLIC_RESETS.includes(pending.get(id) ?? ''))) await refreshScope();
    ids.forEach((id) => pending.delete(id));
  };
  const rechecks = background.single('delivery: read model', recheck);
  let lastRecheck = 0;
  /** On demand (a list asked for while events are pending), at most once per poll interval. */
  const recheckSoon = () => {
    if (!pending.size || Date.now() - lastRecheck < events.settings.pollMs) return;
    lastRecheck = Date.now();
    void rechecks.run();
  };

  const service = {
    get enabled() {
      return enabled;
    },
    /** Tests: Strapi's own answer for comparison. */
    setEnabled(value: boolean) {
      enabled = value;
    },

    async ensureTables() {
      // IF NOT EXISTS: every process runs this at start, possibly at the same time.
      const raw = (sql: string) => knex().raw(sql);
      await raw(
        `CREATE TABLE IF NOT EXISTS ${READ_MODEL_TABLE} (uid varchar(255) NOT NULL, document_id varchar(255) NOT NULL, ` +
          `locale varchar(32) NOT NULL, entry_id integer NOT NULL, json text NULL, version bigint NOT NULL, ` +
          `updated_at timestamp NULL, UNIQUE (uid, document_id, locale))`,
      );
      await raw(`CREATE INDEX IF NOT EXISTS ${READ_MODEL_TABLE}_list ON ${READ_MODEL_TABLE} (uid, locale, entry_id)`);
      await raw(`CREATE TABLE IF NOT EXISTS ${APPLIED_TABLE} (event_id bigint PRIMARY KEY)`);
    },

    /** Builds in the background; Strapi answers until it is done. */
    start() {
      if (!enabled) return;
      void runBuilds();
      // Media edits (a replaced file, new formats) are no domain events: re-rendering everything
      // now and then bounds how long they go unseen, like the response cache's TTL does.
      const minutes = envInt(process.env, 'WUTONG_READ_MODEL_REFRESH_MINUTES', 60);
      if (minutes > 0) timers.push(background.every(minutes * 60_000, 'delivery: read model', runBuilds));
    },

    stop() {
      timers.splice(0).forEach((stopTimer) => stopTimer());
    },

    /** Events this process has just learnt of: nothing is served until they are applied. */
    note(events: { id: number; type: string }[]) {
      if (!enabled) return;
      for (const { id, type } of events) {
        if (!PUBLIC_CHANGES.includes(type)) continue;
        pending.set(id, type);
        notes += 1;
      }
    },

    /**
     * The event stream's subscriber (public changes only). Notes the event at once, before
     * anything else runs, and applies this process's own. Another process's (or its own whose
     * apply failed: the outbox applies it) stays noted until a recheck finds it applied.
     */
    async handle(event: ChangeEvent) {
      if (!enabled || !PUBLIC_CHANGES.includes(event.type)) return;
      service.note([event]);
      if (!event.local) return;
      try {
        await apply(event);
        pending.delete(event.id);
      } catch (error) {
        strapi.log.error(`delivery: read model: ${(error as Error).message}`);
      }
    },

    /** The stream gave up an event (or a backlog): everything is rendered again before serving. */
    async resynchronise() {
      const noted = [...pending.keys()]; // committed before the build starts: it renders them
      await rebuildAll();
      noted.forEach((id) => pending.delete(id));
    },

    /** The outbox's once-per-event handler: applies the event unless its process already did. */
    async applyCommitted(event: ChangeEvent) {
      if (!enabled || !PUBLIC_CHANGES.includes(event.type)) return;
      // In the process that wrote it, its subscriber is applying it (or about to): not twice.
      await events.attempted(SUBSCRIBER, event.id);
      const done = await knex()(APPLIED_TABLE).where({ event_id: event.id }).first();
      if (!done) await apply(event);
    },

    /** Waits for the build in progress and every event committed so far (tests). */
    async settle() {
      await builds.current();
      for (let i = 0; i < 100; i += 1) {
        await events.sync();
        await rechecks.run();
        if (!pending.size) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },

    rebuildAll,

    /** Whether it would answer now (tests). */
    serving: () => enabled && ready && pending.size === 0,

    /**
     * The body of a plain list request, or undefined when Strapi must answer (anything but
     * `locale` and pagination, an unknown locale, a type the Public role may not list, a build
     * or change in progress).
     */
    async list(
      segment: string,
      querystring: string,
    ): Promise<{ body: string; uid: string; request: ListRequest; count: number } | undefined> {
      if (!service.serving()) {
        recheckSoon();
        return undefined;
      }
      const before = notes;
      const uid = served.get(segment);
      if (!uid) return undefined;
      const request = parseListQuery(querystring, limits());
      if (!request || !locales.has(request.locale)) return undefined;
      const where = { uid, locale: request.locale };
      const [rows, [{ total }]] = await Promise.all([
        knex()(READ_MODEL_TABLE)
          .where(where)
          .whereNotNull('json')
          .orderBy('entry_id')
          .limit(request.pageSize)
          .offset((request.page - 1) * request.pageSize)
          .select('json') as Promise<{ json: string }[]>,
        knex()(READ_MODEL_TABLE).where(where).whereNotNull('json').count('* as total') as Promise<
          { total: number | string }[]
        >,
      ]);
      // A change noted while reading: the answer may mix versions; let Strapi answer.
      if (!service.serving() || notes !== before) return undefined;
      return {
        body: listBody(
          rows.map(({ json }) => json),
          request,
          Number(total),
        ),
        uid,
        request,
        count: rows.length,
      };
    },
  };
  return service;
};

export type ReadModel = ReturnType<typeof createReadModel>;
