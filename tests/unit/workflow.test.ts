import {
  afterEdit,
  availableTransitions,
  decide,
  initialState,
  STAGES,
  TRANSITIONS,
  type Actor,
  type Stage,
  type Transition,
  type WorkflowState,
} from '../../src/lib/workflow';

const actor = (key: string, can: Partial<Actor['can']>): Actor => ({
  kind: 'user',
  key,
  can: { edit: false, review: false, publish: false, ...can },
});

const ROLES = {
  author: actor('user:1', { edit: true }),
  reviewer: actor('user:2', { review: true }),
  publisher: actor('user:3', { publish: true }),
  superAdmin: actor('user:4', { edit: true, review: true, publish: true }),
  nobody: actor('user:5', {}),
};

// Every allowed (role, transition, stage) triple, written out by hand; everything else is refused.
// The last editor is someone else ("user:9") and the approved version is current.
const ALLOWED: [keyof typeof ROLES, Transition, Stage][] = [
  ['author', 'submit', 'draft'],
  ['author', 'submit', 'changes_requested'],
  ['author', 'submit', 'unpublished'],
  ['author', 'withdraw', 'in_review'],
  ['reviewer', 'approve', 'in_review'],
  ['reviewer', 'request_changes', 'in_review'],
  ['reviewer', 'request_changes', 'approved'],
  ['publisher', 'publish', 'approved'],
  ['publisher', 'unpublish', 'published'],
  ['superAdmin', 'submit', 'draft'],
  ['superAdmin', 'submit', 'changes_requested'],
  ['superAdmin', 'submit', 'unpublished'],
  ['superAdmin', 'withdraw', 'in_review'],
  ['superAdmin', 'approve', 'in_review'],
  ['superAdmin', 'request_changes', 'in_review'],
  ['superAdmin', 'request_changes', 'approved'],
  ['superAdmin', 'publish', 'approved'],
  ['superAdmin', 'unpublish', 'published'],
];

const stateIn = (stage: Stage): WorkflowState => ({
  stage,
  lastEditor: 'user:9',
  approvedBy: stage === 'approved' || stage === 'published' ? 'user:8' : null,
  approvedVersion: stage === 'approved' || stage === 'published' ? 'v1' : null,
});

describe('the role × transition × stage matrix', () => {
  const cases = (Object.keys(ROLES) as (keyof typeof ROLES)[]).flatMap((role) =>
    TRANSITIONS.flatMap((transition) => STAGES.map((stage) => [role, transition, stage] as const)),
  );

  it.each(cases)('%s: %s from %s', (role, transition, stage) => {
    const expected = ALLOWED.some(([r, t, s]) => r === role && t === transition && s === stage);
    const live = stage === 'published';
    const decision = decide(transition, stateIn(stage), ROLES[role], { version: 'v1', reason: 'fix the area', live });
    expect(decision.ok).toBe(expected);
    if (!decision.ok) expect(decision.status).toBe(403);
  });
});

describe('two-person rule', () => {
  it('refuses an approval by the last editor, even a super admin', () => {
    const state = { ...stateIn('in_review'), lastEditor: 'user:4' };
    const decision = decide('approve', state, ROLES.superAdmin, { version: 'v1' });
    expect(decision).toEqual({
      ok: false,
      status: 403,
      reason: 'You made the last edit: someone else must approve it',
      code: 'workflow.own-edit',
    });
  });

  it('records who approved which version', () => {
    const decision = decide('approve', stateIn('in_review'), ROLES.reviewer, { version: 'v7' });
    expect(decision).toEqual({
      ok: true,
      next: { stage: 'approved', lastEditor: 'user:9', approvedBy: 'user:2', approvedVersion: 'v7', reason: null },
    });
  });

  it('refuses to publish a version other than the approved one', () => {
    const decision = decide('publish', stateIn('approved'), ROLES.publisher, { version: 'v2' });
    expect(decision).toMatchObject({
      ok: false,
      status: 403,
      reason: expect.stringContaining('changed after it was approved'),
    });
  });

  it('refuses to publish when the approver is the last editor (an edit after approval by the approver)', () => {
    const state = { ...stateIn('approved'), lastEditor: 'user:8' };
    expect(decide('publish', state, ROLES.publisher, { version: 'v1' }).ok).toBe(false);
  });

  it('refuses to publish unapproved content with a clear reason', () => {
    expect(decide('publish', stateIn('draft'), ROLES.publisher, { version: 'v1' })).toEqual({
      ok: false,
      status: 403,
      reason: 'Only approved content can be published: this version is "draft"',
      code: 'workflow.needs-approval',
    });
  });

  it('lets the author publish someone else’s approval of their own edit', () => {
    const author = actor('user:9', { edit: true, publish: true });
    expect(decide('publish', stateIn('approved'), author, { version: 'v1' }).ok).toBe(true);
  });
});

