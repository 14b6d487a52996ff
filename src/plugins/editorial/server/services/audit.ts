/**
 * The audit log: one append-only entry per domain event. Entries cannot be changed or deleted
 * through Strapi (no route does it) nor in the database (triggers refuse UPDATE, and DELETE of
 * anything younger than the retention period).
 *
 * Search: each entry has a row in editorial_audit_search (its own table, so the entries stay
 * append-only) with what the audit page shows for it in every interface language, written with
 * the entry and made again on start for rows written from other texts (a language added, a
 * translation changed). The database filters, counts and pages; the term is a bound LIKE pattern.
 */
import { createHash } from 'crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { toCsv } from '../../../../lib/csv';
import { describe, describeAudit, fill, nameActor, type RenderContext, type Say } from '../../../../lib/messages';
import { containsPattern, parseSearchTerm, searchText, AUDIT_SEARCH_MAX_LENGTH } from '../../../../lib/audit-search';
import type { DomainEvent } from '../../../events/server/services/stream';
// The admin's own texts: the export and the search read as the audit log does in a language.
import { LABELS, LANGUAGES, TEMPLATES } from '../texts';

export const AUDIT_UID = 'plugin::editorial.audit-entry';
const AUDIT_TABLE = 'editorial_audit_entries';
export const DEFAULT_RETENTION_DAYS = 365;

const ACTIONS: Record<DomainEvent['type'], string> = {
  'document.created': 'create',
  'document.updated': 'update',
  'document.published': 'publish',
  'document.unpublished': 'unpublish',
  'document.draft-discarded': 'discard-draft',
  'document.deleted': 'delete',
  'document.restored': 'restore',
  'workflow.stage-changed': 'stage-change',
  'workflow.assigned': 'assign',
  'workflow.commented': 'comment',
  'workflow.scheduled': 'schedule',
  'workflow.unscheduled': 'unschedule',
  'workflow.schedule-failed': 'schedule-failed',
  'release.changed': 'release-change',
  'release.published': 'release-publish',
  'release.failed': 'release-fail',
  'translation.marked-current': 'translation-current',
  'admin.locale-added': 'locale-add',
  'admin.locale-removed': 'locale-remove',
  'admin.role-changed': 'role-change',
  'admin.permissions-changed': 'permission-change',
  'admin.user-changed': 'user-change',
  'admin.site-changed': 'site-change',
  'admin.token-changed': 'token-change',
  'media.replaced': 'media-replace',
  'media.deleted': 'media-delete',
  'media.info-changed': 'media-info-change',
};

export const auditAction = (type: DomainEvent['type']) => ACTIONS[type];

// Here, not in src/lib/audit-search.ts: the admin imports that file, and browsers have no crypto module.
/**
 * What the stored texts were made from (the languages and their tables): a row whose signature
 * differs is made again, so a language added (one more translation file) or a text changed
 * reaches old entries on the next start.
 */
const textsSignature = (tables: Record<string, unknown>): string =>
  createHash('sha256')
    .update(
      JSON.stringify(
        Object.keys(tables)
          .sort()
          .map((language) => [language, tables[language]]),
      ),
    )
    .digest('hex')
    .slice(0, 32);

/** The search rows' table (created in services/database.ts). */
export const AUDIT_SEARCH_TABLE = 'editorial_audit_search';
/** What this process's search texts are made from: every language's texts. */
const SIGNATURE = textsSignature({ templates: TEMPLATES, labels: LABELS });

/** Which attribute names a document, in order of preference. */
const TITLE_FIELDS = ['title', 'name'];
const titleIn = (content: Record<string, unknown> | null | undefined) => {
  const title = TITLE_FIELDS.map((field) => content?.[field]).find(
    (value) => typeof value === 'string' && value.trim(),
  );
  return typeof title === 'string' ? title.trim() : null;
};

/**
 * The subject's title, so that its entries are found by it even where the page shows no title
 * (a stage change): from the event's content, else the document as it is now (gone: none).
 */
const subjectOf = async (strapi: Core.Strapi, entry: Entry, snapshot?: Record<string, unknown> | null) => {
  const fromEvent = titleIn(snapshot);
  if (fromEvent) return fromEvent;
  const uid = entry.targetUid as string | null;
  const attributes = uid
    ? (strapi.contentTypes[uid as never] as { attributes?: object } | undefined)?.attributes
    : undefined;
  const fields = TITLE_FIELDS.filter((field) => attributes && field in attributes);
  if (!fields.length || !entry.targetDocumentId) return null;
  const row = (await strapi.db.query(uid as never).findOne({
    select: fields,
    where: { documentId: entry.targetDocumentId, ...(entry.targetLocale ? { locale: entry.targetLocale } : {}) },
  })) as Record<string, unknown> | null;
  return titleIn(row);
};

