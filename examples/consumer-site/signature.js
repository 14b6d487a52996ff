/**
 * Wutong webhook signatures: HMAC-SHA256 over `${timestamp}.${rawBody}`, sent as
 * `X-Wutong-Signature: sha256=<hex>` with the timestamp in `X-Wutong-Timestamp` (unix seconds).
 *
 * Pure functions (no I/O, clock injectable) so they can be unit-tested and reused by other consumers.
 */
const { createHmac, timingSafeEqual } = require('node:crypto');

const PREFIX = 'sha256=';

/**
 * The `X-Wutong-Signature` header value for a body. The timestamp is signed exactly as it is sent
 * (as a string), and the body as raw bytes: re-serialising parsed JSON would change the bytes.
 *
 * @param {{ secret: string, timestamp: string | number, rawBody: Buffer | string }} args
 * @returns {string} `sha256=<64 hex chars>`
 */
function signWebhook({ secret, timestamp, rawBody }) {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`);
  hmac.update(rawBody); // a string is hashed as UTF-8, a Buffer as is
  return PREFIX + hmac.digest('hex');
}

/**
 * Check a delivery. Never throws: a bad input is a `{ ok: false, reason }`, the caller answers 401.
 *
 * @param {{
 *   secret: string | undefined,
 *   timestamp: string | number | undefined,
 *   signature: string | undefined,
 *   rawBody: Buffer | string,
 *   now?: number,               // milliseconds, like Date.now()
 *   toleranceSeconds?: number,  // how far the timestamp may be from now, either way
 * }} args
 * @returns {{ ok: true } | { ok: false, reason: string }}
 */
function verifyWebhook({ secret, timestamp, signature, rawBody, now = Date.now(), toleranceSeconds = 300 }) {
  // Without a shared secret anyone could post: refuse everything rather than accept unsigned calls.
  if (typeof secret !== 'string' || secret === '') return { ok: false, reason: 'no webhook secret configured' };

  if (timestamp === undefined || timestamp === null || timestamp === '') {
    return { ok: false, reason: 'missing timestamp' };
  }
  // Whole unix seconds only: "1e9", " 12", "12.5" are not what the CMS sends, so they are not accepted.
  const tsText = String(timestamp);
  if (!/^\d{1,15}$/.test(tsText)) return { ok: false, reason: 'timestamp is not a number' };
  // Replay protection: a captured delivery stops working after the tolerance window.
  if (Math.abs(now / 1000 - Number(tsText)) > toleranceSeconds) return { ok: false, reason: 'timestamp out of range' };

  if (typeof signature !== 'string' || signature === '') return { ok: false, reason: 'missing signature' };
  if (!signature.startsWith(PREFIX)) return { ok: false, reason: 'unsupported signature scheme' };
  const givenHex = signature.slice(PREFIX.length).trim();
  // Buffer.from(hex) silently drops bad characters, so validate the shape before decoding.
  if (!/^[0-9a-fA-F]+$/.test(givenHex)) return { ok: false, reason: 'malformed signature' };

  if (typeof rawBody !== 'string' && !Buffer.isBuffer(rawBody)) return { ok: false, reason: 'missing body' };

  const expected = Buffer.from(signWebhook({ secret, timestamp: tsText, rawBody }).slice(PREFIX.length), 'hex');
  const given = Buffer.from(givenHex, 'hex');
  // timingSafeEqual throws on different lengths; a wrong length is simply a wrong signature.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'signature mismatch' };
  }
  return { ok: true };
}

module.exports = { signWebhook, verifyWebhook };
