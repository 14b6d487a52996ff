/**
 * Which of Strapi's document actions (Save, Publish, Unpublish, Discard, Delete, Clone, i18n's
 * bulk locale actions…) a person sees: Strapi shows them disabled, without a reason, to people
 * who may never use them. Used by the editorial plugin's admin (components/UsableActions).
 */

/** What Strapi's Content Manager knows of a person's rights on one content type in one language. */
export interface ActionRights {
  canCreate?: boolean;
  canUpdate?: boolean;
  canPublish?: boolean;
}

/**
 * Content types whose edit view carries the editorial workflow panel (WorkflowPanel: every api::
 * type). Its Publish is the one a person meets there: it says why it is disabled (not approved
 * yet, not theirs), where Strapi's would be greyed out or refused by the server's approval guard.
 */
export const hasWorkflowPanel = (model: string | undefined): boolean => Boolean(model?.startsWith('api::'));

/**
 * Save stays, disabled until the form changes (every editor knows that one), for whoever may
 * write this language; Publish too, for whoever may also publish, on content types without our
 * workflow panel (with it, the panel's Publish is the only one). Every other disabled action
 * (i18n's bulk locale actions, which have no type, included) is hidden: it would stay disabled
 * for this person, or until the document changes state, which the workflow panel shows and
 * explains.
 */
export const actionShown = (
  type: string | undefined,
  description: { disabled?: boolean } | null | undefined,
  rights: ActionRights,
  model?: string,
): boolean => {
  if (!description) return false;
  if (type === 'publish' && hasWorkflowPanel(model)) return false;
  const writes = Boolean(rights.canCreate || rights.canUpdate);
  if (type === 'update') return writes;
  if (type === 'publish') return Boolean(rights.canPublish) && (writes || !description.disabled);
  return !description.disabled;
};

/**
 * The edit view's header icons (i18n's "Fill in from another locale"): they fill or change the
 * form, so only for whoever may write this language, and hidden while disabled (no other language
 * version to fill from yet). The language picker and statuses carry no `disabled` of their own.
 */
export const headerActionShown = (
  description: { type?: string; disabled?: boolean } | null | undefined,
  rights: ActionRights,
): boolean => {
  if (!description) return false;
  if (description.disabled) return false;
  if (description.type === 'icon') return Boolean(rights.canCreate || rights.canUpdate);
  return true;
};

/** One option of a select in the edit view's header (i18n's language picker). */
export interface HeaderOption {
  disabled?: boolean;
  /** i18n renders its options itself when AI translation is on: nothing to read or change then. */
  _render?: unknown;
}

/**
 * i18n's language picker greys out, without a reason, the languages a person may read but not
 * create a version in (a reviewer's "Create English", a translator's "Create 简体中文" on an
 * English-only page): each such option gets a reason (`explain`), the others stay as they are.
 */
export const explainDisabledOptions = <O extends HeaderOption>(options: O[], explain: (option: O) => O): O[] =>
  options.map((option) => (option.disabled && !option._render ? explain(option) : option));
