/**
 * Reading and writing the plugin's tables and the documents' draft/published rows directly
 * through the Query Engine: the guard runs inside Document Service calls, where going through
 * the Document Service again would re-enter its middlewares (and public-read rules).
 */
import type { Core } from '@strapi/strapi';
import { initialState, type Stage, type WorkflowState } from '../../../../lib/workflow';
import { snapshotOf, snapshotPopulate, versionOf, type Snapshot, type SnapshotSchema } from '../../../../lib/snapshot';

export const STATE_UID = 'plugin::editorial.workflow-state';

export interface Target {
  uid: string;
  documentId: string;
  locale: string;
}

export interface StoredState extends WorkflowState {
  id?: number;
  stageChangedAt?: string | null;
  stageChangedBy?: string | null;
  assignee?: { id: number; firstname?: string; lastname?: string; email?: string } | null;
  dueDate?: string | null;
}

const where = ({ uid, documentId, locale }: Target) => ({
  targetUid: uid,
  targetDocumentId: documentId,
  targetLocale: locale,
});

export const schemaOf = (strapi: Core.Strapi) => (uid: string) =>
  (strapi.getModel(uid as never) as unknown as { attributes: SnapshotSchema } | undefined)?.attributes;

/** The draft (or published) row of a document-locale as a canonical snapshot; null if absent. */
export const loadSnapshot = async (
  strapi: Core.Strapi,
  target: Target,
  status: 'draft' | 'published' = 'draft',
): Promise<Snapshot | null> => {
  const attributes = schemaOf(strapi)(target.uid) ?? {};
  const row = await strapi.db.query(target.uid as never).findOne({
    where: {
      documentId: target.documentId,
      locale: target.locale,
      publishedAt: status === 'draft' ? null : { $notNull: true },
    },
    populate: snapshotPopulate(attributes, schemaOf(strapi)) as never,
  });
  return row ? snapshotOf(row, attributes, schemaOf(strapi)) : null;
};

export const versionOfTarget = async (strapi: Core.Strapi, target: Target): Promise<string | null> => {
  const snapshot = await loadSnapshot(strapi, target);
  return snapshot ? versionOf(snapshot) : null;
};

/**
 * The stored state, or the state implied by the rows when the workflow has never touched this
 * document-locale (content created before the plugin, or by the seed): published if the draft
 * equals the published version, draft otherwise.
 */
export const loadState = async (strapi: Core.Strapi, target: Target): Promise<StoredState> => {
  const stored = await strapi.db.query(STATE_UID as never).findOne({
    where: where(target),
    populate: { assignee: { select: ['id', 'firstname', 'lastname', 'email'] } } as never,
  });
  if (stored) return stored as unknown as StoredState;
  const [draft, published] = await Promise.all([
    loadSnapshot(strapi, target),
    loadSnapshot(strapi, target, 'published'),
  ]);
  const stage: Stage = published && draft && versionOf(draft) === versionOf(published) ? 'published' : 'draft';
  return { ...initialState(), stage };
};

export const saveState = async (
  strapi: Core.Strapi,
  target: Target,
  state: Partial<StoredState>,
  changedBy?: string,
) => {
  const { id: _id, assignee, ...fields } = state;
  const data: Record<string, unknown> = { ...fields, ...where(target) };
  if (assignee !== undefined) data.assignee = assignee ? assignee.id : null;
  if (changedBy) Object.assign(data, { stageChangedAt: new Date(), stageChangedBy: changedBy });
  const existing = await strapi.db.query(STATE_UID as never).findOne({ where: where(target), select: ['id'] });
  return existing
    ? strapi.db
        .query(STATE_UID as never)
        .update({ where: { id: (existing as { id: number }).id }, data: data as never })
    : strapi.db.query(STATE_UID as never).create({ data: data as never });
};

export const deleteStates = (strapi: Core.Strapi, target: Omit<Target, 'locale'> & { locale?: string }) =>
  strapi.db.query(STATE_UID as never).deleteMany({
    where: {
      targetUid: target.uid,
      targetDocumentId: target.documentId,
      ...(target.locale ? { targetLocale: target.locale } : {}),
    },
  });

/** Locales that have a row of this document (optionally only drafts or only published). */
export const documentLocales = async (
  strapi: Core.Strapi,
  uid: string,
  documentId: string,
  status?: 'draft' | 'published',
) => {
  const rows = await strapi.db.query(uid as never).findMany({
    where: { documentId, ...(status ? { publishedAt: status === 'draft' ? null : { $notNull: true } } : {}) },
    select: ['locale'],
  });
  return [...new Set((rows as { locale: string }[]).map(({ locale }) => locale))];
};
