/**
 * The editorial workflow: the whole state machine of one document-locale, in one place.
 *
 *   draft ──submit──▶ in_review ──approve──▶ approved ──publish──▶ published
 *     ▲                  │  │                   │                     │
 *     │◀────withdraw─────┘  └─request_changes─▶ changes_requested     unpublish
 *     │                         (also from approved)                   ▼
 *     └──────────────── any content edit ◀─────────────────────── unpublished
 *   (unpublish takes the live version down from any stage; the draft keeps its own)
 *
 * Two-person rule: an approval must come from someone other than the last editor, and it covers
 * the exact version approved (a content hash). Publishing anything else is refused, on every path.
 * Pure: the caller resolves the actor's permissions and the document's current version.
 */

export const STAGES = ['draft', 'in_review', 'changes_requested', 'approved', 'published', 'unpublished'] as const;
export type Stage = (typeof STAGES)[number];

export const TRANSITIONS = ['submit', 'withdraw', 'request_changes', 'approve', 'publish', 'unpublish'] as const;
export type Transition = (typeof TRANSITIONS)[number];

/** What an actor may do to this document-locale, from their roles (resolved by the caller). */
export interface Capabilities {
  edit: boolean;
  review: boolean;
  publish: boolean;
}

export interface Actor {
  /** `system` is the explicit bypass used by the seed and migrations; it is still audited. */
  kind: 'user' | 'api-token' | 'system' | 'scheduler' | 'anonymous' | 'code';
  /** Identity compared by the two-person rule, e.g. "user:5" or "api-token:2". */
  key: string;
  can: Capabilities;
}

export interface WorkflowState {
  stage: Stage;
  /** Who last changed the content (an actor key); null before any tracked edit. */
  lastEditor: string | null;
  approvedBy: string | null;
  /** Content hash of the version the approval covers. */
  approvedVersion: string | null;
  reason?: string | null;
}

export const initialState = (lastEditor: string | null = null): WorkflowState => ({
  stage: 'draft',
  lastEditor,
  approvedBy: null,
  approvedVersion: null,
  reason: null,
});

interface Rule {
  from: readonly Stage[];
  to: Stage;
  needs: keyof Capabilities;
}

const RULES: Record<Transition, Rule> = {
  submit: { from: ['draft', 'changes_requested', 'unpublished'], to: 'in_review', needs: 'edit' },
  withdraw: { from: ['in_review'], to: 'draft', needs: 'edit' },
  request_changes: { from: ['in_review', 'approved'], to: 'changes_requested', needs: 'review' },
  approve: { from: ['in_review'], to: 'approved', needs: 'review' },
  publish: { from: ['approved'], to: 'published', needs: 'publish' },
  // Taking the live version down is possible whatever is happening to the draft (see decide).
  unpublish: { from: STAGES, to: 'unpublished', needs: 'publish' },
};

const ROLE_NAMES: Record<keyof Capabilities, string> = { edit: 'edit', review: 'review', publish: 'publish' };

/**
 * A refusal carries a stable code beside its English reason, so that the admin can say why in
 * the editor's language (and show it on a disabled control before anyone tries).
 */
export type RefusalCode =
  | 'workflow.needs-edit'
  | 'workflow.needs-review'
  | 'workflow.needs-publish'
  | 'workflow.needs-approval'
  | 'workflow.wrong-stage'
  | 'workflow.reason-required'
  | 'workflow.own-edit'
  | 'workflow.version-unknown'
  | 'workflow.not-live'
  | 'workflow.approval-stale';

export type Decision =
  | { ok: true; next: WorkflowState }
  | { ok: false; status: 400 | 403; reason: string; code: RefusalCode };

const refuse = (status: 400 | 403, reason: string, code: RefusalCode): Decision => ({
  ok: false,
  status,
  reason,
  code,
});

const NEEDS_CODE: Record<keyof Capabilities, RefusalCode> = {
  edit: 'workflow.needs-edit',
  review: 'workflow.needs-review',
  publish: 'workflow.needs-publish',
};

export interface TransitionInput {
  /** Content hash of the current draft: approve records it, publish compares it. */
  version?: string | null;
  /** Why changes are requested (required for request_changes). */
  reason?: string | null;
  /** Whether a published version exists (unpublish needs one). */
  live?: boolean;
}