export const recordAudit = (strapi: Core.Strapi, event: DomainEvent) =>
  // Nested in the change's transaction when there is one: the entry and its search row commit together.
  strapi.db.transaction(async ({ trx }) => {
    const entry = (await strapi.db.query(AUDIT_UID as never).create({
      data: {
        action: ACTIONS[event.type],
        actorKind: event.actor.kind,
        actorKey: event.actor.key,
        actorName: event.actor.name,
        targetUid: event.target?.uid ?? null,
        targetDocumentId: event.target?.documentId ?? null,
        targetLocale: event.target?.locale ?? null,
        summary: String(event.payload.summary ?? ''),
        details: event.payload,
      } as never,
    })) as Entry;
    const subject = await subjectOf(strapi, entry, event.snapshot);
    await trx(AUDIT_SEARCH_TABLE).insert({
      entry_id: entry.id,
      signature: SIGNATURE,
      subject,
      text: entrySearchText(strapi, entry, subject),
    });
    return entry;
  });

export interface AuditFilters {
  action?: string;
  actor?: string;
  uid?: string;
  documentId?: string;
  locale?: string;
  from?: string;
  to?: string;
  q?: string;
}

/** The search term from a request: a 400 (code audit.search-too-long) past the limit. */
const termOf = (value: unknown) => {
  const parsed = parseSearchTerm(value);
  if (!parsed.ok)
    throw new errors.ValidationError(
      parsed.reason === 'too-long' ? `q must be at most ${AUDIT_SEARCH_MAX_LENGTH} characters` : 'q must be text',
      parsed.reason === 'too-long'
        ? { code: 'audit.search-too-long', params: { max: AUDIT_SEARCH_MAX_LENGTH } }
        : { code: 'audit.search-not-text', params: {} },
    );
  return parsed.term;
};

const whereOf = (strapi: Core.Strapi, filters: AuditFilters) => {
  const term = termOf(filters.q);
  const and: Record<string, unknown>[] = [];
  if (filters.action) and.push({ action: filters.action });
  if (filters.actor) and.push({ $or: [{ actorKey: filters.actor }, { actorName: { $containsi: filters.actor } }] });
  if (filters.uid) and.push({ targetUid: filters.uid });
  if (filters.documentId) and.push({ targetDocumentId: filters.documentId });
  if (filters.locale) and.push({ targetLocale: filters.locale });
  if (filters.from) and.push({ createdAt: { $gte: new Date(filters.from) } });
  if (filters.to) and.push({ createdAt: { $lte: new Date(filters.to) } });
  if (term)
    // The matching entries' ids as a subquery: the database does the whole filtering and counting.
    and.push({
      id: {
        $in: strapi.db
          .getConnection(AUDIT_SEARCH_TABLE)
          .select('entry_id')
          .whereRaw("text LIKE ? ESCAPE '\\'", [containsPattern(term)]),
      },
    });
  return and.length ? { $and: and } : {};
};

export const listAudit = async (strapi: Core.Strapi, filters: AuditFilters, page = 1, pageSize = 50) => {
  const where = whereOf(strapi, filters);
  const [results, total] = await Promise.all([
    strapi.db.query(AUDIT_UID as never).findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      offset: (page - 1) * pageSize,
      limit: pageSize,
    }),
    strapi.db.query(AUDIT_UID as never).count({ where }),
  ]);
  return { results, pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize) } };
};

type Entry = Record<string, unknown>;

/** A language the admin has texts for (`zh-Hans`, `en`); anything else reads in English. */
export const csvLanguage = (value: unknown) =>
  typeof value === 'string' && Object.hasOwn(TEMPLATES, value) ? value : 'en';

/** The export as scripts have read it since the start: machine names, the stored English summaries. */
const machineCsv = (rows: Entry[]) =>
  toCsv<Entry>(rows, [
    { header: 'time', value: (row) => row.createdAt },
    { header: 'action', value: (row) => row.action },
    { header: 'actor', value: (row) => row.actorName },
    { header: 'actor key', value: (row) => row.actorKey },
    { header: 'content type', value: (row) => row.targetUid },
    { header: 'document', value: (row) => row.targetDocumentId },
    { header: 'locale', value: (row) => row.targetLocale },
    { header: 'summary', value: (row) => row.summary },
    { header: 'details', value: (row) => row.details },
  ]);

/** How the audit page shows an entry in one language: its action, who, content type and summary. */
const readerIn = (strapi: Core.Strapi, language: string) => {
  const texts = { editorial: TEMPLATES[language] ?? TEMPLATES.en, admin: LABELS[language] ?? LABELS.en };
  const t = (key: string) => texts.editorial[key] ?? TEMPLATES.en[key] ?? key;
  const context = (uid: unknown): RenderContext => ({
    language,
    template: (key) => texts.editorial[key],
    label: (field) => (uid ? texts.admin[`content-manager.content-types.${String(uid)}.${field}`] : undefined),
  });
  // System actors ("system (seed)", "schedule #4") named as the audit page names them.
  const say: Say = (key, fallback, params = {}) => fill(texts.editorial[key] ?? fallback, params, context(undefined));
  return {
    t,
    action: (row: Entry) => texts.editorial[`action.${String(row.action)}`] ?? String(row.action),
    actor: (row: Entry) => nameActor(String(row.actorName ?? ''), say),
    type: (uid: unknown) => {
      if (!uid) return '';
      if (uid === 'plugin::upload.file') return t('audit.type.file');
      const name = (strapi.contentTypes[uid as never] as { info?: { displayName?: string } } | undefined)?.info
        ?.displayName;
      return name ? (texts.admin[name] ?? name) : String(uid);
    },
    summary: (row: Entry) =>
      describe(
        describeAudit(row as unknown as Parameters<typeof describeAudit>[0]),
        row.summary as string | null,
        context(row.targetUid),
      ),
  };
};

