/**
 * Draft preview: Strapi's Preview button asks for a URL (config/admin.ts); we answer with the
 * site's preview route carrying a short-lived token that the public API accepts for that one
 * document and locale. The published tab opens the live page.
 */
import type { Core } from '@strapi/strapi';
import { envInt, envSecret } from '../../../../lib/env';
import {
  DEFAULT_PREVIEW_SECONDS,
  previewUrl,
  signPreviewToken,
  verifyPreviewToken,
} from '../../../../lib/preview-token';
import { langOf } from '../../../../lib/sites';
import { absolute } from '../../../../lib/sitemap';
import type { Sites } from './sites';

export const createPreview = (strapi: Core.Strapi, sites: Sites) => {
  const secret = envSecret(process.env, 'PREVIEW_SECRET', 'wutong-dev-preview-secret');
  const seconds = envInt(process.env, 'PREVIEW_TOKEN_SECONDS', DEFAULT_PREVIEW_SECONDS);

  const slugOf = async (uid: string, documentId: string, locale: string, status: 'draft' | 'published') => {
    const attributes = (strapi.getModel(uid as never) as { attributes: Record<string, { type: string }> }).attributes;
    const field = Object.keys(attributes).find((name) => attributes[name].type === 'uid');
    if (!field) return null;
    const entry = (await strapi
      .documents(uid as never)
      .findOne({ documentId, locale, status, fields: [field] } as never)) as Record<string, unknown> | null;
    return (entry?.[field] as string | undefined) ?? null;
  };

  const service = {
    mint: (uid: string, documentId: string, locale: string) =>
      signPreviewToken(secret, { uid, documentId, locale }, seconds),
    verify: (token: unknown) => verifyPreviewToken(secret, token),

    /** The URL Strapi's Preview button opens, or null when no site shows this document. */
    async url(
      uid: string,
      { documentId, locale, status }: { documentId: string; locale: string; status: 'draft' | 'published' },
    ) {
      const candidates = await sites.forDocument(uid, locale);
      // A site with a preview route is the one editors work with: it opens both tabs.
      const withPreview = candidates.find(({ previewUrl: pattern }) => pattern);
      const site = status === 'published' ? (withPreview ?? candidates[0]) : withPreview;
      if (!site) return null;
      const slug = await slugOf(uid, documentId, locale, status);
      const path = sites.path(site, uid, locale, slug, documentId);
      if (status === 'published') return absolute(site.baseUrl, path);
      return previewUrl(site.previewUrl as string, {
        token: service.mint(uid, documentId, locale),
        documentId,
        locale,
        lang: langOf(site, locale),
        collection: sites.segmentOf(uid),
        uid,
        slug,
        path,
      });
    },
  };
  return service;
};

export type Preview = ReturnType<typeof createPreview>;
