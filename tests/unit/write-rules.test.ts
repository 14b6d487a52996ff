import { assigneeList, displayName, mayAssignSomething, shownPerson } from '../../src/lib/assignees';
import { redactChanges, redactSnapshot, redactVersion, visibleFields } from '../../src/lib/field-visibility';
import {
  actionKind,
  admitAction,
  cloneLocales,
  DOCUMENT_READS,
  DOCUMENT_WRITES,
  isStaleSave,
  localeRight,
  mayChangeAccess,
  mayTakeDownLive,
  publishRule,
  type PublishRuleInput,
} from '../../src/lib/write-rules';
import { initialState, stageAfterLiveChange, type WorkflowState } from '../../src/lib/workflow';

describe('document actions, default-deny', () => {
  it('knows the reads and the writes of the Document Service', () => {
    for (const action of DOCUMENT_READS) expect(actionKind(action)).toBe('read');
    for (const action of DOCUMENT_WRITES) expect(actionKind(action)).toBe('write');
    expect(actionKind('clone')).toBe('write');
    expect(actionKind('bulkPublish')).toBe('unknown');
    expect(actionKind('updateComponents')).toBe('unknown');
    expect(actionKind('')).toBe('unknown');
    expect(actionKind('constructor')).toBe('unknown');
  });

  it('refuses an unknown action except in the system context', () => {
    expect(admitAction('update', false)).toEqual({ ok: true });
    expect(admitAction('findMany', false)).toEqual({ ok: true });
    expect(admitAction('bulkDelete', false)).toMatchObject({ ok: false, code: 'write.unknown-action' });
    expect(admitAction('bulkDelete', true)).toEqual({ ok: true });
  });
});

describe('taking live content down', () => {
  const user = (roles: string[]) => ({ kind: 'user' as const, roles, contentApi: false });

  it('is for Publishers and Super Admins', () => {
    for (const action of ['delete', 'unpublish'] as const) {
      expect(mayTakeDownLive(action, user(['wutong-publisher'])).ok).toBe(true);
      expect(mayTakeDownLive(action, user(['strapi-super-admin'])).ok).toBe(true);
      expect(mayTakeDownLive(action, user(['wutong-author', 'wutong-reviewer']))).toMatchObject({
        ok: false,
        code: 'write.live-needs-publisher',
      });
      expect(mayTakeDownLive(action, user([])).ok).toBe(false);
      expect(mayTakeDownLive(action, { kind: 'user', contentApi: false }).ok).toBe(false);
    }
  });

  it('is never for the content API, whatever the token', () => {
    for (const kind of ['api-token', 'anonymous'] as const) {
      expect(mayTakeDownLive('delete', { kind, contentApi: true })).toMatchObject({
        ok: false,
        code: 'write.live-content-api',
      });
    }
    expect(mayTakeDownLive('unpublish', { kind: 'user', roles: ['strapi-super-admin'], contentApi: true }).ok).toBe(
      false,
    );
  });

  it('lets the system context, server code and a scheduled unpublish through', () => {
    expect(mayTakeDownLive('delete', { kind: 'system', contentApi: false }).ok).toBe(true);
    expect(mayTakeDownLive('delete', { kind: 'code', contentApi: false }).ok).toBe(true);
    expect(mayTakeDownLive('unpublish', { kind: 'scheduler', contentApi: false }).ok).toBe(true);
    expect(mayTakeDownLive('delete', { kind: 'scheduler', contentApi: false }).ok).toBe(false);
  });
});

describe('clone locales', () => {
  it('are the locale asked for, the default one, a list, or every source locale for "*"', () => {
    expect(cloneLocales('en', 'zh-Hans', ['zh-Hans', 'en'])).toEqual(['en']);
    expect(cloneLocales(undefined, 'zh-Hans', ['en'])).toEqual(['zh-Hans']);
    expect(cloneLocales(['en', 'zh-Hans'], 'zh-Hans', [])).toEqual(['en', 'zh-Hans']);
    expect(cloneLocales('*', 'zh-Hans', ['zh-Hans', 'en'])).toEqual(['zh-Hans', 'en']);
  });
});

