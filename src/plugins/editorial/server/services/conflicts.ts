/**
 * Conflict-safe saves. Strapi's default is last-write-wins; here a save based on a version older
 * than the current one is refused with 409 and what changed since, instead of silently
 * overwriting a colleague's work.
 *
 * The admin's edit form sends no version, so the server remembers, per admin user and
 * document-locale, the version the Content Manager last loaded for them ("seen"); the form always
 * holds that version, because the Content Manager resets it whenever it reloads the document.
 * A refused save is kept (the form is reset to the current version right after), so that its
 * author can still choose "keep mine" or "take theirs". API clients send the version they read
 * in `If-Match` (it comes back as `X-Content-Version`).
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import createError from 'http-errors';
import { changedInputFields, diffSnapshots, snapshotOf, versionOf, type Snapshot } from '../../../../lib/snapshot';
import type { History } from './history';
import { loadSnapshot, schemaOf, type Target } from './store';

export const SEEN_UID = 'plugin::editorial.seen-version';
export const CONFLICT_UID = 'plugin::editorial.conflict';

const where = (userId: number, { uid, documentId, locale }: Target) => ({
  userId,
  targetUid: uid,
  targetDocumentId: documentId,
  targetLocale: locale,
});

/** `"abc"`, `W/"abc"` or `abc` → `abc`. */
export const parseIfMatch = (header: unknown): string | undefined => {
  if (typeof header !== 'string' || !header.trim() || header.trim() === '*') return undefined;
  return header
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');
};

interface ConflictRow {
  id: number;
  baseVersion: string;
  currentVersion: string;
  mine: Record<string, unknown>;
  createdAt: string;
}

export const createConflicts = (strapi: Core.Strapi, history: () => History) => {
  const seen = () => strapi.db.query(SEEN_UID as never);
  const refused = () => strapi.db.query(CONFLICT_UID as never);

  const upsert = async (
    query: ReturnType<typeof seen>,
    key: Record<string, unknown>,
    data: Record<string, unknown>,
  ) => {
    const existing = (await query.findOne({ where: key, select: ['id'] })) as { id: number } | null;
    if (existing) await query.update({ where: { id: existing.id }, data: data as never });
    else await query.create({ data: { ...key, ...data } as never });
  };

  const service = {
    async seenVersion(userId: number, target: Target) {
      return (
        (await seen().findOne({ where: where(userId, target), select: ['version'] })) as { version: string } | null
      )?.version;
    },

    markSeen: (userId: number, target: Target, version: string) => upsert(seen(), where(userId, target), { version }),

    /** What changed between the version someone based their edit on and the current one. */
    async describe(target: Target, baseVersion: string, current: Snapshot | null) {
      const base = await history().byHash(target, baseVersion);
      const latest = await history().byHash(target, current ? versionOf(current) : '');
      return {
        version: current ? versionOf(current) : null,
        baseVersion,
        changedBy: latest?.actorName ?? null,
        changedAt: latest?.createdAt ?? null,
        fields: base ? diffSnapshots(base.snapshot, current).map(({ field }) => field) : null,
      };
    },

    /** The 409 for a save based on `baseVersion` while the draft is `current`. */
    async conflict(target: Target, baseVersion: string, current: Snapshot | null) {
      const details = await service.describe(target, baseVersion, current);
      const who = details.changedBy ? ` by ${details.changedBy}` : '';
      const what = details.fields?.length ? ` (${details.fields.join(', ')})` : '';
      return createError(
        409,
        `This ${target.locale} version was changed${who}${what} after you opened it. Reload to take their version, or choose "keep mine" in the review panel.`,
        {
          details: {
            code: 'conflict.stale',
            params: {
              locale: target.locale,
              who: details.changedBy,
              when: details.changedAt,
              fields: details.fields ?? [],
            },
            current: details,
          },
        },
      );
    },

    /** Keeps a refused save for its author (called after the refusal was rolled back). */
    record: (
      userId: number,
      target: Target,
      baseVersion: string,
      currentVersion: string,
      mine: Record<string, unknown>,
    ) => upsert(refused(), where(userId, target), { baseVersion, currentVersion, mine }),

    /** The refused save waiting for this user's choice, with what the others changed. */
    async pending(userId: number, target: Target) {
      const row = (await refused().findOne({ where: where(userId, target) })) as ConflictRow | null;
      if (!row) return null;
      const current = await loadSnapshot(strapi, target);
      // What the refused save changed, compared with the version it was based on.
      const base = (await history().byHash(target, row.baseVersion))?.snapshot ?? current;
      const attributes = schemaOf(strapi)(target.uid) ?? {};
      const mine = changedInputFields(row.mine, base, attributes, schemaOf(strapi));
      // The editor's own text beside the saved one, field by field, so that nothing typed is lost
      // when the form shows the current version again. Relations and media are named, not
      // compared (the refused save holds connect/disconnect operations, not a list).
      const values = Object.fromEntries(
        mine
          .filter((field) => attributes[field] && !['relation', 'media'].includes(attributes[field].type))
          .map((field) => [
            field,
            {
              mine: snapshotOf({ [field]: row.mine[field] }, { [field]: attributes[field] }, schemaOf(strapi))[field],
              theirs: current?.[field] ?? null,
            },
          ]),
      );
      return { ...(await service.describe(target, row.baseVersion, current)), mine, values, at: row.createdAt };
    },

    /** "Take theirs": forget the refused save. */
    async discard(userId: number, target: Target) {
      await refused().deleteMany({ where: where(userId, target) });
      const version = await service.currentVersion(target);
      if (version) await service.markSeen(userId, target, version);
    },

    /**
     * "Keep mine": apply the refused save over the current version — unless yet another save
     * came in since the refusal, which is a new conflict.
     */
    async keepMine(userId: number, target: Target) {
      const row = (await refused().findOne({ where: where(userId, target) })) as ConflictRow | null;
      if (!row) throw new errors.NotFoundError('There is no refused save to keep');
      const current = await loadSnapshot(strapi, target);
      if (!current || versionOf(current) !== row.currentVersion) {
        await refused().update({
          where: { id: row.id },
          data: { currentVersion: current ? versionOf(current) : '' } as never,
        });
        throw await service.conflict(target, row.currentVersion, current);
      }
      await service.markSeen(userId, target, row.currentVersion);
      await strapi
        .documents(target.uid as never)
        .update({ documentId: target.documentId, locale: target.locale, data: row.mine } as never);
      await refused().delete({ where: { id: row.id } });
    },

    /** The draft's current version, for X-Content-Version. */
    async currentVersion(target: Target) {
      const snapshot = await loadSnapshot(strapi, target);
      return snapshot ? versionOf(snapshot) : null;
    },
  };
  return service;
};

export type Conflicts = ReturnType<typeof createConflicts>;
