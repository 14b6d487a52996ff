/**
 * Webhook signatures: `X-Wutong-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`
 * with `X-Wutong-Timestamp` (unix seconds). The timestamp is signed too, so a receiver that
 * refuses old timestamps is safe from replays.
 */
import { createHmac, timingSafeEqual } from 'crypto';

export const TOLERANCE_SECONDS = 300;

export const signPayload = (secret: string, timestamp: number, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

export type Verification = { ok: true } | { ok: false; reason: string };

export const verifySignature = (
  secret: string,
  timestamp: unknown,
  signature: unknown,
  body: string,
  now = Date.now(),
  toleranceSeconds = TOLERANCE_SECONDS,
): Verification => {
  const seconds = Number(timestamp);
  if (!Number.isInteger(seconds)) return { ok: false, reason: 'missing or malformed timestamp' };
  if (Math.abs(now / 1000 - seconds) > toleranceSeconds)
    return { ok: false, reason: 'timestamp too old or in the future' };
  if (typeof signature !== 'string') return { ok: false, reason: 'missing signature' };
  const expected = Buffer.from(signPayload(secret, seconds, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
};
