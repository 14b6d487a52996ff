/**
 * The audit log: one append-only entry per domain event. Entries cannot be changed or deleted
 * through Strapi (no route does it) nor in the database (triggers refuse UPDATE, and DELETE of
 * anything younger than the retention period).
 */
import type { Core } from '@strapi/strapi';
import { toCsv } from '../../../../lib/csv';
import { describe, describeAudit, fill, nameActor, type RenderContext, type Say } from '../../../../lib/messages';
import type { DomainEvent } from '../../../events/server/services/stream';
// The admin's own texts: the export reads as the audit log does in the requester's language.
import { LABELS, TEMPLATES } from '../texts';

export const AUDIT_UID = 'plugin::editorial.audit-entry';
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

export const recordAudit = (strapi: Core.Strapi, event: DomainEvent) =>
  strapi.db.query(AUDIT_UID as never).create({
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

const whereOf = (filters: AuditFilters) => {
  const and: Record<string, unknown>[] = [];
  if (filters.action) and.push({ action: filters.action });
  if (filters.actor) and.push({ $or: [{ actorKey: filters.actor }, { actorName: { $containsi: filters.actor } }] });
  if (filters.uid) and.push({ targetUid: filters.uid });
  if (filters.documentId) and.push({ targetDocumentId: filters.documentId });
  if (filters.locale) and.push({ targetLocale: filters.locale });
  if (filters.from) and.push({ createdAt: { $gte: new Date(filters.from) } });
  if (filters.to) and.push({ createdAt: { $lte: new Date(filters.to) } });
  if (filters.q) and.push({ summary: { $containsi: filters.q } });
  return and.length ? { $and: and } : {};
};

export const listAudit = async (strapi: Core.Strapi, filters: AuditFilters, page = 1, pageSize = 50) => {
  const where = whereOf(filters);
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

/**
 * The CSV export. With a `language` (the admin sends its interface language) it reads as the
 * audit log does on screen: headers, actions, content types and summaries in that language, and
 * `action code`, the stable machine name, beside them. Without one, the machine format above.
 */
export const auditCsv = async (strapi: Core.Strapi, filters: AuditFilters, language?: string) => {
  const rows = (await strapi.db
    .query(AUDIT_UID as never)
    .findMany({ where: whereOf(filters), orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] })) as Entry[];
  if (!language) return machineCsv(rows);
  const texts = { editorial: TEMPLATES[csvLanguage(language)], admin: LABELS[csvLanguage(language)] };
  const t = (key: string) => texts.editorial[key] ?? TEMPLATES.en[key] ?? key;
  const context = (uid: unknown): RenderContext => ({
    language: csvLanguage(language),
    template: (key) => texts.editorial[key],
    label: (field) => (uid ? texts.admin[`content-manager.content-types.${String(uid)}.${field}`] : undefined),
  });
  // System actors ("system (seed)", "schedule #4") named as the audit page names them.
  const say: Say = (key, fallback, params = {}) => fill(texts.editorial[key] ?? fallback, params, context(undefined));
  const typeName = (uid: unknown) => {
    if (!uid) return '';
    if (uid === 'plugin::upload.file') return t('audit.type.file');
    const name = (strapi.contentTypes[uid as never] as { info?: { displayName?: string } } | undefined)?.info
      ?.displayName;
    return name ? (texts.admin[name] ?? name) : String(uid);
  };
  return toCsv<Entry>(rows, [
    { header: t('audit.csv.time'), value: (row) => row.createdAt },
    { header: t('audit.csv.action'), value: (row) => texts.editorial[`action.${String(row.action)}`] ?? row.action },
    { header: 'action code', value: (row) => row.action },
    { header: t('audit.csv.actor'), value: (row) => nameActor(String(row.actorName ?? ''), say) },
    { header: t('audit.csv.actorKey'), value: (row) => row.actorKey },
    { header: t('audit.csv.type'), value: (row) => typeName(row.targetUid) },
    { header: t('audit.csv.document'), value: (row) => row.targetDocumentId },
    { header: t('audit.csv.locale'), value: (row) => row.targetLocale },
    {
      header: t('audit.csv.summary'),
      value: (row) =>
        describe(
          describeAudit(row as unknown as Parameters<typeof describeAudit>[0]),
          row.summary as string | null,
          context(row.targetUid),
        ),
    },
    { header: t('audit.csv.details'), value: (row) => row.details },
  ]);
};

/** Deletes entries older than the retention period (the database refuses anything younger). */
export const purgeAudit = async (strapi: Core.Strapi, retentionDays: number) =>
  strapi.db
    .query(AUDIT_UID as never)
    .deleteMany({ where: { createdAt: { $lt: new Date(Date.now() - retentionDays * 86_400_000) } } });
