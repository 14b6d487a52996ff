/**
 * Version history: every save that changes a document-locale keeps its content as a numbered
 * version. Editors list versions, diff any two (or a version against the current draft or the
 * live version) field by field, and restore one into the draft, which then needs review again.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { diffSnapshots, versionOf, type Snapshot } from '../../../../lib/snapshot';
import type { ResolvedActor } from './actor';
import type { DomainEvent, EventStream } from '../../../events/server/services/stream';
import { actorOf } from './guard';
import { loadSnapshot, type Target } from './store';

export const VERSION_UID = 'plugin::editorial.version';

const where = ({ uid, documentId, locale }: Target) => ({
  targetUid: uid,
  targetDocumentId: documentId,
  targetLocale: locale,
});

export interface VersionRow {
  id: number;
  number: number;
  version: string;
  snapshot: Snapshot;
  actorKey: string | null;
  actorName: string | null;
  summary: string | null;
  fields: string[] | null;
  createdAt: string;
}

export const createHistory = (strapi: Core.Strapi, bus: EventStream) => {
  const versions = () => strapi.db.query(VERSION_UID as never);

  const find = async (target: Target, id: number) => {
    const row = (await versions().findOne({ where: { ...where(target), id } })) as VersionRow | null;
    if (!row) throw new errors.NotFoundError('No such version of this document');
    return row;
  };

  /** A version id, or "current" (the draft) or "published" (the live version). */
  const snapshotOf = async (target: Target, ref: string): Promise<Snapshot | null> => {
    if (ref === 'current') return loadSnapshot(strapi, target);
    if (ref === 'published') return loadSnapshot(strapi, target, 'published');
    const id = Number(ref);
    if (!Number.isInteger(id)) throw new errors.ValidationError('Compare version ids, "current" or "published"');
    return (await find(target, id)).snapshot;
  };

  return {
    /** Subscriber: keeps the content of each save (in the transaction of the save). */
    async record(event: DomainEvent) {
      if ((event.type !== 'document.created' && event.type !== 'document.updated') || !event.target || !event.snapshot)
        return;
      const last = (await versions().findOne({
        where: where(event.target),
        orderBy: { number: 'desc' },
        select: ['number'],
      })) as { number: number } | null;
      await versions().create({
        data: {
          ...where(event.target),
          number: (last?.number ?? 0) + 1,
          version: versionOf(event.snapshot),
          snapshot: event.snapshot,
          actorKey: event.actor.key,
          actorName: event.actor.name,
          summary: String(event.payload.summary ?? ''),
          fields: (event.payload.fields as string[] | undefined) ?? null,
        } as never,
      });
    },

    async list(target: Target) {
      const [rows, current] = await Promise.all([
        versions().findMany({
          where: where(target),
          orderBy: { number: 'desc' },
          select: ['id', 'number', 'version', 'actorKey', 'actorName', 'summary', 'fields', 'createdAt'],
        }) as Promise<Omit<VersionRow, 'snapshot'>[]>,
        loadSnapshot(strapi, target),
      ]);
      const currentVersion = current ? versionOf(current) : null;
      return rows.map((row) => ({ ...row, current: row.version === currentVersion }));
    },

    get: find,

    /** The snapshot of a given content version (by hash), if history holds it. */
    async byHash(target: Target, version: string) {
      return (await versions().findOne({
        where: { ...where(target), version },
        orderBy: { number: 'desc' },
      })) as VersionRow | null;
    },

    async diff(target: Target, from: string, to: string) {
      const [before, after] = await Promise.all([snapshotOf(target, from), snapshotOf(target, to)]);
      return diffSnapshots(before, after);
    },

    /** Writes a version's content into the draft: an ordinary edit, so it goes back through review. */
    async restore(target: Target, id: number, actor: ResolvedActor) {
      const row = await find(target, id);
      await strapi.db.transaction(async ({ onCommit }) => {
        await strapi.documents(target.uid as never).update({
          documentId: target.documentId,
          locale: target.locale,
          data: row.snapshot,
        } as never);
        await bus.publish({
          type: 'document.restored',
          target,
          actor: actorOf(actor),
          payload: { summary: `restored version ${row.number}`, number: row.number, version: row.version },
        });
        onCommit(() => void bus.kick());
      });
    },
  };
};

export type History = ReturnType<typeof createHistory>;
