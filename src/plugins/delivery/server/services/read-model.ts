/**
 * The read model: each published entry's public JSON (as a list shows it and as its detail route
 * shows it), precomputed, so that a plain list, a list filtered by slug or documentId, and a
 * detail by documentId cost one or two indexed SQL queries instead of Strapi's query pipeline
 * (about 20 ms of CPU per request).
 *
 * Exactness: entries are rendered by Strapi's own core controller (`find`, with the detail
 * populate; the list entry is that minus what only the detail populate adds), with the Public
 * role's real authentication and the same request context as a real anonymous request, so
 * validation, the Document Service rules and output sanitizing all apply.
 *
 * Persistence: the model is a table and outlives the process. Each (type, language) list is
 * marked complete under a render version (a hash of the schemas, default populates and this
 * code's format, src/lib/read-model.ts); a list not complete under the current version is built
 * in the background, in batches of WUTONG_READ_MODEL_BATCH entries by ascending id (keyset, so a
 * batch costs the same at the end of 100,000 entries as at the start), resumable after a restart
 * and claimed by one process at a time. Until a list is complete, Strapi answers every request
 * for it: a partly built list is never served. A start with a complete model builds nothing: it
 * catches up on the events above its durable cursor (and a window below it, for late commits)
 * that no process applied, and serves once they are applied.
 *
 * Freshness: every change the public API can see is a domain event (publish, unpublish, delete,
 * locale and permission changes, edits of files that published entries show). Each process notes
 * events as soon as it learns of them from the event stream (its own right after commit; others'
 * on the stream's poll) and answers nothing from the read model while any noted event is not yet
 * applied; Strapi answers instead. The publishing process applies its event right after commit,
 * and the outbox (`onCommitted`, durable, retried) applies it if that process died first; every
 * WUTONG_READ_MODEL_CATCH_UP_SECONDS a pass applies what is still not applied (an outbox that gave
 * up) and moves the cursor on. Other processes look whether an event has been applied when a
 * request comes (at most once per poll interval; Strapi answers meanwhile). So a process serves
 * an old entry at most until its next poll (WUTONG_EVENTS_POLL_MS, 200 ms) after another
 * process's commit, never after its own.
 *
 * Rows carry the event id high-water mark read before rendering: a render that started earlier
 * never overwrites a later one (a slow build racing a publish elsewhere).
 */
import { randomUUID } from 'crypto';
import type { Core } from '@strapi/strapi';
import type { Background } from '../../../../lib/background';
import { envBool, envInt, envString } from '../../../../lib/env';
import { DEFAULT_WINDOW } from '../../../../lib/event-cursor';
import { defaultPopulate, totalFromPage, type ContentRoute } from '../../../../lib/public-api';
import { checkPublicQuery, parseQuery, scalarAttributes, type ModelSchema } from '../../../../lib/public-query';
import {
  advanceCursor,
  detailBody,
  listBody,
  listEntryOf,
  matchesFirst,
  matchesText,
  parseDetailQuery,
  parseListQuery,
  plainDocumentId,
  renderVersion,
  type ListRequest,
} from '../../../../lib/read-model';
import type { EventStream, StreamEvent } from '../../../events/server/services/stream';
import { PUBLIC_CHANGES, PUBLIC_RESETS } from './cache';
import { publicSchemas } from './read-path';

