/** Admin side of the delivery plugin: the sites and webhook deliveries page. */
import { Globe } from '@strapi/icons';
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
  },

  registerTrads: translationsFor(PLUGIN_ID, (locale) => import(`./translations/${locale}.json`)),
};
