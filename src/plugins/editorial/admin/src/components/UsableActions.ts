/**
 * Strapi's document actions (the edit view's Entry panel and header menu, the list's row menu),
 * shown only to people who may use them. Strapi shows many of them disabled, without a reason:
 * Publish and i18n's "Publish multiple locales" to authors and translators, Save to reviewers,
 * Delete, Clone, Unpublish and Discard to whoever lacks the permission. What our workflow panel
 * offers instead says why it is disabled; Strapi's own actions are hidden when unusable, and its
 * Publish always where our panel is (one Publish, the panel's).
 */
import { Flex, Status, Typography } from '@strapi/design-system';
import { useDocumentRBAC, useRBAC } from '@strapi/strapi/admin';
import { createElement, isValidElement, type ReactNode } from 'react';
import {
  actionShown,
  explainDisabledOptions,
  headerActionShown,
  type ActionRights,
  type HeaderOption,
} from '../../../../../lib/document-actions';
import { useT } from './useT';

type Description = { type?: string; disabled?: boolean } | null | undefined;
interface Props {
  model: string;
  collectionType?: string;
}
export interface DocumentAction {
  (props: Props): unknown;
  type?: string;
  position?: unknown;
}

const onlyUsable = (
  action: DocumentAction,
  shown: (
    type: string | undefined,
    description: Description,
    rights: ActionRights,
    model: string,
  ) => boolean = actionShown,
): DocumentAction => {
  const Usable: DocumentAction = (props) => {
    // Both hooks run on every render, in the same order (the original action is a hook too).
    const description = action(props) as Description;
    // The Content Manager's own permission state, per content type and language (i18n filters
    // the permissions by the language in the address): what Strapi's actions themselves check.
    const rights = useDocumentRBAC('editorial', (state: ActionRights) => state);
    return shown(action.type, description, rights, props.model) ? description : null;
  };
  Usable.type = action.type;
  Usable.position = action.position;
  return Usable;
};

/** "Edit the model" leads to the Content-Type Builder, refused to editors: only for whoever may open it. */
const withPermission =
  (permission: (props: Props) => string) =>
  (action: DocumentAction): DocumentAction => {
    const Permitted: DocumentAction = (props) => {
      const description = action(props);
      const { isLoading, allowedActions } = useRBAC([{ action: permission(props), subject: null }]);
      return !isLoading && Object.values(allowedActions).some(Boolean) ? description : null;
    };
    Permitted.type = action.type;
    Permitted.position = action.position;
    return Permitted;
  };

const editModel = withPermission(() => 'plugin::content-type-builder.read');

/** For the Content Manager's addDocumentAction: every action wrapped by what it needs. */
export const usableActions = (actions: DocumentAction[]): DocumentAction[] =>
  actions.map((action) => {
    // "Configure the view" stays for everyone (its page says who may configure): without it a
    // reviewer's header menu holds no action, and Strapi disables the menu, "Copy document ID" too.
    if (action.type === 'configure-the-view') return action;
    if (action.type === 'edit-the-model') return editModel(action);
    return onlyUsable(action);
  });

type Option = HeaderOption & { label?: ReactNode };

const STATUS_VARIANTS: Record<string, 'secondary' | 'success' | 'alternative'> = {
  draft: 'secondary',
  published: 'success',
  modified: 'alternative',
};

/**
 * i18n's option for an existing version (its LocaleOption: the language's name and a status badge)
 * writes the status as the raw English word ("Draft"); the same layout, with the status in the
 * interface language.
 */
const withTranslatedStatus = (option: Option, t: ReturnType<typeof useT>): Option => {
  if (!isValidElement(option.label)) return option;
  const { locale, status, entryExists, isDraftAndPublishEnabled } = option.label.props as {
    locale?: { name?: string };
    status?: string;
    entryExists?: boolean;
    isDraftAndPublishEnabled?: boolean;
  };
  if (!entryExists || !locale?.name || !status || !STATUS_VARIANTS[status]) return option;
  return {
    ...option,
    label: createElement(
      Flex,
      { width: '100%', gap: 1, justifyContent: 'space-between' },
      createElement(Typography, null, locale.name),
      isDraftAndPublishEnabled
        ? createElement(Status, {
            size: 'S',
            variant: STATUS_VARIANTS[status],
            paddingLeft: '6px',
            paddingRight: '6px',
            children: createElement(
              Typography,
              { tag: 'span', variant: 'pi', fontWeight: 'bold' },
              t(`docStatus.${status}`, status),
            ),
          })
        : null,
    ),
  };
};

/** The language picker in the interface language: statuses translated, greyed-out languages say why. */
const explained = (action: DocumentAction): DocumentAction => {
  const Explained: DocumentAction = (props) => {
    const description = action(props) as { options?: Option[] } | null | undefined;
    const t = useT();
    if (!description?.options) return description;
    const reason = t('locale.cannotCreate', 'You may not create a version in this language');
    return {
      ...description,
      options: explainDisabledOptions(
        description.options.map((option) => withTranslatedStatus(option, t)),
        (option) => ({
          ...option,
          label: createElement(
            Flex,
            { direction: 'column', alignItems: 'flex-start', gap: 1 },
            // One child: i18n's "Create <b>name</b> locale" is an array, a flex item per part otherwise.
            createElement('span', null, option.label),
            createElement(
              Typography,
              { variant: 'pi', textColor: 'neutral600', 'data-testid': 'editorial-option-reason' },
              reason,
            ),
          ),
        }),
      ),
    };
  };
  Explained.type = action.type;
  Explained.position = action.position;
  return Explained;
};

/**
 * For the Content Manager's addDocumentHeaderAction: i18n's "Fill in from another locale" only
 * when usable, the language picker's unusable languages with their reason.
 */
export const usableHeaderActions = (actions: DocumentAction[]): DocumentAction[] =>
  actions.map((action) =>
    explained(onlyUsable(action, (_type, description, rights) => headerActionShown(description, rights))),
  );
