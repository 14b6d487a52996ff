/**
 * Wutong consumer site: a dependency-free, server-rendered website that reads the CMS's public REST API
 * and keeps an in-memory copy of every response until the CMS says something changed (signed webhook).
 *
 *   CMS_URL=http://127.0.0.1:1337 CMS_TOKEN=… WEBHOOK_SECRET=… PORT=3000 node examples/consumer-site/server.js
 *
 * Routes: /  /zh/ /en/  /<lang>/projects/<slug>  /<lang>/news/<slug>  /preview?…  POST /webhooks/wutong
 */
const http = require('node:http');
const { verifyWebhook } = require('./signature');
const render = require('./render');

const { LOCALES, OTHER } = render;
const LANG_OF_LOCALE = Object.fromEntries(Object.entries(LOCALES).map(([lang, locale]) => [locale, lang]));
const COLLECTIONS = { project: 'projects', news: 'news' };

const MAX_WEBHOOK_BYTES = 1024 * 1024;
const REMEMBERED_DELIVERIES = 1000;
// Not a TTL: a bound so that requests for endless made-up slugs cannot grow memory forever.
// Evicting an entry only means one extra CMS call; it never serves stale content.
const MAX_CACHE_ENTRIES = 2000;
const CMS_TIMEOUT_MS = 10_000;

/** A non-2xx answer from the CMS; `status` lets a page turn 404 into "not found" and 401/403 into "forbidden". */
class CmsError extends Error {
  constructor(status, url) {
    super(`CMS answered ${status} for ${url}`);
    this.status = status;
  }
}

/**
 * Build the site. Returns an http.Server that is not listening yet.
 *
 * @param {{
 *   cmsUrl?: string,          // CMS base URL, default http://127.0.0.1:1337
 *   cmsToken?: string,        // read-only API token, sent as a Bearer token
 *   webhookSecret?: string,   // shared secret for X-Wutong-Signature; without it every webhook is refused
 *   fetch?: typeof fetch,     // injectable for tests
 *   log?: (line: string) => void,
 * }} [options]
 */
