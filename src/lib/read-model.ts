/**
 * The read model's pure side: which list requests it may answer, and the response body it
 * writes. Anything it is not sure to answer exactly as Strapi would falls through to Strapi.
 */

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
 * malformed values) → undefined, and Strapi answers.
 */
export const parseListQuery = (
  querystring: string,
  { defaultLimit, maxLimit }: { defaultLimit: number; maxLimit: number },
): ListRequest | undefined => {
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(querystring);
  } catch {
    return undefined;
  }
  const seen = new Map<string, string>();
  for (const [key, value] of params) {
    if (seen.has(key)) return undefined;
    seen.set(key, value);
  }
  for (const key of seen.keys()) if (!['locale', 'pagination[page]', 'pagination[pageSize]'].includes(key)) return;
  const locale = seen.get('locale');
  if (!locale || !/^[A-Za-z0-9-]{1,20}$/.test(locale)) return undefined;
  const page = seen.get('pagination[page]') ?? '1';
  const pageSize = seen.get('pagination[pageSize]') ?? String(defaultLimit);
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
