/**
 * Why a webhook notice was not delivered, as a stable code and its params (the delivery row keeps
 * them beside its English `lastError`), and how the admin says it in the interface language with
 * the delivery plugin's `error.<code>` templates. Rows written before the codes existed keep only
 * the English text: their code is read back from it.
 *
 * Pure: no Strapi, no React; the server, the admin and the unit tests call it.
 */
import { fill, type Coded, type RenderContext } from './messages';

/** What a network failure is called, by Node's error code (`error.webhook.cause.<cause>`). */
const CAUSES: Record<string, string> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ENOTFOUND: 'not-found',
  EAI_AGAIN: 'not-found',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  ETIMEDOUT: 'timeout',
};

/** A Node network error's cause: refused, reset, not-found, unreachable, timeout, tls or other. */
export const networkCause = (error: { code?: unknown; message?: unknown }): string => {
  const code = typeof error.code === 'string' ? error.code : '';
  const message = typeof error.message === 'string' ? error.message : '';
  if (CAUSES[code]) return CAUSES[code];
  if (/CERT|SSL|TLS|SELF_SIGNED/i.test(code) || /certificate|SSL|TLS/i.test(message)) return 'tls';
  if (/socket hang up/i.test(message)) return 'reset';
  const named = Object.keys(CAUSES).find((name) => message.includes(name));
  return named ? CAUSES[named] : 'other';
};

export interface FailedDelivery {
  lastError?: string | null;
  lastErrorCode?: string | null;
  lastErrorParams?: Record<string, unknown> | null;
  lastStatus?: number | null;
}

/**
 * The code and params of a delivery's last failure: as stored, or read from the English text of a
 * row older than the codes (the texts src/plugins/delivery/server/services/webhooks.ts wrote).
 */
export const deliveryFailure = (row: FailedDelivery): Coded | undefined => {
  if (row.lastErrorCode) return { code: row.lastErrorCode, params: row.lastErrorParams ?? {} };
  const text = row.lastError?.trim();
  if (!text) return undefined;
  let match: RegExpExecArray | null;
  if ((match = /^no answer within (\d+) ms$/.exec(text))) return { code: 'webhook.timeout', params: { ms: +match[1] } };
  if ((match = /^HTTP (\d+): redirects are not followed/.exec(text)))
    return { code: 'webhook.redirect', params: { status: +match[1] } };
  if ((match = /^HTTP (\d+)\b/.exec(text))) return { code: 'webhook.http', params: { status: +match[1] } };
  if (text.startsWith('the site has no webhook URL')) return { code: 'webhook.no-url', params: {} };
  if ((match = /^Webhook URL refused: (\S+) does not resolve$/.exec(text)))
    return { code: 'webhook.unresolved', params: { host: match[1] } };
  if ((match = /^Webhook URL refused: (\S+) resolves to (\S+), a private/.exec(text)))
    return { code: 'webhook.private', params: { host: match[1], address: match[2] } };
  if (text.startsWith('Webhook URL refused:')) return { code: 'webhook.refused', params: {} };
  return { code: 'webhook.network', params: { cause: networkCause({ message: text }) } };
};

/**
 * A delivery's last failure in the interface language (`context.template` looks up the delivery
 * plugin's keys); the stored English text when no template knows the code, '' when nothing failed.
 */
export const describeDeliveryFailure = (row: FailedDelivery, context: RenderContext): string => {
  const failure = deliveryFailure(row);
  if (!failure) return '';
  const template = context.template(`error.${failure.code}`);
  if (template === undefined) return row.lastError ?? '';
  const params = { ...failure.params };
  // A network failure names its cause in words, never Node's English message.
  if (failure.code === 'webhook.network')
    params.detail =
      context.template(`error.webhook.cause.${String(params.cause ?? 'other')}`) ??
      context.template('error.webhook.cause.other') ??
      '';
  return fill(template, params, context);
};