function createServer({
  cmsUrl = 'http://127.0.0.1:1337',
  cmsToken,
  webhookSecret,
  fetch = globalThis.fetch,
  log = (line) => console.log(line),
} = {}) {
  const base = cmsUrl.replace(/\/+$/, '');
  const headers = { Accept: 'application/json' };
  if (cmsToken) headers.Authorization = `Bearer ${cmsToken}`;

  // API URL → Promise of the parsed JSON. Storing the promise means concurrent page views share one
  // CMS call; failed calls are removed so an outage is not remembered.
  const cache = new Map();
  // Delivery ids already handled, oldest first (a Set keeps insertion order).
  const seenDeliveries = new Set();

  async function request(url) {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(CMS_TIMEOUT_MS) });
    if (!res.ok) throw new CmsError(res.status, url);
    return res.json();
  }

  /** GET a CMS API path. `cached: false` for previews: drafts must never be served to anyone else. */
  function cmsGet(path, params, { cached = true } = {}) {
    const url = `${base}${path}?${new URLSearchParams(params)}`;
    if (!cached) return request(url);
    if (cache.has(url)) return cache.get(url);
    const pending = request(url);
    cache.set(url, pending);
    pending.catch(() => {
      if (cache.get(url) === pending) cache.delete(url);
    });
    if (cache.size > MAX_CACHE_ENTRIES) cache.delete(cache.keys().next().value);
    return pending;
  }

  /** One entry by slug via the list endpoint: an unknown slug is an empty list, not an error. */
  async function findBySlug(collection, locale, slug) {
    const { data } = await cmsGet(`/api/${collection}`, { locale, 'filters[slug][$eq]': slug });
    return Array.isArray(data) && data.length ? data[0] : null;
  }

  /**
   * The same document's page in the other language. Slugs are localized, so it has to be looked up by
   * documentId; with no translation (or a failed lookup) the switcher falls back to the other home page.
   */
  async function alternateHref(collection, lang, documentId) {
    const other = OTHER[lang];
    try {
      const { data } = await cmsGet(`/api/${collection}`, {
        locale: LOCALES[other],
        'filters[documentId][$eq]': documentId,
      });
      const slug = Array.isArray(data) && data[0]?.slug;
      if (slug) return `/${other}/${collection}/${encodeURIComponent(slug)}`; // collection = URL segment
    } catch {
      // fall through: a missing switcher target must not break the page
    }
    return `/${other}/`;
  }

  // ---- pages ---------------------------------------------------------------------------------------

  async function homePage(lang) {
    const locale = LOCALES[lang];
    const [projects, news] = await Promise.all([
      cmsGet('/api/projects', { locale, sort: 'code', 'pagination[pageSize]': '100' }),
      cmsGet('/api/news', { locale, sort: 'publicationDate:desc', 'pagination[pageSize]': '10' }),
    ]);
    return [200, render.homePage({ lang, projects: projects.data || [], news: news.data || [] })];
  }

  async function projectPage(lang, slug) {
    const project = await findBySlug('projects', LOCALES[lang], slug);
    if (!project) return [404, render.errorPage({ lang })];
    const alt = await alternateHref('projects', lang, project.documentId);
    return [200, render.projectPage({ lang, project, alternateHref: alt })];
  }

  async function newsPage(lang, slug) {
    const article = await findBySlug('news', LOCALES[lang], slug);
    if (!article) return [404, render.errorPage({ lang })];
    const alt = await alternateHref('news', lang, article.documentId);
    return [200, render.newsPage({ lang, article, alternateHref: alt })];
  }

  /** /preview?type=project|news&documentId=…&locale=…&token=… — the draft, straight from the CMS. */
  async function previewPage(query) {
    // The CMS's preview URL pattern may name the type (project) or its collection (projects).
    const type = { projects: 'project' }[query.get('type')] || query.get('type');
    const documentId = query.get('documentId');
    const locale = query.get('locale');
    const token = query.get('token');
    const lang = LANG_OF_LOCALE[locale] || 'zh';
    if (!COLLECTIONS[type] || !documentId || !LANG_OF_LOCALE[locale] || !token) {
      return [400, render.errorPage({ lang, kind: 'badRequest', preview: true })];
    }
    let data;
    try {
      ({ data } = await cmsGet(
        `/api/${COLLECTIONS[type]}/${encodeURIComponent(documentId)}`,
        { locale, preview: token },
        { cached: false },
      ));
    } catch (err) {
      if (err.status === 404) return [404, render.errorPage({ lang, preview: true })];
      if (err.status === 401 || err.status === 403) {
        return [403, render.errorPage({ lang, kind: 'forbidden', preview: true })];
      }
      throw err;
    }
    if (!data) return [404, render.errorPage({ lang, preview: true })];
    const html =
      type === 'project'
        ? render.projectPage({ lang, project: data, preview: true })
        : render.newsPage({ lang, article: data, preview: true });
    return [200, html];
  }

  // ---- webhook -------------------------------------------------------------------------------------

  async function webhook(req, res) {
    if (req.method !== 'POST') return sendText(res, 405, 'method not allowed', { Allow: 'POST' });
    const delivery = req.headers['x-wutong-delivery'] || '-';
    const event = req.headers['x-wutong-event'] || '-';

    let rawBody;
    try {
      rawBody = await readBody(req, MAX_WEBHOOK_BYTES);
    } catch (err) {
      log(`webhook ${delivery} ${event}: rejected (${err.message})`);
      if (err.code === 'TOO_LARGE') {
        res.on('finish', () => req.destroy()); // stop reading whatever is still being sent
        return sendText(res, 413, 'payload too large', { Connection: 'close' });
      }
      return sendText(res, 400, 'could not read body');
    }

    const check = verifyWebhook({
      secret: webhookSecret,
      timestamp: req.headers['x-wutong-timestamp'],
      signature: req.headers['x-wutong-signature'],
      rawBody,
    });
    if (!check.ok) {
      log(`webhook ${delivery} ${event}: rejected (${check.reason})`);
      return sendText(res, 401, `invalid webhook: ${check.reason}`);
    }

    let notice;
    try {
      notice = JSON.parse(rawBody.toString('utf8'));
    } catch {
      notice = null;
    }
    if (!notice || typeof notice !== 'object' || Array.isArray(notice)) {
      log(`webhook ${delivery} ${event}: rejected (body is not a JSON object)`);
      return sendText(res, 400, 'body is not a JSON object');
    }
    // Headers are not covered by the signature, the body is: the body's id is the one to trust for
    // de-duplication, and a header that disagrees with it means the request was tampered with.
    const id = typeof notice.id === 'string' && notice.id ? notice.id : req.headers['x-wutong-delivery'];
    if (notice.id && req.headers['x-wutong-delivery'] && notice.id !== req.headers['x-wutong-delivery']) {
      log(`webhook ${delivery} ${event}: rejected (delivery id differs from signed body id ${notice.id})`);
      return sendText(res, 401, 'invalid webhook: delivery id mismatch');
    }
    const what = `${notice.event || event} ${notice.type || '-'} ${notice.documentId || '-'} ${notice.locale || '-'}`;
    if (id && seenDeliveries.has(id)) {
      log(`webhook ${id} ${what}: duplicate, ignored`);
      return sendText(res, 200, 'duplicate delivery ignored');
    }
    if (id) {
      seenDeliveries.add(id);
      if (seenDeliveries.size > REMEMBERED_DELIVERIES) seenDeliveries.delete(seenDeliveries.values().next().value);
    }

    // Clear everything rather than one type/locale: pages mix content (news shows related project
    // titles) and non-localized fields (code, areas) change in every locale at once.
    const cleared = cache.size;
    cache.clear();
    log(`webhook ${id || '-'} ${what}: ok, cleared ${cleared} cached CMS responses`);
    res.writeHead(204);
    res.end();
  }

  // ---- routing -------------------------------------------------------------------------------------

  async function route(req, res) {
    const url = new URL(req.url || '/', 'http://site.invalid');
    const path = url.pathname;
    if (path === '/webhooks/wutong') return webhook(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendText(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    }
    if (path === '/') return redirect(res, '/zh/');

    const preview = path === '/preview';
    const langMatch = /^\/(zh|en)(?=\/|$)/.exec(path);
    const lang = langMatch ? langMatch[1] : 'zh';
    let m;
    let result;
    try {
      if (preview) result = await previewPage(url.searchParams);
      else if (/^\/(zh|en)$/.test(path)) return redirect(res, `${path}/`);
      else if (/^\/(zh|en)\/$/.test(path)) result = await homePage(lang);
      else if ((m = /^\/(zh|en)\/projects\/([^/]+)\/?$/.exec(path))) result = await projectPage(lang, decode(m[2]));
      else if ((m = /^\/(zh|en)\/news\/([^/]+)\/?$/.exec(path))) result = await newsPage(lang, decode(m[2]));
      else result = [404, render.errorPage({ lang })];
    } catch (err) {
      // CMS down or answering errors: say so, but do not leak internals.
      log(`error rendering ${path}: ${err.message}`);
      result = [502, render.errorPage({ lang, kind: 'cmsError', preview })];
    }
    const [status, html] = result;
    sendHtml(res, status, html, preview);
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((err) => {
      log(`unexpected error: ${err.stack || err}`);
      if (res.headersSent) res.destroy();
      else sendText(res, 500, 'internal error');
    });
  });
  return server;
}

