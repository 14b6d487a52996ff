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
import { affectedPaths, documentPath, siteIssues, type SiteShape } from '../../../../lib/sites';

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

  const validate = async (data: Record<string, unknown>) => {
    const locales = (
      (await strapi.db.query('plugin::i18n.locale').findMany({ select: ['code'] })) as { code: string }[]
    ).map(({ code }) => code);
    const issues = siteIssues(data as Partial<SiteShape> & { name?: string }, {
      locales,
      contentTypes: deliverableTypes(),
    });
    if (typeof data.webhookUrl === 'string' && data.webhookUrl) {
      await checkWebhookUrl(data.webhookUrl, envList(process.env, 'WEBHOOK_ALLOWLIST')).catch((error: Error) =>
        issues.push(`webhookUrl: ${error.message}`),
      );
    }
    if (typeof data.previewUrl === 'string' && data.previewUrl && !/^https?:\/\//.test(data.previewUrl)) {
      issues.push('previewUrl: an http(s) URL pattern');
    }
    if (issues.length) {
      throw new errors.ValidationError(issues.length === 1 ? issues[0] : `${issues.length} errors occurred`, {
        errors: issues.map((message) => ({ path: [message.split(':')[0]], message, name: 'ValidationError' })),
      });
    }
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
        if (merged.webhookUrl && !merged.webhookSecret) data.webhookSecret = randomBytes(32).toString('hex');
        ctx.params = { ...ctx.params, data };
        const result = (await next()) as { id?: number } | undefined;
        if (ctx.action === 'create' && result?.id) {
          const site = await service.byId(result.id);
          if (site) await ensureToken(site);
        }
        return result;
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