describe('edits', () => {
  it('send approved content back to draft and void the approval', () => {
    expect(afterEdit(stateIn('approved'), 'user:1')).toEqual({
      stage: 'draft',
      lastEditor: 'user:1',
      approvedBy: null,
      approvedVersion: null,
    });
  });

  it('start a new document as a draft', () => {
    expect(initialState()).toEqual({
      stage: 'draft',
      lastEditor: null,
      approvedBy: null,
      approvedVersion: null,
      reason: null,
    });
  });
});

describe('unpublish', () => {
  it('takes down the live version of content whose draft is being reworked, keeping the draft’s stage', () => {
    expect(decide('unpublish', stateIn('in_review'), ROLES.publisher, { live: true })).toMatchObject({
      ok: true,
      next: { stage: 'in_review' },
    });
    expect(decide('unpublish', stateIn('published'), ROLES.publisher, { live: true })).toMatchObject({
      ok: true,
      next: { stage: 'unpublished' },
    });
  });

  it('needs something published', () => {
    expect(decide('unpublish', stateIn('unpublished'), ROLES.publisher, { live: false })).toEqual({
      ok: false,
      status: 403,
      reason: 'Nothing is published in this language',
      code: 'workflow.not-live',
    });
  });
});

describe('request changes', () => {
  it('needs a reason and keeps it', () => {
    expect(decide('request_changes', stateIn('in_review'), ROLES.reviewer, { reason: '  ' })).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(decide('request_changes', stateIn('in_review'), ROLES.reviewer, { reason: '面积写错了' })).toMatchObject({
      ok: true,
      next: { stage: 'changes_requested', reason: '面积写错了' },
    });
  });
});

describe('the system actor', () => {
  it('may publish anything (the seed), and nothing else may', () => {
    const system: Actor = { kind: 'system', key: 'system', can: { edit: false, review: false, publish: false } };
    expect(decide('publish', stateIn('approved'), system, {}).ok).toBe(true);
    expect(decide('publish', stateIn('draft'), system, {}).ok).toBe(false); // stages still apply
    const code: Actor = { kind: 'code', key: 'code', can: { edit: true, review: true, publish: true } };
    expect(decide('publish', { ...stateIn('approved'), approvedBy: null }, code, { version: 'v1' }).ok).toBe(false);
  });
});

describe('availableTransitions', () => {
  it('offers a reviewer approve and request changes on content in review, nothing on their own edit but request changes', () => {
    expect(availableTransitions(stateIn('in_review'), ROLES.reviewer, 'v1', false)).toEqual([
      'request_changes',
      'approve',
    ]);
    const own = { ...stateIn('in_review'), lastEditor: 'user:2' };
    expect(availableTransitions(own, ROLES.reviewer, 'v1', false)).toEqual(['request_changes']);
  });

  it('offers publish only for the approved version', () => {
    expect(availableTransitions(stateIn('approved'), ROLES.publisher, 'v1', false)).toEqual(['publish']);
    expect(availableTransitions(stateIn('approved'), ROLES.publisher, 'v2', false)).toEqual([]);
    expect(availableTransitions(stateIn('approved'), ROLES.publisher, 'v2', true)).toEqual(['unpublish']);
  });
});
