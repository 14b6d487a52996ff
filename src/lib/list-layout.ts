/**
 * The Content Manager's default list columns for our types. Strapi's own default is the first
 * four fields, which in Chinese and at a laptop's width pushes the review-stage and translation
 * columns (added after them) off the right edge.
 */
export const LIST_COLUMNS: Record<string, string[]> = {
  'api::project.project': ['title', 'kind', 'stage'],
  'api::park.park': ['name', 'level'],
  'api::platform.platform': ['name', 'level'],
  'api::talent.talent': ['title', 'kind'],
  'api::news.news-article': ['title', 'publicationDate'],
  'api::industry.industry': ['name', 'sortOrder'],
  'api::organization.organization': ['name', 'kind'],
  'api::glossary.glossary-term': ['term', 'rendering', 'kind'],
};

const same = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
  !!a && !!b && a.length === b.length && a.every((column, index) => column === b[index]);

/**
 * The list columns to store now, or undefined to leave the stored ones. Ours replace Strapi's
 * generated default once, and later versions of ours replace earlier ones; columns an editor
 * chose in the view's settings (stored ≠ what we last stored) stay.
 */
export const listColumnsToStore = (
  stored: readonly string[],
  lastApplied: readonly string[] | undefined,
  wanted: readonly string[],
): string[] | undefined => {
  if (same(stored, wanted)) return undefined;
  if (lastApplied && !same(stored, lastApplied)) return undefined;
  return [...wanted];
};
