/**
 * The editorial roles, created once by bootstrap as ordinary admin roles: after that they belong
 * to the administrators, who may adjust them in Settings → Roles (bootstrap never overwrites them).
 * Names are bilingual; Strapi's default "Author" and "Editor" roles are dropped or renamed
 * (tidyDefaultRoles) so that the role picker holds no two "Author"s.
 */
import type { Core } from '@strapi/strapi';
import { SOURCE_LOCALE } from '../../../../lib/locales';
import { REVIEW_ACTION } from './actor';
import { DEFAULT_ROLE_NAMES, defaultRoleFate } from '../../../../lib/default-roles';

export const READ_ACTION = 'plugin::editorial.read';
export const AUDIT_ACTION = 'plugin::editorial.audit';
export const RELEASE_ACTION = 'plugin::editorial.releases';

interface Permission {
  action: string;
  subject: string | null;
  properties?: { locales?: string[] | null; fields?: string[] | null };
  conditions?: string[];
}

/** What the role builders need to know about the app. */
interface Scope {
  contentTypes: string[];
  locales: string[];
  /** Every field path of a content type (Strapi drops read/create/update permissions without them). */
  fieldsOf: (uid: string) => string[];
}

interface RoleSpec {
  code: string;
  name: string;
  description: string;
  permissions: (scope: Scope) => Permission[];
}

// Strapi removes a permission whose properties are all unset at the next start, so every
// permission names its fields and locales explicitly.
const WITH_FIELDS = new Set(['read', 'create', 'update']);

const explorer = (actions: string[], scope: Scope, locales: string[] = scope.locales): Permission[] =>
  scope.contentTypes.flatMap((uid) =>
    actions.map((action) => ({
      action: `plugin::content-manager.explorer.${action}`,
      subject: uid,
      properties: { locales, ...(WITH_FIELDS.has(action) ? { fields: scope.fieldsOf(uid) } : {}) },
      conditions: [],
    })),
  );

const plugin = (...actions: string[]): Permission[] =>
  actions.map((action) => ({ action, subject: null, properties: {}, conditions: [] }));

const MEDIA = [
  'plugin::upload.read',
  'plugin::upload.assets.create',
  'plugin::upload.assets.update',
  'plugin::upload.assets.download',
  'plugin::upload.assets.copy-link',
];

export const ROLES: RoleSpec[] = [
  {
    code: 'wutong-author',
    name: 'Author 撰稿人',
    description: 'Writes and edits drafts in every language and submits them for review. Cannot approve or publish.',
    permissions: (scope) => [
      ...explorer(['read', 'create', 'update', 'delete'], scope),
      ...plugin(READ_ACTION, ...MEDIA),
    ],
  },
  {
    code: 'wutong-reviewer',
    name: 'Reviewer 审核人',
    description: 'Reads everything, comments, requests changes and approves (never their own last edit).',
    permissions: (scope) => [
      ...explorer(['read'], scope),
      ...plugin(READ_ACTION, REVIEW_ACTION, 'plugin::upload.read'),
    ],
  },
  {
    code: 'wutong-publisher',
    name: 'Publisher 发布人',
    description:
      'Publishes, unpublishes and schedules approved content, manages releases, and may delete live content or replace the media it shows.',
    // Deleting live content and replacing files that published content shows are theirs (and
    // Super Admins') alone: the write rules and the upload rules refuse everyone else.
    permissions: (scope) => [
      ...explorer(['read', 'publish', 'delete'], scope),
      ...plugin(READ_ACTION, RELEASE_ACTION, 'plugin::upload.read', 'plugin::upload.assets.update'),
    ],
  },
];

/** One translator role per non-source locale: reads every language, writes only its own. */
export const translatorRole = (locale: string): RoleSpec => ({
  code: `wutong-translator-${locale.toLowerCase()}`,
  name: `Translator 译者 (${locale})`,
  description: `Reads the source and every translation; creates and edits the ${locale} translation only, and submits it for review.`,
  permissions: (scope) => [
    ...explorer(['read'], scope),
    ...explorer(['create', 'update'], scope, [locale]),
    ...plugin(READ_ACTION, ...MEDIA),
  ],
});

export const ensureRoles = async (strapi: Core.Strapi) => {
  const locales = ((await strapi.plugin('i18n').service('locales').find()) as { code: string }[]).map(
    ({ code }) => code,
  );
  const scope: Scope = {
    contentTypes: Object.values(strapi.contentTypes)
      .filter(({ uid }) => uid.startsWith('api::'))
      .map(({ uid }) => uid),
    locales,
    fieldsOf: (uid) =>
      strapi
        .service('admin::content-type')
        .getNestedFields(strapi.contentTypes[uid as never], { components: strapi.components }),
  };
  const specs = [...ROLES, ...locales.filter((code) => code !== SOURCE_LOCALE).map(translatorRole)];

  const roles = strapi.service('admin::role');
  let fresh = false;
  for (const spec of specs) {
    if (await roles.findOne({ code: spec.code })) continue;
    if (spec.code === ROLES[0].code) fresh = true;
    const role = await roles.create({ name: spec.name, code: spec.code, description: spec.description });
    await roles.assignPermissions(role.id, spec.permissions(scope));
    strapi.log.info(`editorial: created the ${spec.name} role`);
  }
  await tidyDefaultRoles(strapi, fresh);
};

/** Strapi's default roles beside ours: see src/lib/default-roles. */
const tidyDefaultRoles = async (strapi: Core.Strapi, fresh: boolean) => {
  const roles = strapi.service('admin::role');
  for (const code of Object.keys(DEFAULT_ROLE_NAMES)) {
    const role = (await roles.findOne({ code })) as { id: number; name: string } | null;
    if (!role) continue;
    const users = Number(await roles.getUsersCount(role.id));
    const fate = defaultRoleFate({ code, name: role.name, users }, fresh);
    if (fate === 'delete') await roles.deleteByIds([role.id]);
    if (fate === 'rename') await roles.update({ id: role.id }, { name: DEFAULT_ROLE_NAMES[code].to });
    if (fate !== 'keep') strapi.log.info(`editorial: ${fate}d Strapi's default ${role.name} role`);
  }
};

const MANAGED = ROLES.map(({ code }) => code);

/**
 * A language added at runtime: its translator role is created, and the editorial roles whose
 * permissions covered every language so far cover the new one too.
 */
export const addLocaleToRoles = async (strapi: Core.Strapi, locale: string) => {
  await ensureRoles(strapi);
  const all = ((await strapi.plugin('i18n').service('locales').find()) as { code: string }[]).map(({ code }) => code);
  const others = all.filter((code) => code !== locale);
  const roles = (await strapi.db
    .query('admin::role')
    .findMany({ where: { code: { $in: MANAGED } }, select: ['id'] })) as { id: number }[];
  const permissions = (await strapi.db.query('admin::permission').findMany({
    where: {
      role: { id: { $in: roles.map(({ id }) => id) } },
      action: { $startsWith: 'plugin::content-manager.explorer.' },
    },
  })) as { id: number; properties?: { locales?: string[] | null } }[];
  for (const permission of permissions) {
    const locales = permission.properties?.locales;
    if (!Array.isArray(locales) || locales.includes(locale) || !others.every((code) => locales.includes(code)))
      continue;
    await strapi.db.query('admin::permission').update({
      where: { id: permission.id },
      data: { properties: { ...permission.properties, locales: [...locales, locale] } } as never,
    });
  }
};
