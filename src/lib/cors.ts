/**
 * Who may read our answers from another origin (CORS). The public content API (REST reads under
 * /api, GraphQL queries) is readable from any origin, without credentials: it serves only
 * published content, and a token is sent explicitly, never as a cookie. Everything else (the admin
 * panel and its APIs, Content Manager, upload, plugins' admin routes) answers cross-origin
 * requests only from the server's own origin or an origin listed in ADMIN_ORIGINS, with
 * credentials (the admin's refresh cookie); any other origin, "null" included, gets no CORS
 * headers at all, so a browser keeps the answer from that page.
 */
export interface CorsRequest {
  path: string;
  method: string;
  /** A preflight's Access-Control-Request-Method: the method the real request will use. */
  requestMethod?: string;
  /** The origins this server is reached at (its own, and its configured public URL). */
  selfOrigins: string[];
}

export interface CorsSettings {
  /** REST prefix of the content API, e.g. /api. */
  apiPrefix: string;
  /** The GraphQL endpoint, e.g. /graphql. */
  graphqlPath: string;
  adminOrigins: string[];
}

export interface CorsDecision {
  /** Allowed origins; ['*'] means any (Strapi's cors reflects the request's origin then). */
  origins: string[];
  credentials: boolean;
}

export const under = (path: string, base: string) => path === base || path.startsWith(`${base}/`);

/** An origin as a browser sends it (scheme://host[:port]); anything else is dropped. */
export const normalizeOrigin = (value: string): string | undefined => {
  try {
    const url = new URL(value.trim());
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
};

/** True for the public content API's reads: REST GET/HEAD under the prefix, GraphQL GET/POST. */
export const isPublicRead = (
  path: string,
  method: string,
  settings: Pick<CorsSettings, 'apiPrefix' | 'graphqlPath'>,
) => {
  const verb = method.toUpperCase();
  if (under(path, settings.apiPrefix)) return verb === 'GET' || verb === 'HEAD';
  if (under(path, settings.graphqlPath)) return verb === 'GET' || verb === 'HEAD' || verb === 'POST';
  return false;
};

/** The paths of config/middlewares.ts; ADMIN_ORIGINS from the environment. */
export const corsSettingsFrom = (adminOrigins: string[]): CorsSettings => ({
  apiPrefix: '/api',
  graphqlPath: '/graphql',
  adminOrigins,
});

export const corsDecision = (request: CorsRequest, settings: CorsSettings): CorsDecision => {
  const method =
    request.method.toUpperCase() === 'OPTIONS' ? (request.requestMethod ?? '').trim() || 'OPTIONS' : request.method;
  if (isPublicRead(request.path, method, settings)) return { origins: ['*'], credentials: false };
  const origins = [...request.selfOrigins, ...settings.adminOrigins]
    .map(normalizeOrigin)
    .filter((origin): origin is string => !!origin);
  return { origins: [...new Set(origins)], credentials: true };
};

/** Whether the request's Origin header is one the decision allows (exact match; "null" never is). */
export const originAllowed = (decision: CorsDecision, origin: string | undefined): boolean =>
  !!origin && (decision.origins.includes('*') || decision.origins.includes(origin));

/**
 * The CORS headers (flat name, value list) Strapi's cors middleware sets with this decision on an
 * answer that is not a preflight: its origin matching (no Origin: `*`; `*` allowed: the request's
 * origin reflected; else only a listed one) and @koa/cors's headers, in its order. Nothing for a
 * refused origin. For answers written before Koa runs (the response cache's fast path).
 */
export const corsAnswerHeaders = (decision: CorsDecision, requestOrigin: string | undefined): string[] => {
  const origin = !requestOrigin
    ? '*'
    : decision.origins.includes('*') || decision.origins.includes(requestOrigin)
      ? requestOrigin
      : '';
  if (!origin) return [];
  const headers = ['Access-Control-Allow-Origin', origin];
  if (decision.credentials && originAllowed(decision, requestOrigin))
    headers.push('Access-Control-Allow-Credentials', 'true');
  return headers;
};
