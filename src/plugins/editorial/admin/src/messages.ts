/**
 * Server messages in the admin's interface language.
 *
 * Every refusal our server sends carries `error.details.code` and `params` beside its English
 * `message` (src/lib/messages.ts). Strapi 5.54's Content Manager shows a failed save's
 * `error.message` in its toast (useDocumentActions → formatAPIError, which looks the English
 * text up as an `apiError.<text>` translation: no text with names and numbers in it can match)
 * and each validation issue's `message` under its field. Neither passes through anything a
 * plugin can hook, but both arrive through the admin's fetch client, which calls the global
 * `fetch` on every request. So one wrapper around `window.fetch` rewrites the messages of coded
 * error responses to our admin routes and the Content Manager's, in the interface language,
 * before Strapi reads them: the toast, the fields' errors and our own panels all follow, and API
 * clients keep the English. Strapi's own bare 403s ("Forbidden") are said as the role's limit.
 */
import { useIntl } from 'react-intl';
import { translateError, type RenderContext } from '../../../../lib/messages';
import { PLUGIN_ID } from './constants';
import en from './translations/en.json';
import zhHans from './translations/zh-Hans.json';

const TEMPLATES: Record<string, Record<string, string>> = { en, 'zh-Hans': zhHans };

/** Strapi's key for the interface language (Settings → profile; e2e sets it directly). */
const LANGUAGE_KEY = 'strapi-admin-language';

/** A field's human label in a language, for its content type when known (see setFieldLabels). */
export type FieldLabels = (field: string, language: string, uid?: string) => string | undefined;

let fieldLabels: FieldLabels = () => undefined;

/**
 * Where field names get their labels. Without one, messages name the field as the schema does;
 * src/admin/app.tsx (or whoever owns the labels) connects its lookup here.
 */
export const setFieldLabels = (labels: FieldLabels) => {
  fieldLabels = labels;
};

/** Messages about one content type: its fields named by their labels. */
export const forType = (context: RenderContext, uid?: string | null): RenderContext =>
  uid ? { ...context, label: (field) => fieldLabels(field, context.language, uid) } : context;

export const interfaceLanguage = () => {
  try {
    return window.localStorage.getItem(LANGUAGE_KEY) ?? 'en';
  } catch {
    return 'en';
  }
};

const contextFor = (language: string, template?: (key: string) => string | undefined, uid?: string): RenderContext => ({
  language,
  template: template ?? ((key) => (TEMPLATES[language] ?? TEMPLATES.en)[key]),
  label: (field) => fieldLabels(field, language, uid),
});

/** The content type a Content Manager or editorial request is about (`api::project.project`). */
const uidIn = (url: string) => /\/(?:collection-types|single-types|documents)\/(api::[\w.-]+)/.exec(url)?.[1];

/** Requests whose errors are the admin's to show: the Content Manager's and our plugins'. */
const TRANSLATED = /\/(content-manager|editorial|delivery)(\/|\?|$)/;

let installed = false;

/** Wraps `window.fetch` once (the plugin's register step); idempotent. */
export const translateServerMessages = () => {
  if (installed || typeof window === 'undefined' || typeof window.fetch !== 'function') return;
  installed = true;
  const original = window.fetch.bind(window);
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await original(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (response.ok || !TRANSLATED.test(url) || !response.headers.get('content-type')?.includes('json'))
      return response;
    try {
      const body = (await response.clone().json()) as { error?: { status?: number; details?: { code?: string } } };
      if (!body?.error) return response;
      const error = translateError(body.error, contextFor(interfaceLanguage(), undefined, uidIn(url)));
      if (error === body.error) return response; // nothing known about it
      const headers = new Headers(response.headers);
      headers.delete('content-length'); // the text changed length
      headers.delete('content-encoding');
      return new Response(JSON.stringify({ ...body, error }), {
        status: response.status,
        statusText: response.statusText,
        headers,
      });
    } catch {
      return response; // not JSON after all: Strapi shows it as before
    }
  };
};

/** The render context for React: the plugin's templates as react-intl knows them. */
export const useMessages = (uid?: string): RenderContext => {
  const { messages, locale } = useIntl();
  return contextFor(
    locale,
    (key) => {
      const value = messages[`${PLUGIN_ID}.${key}`];
      return typeof value === 'string' ? value : (TEMPLATES[locale] ?? TEMPLATES.en)[key];
    },
    uid,
  );
};
