import type { StrapiApp } from '@strapi/strapi/admin';
import { PLUGIN_ID } from './constants';

export default {
  register(app: StrapiApp) {
    app.registerPlugin({ id: PLUGIN_ID, name: 'Editorial' });
  },

  bootstrap(_app: StrapiApp) {},

  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = await import(`./translations/${locale}.json`);
          return {
            data: Object.fromEntries(Object.entries(data).map(([key, value]) => [`${PLUGIN_ID}.${key}`, value])),
            locale,
          };
        } catch {
          return { data: {}, locale };
        }
      }),
    );
  },
};