/**
 * An entry's search text: as the audit page reads in each language (action, who, content type,
 * summary), the stored English and machine names (action code, actor key, document, locale), and
 * the subject's title when the event carried it.
 */
const entrySearchText = (strapi: Core.Strapi, row: Entry, subject: string | null) =>
  searchText([
    row.action,
    row.summary,
    row.actorName,
    row.actorKey,
    row.targetUid,
    row.targetDocumentId,
    row.targetLocale,
    subject,
    ...LANGUAGES.flatMap((language) => {
      const reader = readerIn(strapi, language);
      return [reader.action(row), reader.actor(row), reader.type(row.targetUid), reader.summary(row)];
    }),
  ]);

/** Rows whose search text is missing or was made from other texts, a batch at a time. */
const BACKFILL_BATCH = 500;

/**
 * Writes the search rows that are missing (entries from before search, or restored from a backup)
 * or stale (a language added, a text changed), in batches by id so memory stays bounded; safe to
 * run in several processes at once (each row is upserted). Returns how many rows it wrote.
 */
export const backfillAuditSearch = async (strapi: Core.Strapi, batchSize = BACKFILL_BATCH) => {
  const knex = strapi.db.connection;
  let after = 0;
  let written = 0;
  for (;;) {
    const stale = (await strapi.db
      .getConnection(`${AUDIT_TABLE} as e`)
      .leftJoin(`${AUDIT_SEARCH_TABLE} as s`, 's.entry_id', 'e.id')
      .where('e.id', '>', after)
      .andWhere((where) => where.whereNull('s.entry_id').orWhereNot('s.signature', SIGNATURE))
      .orderBy('e.id')
      .limit(batchSize)
      .select('e.id as id', 's.subject as subject')) as { id: number; subject: string | null }[];
    if (!stale.length) return written;
    const rows = (await strapi.db
      .query(AUDIT_UID as never)
      .findMany({ where: { id: { $in: stale.map(({ id }) => id) } } })) as Entry[];
    // A row being made again keeps the title it was written with; a new one looks it up.
    const known = new Map(stale.map(({ id, subject }) => [id, subject]));
    const made = [];
    for (const row of rows) {
      const subject = known.get(row.id as number) ?? (await subjectOf(strapi, row));
      made.push({ entry_id: row.id, signature: SIGNATURE, subject, text: entrySearchText(strapi, row, subject) });
    }
    if (made.length)
      await knex(AUDIT_SEARCH_TABLE).insert(made).onConflict('entry_id').merge(['signature', 'subject', 'text']);
    written += rows.length;
    after = stale.at(-1)!.id;
  }
};

/**
 * The CSV export. With a `language` (the admin sends its interface language) it reads as the
 * audit log does on screen: headers, actions, content types and summaries in that language, and
 * `action code`, the stable machine name, beside them. Without one, the machine format above.
 */
export const auditCsv = async (strapi: Core.Strapi, filters: AuditFilters, language?: string) => {
  const rows = (await strapi.db
    .query(AUDIT_UID as never)
    .findMany({ where: whereOf(strapi, filters), orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] })) as Entry[];
  if (!language) return machineCsv(rows);
  const reader = readerIn(strapi, csvLanguage(language));
  const { t } = reader;
  return toCsv<Entry>(rows, [
    { header: t('audit.csv.time'), value: (row) => row.createdAt },
    { header: t('audit.csv.action'), value: reader.action },
    { header: 'action code', value: (row) => row.action },
    { header: t('audit.csv.actor'), value: reader.actor },
    { header: t('audit.csv.actorKey'), value: (row) => row.actorKey },
    { header: t('audit.csv.type'), value: (row) => reader.type(row.targetUid) },
    { header: t('audit.csv.document'), value: (row) => row.targetDocumentId },
    { header: t('audit.csv.locale'), value: (row) => row.targetLocale },
    { header: t('audit.csv.summary'), value: reader.summary },
    { header: t('audit.csv.details'), value: (row) => row.details },
  ]);
};

/** Deletes entries older than the retention period (the database refuses anything younger). */
export const purgeAudit = async (strapi: Core.Strapi, retentionDays: number) => {
  const purged = await strapi.db
    .query(AUDIT_UID as never)
    .deleteMany({ where: { createdAt: { $lt: new Date(Date.now() - retentionDays * 86_400_000) } } });
  // Their search rows with them (no foreign key: the search table is ours, outside Strapi's schema).
  await strapi.db
    .getConnection(AUDIT_SEARCH_TABLE)
    .whereNotIn('entry_id', strapi.db.getConnection(AUDIT_TABLE).select('id'))
    .delete();
  return purged;
};
