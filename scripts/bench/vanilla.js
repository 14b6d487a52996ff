/**
 * The reference for `npm run bench`: a vanilla Strapi app, written into a scratch folder, that a
 * developer would get from `create-strapi-app` plus a `project` and an `industry` collection type
 * built in the Content-Type Builder: the same data shape as Wutong's (title, slug, code, summary,
 * body, kind, stage, land and floor area, location and key figures, industries), i18n on,
 * draft & publish on, the Public role allowed find/findOne. Nothing of Wutong's: no middlewares,
 * no cache, no read model, no indexes beyond Strapi's own.
 *
 * Its node_modules is a symlink to this repository's, so it runs the very same @strapi packages
 * (no network install).
 */
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');

const localized = (localizedField) => ({ pluginOptions: { i18n: { localized: localizedField } } });

const PROJECT = {
  kind: 'collectionType',
  collectionName: 'projects',
  info: { singularName: 'project', pluralName: 'projects', displayName: 'Project' },
  options: { draftAndPublish: true },
  ...localized(true),
  attributes: {
    title: { type: 'string', required: true, maxLength: 200, ...localized(true) },
    slug: { type: 'uid', targetField: 'title', required: true, ...localized(true) },
    code: { type: 'string', maxLength: 40, unique: true, ...localized(false) },
    summary: { type: 'text', maxLength: 1000, ...localized(true) },
    body: { type: 'blocks', ...localized(true) },
    kind: {
      type: 'enumeration',
      enum: [
        'industrial_park',
        'standard_factory',
        'commercial_complex',
        'retail_space',
        'hotel',
        'headquarters',
        'office_space',
        'land_parcel',
        'culture_creative_park',
        'tech_community',
        'other',
      ],
      default: 'other',
      ...localized(false),
    },
    stage: { type: 'enumeration', enum: ['open', 'negotiating', 'signed'], default: 'open', ...localized(false) },
    landAreaMu: { type: 'decimal', ...localized(false) },
    floorAreaM2: { type: 'decimal', ...localized(false) },
    location: { type: 'component', component: 'place.location', repeatable: false, ...localized(true) },
    highlights: { type: 'component', component: 'shared.key-figure', repeatable: true, ...localized(true) },
    industries: { type: 'relation', relation: 'manyToMany', target: 'api::industry.industry' },
  },
};

const INDUSTRY = {
  kind: 'collectionType',
  collectionName: 'industries',
  info: { singularName: 'industry', pluralName: 'industries', displayName: 'Industry' },
  options: { draftAndPublish: true },
  ...localized(true),
  attributes: {
    name: { type: 'string', required: true, maxLength: 120, ...localized(true) },
    slug: { type: 'uid', targetField: 'name', required: true, ...localized(true) },
    sortOrder: { type: 'integer', default: 0, ...localized(false) },
  },
};

/** What create-strapi-app writes (JavaScript flavour), trimmed to what a headless API needs. */
const FILES = {
  'config/database.js': `module.exports = ({ env }) =>
  env('DATABASE_CLIENT') === 'sqlite'
    ? { connection: { client: 'sqlite', connection: { filename: env('DATABASE_FILENAME') }, useNullAsDefault: true } }
    : {
        connection: {
          client: 'postgres',
          connection: { connectionString: env('DATABASE_URL') },
          pool: { min: 2, max: 10 }, // create-strapi-app's defaults
        },
      };
`,
  'config/server.js': `module.exports = ({ env }) => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  app: { keys: env.array('APP_KEYS') },
});
`,
  // No admin build in the scratch folder: the API alone is measured.
  'config/admin.js': `module.exports = ({ env }) => ({
  auth: { secret: env('ADMIN_JWT_SECRET') },
  apiToken: { salt: env('API_TOKEN_SALT') },
  transfer: { token: { salt: env('TRANSFER_TOKEN_SALT') } },
  secrets: { encryptionKey: env('ENCRYPTION_KEY') },
  serveAdminPanel: false,
});
`,
  'config/api.js': `module.exports = {
  rest: { defaultLimit: 25, maxLimit: 100, withCount: true },
};
`,
  'config/middlewares.js': `module.exports = [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  'strapi::cors',
  'strapi::poweredBy',
  'strapi::query',
  'strapi::body',
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];
`,
  // Strapi's default logger at the level the benchmark gives Wutong too (LOG_LEVEL=warn: no line
  // per request on either side).
  'config/logger.js': `const { formats, winston } = require('@strapi/logger');

module.exports = {
  transports: [
    new winston.transports.Console({
      level: process.env.LOG_LEVEL || 'http',
      format: formats.prettyPrint({ timestamps: 'YYYY-MM-DD HH:mm:ss.SSS' }),
    }),
  ],
};
`,
  'config/plugins.js': `module.exports = ({ env }) => ({
  'users-permissions': { config: { jwtSecret: env('JWT_SECRET') } },
});
`,
  // What an administrator does once in the admin panel: add the Chinese locale, and tick
  // find/findOne of both types for the Public role.
  'src/index.js': `module.exports = {
  register() {},
  async bootstrap({ strapi }) {
    const locales = strapi.plugin('i18n').service('locales');
    if (!(await locales.findByCode('zh-Hans'))) await locales.create({ code: 'zh-Hans', name: 'Chinese (Simplified) (zh-Hans)' });
    const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } });
    for (const action of ['api::project.project.find', 'api::project.project.findOne', 'api::industry.industry.find', 'api::industry.industry.findOne']) {
      const exists = await strapi.db.query('plugin::users-permissions.permission').findOne({ where: { action, role: role.id } });
      if (!exists) await strapi.db.query('plugin::users-permissions.permission').create({ data: { action, role: role.id } });
    }
  },
};
`,
};

/** Writes the app into `dir` (which must not exist yet) and returns `dir`. */
const writeVanillaApp = (dir) => {
  if (fs.existsSync(dir)) throw new Error(`${dir} exists already`);
  const version = require('@strapi/strapi/package.json').version;
  const write = (file, content) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(
      path.join(dir, file),
      typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`,
    );
  };
  write('package.json', {
    name: 'vanilla-strapi-bench',
    version: '0.0.0',
    private: true,
    dependencies: {
      '@strapi/strapi': version,
      '@strapi/plugin-users-permissions': require('@strapi/plugin-users-permissions/package.json').version,
    },
    strapi: { telemetryDisabled: true },
  });
  for (const [file, content] of Object.entries(FILES)) write(file, content);
  for (const [name, schema] of [
    ['project', PROJECT],
    ['industry', INDUSTRY],
  ]) {
    const uid = `api::${name}.${name}`;
    write(`src/api/${name}/content-types/${name}/schema.json`, schema);
    for (const [kind, factory] of [
      ['controllers', 'createCoreController'],
      ['routes', 'createCoreRouter'],
      ['services', 'createCoreService'],
    ]) {
      write(
        `src/api/${name}/${kind}/${name}.js`,
        `const { factories } = require('@strapi/strapi');\n\nmodule.exports = factories.${factory}('${uid}');\n`,
      );
    }
  }
  // Wutong's own component definitions: same columns, same data.
  for (const component of ['place/location.json', 'shared/key-figure.json']) {
    write(`src/components/${component}`, fs.readFileSync(path.join(ROOT, 'src', 'components', component), 'utf8'));
  }
  fs.mkdirSync(path.join(dir, 'public', 'uploads'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'favicon.png'), path.join(dir, 'favicon.png'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
};

module.exports = { writeVanillaApp };
