import { panelActions, type PanelContext } from '../../src/lib/panel-actions';
import type { Actor, Stage, WorkflowState } from '../../src/lib/workflow';

const actor = (key: string, can: Partial<Actor['can']>): Actor => ({
  kind: 'user',
  key,
  can: { edit: false, review: false, publish: false, ...can },
});

const ROLES = {
  author: actor('user:1', { edit: true }),
  reviewer: actor('user:2', { review: true }),
  publisher: actor('user:3', { publish: true }),
  // A translator looking at the Chinese source: may read it, not edit it.
  translatorOnSource: actor('user:4', {}),
  translator: actor('user:4', { edit: true }),
};

const stateIn = (stage: Stage, lastEditor = 'user:1'): WorkflowState => ({
  stage,
  lastEditor,
  approvedBy: stage === 'approved' ? 'user:2' : null,
  approvedVersion: stage === 'approved' ? 'v1' : null,
});

const CONTEXT: PanelContext = { exists: true, version: 'v1', live: false, translation: false, sourceExists: true };

/** The panel's controls as `action` (usable) or `action!reason` (shown disabled). */
const controls = (state: WorkflowState, who: Actor, context: Partial<PanelContext> = {}) =>
  panelActions(state, who, { ...CONTEXT, ...context }).map(({ action, allowed, reason }) =>
    allowed ? action : `${action}!${reason}`,
  );

describe('the panel offers each role what the server allows, and says why publishing waits', () => {
  it('an author on their draft: submit, and Publish disabled because it needs an approval', () => {
    expect(controls(stateIn('draft'), ROLES.author)).toEqual([
      'submit',
      'publish!workflow.needs-approval',
      'comment',
      'restore',
    ]);
  });

  it('an author on approved content: Publish is for a Publisher', () => {
    expect(controls(stateIn('approved'), ROLES.author)).toEqual([
      'publish!workflow.needs-publish',
      'comment',
      'restore',
    ]);
  });

  it('a reviewer: approve or request changes, assign, but no schedule', () => {
    expect(controls(stateIn('in_review'), ROLES.reviewer)).toEqual([
      'request_changes',
      'approve',
      'publish!workflow.needs-approval',
      'assign',
      'comment',
    ]);
  });

  it('a reviewer who made the last edit sees Approve disabled with the two-person rule', () => {
    expect(controls(stateIn('in_review', 'user:2'), ROLES.reviewer)).toContain('approve!workflow.own-edit');
  });

  it('a publisher: publish and schedule approved content; a draft waits for its approval', () => {
    expect(controls(stateIn('approved'), ROLES.publisher)).toEqual([
      'publish',
      'schedule',
      'release',
      'assign',
      'comment',
    ]);
    expect(controls(stateIn('draft'), ROLES.publisher)).toEqual([
      'publish!workflow.needs-approval',
      'schedule!workflow.needs-approval',
      'release',
      'assign',
      'comment',
    ]);
    // Live content can be scheduled to come down whatever its draft is doing.
    expect(controls(stateIn('published'), ROLES.publisher, { live: true })).toEqual([
      'unpublish',
      'schedule',
      'release',
      'assign',
      'comment',
    ]);
  });

  it('a translator: works and comments, never assigns or schedules', () => {
    expect(controls(stateIn('draft'), ROLES.translator, { translation: true })).toEqual([
      'submit',
      'publish!workflow.needs-approval',
      'comment',
      'restore',
    ]);
    expect(controls(stateIn('draft'), ROLES.translatorOnSource)).toEqual(['publish!workflow.needs-approval']);
  });

  it('restoring an older version is offered to those who may edit, as the server allows it', () => {
    const restores = (who: Actor) => controls(stateIn('in_review'), who).includes('restore');
    expect(restores(ROLES.author)).toBe(true);
    expect(restores(ROLES.translator)).toBe(true);
    expect(restores(ROLES.reviewer)).toBe(false);
    expect(restores(ROLES.publisher)).toBe(false);
    expect(restores(ROLES.translatorOnSource)).toBe(false);
  });

  it('a translation nobody started offers only to fill it, to those who may write that language', () => {
    const missing = { exists: false, translation: true, version: null };
    expect(panelActions(stateIn('draft'), ROLES.translator, { ...CONTEXT, ...missing })).toEqual([
      { action: 'fill', allowed: true },
    ]);
    expect(panelActions(stateIn('draft'), ROLES.reviewer, { ...CONTEXT, ...missing })).toEqual([
      { action: 'fill', allowed: false, reason: 'workflow.needs-edit' },
    ]);
    expect(panelActions(stateIn('draft'), ROLES.translator, { ...CONTEXT, ...missing, sourceExists: false })).toEqual([
      { action: 'fill', allowed: false, reason: 'translation.no-source' },
    ]);
    expect(panelActions(stateIn('draft'), ROLES.author, { ...CONTEXT, exists: false, translation: false })).toEqual([]);
  });
});
