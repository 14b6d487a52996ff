/**
 * Sites: the front ends that show our content. Where a document lives on a site, and what a
 * site registration must look like.
 */
export interface SiteShape {
  baseUrl: string;
  locales: string[];
  contentTypes: string[];
  pathPattern?: string | null;
  localePaths?: Record<string, string> | null;
}

export const DEFAULT_PATH_PATTERN = '/{lang}/{type}/{slug}';

/** The site's prefix for a locale ({lang}): its own mapping, else the locale code. */
export const langOf = (site: Pick<SiteShape, 'localePaths'>, locale: string) => site.localePaths?.[locale] ?? locale;

const fill = (pattern: string, values: Record<string, string>) =>
  pattern
    .replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(values[name] ?? ''))
    .replace(/\/{2,}/g, '/');

/**
 * A document's path on a site, e.g. /en/projects/fenghuanggu-industrial-park-project. {type} and
 * {collection} are the type's REST segment (projects, news).
 */
export const documentPath = (site: SiteShape, type: string, locale: string, slug: string | null, documentId: string) =>
  fill(site.pathPattern || DEFAULT_PATH_PATTERN, {
    lang: langOf(site, locale),
    locale,
    type,
    collection: type,
    slug: slug ?? documentId,
    documentId,
  });

/** The paths a change to a document affects: its page, its list and the home page of that language. */
export const affectedPaths = (
  site: SiteShape,
  type: string,
  locale: string,
  slug: string | null,
  documentId: string,
) => {
  const lang = langOf(site, locale);
  return [
    ...new Set([
      documentPath(site, type, locale, slug, documentId),
      `/${lang}/${type}`.replace(/\/{2,}/g, '/'),
      `/${lang}/`.replace(/\/{2,}/g, '/'),
    ]),
  ];
};

/**
 * One thing wrong with a site registration: the field, a stable code the admin translates (with
 * `values` for its placeholders) and an English message for API clients.
 */
export interface SiteProblem {
  path: string;
  code: string;
  message: string;
  values?: Record<string, string>;
}

/** Everything wrong with a site registration (empty when fine). */
export const siteProblems = (
  site: Partial<SiteShape> & { name?: string; previewUrl?: string | null },
  known: { locales: string[]; contentTypes: string[] },
): SiteProblem[] => {
  const problems: SiteProblem[] = [];
  const add = (path: string, code: string, message: string, values?: Record<string, string>) =>
    problems.push({ path, code, message, ...(values ? { values } : {}) });
  if (site.name !== undefined && (typeof site.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(site.name)))
    add('name', 'site.name', 'lower-case letters, digits and "-"');
  if (site.baseUrl !== undefined) {
    try {
      const url = new URL(site.baseUrl);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') add('baseUrl', 'site.url-scheme', 'http or https');
    } catch {
      add('baseUrl', 'site.url', 'not a URL');
    }
  }
  if (site.locales !== undefined) {
    if (!Array.isArray(site.locales) || !site.locales.length)
      add('locales', 'site.locales-empty', 'a list of locale codes');
    else
      site.locales
        .filter((code) => !known.locales.includes(code))
        .forEach((code) => add('locales', 'site.locale-unknown', `unknown locale "${code}"`, { value: String(code) }));
  }
  if (site.contentTypes !== undefined) {
    if (!Array.isArray(site.contentTypes) || !site.contentTypes.length)
      add('contentTypes', 'site.types-empty', 'a list of content-type uids');
    else
      site.contentTypes
        .filter((uid) => !known.contentTypes.includes(uid))
        .forEach((uid) => add('contentTypes', 'site.type-unknown', `unknown "${uid}"`, { value: String(uid) }));
  }
  if (site.pathPattern && !site.pathPattern.startsWith('/')) add('pathPattern', 'site.path-pattern', 'starts with "/"');
  if (site.previewUrl && !/^https?:\/\//.test(site.previewUrl))
    add('previewUrl', 'site.preview-url', 'an http(s) URL pattern');
  return problems;
};

/** The same problems as "field: message" lines. */
export const siteIssues = (
  site: Partial<SiteShape> & { name?: string; previewUrl?: string | null },
  known: { locales: string[]; contentTypes: string[] },
): string[] => siteProblems(site, known).map(({ path, message }) => `${path}: ${message}`);

/** What the Sites page (and the admin API) may set on a site; the secret and token are the server's. */
export const SITE_FIELDS = [
  'name',
  'title',
  'baseUrl',
  'locales',
  'contentTypes',
  'pathPattern',
  'localePaths',
  'previewUrl',
  'webhookUrl',
  'enabled',
] as const;

const OPTIONAL_TEXT = ['title', 'pathPattern', 'previewUrl', 'webhookUrl'];

/**
 * A site registration as sent to the admin API, checked for shape before the registry's rules
 * (siteProblems): known fields only, text as text within its column (`maxLengths`; empty optional
 * text is null), `localePaths` a map of texts, `enabled` a boolean; a new site names its name, base
 * URL, locales and types.
 */
export const siteInput = (
  body: unknown,
  creating: boolean,
  maxLengths: Record<string, number> = {},
): { data: Record<string, unknown>; problems: SiteProblem[] } => {
  const problems: SiteProblem[] = [];
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return { data: {}, problems: [{ path: 'body', code: 'site.body', message: 'a JSON object of site fields' }] };
  const data: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(body as Record<string, unknown>)) {
    if (!(SITE_FIELDS as readonly string[]).includes(field)) {
      problems.push({ path: field, code: 'site.unknown-field', message: 'not a site field', values: { field } });
    } else if (field === 'enabled') {
      if (typeof value === 'boolean') data.enabled = value;
      else problems.push({ path: field, code: 'site.boolean', message: 'true or false' });
    } else if (field === 'localePaths') {
      const map = value as Record<string, unknown> | null;
      if (
        map === null ||
        (typeof map === 'object' && !Array.isArray(map) && Object.values(map).every((v) => typeof v === 'string'))
      )
        data.localePaths = map && Object.keys(map).length ? map : null;
      else problems.push({ path: field, code: 'site.locale-paths', message: 'a map of locale code to path prefix' });
    } else if (field === 'locales' || field === 'contentTypes') {
      data[field] = value; // siteProblems names what is wrong with these
    } else if (OPTIONAL_TEXT.includes(field) && (value === null || value === '')) {
      data[field] = null;
    } else if (typeof value === 'string') {
      data[field] = value.trim();
      if (maxLengths[field] !== undefined && value.trim().length > maxLengths[field])
        problems.push({
          path: field,
          code: 'site.too-long',
          message: `at most ${maxLengths[field]} characters`,
          values: { max: String(maxLengths[field]) },
        });
    } else {
      problems.push({ path: field, code: 'site.text', message: 'text' });
    }
  }
  if (creating) {
    for (const field of ['name', 'baseUrl', 'locales', 'contentTypes'])
      if (!(field in body)) problems.push({ path: field, code: 'site.required', message: 'required' });
  } else if (!Object.keys(body).length) {
    problems.push({ path: 'body', code: 'site.empty-update', message: 'name at least one field to change' });
  }
  return { data, problems };
};
