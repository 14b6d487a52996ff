/**
 * How the admin names things it gets from the server as codes: content types (by their
 * display name, which the admin's translations render in the interface language), system actors
 * ("system (seed)", "schedule #4"), and times (in the interface language's own format).
 */
import { useIntl } from 'react-intl';
import { useT } from './useT';
import { nameActor } from '../../../../../lib/messages';

// Each API's schema.json: its display name is the message id src/admin/translations use.
const schemas = import.meta.glob<{ info: { displayName: string } }>(
  '../../../../../api/*/content-types/*/schema.json',
  {
    eager: true,
    import: 'default',
  },
);
const DISPLAY_NAMES: Record<string, string> = Object.fromEntries(
  Object.entries(schemas).map(([file, schema]) => {
    const [, api, type] = /api\/([^/]+)\/content-types\/([^/]+)\//.exec(file) ?? [];
    return [`api::${api}.${type}`, schema.info.displayName];
  }),
);

/** A content type's name in the interface language (`api::news.news-article` → 新闻). */
export const useTypeName = () => {
  const { formatMessage } = useIntl();
  return (uid?: string | null) => {
    if (!uid) return '—';
    const name = DISPLAY_NAMES[uid];
    return name ? formatMessage({ id: name, defaultMessage: name }) : (uid.split('.').pop() ?? uid);
  };
};

/** An actor's name as stored, with the system's own actors said in the interface language. */
export const useActorName = () => {
  const t = useT();
  return (name?: string | null) => (name ? nameActor(name, t) : '—');
};

/** A date and time in the interface language's format. */
export const useFormatTime = () => {
  const { locale } = useIntl();
  return (value?: string | number | Date | null) => (value ? new Date(value).toLocaleString(locale) : '—');
};

/** A time zone by its name in the interface language (Asia/Shanghai → 北京时间); unknown ones by their id. */
export const useZoneName = () => {
  const t = useT();
  return (zone: string) => t(`zone.${zone}`, zone);
};
