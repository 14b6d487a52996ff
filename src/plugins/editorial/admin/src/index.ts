/**
 * Admin side of the editorial plugin: the workflow side panel in the edit view, a stage column
 * and filter in list views, and the "waiting for me" queue and audit log pages.
 */
import { CheckCircle } from '@strapi/icons';
import type { StrapiApp } from '@strapi/strapi/admin';
import { createElement } from 'react';
import { ReadOnlyNote } from './components/ReadOnlyNote';
import { usableActions, usableHeaderActions, type DocumentAction } from './components/UsableActions';
import { StageCell, TranslationCell } from './components/StageCell';
import { SOURCE_LOCALE } from './components/TranslationSection';
import { SlugFollow } from './components/SlugFollow';
import { StageFilter } from './components/StageFilter';
import { WorkflowPanel } from './components/WorkflowPanel';
import { PLUGIN_ID } from './constants';
import { translationsFor } from './components/useT';
import { translateServerMessages } from './messages';

interface ListHeader {
  name: string;
  label: string | { id: string; defaultMessage: string };
  attribute: { type: string };
  searchable: boolean;
  sortable: boolean;
  cellFormatter?: (
    row: { documentId: string; locale?: string },
    header: unknown,
    context: { model: string },
  ) => unknown;
}

interface ListLayout {
  options?: { draftAndPublish?: boolean; i18n?: { localized?: boolean } };
}

type ContentManagerApis = {
  addEditViewSidePanel: (panels: unknown[]) => void;
  addDocumentAction: (actions: (current: DocumentAction[]) => DocumentAction[]) => void;
  addDocumentHeaderAction: (actions: (current: DocumentAction[]) => DocumentAction[]) => void;
};

export default {
  register(app: StrapiApp) {
    app.registerPlugin({ id: PLUGIN_ID, name: 'Editorial' });
    // Refusals from the server read in the interface language, wherever the admin shows them.
    translateServerMessages();
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: CheckCircle,
      intlLabel: { id: `${PLUGIN_ID}.menu`, defaultMessage: 'Editorial' },
      permissions: [{ action: 'plugin::editorial.read', subject: null }],
      Component: () => import('./pages/App'),
    });
  },

  bootstrap(app: StrapiApp) {
    const contentManager = app.getPlugin('content-manager');
    const apis = contentManager.apis as unknown as ContentManagerApis;
    // SlugFollow shows nothing: a panel, because panels render inside the edit form.
    apis.addEditViewSidePanel([WorkflowPanel, SlugFollow]);
    // After i18n's bootstrap (a core plugin, bootstrapped before ours), so its actions are wrapped too.
    apis.addDocumentAction(usableActions);
    apis.addDocumentHeaderAction(usableHeaderActions);
    // Where Save would be, for whoever may not change this language: why, and where to act instead.
    contentManager.injectComponent('editView', 'right-links', { name: 'editorial-read-only', Component: ReadOnlyNote });
    contentManager.injectComponent('listView', 'actions', { name: 'editorial-stage-filter', Component: StageFilter });
    app.registerHook(
      'Admin/CM/pages/ListView/inject-column-in-table',
      ({ displayedHeaders, layout }: { displayedHeaders: ListHeader[]; layout: ListLayout }) => {
        if (!layout.options?.draftAndPublish) return { displayedHeaders, layout };
        const column: ListHeader = {
          name: 'editorialStage',
          label: { id: `${PLUGIN_ID}.list.stage`, defaultMessage: 'Review stage' },
          attribute: { type: 'custom' },
          searchable: false,
          sortable: false,
          cellFormatter: (row, _header, { model }) =>
            createElement(StageCell, { model, documentId: row.documentId, locale: row.locale }),
        };
        // In a translated language's list: where each translation stands against the source.
        const translation: ListHeader = {
          name: 'editorialTranslation',
          label: { id: `${PLUGIN_ID}.list.translation`, defaultMessage: 'Translation' },
          attribute: { type: 'custom' },
          searchable: false,
          sortable: false,
          cellFormatter: (row, _header, { model }) =>
            row.locale && row.locale !== SOURCE_LOCALE
              ? createElement(TranslationCell, { model, documentId: row.documentId, locale: row.locale })
              : null,
        };
        return {
          displayedHeaders: [...displayedHeaders, column, ...(layout.options.i18n?.localized ? [translation] : [])],
          layout,
        };
      },
    );
  },

  registerTrads: translationsFor(PLUGIN_ID, (locale) => import(`./translations/${locale}.json`)),
};