// ---- helpers ---------------------------------------------------------------------------------------

/** A path segment may carry bad %-escapes; treat it as an unknown slug rather than crash. */
function decode(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}

/** Collect the raw body bytes (the signature is over them), failing once `limit` is passed. */
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) return reject(Object.assign(new Error('body over 1 MB'), { code: 'TOO_LARGE' }));
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.removeAllListeners('end');
        reject(Object.assign(new Error('body over 1 MB'), { code: 'TOO_LARGE' }));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendHtml(res, status, html, preview) {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    // Pages change whenever a webhook clears the cache, so browsers must always ask again. Previews
    // hold drafts: never store them anywhere, and never leak the token in a Referer header.
    'Cache-Control': preview ? 'no-store' : 'no-cache',
    ...(preview ? { 'Referrer-Policy': 'no-referrer', 'X-Robots-Tag': 'noindex' } : {}),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https:",
  });
  res.end(html);
}

function sendText(res, status, text, extraHeaders = {}) {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...extraHeaders,
  });
  res.end(text);
}

function redirect(res, location) {
  res.writeHead(302, { Location: location, 'Content-Length': 0 });
  res.end();
}

module.exports = { createServer };

if (require.main === module) {
  const port = Number(process.env.PORT) || 3000;
  const host = '127.0.0.1';
  const cmsUrl = process.env.CMS_URL || 'http://127.0.0.1:1337';
  const server = createServer({
    cmsUrl,
    cmsToken: process.env.CMS_TOKEN || undefined,
    webhookSecret: process.env.WEBHOOK_SECRET || undefined,
  });
  server.listen(port, host, () => {
    console.log(`consumer site on http://${host}:${port}/ reading ${cmsUrl}`);
    if (!process.env.WEBHOOK_SECRET) console.log('WEBHOOK_SECRET is not set: every webhook will be refused (401)');
  });
}
