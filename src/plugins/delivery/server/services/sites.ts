/**
 * The site registry: which sites show a document, where it lives on each, and the rules a
 * registration must meet (checked on every write, whether from the Content Manager or code).
 * A new site gets a webhook secret and its own read-only API token.
 */
import { randomBytes } from 'crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { envList } from '../../../../lib/env';
import { restSegment } from '../../../../lib/public-api';
import { previewUrl } from '../../../../lib/preview-token';
import { absolute } from '../../../../lib/sitemap';
import {
  affectedPaths,
  documentPath,
  langOf,
  siteInput,
  siteProblems,
  type SiteProblem,
  type SiteShape,
} from '../../../../lib/sites';

export const SITE_UID = 'plugin::delivery.site';

export interface SiteRow extends SiteShape {
  id: number;
  documentId: string;
  name: string;
  title?: string | null;
  previewUrl?: string | null;
  webhookUrl?: string | null;
  webhookSecret?: string | null;
  apiTokenName?: string | null;
  enabled: boolean;
}

interface DocumentContext {
  uid: string;
  action: string;
  params: { documentId?: string; data?: Record<string, unknown> };
}

const tokenNameOf = (name: string) => `site: ${name}`;

/** A new webhook secret: 32 random bytes, hex. */
const newSecret = () => randomBytes(32).toString('hex');

/**
 * Registration problems as Strapi's 400: each entry names its field (`path`), a stable `code` the
 * admin translates and the `values` for it.
 */
export const invalidSite = (problems: SiteProblem[]) => {
  const lines = problems.map(({ path, message }) => `${path}: ${message}`);
  return new errors.ValidationError(lines.length === 1 ? lines[0] : `${lines.length} errors occurred`, {
    errors: problems.map(({ path, code, values }, index) => ({
      path: [path],
      message: lines[index],
      name: 'ValidationError',
      code,
      values: values ?? {},
    })),
  });
};

/** What the Sites page sees of a site: everything but the secret, of which only whether it is set. */
const adminView = ({ webhookSecret, ...site }: SiteRow & { createdAt?: unknown; updatedAt?: unknown }) => ({
  id: site.id,
  documentId: site.documentId,
  name: site.name,
  title: site.title ?? null,
  baseUrl: site.baseUrl,
  locales: asList(site.locales),
  contentTypes: asList(site.contentTypes),
  pathPattern: site.pathPattern ?? null,
  localePaths: site.localePaths ?? null,
  previewUrl: site.previewUrl ?? null,
  webhookUrl: site.webhookUrl ?? null,
  enabled: site.enabled !== false,
  apiTokenName: site.apiTokenName ?? null,
  hasSecret: !!webhookSecret,
  updatedAt: site.updatedAt ?? null,
});

