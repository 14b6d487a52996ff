import type { Core } from '@strapi/strapi';
import { publicActions } from '../lib/access';

const PERMISSION = 'plugin::users-permissions.permission';

/**
 * The Public role is managed in code: it may read our published content types and nothing else
 * (no sign-up, no upload listing, no plugin routes). Grants added in Settings are removed at start,
 * so a mistaken click cannot open the API.
 */
export const syncPublicPermissions = async (strapi: Core.Strapi) => {
  const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } });
  if (!role) throw new Error('users-permissions has no Public role');

  const wanted = publicActions(
    Object.values(strapi.contentTypes).map(({ uid, kind, options }) => ({
      uid,
      kind: kind as 'collectionType' | 'singleType',
      draftAndPublish: options?.draftAndPublish === true,
    })),
  );
  const current: { id: number; action: string }[] = await strapi.db
    .query(PERMISSION)
    .findMany({ where: { role: role.id } });

  const extra = current.filter(({ action }) => !wanted.includes(action));
  if (extra.length) {
    await strapi.db.query(PERMISSION).deleteMany({ where: { id: { $in: extra.map(({ id }) => id) } } });
    strapi.log.info(
      `wutong: removed ${extra.length} Public permission(s): ${extra.map(({ action }) => action).join(', ')}`,
    );
  }
  for (const action of wanted.filter((action) => !current.some((permission) => permission.action === action))) {
    await strapi.db.query(PERMISSION).create({ data: { action, role: role.id } });
  }
};
