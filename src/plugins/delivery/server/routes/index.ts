const publicRoute = (path: string, handler: string) => ({
  method: 'GET',
  path,
  handler: `delivery.${handler}`,
  // Published content only (these endpoints read published rows); no token needed.
  config: { auth: false },
});

const adminRoute = (method: string, path: string, handler: string, action: string) => ({
  method,
  path,
  handler: `delivery.${handler}`,
  config: {
    policies: ['admin::isAuthenticatedAdmin', { name: 'global::has-permission', config: { actions: [action] } }],
  },
});

/** The Sites page's routes: Super Admins only (sites hold webhook secrets and API tokens). */
const sitesRoute = (method: string, path: string, handler: string) => ({
  method,
  path,
  handler: `delivery.${handler}`,
  config: { policies: ['admin::isAuthenticatedAdmin', 'plugin::delivery.super-admin'] },
});

export const READ_DELIVERIES = 'plugin::delivery.read';
export const REDELIVER = 'plugin::delivery.redeliver';

export default {
  'content-api': {
    type: 'content-api',
    prefix: '',
    routes: [
      publicRoute('/search', 'search'),
      publicRoute('/geo', 'geo'),
      publicRoute('/sitemap.xml', 'sitemap'),
      publicRoute('/openapi.json', 'openapi'),
    ],
  },
  admin: {
    type: 'admin',
    routes: [
      adminRoute('GET', '/deliveries', 'deliveries', READ_DELIVERIES),
      adminRoute('POST', '/deliveries/:id/redeliver', 'redeliver', REDELIVER),
      adminRoute('GET', '/sites', 'sites', READ_DELIVERIES),
      sitesRoute('GET', '/sites/registry', 'siteRegistry'),
      sitesRoute('POST', '/sites/example', 'siteExample'),
      sitesRoute('POST', '/sites', 'registerSite'),
      sitesRoute('PUT', '/sites/:documentId', 'changeSite'),
      sitesRoute('POST', '/sites/:documentId/secret', 'rotateSiteSecret'),
      sitesRoute('POST', '/sites/:documentId/test', 'testSite'),
      sitesRoute('DELETE', '/sites/:documentId', 'deleteSite'),
    ],
  },
};