export const createSites = (
  strapi: Core.Strapi,
  checkWebhookUrl: (url: string, allowList: string[]) => Promise<unknown>,
) => {
  const query = () => strapi.db.query(SITE_UID as never);

  /** The REST path segment of a content type: projects, news, district-profile. */
  const segmentOf = (uid: string) =>
    restSegment(strapi.getModel(uid as never) as { kind: string; info: { singularName: string; pluralName: string } });

  /** Content types a site may show: the published promotion content. */
  const deliverableTypes = () =>
    Object.values(strapi.contentTypes)
      .filter(
        ({ uid, options }) => uid.startsWith('api::') && (options as { draftAndPublish?: boolean })?.draftAndPublish,
      )
      .map(({ uid }) => uid as string);

  const enabled = async () =>
    (await query().findMany({ where: { enabled: true }, orderBy: { id: 'asc' } })) as SiteRow[];

  const localeCodes = async () =>
    ((await strapi.db.query('plugin::i18n.locale').findMany({ select: ['code'] })) as { code: string }[]).map(
      ({ code }) => code,
    );

  const validate = async (data: Record<string, unknown>) => {
    const problems = siteProblems(data as Partial<SiteShape> & { name?: string; previewUrl?: string }, {
      locales: await localeCodes(),
      contentTypes: deliverableTypes(),
    });
    if (typeof data.webhookUrl === 'string' && data.webhookUrl) {
      await checkWebhookUrl(data.webhookUrl, envList(process.env, 'WEBHOOK_ALLOWLIST')).catch(
        (error: Error & { details?: { code?: string; values?: Record<string, string> } }) =>
          problems.push({
            path: 'webhookUrl',
            code: error.details?.code ?? 'webhook.refused',
            message: error.message,
            values: error.details?.values,
          }),
      );
    }
    if (problems.length) throw invalidSite(problems);
  };

  /** The schema's text limits, checked with the rest of the input (one 400 naming every field). */
  const maxLengths = () =>
    Object.fromEntries(
      Object.entries(
        (strapi.getModel(SITE_UID as never) as { attributes: Record<string, { maxLength?: number }> }).attributes,
      )
        .filter(([, attribute]) => attribute.maxLength !== undefined)
        .map(([name, attribute]) => [name, attribute.maxLength as number]),
    );

  /** A site by documentId, or a 404. */
  const existing = async (documentId: string) => {
    const site = (await query().findOne({ where: { documentId } })) as SiteRow | null;
    if (!site) throw new errors.NotFoundError('No such site', { code: 'site.not-found' });
    return site;
  };

  /** The document a live example is rendered from: a published one of the type, else a draft. */
  const exampleDocument = async (uid: string, locale: string) => {
    const model = strapi.getModel(uid as never) as { attributes: Record<string, { type: string }> };
    const slugField = Object.keys(model.attributes).find((name) => model.attributes[name].type === 'uid');
    const titleField = ['title', 'name'].find((name) => model.attributes[name]?.type === 'string');
    const fields = [slugField, titleField].filter(Boolean) as string[];
    for (const status of ['published', 'draft'] as const) {
      const entry = (await strapi
        .documents(uid as never)
        .findFirst({ locale, status, fields, sort: 'updatedAt:desc' } as never)) as Record<string, unknown> | null;
      if (entry)
        return {
          uid,
          locale,
          documentId: entry.documentId as string,
          slug: slugField ? ((entry[slugField] as string | null) ?? null) : null,
          title: titleField ? ((entry[titleField] as string | null) ?? null) : null,
        };
    }
    return null;
  };

  const tokens = () => strapi.service('admin::api-token-content-api');

  /** A read-only API token for the site, readable later in Settings → API Tokens. */
  const ensureToken = async (site: SiteRow) => {
    if (site.apiTokenName) return;
    const name = tokenNameOf(site.name);
    if (!(await tokens().getByName(name))) {
      await tokens().create({
        name,
        type: 'read-only',
        lifespan: null,
        description: `Read-only access for the site "${site.name}"`,
      });
    }
    await query().update({ where: { id: site.id }, data: { apiTokenName: name } as never });
  };

  const service = {
    segmentOf,
    deliverableTypes,
    enabled,
    byId: async (id: number) => (await query().findOne({ where: { id } })) as SiteRow | null,
    byName: async (name: string) => (await query().findOne({ where: { name } })) as SiteRow | null,

    /** Enabled sites that show this type in this locale. */
    async forDocument(uid: string, locale: string) {
      return (await enabled()).filter(
        (site) => asList(site.contentTypes).includes(uid) && asList(site.locales).includes(locale),
      );
    },

    paths: (site: SiteRow, uid: string, locale: string, slug: string | null, documentId: string) =>
      affectedPaths(site, segmentOf(uid), locale, slug, documentId),
    path: (site: SiteRow, uid: string, locale: string, slug: string | null, documentId: string) =>
      documentPath(site, segmentOf(uid), locale, slug, documentId),

    /** Document Service middleware: validates site writes, fills in a secret, issues the token. */
    guard() {
      return async (ctx: DocumentContext, next: () => Promise<unknown>) => {
        if (ctx.uid !== SITE_UID) return next();
        if (ctx.action === 'delete' && ctx.params.documentId) {
          const site = (await query().findOne({ where: { documentId: ctx.params.documentId } })) as SiteRow | null;
          const result = await next();
          if (site && site.apiTokenName === tokenNameOf(site.name)) await service.revokeToken(site.name);
          return result;
        }
        if (!['create', 'update'].includes(ctx.action) || !ctx.params.data) return next();
        const data = { ...ctx.params.data };
        const current =
          ctx.action === 'update' && ctx.params.documentId
            ? ((await query().findOne({ where: { documentId: ctx.params.documentId } })) as SiteRow | null)
            : null;
        const merged = { ...(current ?? {}), ...data };
        await validate(
          Object.fromEntries(
            Object.entries(merged).filter(([key]) => ctx.action === 'create' || key in data || key === 'webhookUrl'),
          ),
        );
        if (merged.webhookUrl && !merged.webhookSecret) data.webhookSecret = newSecret();
        ctx.params = { ...ctx.params, data };
        const result = (await next()) as { id?: number } | undefined;
        if (ctx.action === 'create' && result?.id) {
          const site = await service.byId(result.id);
          if (site) await ensureToken(site);
        }
        return result;
      };
    },

    /** The Sites page: every site, and what a site may show (languages, content types). */
    async registry() {
      const [rows, locales] = await Promise.all([
        query().findMany({ orderBy: { name: 'asc' } }) as Promise<SiteRow[]>,
        strapi.db
          .query('plugin::i18n.locale')
          .findMany({ select: ['code', 'name'], orderBy: { id: 'asc' } }) as Promise<{ code: string; name: string }[]>,
      ]);
      const defaultLocale = (await strapi.plugin('i18n').service('locales').getDefaultLocale()) as string;
      return {
        results: rows.map(adminView),
        // The default (source) language first.
        locales: locales
          .map(({ code, name }) => ({ code, name, isDefault: code === defaultLocale }))
          .sort((a, b) => Number(b.isDefault) - Number(a.isDefault)),
        contentTypes: deliverableTypes().map((uid) => ({
          uid,
          name: (strapi.getModel(uid as never) as { info: { displayName: string } }).info.displayName,
          segment: segmentOf(uid),
        })),
      };
    },

    /**
     * Registers a site through the Document Service (so the Super Admin rule and the audit log of
     * src/plugins/editorial/server/services/access-changes.ts apply). Answers with the webhook
     * secret: the only time it is shown, with rotateSecret's.
     */
    async register(body: unknown) {
      const { data, problems } = siteInput(body, true, maxLengths());
      if (problems.length) throw invalidSite(problems);
      const secret = newSecret();
      const created = (await strapi
        .documents(SITE_UID as never)
        .create({ data: { ...data, webhookSecret: secret } } as never)) as { documentId: string };
      return { site: adminView(await existing(created.documentId)), secret };
    },

    async change(documentId: string, body: unknown) {
      const current = await existing(documentId);
      const { data, problems } = siteInput(body, false, maxLengths());
      // The site's API token is named after it (and revoked by that name with the site).
      if (data.name !== undefined && data.name !== current.name)
        problems.push({ path: 'name', code: 'site.name-fixed', message: 'cannot be changed after registration' });
      if (problems.length) throw invalidSite(problems);
      delete data.name;
      if (Object.keys(data).length) await strapi.documents(SITE_UID as never).update({ documentId, data } as never);
      return { site: adminView(await existing(documentId)) };
    },

    /** A new webhook secret, shown once in the answer; the old one stops working at once. */
    async rotateSecret(documentId: string) {
      await existing(documentId);
      const secret = newSecret();
      await strapi.documents(SITE_UID as never).update({ documentId, data: { webhookSecret: secret } } as never);
      return { site: adminView(await existing(documentId)), secret };
    },

    async remove(documentId: string) {
      await existing(documentId);
      await strapi.documents(SITE_UID as never).delete({ documentId } as never);
    },

    existing,

    /**
     * Where a real document would be on a site being edited: its page and preview URLs from the
     * form's current patterns (unsaved), rendered by the same code the webhooks and Preview use.
     */
    async example(body: unknown) {
      const { data } = siteInput(body, false);
      const site = {
        baseUrl: typeof data.baseUrl === 'string' ? data.baseUrl : '',
        locales: asList(data.locales),
        contentTypes: asList(data.contentTypes),
        pathPattern: (data.pathPattern as string | null) ?? null,
        localePaths: (data.localePaths as Record<string, string> | null) ?? null,
      };
      const types = deliverableTypes();
      const codes = await localeCodes();
      const uid = site.contentTypes.find((candidate) => types.includes(candidate)) ?? types[0];
      // The source language when the site shows it (what editors know best), else its first one.
      const defaultLocale = (await strapi.plugin('i18n').service('locales').getDefaultLocale()) as string;
      const shown = site.locales.filter((code) => codes.includes(code));
      const locale = shown.includes(defaultLocale) ? defaultLocale : (shown[0] ?? defaultLocale);
      const document = uid && locale ? await exampleDocument(uid, locale) : null;
      const values = document ?? { uid, locale, documentId: 'abc123xyz', slug: 'example', title: null };
      const path = documentPath(site, segmentOf(values.uid), values.locale, values.slug, values.documentId);
      // As the published tab of Preview opens it.
      const pageUrl = /^https?:\/\//.test(site.baseUrl) ? absolute(site.baseUrl, path) : null;
      const pattern = typeof data.previewUrl === 'string' ? data.previewUrl : null;
      return {
        document: document && { ...document, type: segmentOf(document.uid) },
        path,
        pageUrl,
        previewUrl: pattern
          ? previewUrl(pattern, {
              token: 'TOKEN',
              documentId: values.documentId,
              locale: values.locale,
              lang: langOf(site, values.locale),
              collection: segmentOf(values.uid),
              uid: values.uid,
              slug: values.slug,
              path,
            })
          : null,
      };
    },

    /** A deleted site's own token goes with it. */
    async revokeToken(name: string) {
      const token = await tokens().getByName(tokenNameOf(name));
      if (token) await tokens().revoke(token.id);
    },
  };
  return service;
};

const asList = (value: unknown): string[] => (Array.isArray(value) ? (value as string[]) : []);

export type Sites = ReturnType<typeof createSites>;
