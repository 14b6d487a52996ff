import type { Core } from '@strapi/strapi';
import { CONFIGURED_LOCALES, SOURCE_LOCALE, missingLocales } from '../lib/locales';

/** Ensures Chinese (the source and default) and English exist. Safe to run on every start. */
export const ensureLocales = async (strapi: Core.Strapi) => {
  const service = strapi.plugin('i18n').service('locales');
  const existing: { code: string; isDefault?: boolean }[] = await service.find();
  for (const locale of missingLocales(
    existing.map(({ code }) => code),
    CONFIGURED_LOCALES,
  )) {
    await service.create(locale);
    strapi.log.info(`wutong: added locale ${locale.code}`);
  }
  if ((await service.getDefaultLocale()) !== SOURCE_LOCALE) {
    await service.setDefaultLocale({ code: SOURCE_LOCALE });
  }
};
