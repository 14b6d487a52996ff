/**
 * The content API answers data (JSON, GeoJSON, XML), never a page that loads anything: it gets
 * the strictest Content-Security-Policy (OWASP's REST guidance) instead of the admin panel's,
 * which strapi::security sets everywhere and which was a third of a cached answer's head.
 * Placed after strapi::security so that its CSP is replaced.
 */
import { corsSettingsFrom, under } from '../lib/cors';

export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

const { apiPrefix } = corsSettingsFrom([]);

interface Ctx {
  path: string;
  set(name: string, value: string): void;
}

export default () => async (ctx: Ctx, next: () => Promise<void>) => {
  if (under(ctx.path, apiPrefix)) ctx.set('Content-Security-Policy', API_CSP);
  await next();
};
