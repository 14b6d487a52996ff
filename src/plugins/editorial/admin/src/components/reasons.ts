/**
 * Why a panel control is disabled: the server sends a code (src/lib/panel-actions.ts), the
 * editor reads it in their language.
 */
import { useT } from './useT';

/** The English reason for a refusal code (the translation files hold both languages). */
const REASONS: Record<string, string> = {
  'workflow.needs-edit': 'You may not edit this language',
  'workflow.needs-review': 'Needs a Reviewer',
  'workflow.needs-publish': 'Only a Publisher may publish',
  'workflow.needs-approval': "Needs a reviewer's approval",
  'workflow.wrong-stage': 'Not possible at this stage',
  'workflow.own-edit': 'You made the last edit: someone else must approve it',
  'workflow.version-unknown': 'The version is unknown: reload the page',
  'workflow.not-live': 'Nothing is published in this language',
  'workflow.approval-stale': 'Changed since it was approved: it needs a new approval',
  'translation.no-source': 'There is no Chinese source to translate from',
};

/** Why a control is disabled, in the editor's language. */
export const useReason = () => {
  const t = useT();
  return (code?: string) => (code ? t(`reason.${code}`, REASONS[code] ?? code) : '');
};
