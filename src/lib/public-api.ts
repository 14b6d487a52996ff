/**
 * The public read path's defaults: what each type populates when a client sends no `populate`.
 *
 * Kept lean and explicit: `populate=*` drags in every other locale (80 KB for 25 items), so
 * relations bring only the fields a card or link needs, and lists skip what only a detail page
 * shows. A client's own `populate` is always respected as sent.
 */
type Populate = Record<string, true | { fields?: string[]; populate?: Populate }>;

const LINK = (...fields: string[]) => ({ fields });
// An image component: the file, with this language's alt text, caption and credit.
const IMAGE = { populate: { image: LINK('url', 'width', 'height', 'formats') } };

const LIST: Record<string, Populate> = {
  'api::project.project': {
    location: true,
    highlights: true,
    industries: LINK('name', 'slug'),
    park: LINK('name', 'slug'),
    cover: IMAGE,
  },
  'api::park.park': {
    location: true,
    keyFigures: true,
    accreditations: true,
    focusIndustries: LINK('name', 'slug'),
    cover: IMAGE,
  },
  'api::platform.platform': {
    highlights: true,
    partners: LINK('name', 'shortName', 'slug'),
    researchFields: LINK('name', 'slug'),
    park: LINK('name', 'slug'),
    cover: IMAGE,
  },
  'api::talent.talent': { benefits: true, keyFigures: true, cover: IMAGE },
  'api::news.news-article': {
    cover: IMAGE,
    relatedProjects: LINK('title', 'slug'),
    relatedParks: LINK('name', 'slug'),
    relatedPlatforms: LINK('name', 'slug'),
    relatedTalents: LINK('title', 'slug'),
  },
  'api::organization.organization': { highlights: true },
  'api::district-profile.district-profile': { figures: true, actions: true, achievements: true, seo: true },
};

/** What a detail page needs on top of the list populate. */
const DETAIL_EXTRA: Record<string, Populate> = {
  'api::project.project': { gallery: IMAGE, seo: true },
  'api::park.park': {
    gallery: IMAGE,
    projects: LINK('title', 'slug', 'kind'),
    platforms: LINK('name', 'slug', 'kind'),
    seo: true,
  },
  'api::platform.platform': { seo: true },
  'api::talent.talent': { seo: true },
  'api::news.news-article': { seo: true },
};

/** The REST path segment of a content type: `projects`, `news`; a single type's is singular (`district-profile`). */
export const restSegment = ({ kind, info }: { kind: string; info: { singularName: string; pluralName: string } }) =>
  kind === 'singleType' ? info.singularName : info.pluralName;

export const defaultPopulate = (uid: string, detail: boolean): Populate | undefined => {
  const list = LIST[uid];
  if (!list) return undefined;
  return detail ? { ...list, ...DETAIL_EXTRA[uid] } : list;
};

export interface ContentRoute {
  uid: string;
  detail: boolean;
  /** the documentId in /api/projects/:documentId */
  documentId?: string;
}

export interface RouteTable {
  prefix: string;
  /** path segment (plural name, or singular name for a single type) → uid and kind */
  segments: Record<string, { uid: string; kind: 'collectionType' | 'singleType' }>;
}

const decoded = (part: string) => {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
};

/**
 * Maps `/api/projects` and `/api/projects/:documentId` to the content type they serve, in every
 * spelling Strapi's router accepts (it matches case-insensitively, with or without a trailing
 * slash): the public path's rules must see every request the content API answers.
 */
export const matchContentRoute = (path: string, table: RouteTable): ContentRoute | undefined => {
  const prefix = `${table.prefix.toLowerCase()}/`;
  if (!path.toLowerCase().startsWith(prefix)) return undefined;
  const parts = path.slice(prefix.length).split('/').filter(Boolean).map(decoded);
  const target = parts[0] ? table.segments[parts[0].toLowerCase()] : undefined;
  if (!target) return undefined;
  if (target.kind === 'singleType') return parts.length === 1 ? { uid: target.uid, detail: true } : undefined;
  if (parts.length === 1) return { uid: target.uid, detail: false };
  if (parts.length === 2) return { uid: target.uid, detail: true, documentId: parts[1] };
  return undefined;
};
