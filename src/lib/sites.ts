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

/** Everything wrong with a site registration, as messages (empty when fine). */
export const siteIssues = (
  site: Partial<SiteShape> & { name?: string },
  known: { locales: string[]; contentTypes: string[] },
): string[] => {
  const issues: string[] = [];
  if (site.name !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(site.name))
    issues.push('name: lower-case letters, digits and "-"');
  if (site.baseUrl !== undefined) {
    try {
      const url = new URL(site.baseUrl);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') issues.push('baseUrl: http or https');
    } catch {
      issues.push('baseUrl: not a URL');
    }
  }
  if (site.locales !== undefined) {
    if (!Array.isArray(site.locales) || !site.locales.length) issues.push('locales: a list of locale codes');
    else
      site.locales
        .filter((code) => !known.locales.includes(code))
        .forEach((code) => issues.push(`locales: unknown locale "${code}"`));
  }
  if (site.contentTypes !== undefined) {
    if (!Array.isArray(site.contentTypes) || !site.contentTypes.length)
      issues.push('contentTypes: a list of content-type uids');
    else
      site.contentTypes
        .filter((uid) => !known.contentTypes.includes(uid))
        .forEach((uid) => issues.push(`contentTypes: unknown "${uid}"`));
  }
  if (site.pathPattern && !site.pathPattern.startsWith('/')) issues.push('pathPattern: starts with "/"');
  return issues;
};