describe('sites and tokens', () => {
  it('are changed over a request by Super Admins only', () => {
    expect(mayChangeAccess({ kind: 'user', roles: ['strapi-super-admin'] }).ok).toBe(true);
    expect(mayChangeAccess({ kind: 'user', roles: ['wutong-publisher'] })).toMatchObject({
      ok: false,
      code: 'write.access-needs-super-admin',
    });
    expect(mayChangeAccess({ kind: 'api-token' }).ok).toBe(false);
    expect(mayChangeAccess({ kind: 'anonymous' }).ok).toBe(false);
    expect(mayChangeAccess({ kind: 'system' }).ok).toBe(true);
    expect(mayChangeAccess({ kind: 'code' }).ok).toBe(true);
  });
});

describe('field visibility in history', () => {
  const fields = ['title', 'contact', 'landAreaMu', 'cover'];
  const paths = ['title', 'contact.name', 'contact.phone', 'landAreaMu', 'cover'];

  it('hides a field unless every path under it is readable', () => {
    const readable = new Set(['title', 'contact.name', 'landAreaMu', 'cover']);
    expect([...visibleFields(fields, paths, (path) => readable.has(path))]).toEqual(['title', 'landAreaMu', 'cover']);
    expect([...visibleFields(fields, paths, () => true)]).toEqual(fields);
    expect([...visibleFields(fields, paths, () => false)]).toEqual([]);
  });

  it('drops hidden fields from snapshots, diffs and summaries, and the hash when anything is hidden', () => {
    const visible = new Set(['title', 'landAreaMu']);
    const hidden = new Set(['contact']);
    expect(redactSnapshot({ title: 'a', contact: { phone: '1' }, landAreaMu: 2 }, visible)).toEqual({
      title: 'a',
      landAreaMu: 2,
    });
    expect(redactSnapshot(null, visible)).toBeNull();
    expect(
      redactChanges(
        [
          { field: 'contact', before: { phone: '1' }, after: { phone: '2' } },
          { field: 'title', before: 'a', after: 'b' },
        ],
        visible,
      ),
    ).toEqual([{ field: 'title', before: 'a', after: 'b' }]);
    const row = { id: 1, summary: 'contact and title changed', fields: ['contact', 'title'], version: 'abc' };
    expect(redactVersion(row, visible, hidden)).toEqual({ id: 1, summary: 'title changed', fields: ['title'] });
    expect(redactVersion({ ...row, fields: ['contact'], summary: 'contact changed' }, visible, hidden)).toMatchObject({
      summary: 'no content change',
      fields: [],
    });
    expect(redactVersion(row, visible, new Set())).toBe(row);
    const created = { summary: 'created 园区', fields: ['title', 'contact'], version: 'abc' };
    expect(redactVersion(created, visible, hidden)).toEqual({ summary: 'created 园区', fields: ['title'] });
    expect(redactVersion(created, new Set(['contact']), new Set(['title']))).toMatchObject({ summary: 'created' });
  });
});

describe('assignees', () => {
  it('are listed by id and display name, never by e-mail', () => {
    const people = [
      { id: 1, firstname: 'Li', lastname: 'Wei', email: 'li@example.com' },
      { id: 2, firstname: null, lastname: null, username: null, email: 'secret@example.com' },
    ];
    expect(assigneeList(people)).toEqual([
      { id: 1, name: 'Li Wei' },
      { id: 2, name: '#2' },
    ]);
    expect(JSON.stringify(assigneeList(people))).not.toContain('@');
    expect(displayName({ id: 3, username: 'wang' })).toBe('wang');
    expect(shownPerson({ id: 1, firstname: 'Li', lastname: 'Wei', email: 'li@example.com' } as never)).toEqual({
      id: 1,
      firstname: 'Li',
      lastname: 'Wei',
    });
    expect(shownPerson(null)).toBeNull();
  });

  it('only for someone who may review or publish something (Authors and Translators are handed work)', () => {
    const none = { edit: false, review: false, publish: false };
    expect(mayAssignSomething([none, none])).toBe(false);
    expect(mayAssignSomething([none, { ...none, edit: true }])).toBe(false);
    expect(mayAssignSomething([none, { ...none, review: true }])).toBe(true);
    expect(mayAssignSomething([{ ...none, publish: true }])).toBe(true);
    expect(mayAssignSomething([])).toBe(false);
  });
});

describe('stale saves', () => {
  it('are saves based on another version than the current one', () => {
    expect(isStaleSave('v1', 'v2')).toBe(true);
    expect(isStaleSave('v2', 'v2')).toBe(false);
    expect(isStaleSave(undefined, 'v2')).toBe(false); // nothing known about the base: not refused
  });
});

