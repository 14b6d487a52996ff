/**
 * HTTP side of conflict-safe saves: remembers the version the Content Manager loads for each
 * admin user, and tells API clients the current version of what they read or wrote
 * (`X-Content-Version`, to send back as `If-Match`).
 */
import type { Core } from '@strapi/strapi';
import { mayReadDrafts, type RequestAuth } from '../../../../lib/access';
import type { Conflicts } from './conflicts';
import { isManaged } from './guard';

const CM_DOCUMENT = /^\/content-manager\/(collection-types|single-types)\/([^/]+)(?:\/([^/]+))?$/;

interface Ctx {
  method: string;
  path: string;
  status: number;
  body: unknown;
  state: { user?: { id: number }; route?: { info?: { type?: string }; handler?: string }; auth?: RequestAuth };
  set(name: string, value: string): void;
}

type Data = { data?: { documentId?: string; locale?: string } };

export const recordSeenVersions =
  (strapi: Core.Strapi, conflicts: Conflicts) => async (ctx: Ctx, next: () => Promise<void>) => {
    await next();
    if (ctx.status < 200 || ctx.status >= 300) return;
    const data = (ctx.body as Data | undefined)?.data;
    if (!data?.documentId || !data.locale) return;

    const cm = ctx.method === 'GET' && ctx.state.user ? CM_DOCUMENT.exec(ctx.path) : null;
    if (cm && (cm[1] === 'single-types' || cm[3])) {
      const uid = decodeURIComponent(cm[2]);
      if (!isManaged(strapi, uid)) return;
      const target = { uid, documentId: data.documentId, locale: data.locale };
      const version = await conflicts.currentVersion(target);
      if (version) await conflicts.markSeen(ctx.state.user!.id, target, version);
      return;
    }

    const handler = ctx.state.route?.handler;
    if (ctx.state.route?.info?.type === 'content-api' && handler && mayReadDrafts(ctx.state.auth)) {
      const uid = handler.split('.').slice(0, -1).join('.');
      if (!isManaged(strapi, uid)) return;
      const version = await conflicts.currentVersion({ uid, documentId: data.documentId, locale: data.locale });
      if (version) ctx.set('X-Content-Version', version);
    }
  };
