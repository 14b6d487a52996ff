import type { ReactNode } from 'react';
import { useIntl } from 'react-intl';
import en from './translations/en.json';

const PREFIX = 'wutong.hint.';

/** Field names some type or component has a hint for (the files hold the same keys in every language). */
export const fieldsWithHints = new Set(
  Object.keys(en)
    .filter((key) => key.startsWith(PREFIX))
    .map((key) => key.slice(key.lastIndexOf('.') + 1)),
);

/** A field's hint in the interface language, or the hint it had (Strapi's own, e.g. min/max). */
export const FieldHint = ({ model, field, fallback }: { model: string; field: string; fallback?: unknown }) => {
  const { formatMessage, messages } = useIntl();
  const id = `${PREFIX}${model}.${field}`;
  if (!(id in messages)) return (fallback as ReactNode) ?? null;
  return <>{formatMessage({ id })}</>;
};