export const READ_MODEL_TABLE = 'wutong_read_model';
/** Which (type, language) lists are built, under which render version, and how far a build got. */
export const LISTS_TABLE = 'wutong_read_model_lists';
/** The durable event cursor. */
const STATE_TABLE = 'wutong_read_model_state';
const APPLIED_TABLE = 'wutong_read_model_applied';
/** Its subscription to the event stream. */
export const SUBSCRIBER = 'delivery: read model';
/** File edits that published entries show (their payload names those entries: `usedBy`). */
export const MEDIA_CHANGES = ['media.replaced', 'media.deleted', 'media.info-changed'];
/** The events it follows. */
export const READ_MODEL_EVENTS = [...PUBLIC_CHANGES, ...MEDIA_CHANGES];
/** Bumped when the stored format or the way entries are rendered changes: everything is rebuilt. */
const FORMAT = 2;
/** The attribute properties a schema declares that can change an entry's JSON. */
const SCHEMA_PROPERTIES = [
  'type',
  'relation',
  'target',
  'component',
  'components',
  'repeatable',
  'private',
  'enum',
  'multiple',
  'allowedTypes',
  'pluginOptions',
];
const strapiVersion = () => {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('@strapi/strapi/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
};
/** A build claim not renewed for this long was abandoned (its process died). */
const CLAIM_MS = 60_000;

interface ChangeEvent {
  id: number;
  type: string;
  /** Written by this process (the event stream says so). */
  local?: boolean;
  target?: { uid: string; documentId: string } | null;
  payload?: { related?: unknown; scope?: unknown; usedBy?: unknown } | null;
}

interface Rendered {
  documentId: string;
  id: number;
  json: string;
  /** The detail entry, when it differs from the list entry. */
  detail: string | null;
  slug: string | null;
}

interface ListState {
  uid: string;
  locale: string;
  render: string;
  complete: number | boolean;
  after_id: number | string;
  started: number | string;
  claimed_by: string | null;
  claimed_at: number | string | null;
  total: number | string | null;
}

export interface ReadModelAnswer {
  status: 200 | 404;
  /** The JSON body (200 only: a 404 is Strapi's own error body, from its error middleware). */
  body?: string;
  uid: string;
  handler: 'find' | 'findOne';
  locale: string;
  /** Entries in the body. */
  count: number;
}

const key = (uid: string, locale: string) => `${uid}\u0000${locale}`;

export const createReadModel = (
  strapi: Core.Strapi,
  background: Background,
  events: Pick<EventStream, 'latestId' | 'sync' | 'attempted' | 'settings' | 'after'>,
) => {
  const latestEventId = () => events.latestId();
  let enabled =
    envString(process.env, 'WUTONG_READ_MODEL', 'on') !== 'off' && !envBool(process.env, 'WUTONG_FALLBACK', false);
  const batch = Math.max(1, Math.min(100, envInt(process.env, 'WUTONG_READ_MODEL_BATCH', 100)));
  const catchUpSeconds = envInt(process.env, 'WUTONG_READ_MODEL_CATCH_UP_SECONDS', 60);
  const knex = () => strapi.db.connection;
  const me = randomUUID();
  const limits = () => ({
    defaultLimit: Number(strapi.config.get('api.rest.defaultLimit', 25)),
    maxLimit: Number(strapi.config.get('api.rest.maxLimit', 100)),
  });
  /** uids the Public role may list / read one of; only these are served. */
  let listable = new Set<string>();
  let readable = new Set<string>();
  let locales = new Set<string>();
  /** (uid, locale) lists complete under the current render version. */
  let complete = new Set<string>();
  /** The start's catch-up has noted what it found: until then nothing is served. */
  let caughtUp = false;
  /** noted events not yet applied, with their type */
  const pending = new Map<number, string>();
  let notes = 0; // bumped whenever an event is noted: an answer read across one is dropped
  /** Events a catch-up pass found not applied: applied by the next pass if still not. */
  let unappliedBefore = new Set<number>();
  const timers: (() => void)[] = [];
  /** Counters (tests, measurements): entries rendered, lists built from their first entry. */
  const stats = { rendered: 0, listsBuilt: 0, eventsCaughtUp: 0 };
  let version: string | undefined;

  const collectionTypes = () =>
    Object.values(strapi.contentTypes).filter(
      (model) =>
        model.uid.startsWith('api::') &&
        model.kind === 'collectionType' &&
        (model.options as { draftAndPublish?: boolean } | undefined)?.draftAndPublish === true,
    );
  const modelOf = (uid: string) => collectionTypes().find((model) => model.uid === uid);
  const schemas = publicSchemas(strapi);
  const columns = new Map<string, Set<string>>();
  /** The type's own scalar columns (filters and sort on these alone are answered here). */
  const columnsOf = (uid: string) => {
    if (!columns.has(uid)) columns.set(uid, scalarAttributes(modelOf(uid) as unknown as ModelSchema));
    return columns.get(uid);
  };
  const queryParams = () =>
    strapi.get('query-params') as {
      transform(uid: string, params: Record<string, unknown>): { where?: Record<string, unknown>; orderBy?: unknown };
    };
  const slugged = (uid: string) => !!(modelOf(uid)?.attributes as Record<string, unknown> | undefined)?.slug;
  /** What only the detail populate adds (the list entry is the detail entry without these). */
  const detailOnly = (uid: string) => {
    const list = Object.keys(defaultPopulate(uid, false) ?? {});
    return Object.keys(defaultPopulate(uid, true) ?? {}).filter((name) => !list.includes(name));
  };

  /** The render version: everything that shapes an entry's JSON besides the content. */
  /**
   * What shapes an entry's JSON besides its content, in a form that is the same in every process:
   * each public type's and component's attributes (only what a schema declares: Strapi adds
   * run-time metadata to them), the default populates, Strapi's version and this code's format.
   */
  const versionInputs = () => {
    const declared = (attributes: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(attributes).map(([name, attribute]) => [
          name,
          Object.fromEntries(
            Object.entries(attribute as Record<string, unknown>).filter(([property]) =>
              SCHEMA_PROPERTIES.includes(property),
            ),
          ),
        ]),
      );
    const byUid = (a: { uid: string }, b: { uid: string }) => a.uid.localeCompare(b.uid);
    return {
      format: FORMAT,
      strapi: strapiVersion(),
      types: Object.values(strapi.contentTypes)
        .filter(({ uid }) => uid.startsWith('api::') || uid === 'plugin::upload.file')
        .sort(byUid)
        .map((model) => ({
          uid: model.uid,
          attributes: declared(model.attributes as Record<string, unknown>),
          localized: (model.pluginOptions as { i18n?: { localized?: boolean } } | undefined)?.i18n?.localized === true,
          populate: [defaultPopulate(model.uid, false) ?? null, defaultPopulate(model.uid, true) ?? null],
        })),
      components: Object.values(strapi.components)
        .sort(byUid)
        .map((component) => ({
          uid: component.uid,
          attributes: declared(component.attributes as Record<string, unknown>),
        })),
    };
  };
  const currentVersion = () => (version ??= renderVersion(versionInputs()));

  /** The content API's own authentication of an anonymous request: the Public role. */
  const publicAuth = async (uid: string, action: 'find' | 'findOne' = 'find') => {
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
      await auth.verify(ctx.state.auth, { scope: [`${uid}.${action}`] });
    } catch {
      return undefined; // the Public role may not do this: Strapi answers (403)
    }
    return { route, auth: ctx.state.auth };
  };

  /**
   * One batch of entries as the REST API returns them, through Strapi's own controller: those
   * with an id above `after`, in id order, rendered with the detail populate.
   */
  const renderBatch = async (
    uid: string,
    locale: string,
    access: NonNullable<Awaited<ReturnType<typeof publicAuth>>>,
    after: number,
    filters?: Record<string, unknown>,
  ): Promise<Rendered[]> => {
    const above = { id: { $gt: after } };
    const query = {
      locale,
      populate: defaultPopulate(uid, true),
      filters: filters ? { $and: [filters, above] } : above,
      sort: 'id:asc',
      // No count: it would read the whole list once per batch.
      pagination: { page: '1', pageSize: String(batch), withCount: 'false' },
    };
    const ctx = {
      method: 'GET',
      query,
      request: { query, header: {}, headers: {} },
      state: { route: access.route, auth: access.auth, isAuthenticated: true },
      params: {},
    };
    const controller = strapi.controller(uid as never) as unknown as {
      find(ctx: unknown): Promise<{ data: Record<string, unknown>[] }>;
    };
    type Body = Awaited<ReturnType<typeof controller.find>>;
    const run = strapi.requestContext.run as unknown as (store: unknown, cb: () => Promise<Body>) => Promise<Body>;
    const body = await run(ctx, () => controller.find(ctx));
    const extra = detailOnly(uid);
    stats.rendered += body.data.length;
    return body.data.map((entry) => ({
      documentId: entry.documentId as string,
      id: entry.id as number,
      json: JSON.stringify(listEntryOf(entry, extra)),
      detail: extra.length ? JSON.stringify(entry) : null,
      slug: typeof entry.slug === 'string' ? entry.slug : null,
    }));
  };

  /** undefined: a language removed since it was listed (its own event drops its rows). */
  const renderIn = async (
    uid: string,
    locale: string,
    access: NonNullable<Awaited<ReturnType<typeof publicAuth>>>,
    after: number,
    filters?: Record<string, unknown>,
  ) => {
    try {
      return await renderBatch(uid, locale, access, after, filters);
    } catch (error) {
      if (/^Unknown locale/.test((error as Error).message)) return undefined;
      throw error;
    }
  };

  const write = async (uid: string, locale: string, rows: Rendered[], tombstones: string[], at: number) => {
    const now = new Date();
    const all = [
      ...rows.map(({ documentId, id, json, detail, slug }) => ({
        document_id: documentId,
        entry_id: id,
        json,
        detail,
        slug,
      })),
      ...tombstones.map((documentId) => ({
        document_id: documentId,
        entry_id: 0,
        json: null,
        detail: null,
        slug: null,
      })),
    ].map((row) => ({ ...row, uid, locale, version: at, updated_at: now }));
    for (let i = 0; i < all.length; i += 50) {
      await knex()(READ_MODEL_TABLE)
        .insert(all.slice(i, i + 50))
        .onConflict(['uid', 'document_id', 'locale'])
        .merge(['entry_id', 'json', 'detail', 'slug', 'version', 'updated_at'])
        // An older render (started before a later change was committed) never wins.
        .where(`${READ_MODEL_TABLE}.version`, '<=', at);
    }
  };

  /**
   * Stores how many entries a list holds (what its answers report as the total), so that a page
   * costs the same at 100,000 entries as at 100: counted here, after a build or a change, never per
   * request. The list's row is locked first (PostgreSQL), so the count sees every change committed
   * before it, and a change committed later counts again after it: the last count stored is right.
   * SQLite runs one writer at a time, and the statement is one write.
   */
  const recount = async (uid: string, locale: string, completing?: string) => {
    // Completing a build: marked complete with its total, unless reset meanwhile (render changed).
    const which = completing ? { uid, locale, render: completing } : { uid, locale };
    // A transaction is called like the connection (knex's Transaction extends Knex).
    const store = (db: ReturnType<typeof knex>) =>
      db(LISTS_TABLE)
        .where(which)
        .update({
          ...(completing ? { complete: 1 } : {}),
          total: db(READ_MODEL_TABLE).where({ uid, locale }).whereNotNull('json').count('*'),
        });
    if (strapi.db.dialect.client !== 'postgres') return (await store(knex())) as number;
    return (await knex().transaction(async (trx: ReturnType<typeof knex>) => {
      await trx(LISTS_TABLE).where({ uid, locale }).forUpdate().select('uid');
      return store(trx);
    })) as number;
  };

  const currentLocales = async () =>
    new Set(
      ((await strapi.db.query('plugin::i18n.locale').findMany({ select: ['code'] })) as { code: string }[]).map(
        ({ code }) => code,
      ),
    );

  // ---- lists: which are complete, and building those that are not ----

  const listStates = async () => (await knex()(LISTS_TABLE).select('*')) as ListState[];

  let resets = 0;
  /** Reads which lists are complete (another process may have built or reset some). */
  const loadComplete = async () => {
    const current = currentVersion();
    const before = resets;
    const states = await listStates();
    // A reset while reading: what was read may say complete for a list being built again.
    if (resets !== before) return;
    complete = new Set(
      states
        .filter((state) => state.render === current && (state.complete === true || Number(state.complete) === 1))
        .map((state) => key(state.uid, state.locale)),
    );
  };
  let lastLoad = 0;
  const loads = background.single('delivery: read model', loadComplete);
  /** On demand (a request for a list not complete here), at most once per poll interval. */
  const loadCompleteSoon = () => {
    if (Date.now() - lastLoad < events.settings.pollMs) return;
    lastLoad = Date.now();
    void loads.run();
  };

  /** Takes (or renews) the build of one list; false when another live process has it. */
  const claim = async (uid: string, locale: string): Promise<boolean> => {
    const now = Date.now();
    await knex()(LISTS_TABLE)
      .insert({ uid, locale, render: '', complete: 0, after_id: 0, started: 0, claimed_by: me, claimed_at: now })
      .onConflict(['uid', 'locale'])
      .ignore();
    const taken = await knex()(LISTS_TABLE)
      .where({ uid, locale })
      .andWhere((query) =>
        query
          .whereNull('claimed_by')
          .orWhere('claimed_by', me)
          .orWhere('claimed_at', '<', now - CLAIM_MS),
      )
      .update({ claimed_by: me, claimed_at: now });
    return taken === 1;
  };

  /** Builds one list from where its build got to; false when cut short or left to another process. */
  const buildList = async (uid: string, locale: string): Promise<boolean> => {
    const current = currentVersion();
    if (!(await claim(uid, locale))) return false;
    let [state] = (await knex()(LISTS_TABLE).where({ uid, locale }).select('*')) as ListState[];
    if (state.render !== current) {
      // A new build: entries not rendered by it nor written by a later change are dropped at its end.
      const started = await latestEventId();
      await knex()(LISTS_TABLE).where({ uid, locale }).update({ render: current, complete: 0, after_id: 0, started });
      state = { ...state, render: current, complete: 0, after_id: 0, started };
      stats.listsBuilt += 1;
    }
    const access = await publicAuth(uid);
    let after = Number(state.after_id);
    while (access) {
      if (background.closed) {
        // Shutting down: the next start (here or elsewhere) goes on from `after_id`, at once.
        await knex()(LISTS_TABLE).where({ uid, locale, claimed_by: me }).update({ claimed_by: null, claimed_at: null });
        return false;
      }
      const at = await latestEventId();
      const rows = await renderIn(uid, locale, access, after);
      if (!rows) break;
      await write(uid, locale, rows, [], at);
      if (rows.length) after = rows[rows.length - 1].id;
      await knex()(LISTS_TABLE).where({ uid, locale }).update({ after_id: after, claimed_at: Date.now() });
      if (rows.length < batch) break;
    }
    await knex()(READ_MODEL_TABLE).where({ uid, locale }).andWhere('version', '<', Number(state.started)).delete();
    await knex()(LISTS_TABLE).where({ uid, locale, claimed_by: me }).update({ claimed_by: null, claimed_at: null });
    // Not complete if reset meanwhile (a Public permission change): built again.
    const marked = await recount(uid, locale, current);
    if (marked === 1) complete.add(key(uid, locale));
    return true;
  };

  let buildAgain = false;
  let retryTimer: (() => void) | undefined;
  /** Builds every list not complete under the current version, one at a time. */
  const buildMissing = async () => {
    let leftToOthers = false;
    do {
      buildAgain = false;
      leftToOthers = false;
      await refreshScope();
      const states = new Map((await listStates()).map((state) => [key(state.uid, state.locale), state]));
      let built = false;
      for (const model of collectionTypes()) {
        for (const locale of locales) {
          if (background.closed) return;
          const state = states.get(key(model.uid, locale));
          const done = state?.render === currentVersion() && (state.complete === true || Number(state.complete) === 1);
          if (done) {
            // Complete before totals were stored: counted once here rather than on every request.
            if (state.total === null || state.total === undefined) await recount(model.uid, locale);
            continue;
          }
          if (await buildList(model.uid, locale)) built = true;
          else if (!background.closed) leftToOthers = true;
        }
      }
      // Fresh statistics for the planner: with those of an empty table, PostgreSQL reads every row
      // of a list to find a page's entries by id (autovacuum's own ANALYZE comes up to a minute later).
      if (built && strapi.db.dialect.client === 'postgres') await knex().raw(`ANALYZE ${READ_MODEL_TABLE}`);
      await loadComplete();
    } while (buildAgain && !background.closed);
    // Lists another process is building: look again later (it may die and leave them).
    retryTimer?.();
    retryTimer = undefined;
    if (leftToOthers && !background.closed) {
      const stopTimer = background.every(Math.min(CLAIM_MS, 5_000), 'delivery: read model', async () => {
        stopTimer();
        await builds.run();
      });
      retryTimer = stopTimer;
    }
  };
  const builds = background.single('delivery: read model', buildMissing);
  const build = () => {
    if (builds.current()) buildAgain = true;
    return builds.run();
  };

  /** Every list is built again (a change that can alter any entry's JSON); Strapi answers meanwhile. */
  const resetAll = async () => {
    resets += 1;
    complete = new Set();
    await knex()(LISTS_TABLE).update({ render: '', complete: 0 });
    resets += 1;
    complete = new Set();
    void build();
  };

  // ---- events ----

  /** Re-renders these documents in every language (or marks them gone). */
  const rebuildDocuments = async (targets: { uid: string; documentId: string }[]) => {
    const at = await latestEventId();
    const byUid = new Map<string, Set<string>>();
    for (const { uid, documentId } of targets) {
      if (!byUid.has(uid)) byUid.set(uid, new Set());
      byUid.get(uid)!.add(documentId);
    }
    for (const [uid, ids] of byUid) {
      const access = await publicAuth(uid);
      const codes = await currentLocales();
      for (const locale of codes) {
        const found = new Set<string>();
        let after = 0;
        let gone = false;
        while (access) {
          const rows = await renderIn(uid, locale, access, after, { documentId: { $in: [...ids] } });
          if (!rows) {
            gone = true;
            break;
          }
          rows.forEach(({ documentId }) => found.add(documentId));
          await write(uid, locale, rows, [], at);
          if (rows.length < batch) break;
          after = rows[rows.length - 1].id;
        }
        if (gone) continue;
        await write(
          uid,
          locale,
          [],
          [...ids].filter((id) => !found.has(id)),
          at,
        );
        await recount(uid, locale);
      }
    }
  };

  /** The documents an event changes: its target, and those whose relations show it (any public type). */
  const targetsOf = async (event: ChangeEvent) => {
    const targets: { uid: string; documentId: string }[] = [];
    const types = new Set(collectionTypes().map(({ uid }) => uid));
    if (MEDIA_CHANGES.includes(event.type)) {
      for (const use of ([] as unknown[]).concat(event.payload?.usedBy ?? [])) {
        const { uid, documentId } = (use ?? {}) as { uid?: unknown; documentId?: unknown };
        if (typeof uid === 'string' && typeof documentId === 'string' && types.has(uid))
          targets.push({ uid, documentId });
      }
      return targets;
    }
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

  /** What is served: the languages and the types the Public role may read (after a change to either). */
  const refreshScope = async () => {
    const list = new Set<string>();
    const one = new Set<string>();
    for (const model of collectionTypes()) {
      if (await publicAuth(model.uid, 'find')) list.add(model.uid);
      if (await publicAuth(model.uid, 'findOne')) one.add(model.uid);
    }
    locales = await currentLocales();
    listable = list;
    readable = one;
  };

  const apply = async (event: ChangeEvent) => {
    if (!READ_MODEL_EVENTS.includes(event.type)) return;
    if (event.type === 'admin.permissions-changed') {
      // Admin roles' permissions do not change what the public API shows; the Public role's may
      // change any entry (which relations it may see).
      if (event.payload?.scope === 'content-api') await resetAll();
      else await refreshScope();
    } else if (PUBLIC_RESETS.includes(event.type)) {
      // A language added or removed: its lists are built (empty at first) or dropped; no other changes.
      await refreshScope();
      const codes = [...locales];
      if (codes.length) {
        await knex()(READ_MODEL_TABLE).whereNotIn('locale', codes).delete();
        await knex()(LISTS_TABLE).whereNotIn('locale', codes).delete();
      }
      void build();
    } else await rebuildDocuments(await targetsOf(event));
    await markApplied(event.id);
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
    if (ids.some((id) => PUBLIC_RESETS.includes(pending.get(id) ?? ''))) {
      await refreshScope();
      await loadComplete();
    }
    ids.forEach((id) => pending.delete(id));
  };
  const rechecks = background.single('delivery: read model', recheck);
  let lastRecheck = 0;
  /** On demand (a request while events are pending), at most once per poll interval. */
  const recheckSoon = () => {
    if (!pending.size || Date.now() - lastRecheck < events.settings.pollMs) return;
    lastRecheck = Date.now();
    void rechecks.run();
  };

  // ---- the durable cursor: catching up after a restart, and on events no process applied ----

  const readCursor = async (): Promise<number | undefined> => {
    const row = (await knex()(STATE_TABLE).where({ name: 'cursor' }).first()) as { value: string } | undefined;
    return row ? Number(row.value) : undefined;
  };
  const writeCursor = async (value: number) => {
    await knex()(STATE_TABLE)
      .insert({ name: 'cursor', value: String(value) })
      .onConflict('name')
      .ignore();
    await knex()(STATE_TABLE)
      .where({ name: 'cursor' })
      .update({ value: String(value) });
  };

  /**
   * Applies the events above the cursor (and a window below it) that no process has applied,
   * then moves the cursor on. `start`: this process's first pass; what it finds is noted at once
   * (nothing is served until it is applied). Otherwise only events found not applied by the
   * previous pass too are applied (the process that wrote an event, or the outbox, does it first).
   */
  const catchUp = async (start: boolean) => {
    let cursor = await readCursor();
    if (cursor === undefined) {
      // A model never built: its first build renders everything committed before it.
      cursor = await latestEventId();
      await writeCursor(cursor);
      if (start) caughtUp = true;
      return;
    }
    const stillUnapplied = new Set<number>();
    const found: { id: number; applied: boolean }[] = [];
    let from = Math.max(0, cursor - DEFAULT_WINDOW);
    for (;;) {
      const page = await events.after(from, READ_MODEL_EVENTS, 1000);
      if (!page.length) break;
      const applied = new Set(
        (
          (await knex()(APPLIED_TABLE)
            .whereIn(
              'event_id',
              page.map(({ id }) => id),
            )
            .select('event_id')) as { event_id: number | string }[]
        ).map(({ event_id: id }) => Number(id)),
      );
      const todo = page.filter(({ id }) => !applied.has(id) && (start || unappliedBefore.has(id)));
      if (start) service.note(todo);
      for (const event of todo) {
        if (background.closed) return;
        try {
          await apply(event as StreamEvent);
          pending.delete(event.id);
          applied.add(event.id);
          stats.eventsCaughtUp += 1;
        } catch (error) {
          // Still noted (nothing is served meanwhile): the next pass tries again.
          strapi.log.error(`delivery: read model: event ${event.id}: ${(error as Error).message}`);
        }
      }
      for (const { id } of page) {
        if (!applied.has(id)) stillUnapplied.add(id);
        found.push({ id, applied: applied.has(id) });
      }
      from = page[page.length - 1].id;
      if (page.length < 1000) break;
    }
    if (start) caughtUp = true;
    unappliedBefore = stillUnapplied;
    const next = advanceCursor(cursor, found);
    if (next > cursor) {
      await writeCursor(next);
      // Older applied marks are no longer read: the cursor's window is all that is looked at.
      await knex()(APPLIED_TABLE)
        .where('event_id', '<=', next - 2 * DEFAULT_WINDOW)
        .delete();
    }
  };
  const catchUps = background.single('delivery: read model', () => (enabled ? catchUp(!caughtUp) : undefined));

  const isComplete = (uid: string, locale: string) => {
    if (complete.has(key(uid, locale))) return true;
    loadCompleteSoon();
    return false;
  };

  const service = {
    get enabled() {
      return enabled;
    },
    /** Tests: Strapi's own answer for comparison. */
    setEnabled(value: boolean) {
      enabled = value;
    },
    stats,
    /** The render version this code renders under. */
    renderVersion: () => currentVersion(),

    async ensureTables() {
      // IF NOT EXISTS: every process runs this at start, possibly at the same time.
      const raw = (sql: string) => knex().raw(sql);
      await raw(
        `CREATE TABLE IF NOT EXISTS ${READ_MODEL_TABLE} (uid varchar(255) NOT NULL, document_id varchar(255) NOT NULL, ` +
          `locale varchar(32) NOT NULL, entry_id integer NOT NULL, json text NULL, detail text NULL, ` +
          `slug varchar(255) NULL, version bigint NOT NULL, updated_at timestamp NULL, UNIQUE (uid, document_id, locale))`,
      );
      // A table from before details and slugs: the columns are added (its lists are rebuilt, their
      // render version being unknown).
      for (const [column, type] of [
        ['detail', 'text'],
        ['slug', 'varchar(255)'],
      ]) {
        if (await knex().schema.hasColumn(READ_MODEL_TABLE, column)) continue;
        await raw(`ALTER TABLE ${READ_MODEL_TABLE} ADD COLUMN ${column} ${type} NULL`).catch(async (error: Error) => {
          if (!(await knex().schema.hasColumn(READ_MODEL_TABLE, column))) throw error; // else another process added it
        });
      }
      await raw(`CREATE INDEX IF NOT EXISTS ${READ_MODEL_TABLE}_list ON ${READ_MODEL_TABLE} (uid, locale, entry_id)`);
      await raw(
        `CREATE INDEX IF NOT EXISTS ${READ_MODEL_TABLE}_slug ON ${READ_MODEL_TABLE} (uid, locale, slug, entry_id)`,
      );
      // Counting a list's entries (recount, after every change) reads this index only: 7 ms instead of a
      // 500 ms table scan at 100,000 projects.
      await raw(
        `CREATE INDEX IF NOT EXISTS ${READ_MODEL_TABLE}_present ON ${READ_MODEL_TABLE} (uid, locale) WHERE json IS NOT NULL`,
      );
      await raw(`CREATE TABLE IF NOT EXISTS ${APPLIED_TABLE} (event_id bigint PRIMARY KEY)`);
      await raw(
        `CREATE TABLE IF NOT EXISTS ${LISTS_TABLE} (uid varchar(255) NOT NULL, locale varchar(32) NOT NULL, ` +
          `render varchar(64) NOT NULL, complete integer NOT NULL, after_id integer NOT NULL, started bigint NOT NULL, ` +
          `claimed_by varchar(64) NULL, claimed_at bigint NULL, total integer NULL, PRIMARY KEY (uid, locale))`,
      );
      // A table from before stored totals: lists without one are counted per request until rebuilt.
      if (!(await knex().schema.hasColumn(LISTS_TABLE, 'total')))
        await raw(`ALTER TABLE ${LISTS_TABLE} ADD COLUMN total integer NULL`).catch(async (error: Error) => {
          if (!(await knex().schema.hasColumn(LISTS_TABLE, 'total'))) throw error;
        });
      await raw(
        `CREATE TABLE IF NOT EXISTS ${STATE_TABLE} (name varchar(64) PRIMARY KEY, value varchar(255) NOT NULL)`,
      );
    },

    /**
     * Catches up on events no process applied (nothing is served until then), then builds the
     * lists not complete under the current render version, in the background; Strapi answers
     * what is not built.
     */
    async start() {
      if (!enabled) return;
      await refreshScope();
      await loadComplete();
      void background.run('delivery: read model', async () => {
        await catchUps.run();
        await build();
      });
      // Events whose apply failed everywhere (an outbox that gave up): applied on a later pass.
      if (catchUpSeconds > 0)
        timers.push(background.every(catchUpSeconds * 1000, 'delivery: read model', () => catchUps.run()));
    },

    stop() {
      timers.splice(0).forEach((stopTimer) => stopTimer());
      retryTimer?.();
    },

    /** Events this process has just learnt of: nothing is served until they are applied. */
    note(noted: { id: number; type: string }[]) {
      if (!enabled) return;
      for (const { id, type } of noted) {
        if (!READ_MODEL_EVENTS.includes(type)) continue;
        pending.set(id, type);
        notes += 1;
      }
    },

    /**
     * The event stream's subscriber. Notes the event at once, before anything else runs, and
     * applies this process's own. Another process's (or its own whose apply failed: the outbox
     * applies it) stays noted until a recheck finds it applied.
     */
    async handle(event: ChangeEvent) {
      if (!enabled || !READ_MODEL_EVENTS.includes(event.type)) return;
      service.note([event]);
      if (!event.local) return;
      try {
        await apply(event);
        pending.delete(event.id);
      } catch (error) {
        strapi.log.error(`delivery: read model: ${(error as Error).message}`);
      }
    },

    /** The stream gave up an event (or a backlog): every event not applied is applied now. */
    async resynchronise() {
      await catchUps.current();
      await catchUp(true);
    },

    /** The outbox's once-per-event handler: applies the event unless its process already did. */
    async applyCommitted(event: ChangeEvent) {
      if (!enabled || !READ_MODEL_EVENTS.includes(event.type)) return;
      // In the process that wrote it, its subscriber is applying it (or about to): not twice.
      await events.attempted(SUBSCRIBER, event.id);
      const done = await knex()(APPLIED_TABLE).where({ event_id: event.id }).first();
      if (!done) await apply(event);
    },

    /** Waits for the catch-up and builds in progress and every event committed so far (tests). */
    async settle() {
      for (let i = 0; i < 200; i += 1) {
        await catchUps.current();
        await builds.current();
        await events.sync();
        await rechecks.run();
        if (!pending.size && caughtUp && !builds.current() && !catchUps.current()) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },

    /** Starts building every list again, as after a render version change (tests). */
    rebuildAll: resetAll,

    /** Whether a build is running (tests). */
    building: () => !!builds.current(),

    /** Runs a catch-up pass now (tests). */
    catchUp: () => catchUps.run(),

    /** Whether it would answer this list now (tests). */
    serving: (uid = 'api::project.project', locale = 'en') =>
      enabled && caughtUp && pending.size === 0 && complete.has(key(uid, locale)),

    /**
     * The answer to a public GET, or undefined when Strapi must answer: a list (plain, or filtered
     * by slug or documentId) or a detail by documentId, with nothing else in the query, in a known
     * language, of a type the Public role may read, whose list is complete, with no change in
     * progress. `route`: the public path's route match (src/lib/public-api.ts).
     */
    async answer(route: ContentRoute, querystring: string): Promise<ReadModelAnswer | undefined> {
      if (!enabled) return undefined;
      if (!caughtUp || pending.size) {
        recheckSoon();
        return undefined;
      }
      const before = notes;
      const { uid } = route;
      if (!modelOf(uid)) return undefined;
      const unchanged = () => enabled && pending.size === 0 && notes === before;

      if (route.detail) {
        // Rendered through `find`: answered only where the Public role may do both.
        if (!plainDocumentId(route.documentId) || !readable.has(uid) || !listable.has(uid)) return undefined;
        const request = parseDetailQuery(querystring);
        if (!request || !locales.has(request.locale) || !isComplete(uid, request.locale)) return undefined;
        const row = (await knex()(READ_MODEL_TABLE)
          .where({ uid, document_id: route.documentId, locale: request.locale })
          .first('json', 'detail')) as { json: string | null; detail: string | null } | undefined;
        // A change noted while reading: let Strapi answer.
        if (!unchanged()) return undefined;
        const base = { uid, handler: 'findOne' as const, locale: request.locale };
        if (!row?.json) return { ...base, status: 404, count: 0 };
        return { ...base, status: 200, body: detailBody(row.detail ?? row.json), count: 1 };
      }

      if (!listable.has(uid)) return undefined;
      const request = parseListQuery(querystring, limits(), { slugged: slugged(uid), columns: columnsOf(uid) });
      if (!request || !locales.has(request.locale) || !isComplete(uid, request.locale)) return undefined;
      // Filters and sort: only what the allow-list lets through (its 400 is Strapi's path's to give).
      if (request.query && checkPublicQuery(parseQuery(querystring), uid, schemas)) return undefined;
      const rows = request.query ? await selectedList(uid, request) : await list(uid, request);
      if (!rows || !unchanged()) return undefined;
      return {
        status: 200,
        body: listBody(rows.entries, request, rows.total),
        uid,
        handler: 'find',
        locale: request.locale,
        count: rows.entries.length,
      };
    },
  };

  /**
   * One page of a list filtered or sorted on the type's own columns, and its total, or undefined
   * (Strapi answers). The rows are chosen as Strapi's `find` chooses them: its own query-param
   * transform and query builder (so the same WHERE, ORDER BY and the id tie-break it adds to a
   * paginated select), over the Document Service's lookup (published, the language; the client's
   * filters over it, as it merges them) and its status filter; then each row's entry is read from
   * the model. A row the model does not hold (a change not applied yet) leaves the answer to Strapi.
   * The total: from the page when it is the last one, else counted (first, for a text search).
   */
  const selectedList = async (uid: string, request: ListRequest) => {
    const { where, orderBy } = queryParams().transform(uid, { ...request.query });
    const localized =
      (modelOf(uid)?.pluginOptions as { i18n?: { localized?: boolean } } | undefined)?.i18n?.localized === true;
    const lookup = { publishedAt: { $notNull: true }, ...(localized ? { locale: request.locale } : {}) };
    const match = { where: { ...lookup, ...where }, filters: { publishedAt: { $null: false } } };
    const start = (request.page - 1) * request.pageSize;
    const count = async () =>
      Number(
        (
          (await strapi.db
            .queryBuilder(uid as never)
            .init(match)
            .count()
            .first()
            .execute()) as { count: number | string }
        ).count,
      );
    try {
      // A text search: its total first (an index probe on PostgreSQL), and no page read past it.
      let total = matchesText(request.query?.filters) ? await count() : undefined;
      if (total !== undefined && total <= start) return { entries: [], total };
      const idsOf = async (init: Record<string, unknown>) =>
        (
          (await strapi.db
            .queryBuilder(uid as never)
            .init({ ...init, select: ['id'] })
            .execute({ mapResults: false })) as { id: number | string }[]
        ).map(({ id }) => Number(id));
      // Few matches: all of them first (no LIMIT, so the trigram index finds them), then the page
      // among them in Strapi's order (src/lib/read-model.ts matchesFirst).
      const among =
        total !== undefined && matchesFirst(total, start + request.pageSize)
          ? { ...match, where: { $and: [match.where, { id: { $in: await idsOf(match) } }] } }
          : match;
      const ids = await idsOf({ ...among, orderBy, limit: request.pageSize, offset: start });
      // Their entries by (uid, locale, entry_id): one index probe each, whatever the table's statistics.
      const stored = ids.length
        ? ((await knex()(READ_MODEL_TABLE)
            .where({ uid, locale: request.locale })
            .whereIn('entry_id', ids)
            .whereNotNull('json')
            .select('entry_id', 'json')) as { entry_id: number | string; json: string }[])
        : [];
      const byId = new Map(stored.map((row) => [Number(row.entry_id), row.json]));
      const entries = ids.map((id) => byId.get(id));
      if (entries.some((entry) => entry === undefined)) return undefined;
      total ??= totalFromPage({ start, limit: request.pageSize, rows: ids.length }) ?? (await count());
      return { entries: entries as string[], total };
    } catch (error) {
      // A value the database refuses (Strapi's path answers with its own error).
      strapi.log.debug(`delivery: read model: ${(error as Error).message}`);
      return undefined;
    }
  };

  /** One page of a list and its total, in Strapi's default order (row id). */
  const list = async (uid: string, request: ListRequest) => {
    const where = (query: ReturnType<ReturnType<typeof knex>>) => {
      query.where({ uid, locale: request.locale }).whereNotNull('json');
      if (request.filter?.field === 'slug') query.andWhere('slug', request.filter.value);
      if (request.filter?.field === 'documentId') query.andWhere('document_id', request.filter.value);
      return query;
    };
    // A whole list's total is stored with it (recount); a slug or documentId lookup counts its few rows.
    const stored = () =>
      knex()(LISTS_TABLE).where({ uid, locale: request.locale }).select('total') as Promise<{ total: unknown }[]>;
    const counted = () => where(knex()(READ_MODEL_TABLE)).count('* as total') as Promise<{ total: unknown }[]>;
    const [rows, [found]] = await Promise.all([
      where(knex()(READ_MODEL_TABLE))
        .orderBy('entry_id')
        .limit(request.pageSize)
        .offset((request.page - 1) * request.pageSize)
        .select('json') as Promise<{ json: string }[]>,
      request.filter ? counted() : stored(),
    ]);
    const total = found?.total ?? (await counted())[0].total;
    return { entries: rows.map(({ json }) => json), total: Number(total) };
  };

  return service;
};

export type ReadModel = ReturnType<typeof createReadModel>;