/** May `actor` take `transition` now? If so, the state afterwards. */
export const decide = (
  transition: Transition,
  state: WorkflowState,
  actor: Actor,
  input: TransitionInput = {},
): Decision => {
  const rule = RULES[transition];
  const system = actor.kind === 'system';

  if (!system && !actor.can[rule.needs]) {
    return refuse(403, `You do not have permission to ${ROLE_NAMES[rule.needs]} this content`, NEEDS_CODE[rule.needs]);
  }
  if (!rule.from.includes(state.stage)) {
    return refuse(
      403,
      transition === 'publish'
        ? `Only approved content can be published: this version is "${state.stage}"`
        : `Cannot ${transition.replace('_', ' ')} content that is "${state.stage}"`,
      transition === 'publish' ? 'workflow.needs-approval' : 'workflow.wrong-stage',
    );
  }

  switch (transition) {
    case 'request_changes': {
      const reason = input.reason?.trim();
      if (!reason) return refuse(400, 'Say what needs to change: a reason is required', 'workflow.reason-required');
      return { ok: true, next: { ...state, stage: rule.to, approvedBy: null, approvedVersion: null, reason } };
    }
    case 'approve': {
      if (!system && actor.key === state.lastEditor) {
        return refuse(403, 'You made the last edit: someone else must approve it', 'workflow.own-edit');
      }
      if (!input.version) return refuse(400, 'The version to approve is unknown', 'workflow.version-unknown');
      return {
        ok: true,
        next: { ...state, stage: rule.to, approvedBy: actor.key, approvedVersion: input.version, reason: null },
      };
    }
    case 'unpublish': {
      if (!input.live) return refuse(403, 'Nothing is published in this language', 'workflow.not-live');
      // A draft being reworked keeps its own stage; only the live version goes.
      return { ok: true, next: { ...state, stage: state.stage === 'published' ? rule.to : state.stage } };
    }
    case 'publish': {
      if (!system) {
        if (state.approvedBy === null || state.approvedBy === state.lastEditor) {
          return refuse(
            403,
            'Publishing needs an approval by someone other than the last editor',
            'workflow.needs-approval',
          );
        }
        if (!input.version || input.version !== state.approvedVersion) {
          return refuse(
            403,
            'The content changed after it was approved: it needs a new approval',
            'workflow.approval-stale',
          );
        }
      }
      return { ok: true, next: { ...state, stage: rule.to, reason: null } };
    }
    default:
      return { ok: true, next: { ...state, stage: rule.to, reason: transition === 'withdraw' ? null : state.reason } };
  }
};

/**
 * A content change (any save that alters the document-locale) sends it back to draft and voids
 * any approval: an approval covers the exact version that was approved.
 */
export const afterEdit = (state: WorkflowState, editor: string): WorkflowState => ({
  ...state,
  stage: 'draft',
  lastEditor: editor,
  approvedBy: null,
  approvedVersion: null,
});

/**
 * The stage a change to the live version leaves: publishing and discarding the draft leave the
 * live version as the content; unpublishing takes it down, but a draft being reworked keeps its
 * own stage.
 */
export const stageAfterLiveChange = (action: 'publish' | 'unpublish' | 'discardDraft', stage: Stage): Stage =>
  action === 'unpublish' ? (stage === 'published' ? 'unpublished' : stage) : 'published';

/**
 * The transitions to offer as buttons: exactly those `decide` would allow for the current
 * version (a reason for requesting changes is asked for when the button is used).
 */
export const availableTransitions = (
  state: WorkflowState,
  actor: Actor,
  version: string | null,
  live: boolean,
): Transition[] =>
  TRANSITIONS.filter((transition) => decide(transition, state, actor, { version, live, reason: 'to be given' }).ok);

/** Who should hear about a move to `stage`. */
export const audienceFor = (stage: Stage): ('assignee' | 'editor' | 'reviewers' | 'publishers')[] => {
  switch (stage) {
    case 'in_review':
      return ['assignee', 'reviewers'];
    case 'changes_requested':
      return ['assignee', 'editor'];
    case 'approved':
      return ['assignee', 'editor', 'publishers'];
    case 'published':
    case 'unpublished':
      return ['assignee', 'editor'];
    default:
      return ['assignee'];
  }
};
