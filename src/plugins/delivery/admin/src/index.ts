/** Admin side of the delivery plugin: the Delivery page (webhook deliveries) and the Sites page. */
import { Globe, Monitor } from '@strapi/icons';
import type { StrapiApp } from '@strapi/strapi/admin';
import { translationsFor } from '../../../editorial/admin/src/components/useT';

export const PLUGIN_ID = 'delivery';

export default {
  register(app: StrapiApp) {
    app.registerPlugin({ id: PLUGIN_ID, name: 'Delivery' });
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: Globe,
      intlLabel: { id: `${PLUGIN_ID}.menu`, defaultMessage: 'Delivery' },
      permissions: [{ action: 'plugin::delivery.read', subject: null }],
      Component: () => import('./pages/DeliveriesPage'),
    });
    // Everyone who sees the deliveries sees the link; the page and its routes are Super Admins' only.
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}-sites`,
      icon: Monitor,
      intlLabel: { id: `${PLUGIN_ID}.sites.menu`, defaultMessage: 'Sites' },
      permissions: [{ action: 'plugin::delivery.read', subject: null }],
      Component: () => import('./pages/SitesPage'),
    });
  },

  registerTrads: translationsFor(PLUGIN_ID, (locale) => import(`./translations/${locale}.json`)),
};
