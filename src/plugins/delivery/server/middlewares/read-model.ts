/**
 * Answers anonymous public GETs the read model can answer exactly (services/read-model.ts: plain
 * and slug/documentId-filtered lists, details by documentId); everything else goes on to Strapi
 * unchanged.
 */
import type { IncomingMessage } from 'http';
import { typeTag } from '../../../../lib/http-cache';
import type { ReadModel } from '../services/read-model';
import type { ReadPath } from '../services/read-path';

interface Ctx {
  req: IncomingMessage;
  method: string;
  path: string;
  querystring: string;
  status: number;
  body: unknown;
  type: string;
  state: Record<string, unknown>;
  get(name: string): string;
  set(name: string, value: string): void;
  notFound(): never;
}

const DOCUMENT_ID = /"documentId":"([^"\\]+)"/g;

export const readModelMiddleware = (readPath: ReadPath, readModel: ReadModel) => {
  return async (ctx: Ctx, next: () => Promise<void>) => {
    if (!readModel.enabled || ctx.method !== 'GET' || ctx.get('authorization')) return next();
    // The read path's route match (any spelling the router accepts), made once per request.
    const route = readPath.of(ctx)?.route;
    const answer = route && (await readModel.answer(route, ctx.querystring));
    if (!answer) return next();
    const { body, uid, handler, locale, count, status } = answer;
    // What the response cache needs to file and drop it, as if Strapi's router had answered.
    ctx.state.route = { info: { type: 'content-api' }, handler: `${uid}.${handler}` };
    ctx.set('X-Read-Model', 'hit');
    // Strapi's own 404 (its error middleware writes the body).
    if (status === 404) return ctx.notFound();
    ctx.state.cacheTags = [
      typeTag(uid),
      ...new Set([...(body ?? '').matchAll(DOCUMENT_ID)].map(([, id]) => `doc:${id}`)),
    ];
    ctx.status = 200;
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = body;
    if (count) ctx.set('Content-Language', locale);
  };
};
