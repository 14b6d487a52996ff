import { useIntl } from 'react-intl';
import { PLUGIN_ID } from '../constants';

/** A `t('key', 'Default', values)` hook for a plugin's translations, prefixed with its id. */
export const translatorFor = (pluginId: string) => () => {
  const { formatMessage } = useIntl();
  return (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
    formatMessage({ id: `${pluginId}.${id}`, defaultMessage }, values);
};

export const useT = translatorFor(PLUGIN_ID);

/** Strapi's registerTrads for a plugin: its translation files, keys prefixed with its id. */
export const translationsFor =
  (pluginId: string, load: (locale: string) => Promise<{ default: Record<string, string> }>) =>
  async ({ locales }: { locales: string[] }) =>
    Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = await load(locale);
          return {
            data: Object.fromEntries(Object.entries(data).map(([key, value]) => [`${pluginId}.${key}`, value])),
            locale,
          };
        } catch {
          return { data: {}, locale };
        }
      }),
    );
