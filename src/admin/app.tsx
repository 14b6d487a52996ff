import type { StrapiApp } from '@strapi/strapi/admin';

export default {
  config: {
    // Interface languages offered on the profile page besides English: the district's editors
    // work in Chinese.
    locales: ['zh-Hans'],
    tutorials: false,
    notifications: { releases: false },
  },
  bootstrap(_app: StrapiApp) {},
};
