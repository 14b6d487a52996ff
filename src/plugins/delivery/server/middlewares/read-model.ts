/**
 * Answers plain anonymous list requests from the read model (services/read-model.ts); everything
 * else, and anything it cannot answer exactly, goes on to Strapi unchanged.
 */
import type { IncomingMessage } from 'http';
import type { Core } from '@strapi/strapi';
import { typeTag } from '../../../../lib/http-cache';
import { restSegment } from '../../../../lib/public-api';
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
}

const DOCUMENT_ID = /"documentId":"([^"\\]+)"/g;

export const readModelMiddleware = (strapi: Core.Strapi, readPath: ReadPath, readModel: ReadModel) => {
  const models = strapi.contentTypes as unknown as Record<string, Parameters<typeof restSegment>[0]>;
  return async (ctx: Ctx, next: () => Promise<void>) => {
    if (!readModel.enabled || ctx.method !== 'GET' || ctx.get('authorization')) return next();
    // The read path's route match (any spelling the router accepts), made once per request.
    const route = readPath.of(ctx)?.route;
    if (!route || route.detail) return next();
    const answer = await readModel.list(restSegment(models[route.uid]), ctx.querystring);
    if (!answer) return next();
    const { body, uid, request, count } = answer;
    // What the response cache needs to file and drop it, as if Strapi's router had answered.
    ctx.state.route = { info: { type: 'content-api' }, handler: `${uid}.find` };
    ctx.state.cacheTags = [typeTag(uid), ...new Set([...body.matchAll(DOCUMENT_ID)].map(([, id]) => `doc:${id}`))];
    ctx.status = 200;
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = body;
    if (count) ctx.set('Content-Language', request.locale);
    ctx.set('X-Read-Model', 'hit');
  };
};
