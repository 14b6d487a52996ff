/**
 * The read model's pure side: which list requests it may answer, and the response body it
 * writes. Anything it is not sure to answer exactly as Strapi would falls through to Strapi.
 */
import { parseQuery } from './public-query';

export interface ListRequest {
  locale: string;
  page: number;
  pageSize: number;
}

const PLAIN_INT = /^[1-9][0-9]{0,8}$/;

/**
 * A plain list request: only `locale` (required) and optional `pagination[page]` /
 * `pagination[pageSize]`, each once, as plain positive integers with pageSize ≤ maxLimit.
 * Anything else (filters, sort, populate, fields, status, fallback, start/limit, repeated or
 * malformed values) → undefined, and Strapi answers. Decided on the query as Strapi parses it,
 * like the public API's allow-list (everything accepted here is allowed there).
 */
export const parseListQuery = (
  querystring: string,
  { defaultLimit, maxLimit }: { defaultLimit: number; maxLimit: number },
): ListRequest | undefined => {
  const { locale, pagination, ...rest } = parseQuery(querystring);
  if (Object.keys(rest).length || typeof locale !== 'string' || !/^[A-Za-z0-9-]{1,20}$/.test(locale)) return undefined;
  if (pagination !== undefined && (!pagination || typeof pagination !== 'object' || Array.isArray(pagination)))
    return undefined;
  const { page = '1', pageSize = String(defaultLimit), ...others } = (pagination ?? {}) as Record<string, unknown>;
  if (Object.keys(others).length) return undefined;
  if (typeof page !== 'string' || typeof pageSize !== 'string') return undefined;
  if (!PLAIN_INT.test(page) || !PLAIN_INT.test(pageSize)) return undefined;
  if (Number(pageSize) > maxLimit) return undefined;
  return { locale, page: Number(page), pageSize: Number(pageSize) };
};

/** Strapi's list body, `{"data":[…],"meta":{"pagination":{…}}}`, from entries already serialized. */
export const listBody = (entries: string[], { page, pageSize }: ListRequest, total: number): string =>
  `{"data":[${entries.join(',')}],"meta":{"pagination":${JSON.stringify({
    page,
    pageSize,
    pageCount: Math.ceil(total / pageSize),
    total,
  })}}}`;
