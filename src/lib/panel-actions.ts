/**
 * What the edit view's workflow panel offers one person for one document-locale: each control
 * that person could ever use here, whether it works now, and if not, a code saying why. Computed
 * from the very rules the server enforces (`decide`, the assignment and comment rules), so the
 * panel never shows a control the server would refuse without saying so, and never hides one it
 * would allow.
 */
import { mayAssign, mayComment } from './assignees';
import { decide, TRANSITIONS, type Actor, type Transition, type WorkflowState } from './workflow';

export type PanelAction = Transition | 'schedule' | 'release' | 'assign' | 'comment' | 'restore' | 'fill';

/** Why a shown control is disabled: a workflow refusal code, or one of the translation ones. */
export type PanelReason = string;

export interface AllowedAction {
  action: PanelAction;
  allowed: boolean;
  reason?: PanelReason;
}

export interface PanelContext {
  /** The document-locale exists (false: a translation nobody has started yet). */
  exists: boolean;
  /** Content hash of the current draft. */
  version: string | null;
  /** A published version exists in this locale. */
  live: boolean;
  /** This locale is a translation (not the source language). */
  translation: boolean;
  /** The source language version exists (something to fill a translation from). */
  sourceExists: boolean;
}

const EVERYTHING = { edit: true, review: true, publish: true };

/**
 * A refusal as a disabled control's reason: what is missing, said as a need ("needs a reviewer's
 * approval") rather than as the refusal an attempt gets ("only approved content can be published").
 */
const panelReason = (decision: Extract<ReturnType<typeof decide>, { ok: false }>): PanelReason => {
  if (decision.code === 'workflow.no-right') return `workflow.needs-${decision.params.right}`;
  if (decision.code === 'workflow.not-approved') return 'workflow.needs-approval';
  if (decision.code === 'workflow.changed-since-approval') return 'workflow.approval-stale';
  return decision.code;
};

/**
 * The reason a transition is refused, naming what the content still needs before the person's
 * own permissions: an Author looking at a draft learns it "needs a reviewer's approval" first.
 */
const refusal = (transition: Transition, state: WorkflowState, actor: Actor, context: PanelContext) => {
  const input = { version: context.version, live: context.live, reason: 'asked for when used' };
  const decision = decide(transition, state, actor, input);
  if (decision.ok) return undefined;
  const asIfPermitted = decide(transition, state, { ...actor, can: EVERYTHING }, input);
  return panelReason(asIfPermitted.ok ? decision : asIfPermitted);
};

/** The panel's controls for this person, in display order. */
export const panelActions = (state: WorkflowState, actor: Actor, context: PanelContext): AllowedAction[] => {
  if (!context.exists) {
    // Nothing to move, assign or comment on yet: the one thing to do is start the translation.
    if (!context.translation) return [];
    const reason = !actor.can.edit
      ? 'workflow.needs-edit'
      : !context.sourceExists
        ? 'translation.no-source'
        : undefined;
    return [{ action: 'fill', allowed: !reason, ...(reason ? { reason } : {}) }];
  }

  const actions: AllowedAction[] = [];
  for (const transition of TRANSITIONS) {
    const reason = refusal(transition, state, actor, context);
    if (!reason) {
      actions.push({ action: transition, allowed: true });
      continue;
    }
    // Publishing is where every draft is heading: whoever looks at unpublished changes learns
    // what stands between them and going live. Other refused moves are simply not offered, except
    // a reviewer's approval of their own edit, which they would otherwise wonder about.
    const explain =
      (transition === 'publish' && state.stage !== 'published') ||
      (transition === 'approve' && actor.can.review && state.stage === 'in_review');
    if (explain) actions.push({ action: transition, allowed: false, reason });
  }

  if (actor.can.publish) {
    // The schedule offers a publish (approved content) or an unpublish (live content).
    const publish = refusal('publish', state, actor, context);
    const unpublish = refusal('unpublish', state, actor, context);
    const reason = publish && unpublish ? publish : undefined;
    actions.push({ action: 'schedule', allowed: !reason, ...(reason ? { reason } : {}) });
    // Releases take whatever is approved when they go out (the release checks each entry then).
    actions.push({ action: 'release', allowed: true });
  }
  if (mayAssign(actor.can)) actions.push({ action: 'assign', allowed: true });
  if (mayComment(actor.can)) actions.push({ action: 'comment', allowed: true });
  // Restoring a version writes it into the draft: an edit, refused to whoever may not edit.
  if (actor.can.edit) actions.push({ action: 'restore', allowed: true });
  return actions;
};
