import type { StrapiApp } from '@strapi/strapi/admin';
import { adminApi } from '@strapi/strapi/admin';
import { createElement, type ReactNode } from 'react';
import { FormattedMessage } from 'react-intl';
import { Typography } from '@strapi/design-system';
import { FieldHint, fieldsWithHints } from './hints';
import { interfaceLanguages, translations } from './messages';
import { setFieldLabels } from '../plugins/editorial/admin/src/messages';
import { addLayoutFixes } from './layout-fixes';

interface EditField {
  name: string;
  hint?: unknown;
}
interface EditLayout {
  layout: EditField[][][];
  components: Record<string, { layout: EditField[][] }>;
}

const withHint = (model: string | undefined) => (field: EditField) =>
  model && fieldsWithHints.has(field.name)
    ? { ...field, hint: createElement(FieldHint, { model, field: field.name, fallback: field.hint }) }
    : field;

interface ListHeader {
  name: string;
  attribute?: { type: string };
  cellFormatter?: (row: Record<string, unknown>, ...rest: unknown[]) => ReactNode;
}

/**
 * List columns: enumeration values under their labels (the table shows stored values as they
 * are), and i18n's "Available in" column as language codes: its "Chinese (Simplified) (zh-Hans)
 * (default), English (en)" pushed the workflow columns off a laptop's screen.
 */
const listColumn = (header: ListHeader): ListHeader => {
  if (header.attribute?.type === 'enumeration' && !header.cellFormatter)
    return {
      ...header,
      cellFormatter: (row) => {
        const value = row[header.name];
        return createElement(
          Typography,
          { textColor: 'neutral800' },
          typeof value === 'string' ? createElement(FormattedMessage, { id: value, defaultMessage: value }) : '-',
        );
      },
    };
  if (header.name === 'locales' && header.cellFormatter)
    return {
      ...header,
      cellFormatter: (row) => {
        const localizations = (row.localizations ?? []) as { locale?: string }[];
        const codes = [row.locale, ...localizations.map(({ locale }) => locale)].filter(Boolean) as string[];
        return createElement(Typography, { textColor: 'neutral800' }, [...new Set(codes)].join(' · '));
      },
    };
  return header;
};

interface ListFilter {
  name: string;
  label: string | { id: string; defaultMessage: string };
}

/** A filter's label as the message id its column uses (Filters formats descriptors it is given). */
const filterLabel =
  (model: string | undefined) =>
  (filter: ListFilter): ListFilter =>
    model && typeof filter.label === 'string' && !filter.name.startsWith('__') // Strapi's own (__status)
      ? {
          ...filter,
          label: { id: `content-manager.content-types.${model}.${filter.name}`, defaultMessage: filter.label },
        }
      : filter;

/** Which content type an edit view shows: its route is …/content-manager/(collection|single)-types/<uid>/… */
const currentModel = () =>
  /\/content-manager\/(?:collection|single)-types\/([^/]+)/.exec(window.location.pathname)?.[1];

export default {
  config: {
    // Interface languages offered on the profile page besides English: one file per language
    // in ./translations (the district's editors work in Chinese).
    locales: interfaceLanguages,
    // Content type names, field labels, hints and enumeration options under the message ids the
    // Content Manager looks up, plus the admin strings Strapi itself has no Chinese for.
    translations,
    tutorials: false,
    notifications: { releases: false },
  },
  register(_app: StrapiApp) {
    // Strapi's Community Edition queries two AI features of the Enterprise Edition on every edit
    // view without checking that they exist (useDocumentActions, the i18n locale picker), and the
    // server answers 404. Answer them here, in the browser, with what Enterprise itself reports
    // when AI is off: no request leaves, nothing is logged.
    adminApi.injectEndpoints({
      overrideExisting: true,
      endpoints: (builder) => ({
        getAiFeatureConfig: builder.query<{ isAiI18nConfigured: boolean }, void>({
          queryFn: () => ({ data: { isAiI18nConfigured: false } }),
        }),
        getAILocalizationJobsByDocument: builder.query<{ data: null }, unknown>({
          queryFn: () => ({ data: { data: null } }),
        }),
      }),
    });
  },
  bootstrap(app: StrapiApp) {
    // The slug's availability label beside a long slug; a required enumeration's placeholder hidden.
    addLayoutFixes();
    // Server messages name fields by the same labels the Content Manager shows.
    setFieldLabels((field, language, uid) => {
      const messages = translations[language] ?? translations.en;
      return uid ? messages?.[`content-manager.content-types.${uid}.${field}`] : undefined;
    });
    // After the plugins' own columns (i18n's, the editorial plugin's).
    app.registerHook(
      'Admin/CM/pages/ListView/inject-column-in-table',
      ({ displayedHeaders, layout }: { displayedHeaders: ListHeader[]; layout: unknown }) => ({
        displayedHeaders: displayedHeaders.map(listColumn),
        layout,
      }),
    );
    // The list's filter menu names fields by the list layout's label, which is the attribute
    // name unless someone typed one (Strapi 5.54's Filters does not translate it, unlike the
    // columns): the same message ids as the columns, so `landAreaMu` reads 占地面积（亩）.
    app.registerHook(
      'Admin/CM/pages/ListView/inject-in-filters',
      ({ displayedFilters, layout }: { displayedFilters: ListFilter[]; layout: unknown }) => ({
        displayedFilters: displayedFilters.map(filterLabel(currentModel())),
        layout,
      }),
    );
    // Field hints follow the interface language: each is a message looked up when rendered.
    app.registerHook(
      'Admin/CM/pages/EditView/mutate-edit-view-layout',
      ({ layout, ...rest }: { layout: EditLayout; query: unknown }) => {
        const model = currentModel();
        return {
          ...rest,
          layout: {
            ...layout,
            layout: layout.layout.map((panel) => panel.map((row) => row.map(withHint(model)))),
            components: Object.fromEntries(
              Object.entries(layout.components).map(([uid, component]) => [
                uid,
                { ...component, layout: component.layout.map((row) => row.map(withHint(uid))) },
              ]),
            ),
          },
        };
      },
    );
  },
};
