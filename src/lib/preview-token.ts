/**
 * Preview tokens: short-lived, signed, good for one document in one locale. The public API
 * accepts `?preview=<token>` and then serves that draft, and nothing else, uncached.
 *
 * Format: base64url(JSON claims) "." base64url(HMAC-SHA256(secret, claims part)).
 */
import { createHmac, timingSafeEqual } from 'crypto';

export interface PreviewClaims {
  uid: string;
  documentId: string;
  locale: string;
  /** expiry, unix seconds */
  exp: number;
}

export const DEFAULT_PREVIEW_SECONDS = 15 * 60;

const mac = (secret: string, part: string) => createHmac('sha256', secret).update(part).digest('base64url');

export const signPreviewToken = (
  secret: string,
  claims: Omit<PreviewClaims, 'exp'>,
  seconds = DEFAULT_PREVIEW_SECONDS,
  now = Date.now(),
): string => {
  const part = Buffer.from(JSON.stringify({ ...claims, exp: Math.floor(now / 1000) + seconds })).toString('base64url');
  return `${part}.${mac(secret, part)}`;
};

export type PreviewCheck = { ok: true; claims: PreviewClaims } | { ok: false; reason: string };

export const verifyPreviewToken = (secret: string, token: unknown, now = Date.now()): PreviewCheck => {
  if (typeof token !== 'string' || !/^[\w-]+\.[\w-]+$/.test(token))
    return { ok: false, reason: 'malformed preview token' };
  const [part, signature] = token.split('.');
  const expected = Buffer.from(mac(secret, part));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: 'invalid preview token' };
  let claims: PreviewClaims;
  try {
    claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed preview token' };
  }
  if (typeof claims?.exp !== 'number' || claims.exp * 1000 < now) return { ok: false, reason: 'expired preview token' };
  if (![claims.uid, claims.documentId, claims.locale].every((value) => typeof value === 'string' && value)) {
    return { ok: false, reason: 'malformed preview token' };
  }
  return { ok: true, claims };
};

/** Fills a site's preview URL pattern: {token} {documentId} {locale} {lang} {collection} {uid} {slug} {path}. */
export const previewUrl = (pattern: string, values: Record<string, string | null | undefined>): string =>
  pattern.replace(/\{(\w+)\}/g, (_match, name: string) =>
    // own keys only: {constructor} or {toString} must not pick up Object.prototype
    encodeURIComponent((Object.hasOwn(values, name) ? values[name] : null) ?? ''),
  );
