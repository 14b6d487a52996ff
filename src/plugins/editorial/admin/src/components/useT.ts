import { useIntl } from 'react-intl';
import { PLUGIN_ID } from '../constants';

/** t('key', 'Default', values): the plugin's translations, prefixed with its id. */
export const useT = () => {
  const { formatMessage } = useIntl();
  return (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
    formatMessage({ id: `${PLUGIN_ID}.${id}`, defaultMessage }, values);
};