describe('locale rights', () => {
  it('refuse a language the writer may not edit', () => {
    expect(localeRight({ locale: 'zh-Hans', canEdit: false, sharedChanged: [] })).toMatchObject({
      ok: false,
      code: 'write.locale',
      reason: 'You may not edit the zh-Hans version of this content',
    });
    expect(localeRight({ locale: 'en', canEdit: true, sharedChanged: [] }).ok).toBe(true);
  });

  it('refuse shared fields unless the writer may edit every language', () => {
    expect(
      localeRight({ locale: 'en', canEdit: true, sharedChanged: ['landAreaMu'], otherLocked: 'zh-Hans' }),
    ).toMatchObject({
      ok: false,
      code: 'write.shared-fields',
      reason: expect.stringMatching(/^landAreaMu is the same in every language/),
    });
    expect(
      localeRight({ locale: 'en', canEdit: true, sharedChanged: ['a', 'b'], otherLocked: 'zh-Hans' }),
    ).toMatchObject({ reason: expect.stringMatching(/^a, b are the same/) });
    expect(localeRight({ locale: 'en', canEdit: true, sharedChanged: ['landAreaMu'] }).ok).toBe(true);
  });
});

describe('the publish rule', () => {
  const approved: WorkflowState = {
    ...initialState('user:1'),
    stage: 'approved',
    approvedBy: 'user:2',
    approvedVersion: 'v1',
  };
  const input = (over: Partial<PublishRuleInput>): PublishRuleInput => ({
    action: 'publish',
    locale: 'zh-Hans',
    publishing: true,
    state: approved,
    actor: {
      kind: 'user',
      key: 'user:3',
      can: { edit: false, review: false, publish: true },
      roles: ['wutong-publisher'],
    },
    version: 'v1',
    live: false,
    contentApi: false,
    ...over,
  });

  it('publishes only the approved version', () => {
    expect(publishRule(input({})).ok).toBe(true);
    expect(publishRule(input({ version: 'v2' }))).toMatchObject({
      ok: false,
      code: 'workflow.changed-since-approval',
      params: { locale: 'zh-Hans' },
    });
    expect(publishRule(input({ state: initialState('user:1') }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/\(zh-Hans\)$/),
    });
  });

  it('never publishes in the same step as a save', () => {
    expect(publishRule(input({ action: 'update' }))).toMatchObject({ ok: false, code: 'workflow.publish-in-one-step' });
    expect(publishRule(input({ action: 'update', publishing: false })).ok).toBe(true);
  });

  it('takes live content down only by a Publisher or Super Admin, drafts by anyone', () => {
    const author = {
      kind: 'user' as const,
      key: 'user:1',
      can: { edit: true, review: false, publish: false },
      roles: ['wutong-author'],
    };
    expect(publishRule(input({ action: 'delete', publishing: false, actor: author, live: true }))).toMatchObject({
      ok: false,
      code: 'write.live-needs-publisher',
    });
    expect(publishRule(input({ action: 'delete', publishing: false, actor: author, live: false })).ok).toBe(true);
    expect(publishRule(input({ action: 'unpublish', publishing: false, live: true })).ok).toBe(true);
    expect(publishRule(input({ action: 'unpublish', publishing: false, live: false }))).toMatchObject({
      code: 'workflow.not-live',
    });
    expect(
      publishRule(
        input({
          action: 'unpublish',
          publishing: false,
          live: true,
          actor: { ...author, can: { ...author.can, publish: true } },
        }),
      ),
    ).toMatchObject({ code: 'write.live-needs-publisher' });
  });

  it('lets the system context do anything', () => {
    const system = { kind: 'system' as const, key: 'system', can: { edit: true, review: true, publish: true } };
    expect(publishRule(input({ actor: system, action: 'update', state: initialState() })).ok).toBe(true);
    expect(publishRule(input({ actor: system, action: 'delete', publishing: false, live: true })).ok).toBe(true);
  });
});

describe('stage after a change to the live version', () => {
  it("is published after publishing or discarding the draft; unpublishing keeps a reworked draft's stage", () => {
    expect(stageAfterLiveChange('publish', 'approved')).toBe('published');
    expect(stageAfterLiveChange('discardDraft', 'in_review')).toBe('published');
    expect(stageAfterLiveChange('unpublish', 'published')).toBe('unpublished');
    expect(stageAfterLiveChange('unpublish', 'in_review')).toBe('in_review');
  });
});
