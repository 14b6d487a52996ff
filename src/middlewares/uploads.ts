/**
 * Safe serving of stored uploads (/uploads/…, the local provider's files): no content sniffing,
 * a sandboxing CSP under which no script runs, downloads for anything but allowed images, and
 * opaque bytes for files outside the allow-list (an .html or .svg left by an older version).
 * The rules are src/lib/uploads.ts. Placed after strapi::security so that its CSP is replaced.
 */
import { isUploadsPath, servedFileHeaders } from '../lib/uploads';

interface Ctx {
  method: string;
  path: string;
  set(name: string, value: string): void;
}

export default () => async (ctx: Ctx, next: () => Promise<void>) => {
  if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !isUploadsPath(ctx.path)) return next();
  const headers = servedFileHeaders(ctx.path);
  const { 'Content-Type': contentType, ...others } = headers;
  for (const [name, value] of Object.entries(others)) ctx.set(name, value);
  await next();
  // After koa-static, which sets the type from the extension.
  if (contentType) ctx.set('Content-Type', contentType);
};
