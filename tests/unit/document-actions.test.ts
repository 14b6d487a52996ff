import {
  actionShown,
  explainDisabledOptions,
  hasWorkflowPanel,
  headerActionShown,
} from '../../src/lib/document-actions';

const author = { canCreate: true, canUpdate: true, canPublish: false };
const reviewer = { canCreate: false, canUpdate: false, canPublish: false };
const publisher = { canCreate: false, canUpdate: false, canPublish: true };
const superAdmin = { canCreate: true, canUpdate: true, canPublish: true };
const enabled = { disabled: false };
const disabled = { disabled: true };

describe('Save', () => {
  it('is shown, even disabled until the form changes, to whoever may write this language', () => {
    expect(actionShown('update', disabled, author)).toBe(true);
    expect(actionShown('update', enabled, { canCreate: true })).toBe(true); // a new translation
  });
  it('is hidden from reviewers, publishers and translators of another language', () => {
    expect(actionShown('update', disabled, reviewer)).toBe(false);
    expect(actionShown('update', disabled, publisher)).toBe(false);
  });
});

describe("Strapi's Publish, where our workflow panel is (every api:: type)", () => {
  const project = 'api::project.project';
  it('is hidden from everyone, enabled or not: the panel offers the one Publish, with its reason', () => {
    expect(hasWorkflowPanel(project)).toBe(true);
    for (const rights of [author, publisher, superAdmin])
      for (const description of [enabled, disabled])
        expect(actionShown('publish', description, rights, project)).toBe(false);
  });
  it('leaves Save and the other actions as they were', () => {
    expect(actionShown('update', disabled, author, project)).toBe(true);
    expect(actionShown('unpublish', enabled, publisher, project)).toBe(true);
  });
});

describe("Strapi's Publish, on content types without the panel (plugins' own)", () => {
  it('is hidden from whoever may not publish', () => {
    expect(actionShown('publish', disabled, author)).toBe(false);
    expect(actionShown('publish', enabled, author)).toBe(false);
  });
  it('is shown to a publisher when there is something to publish, not greyed out when not', () => {
    expect(hasWorkflowPanel('plugin::users-permissions.user')).toBe(false);
    expect(actionShown('publish', enabled, publisher, 'plugin::users-permissions.user')).toBe(true);
    expect(actionShown('publish', disabled, publisher)).toBe(false);
  });
  it('stays beside Save for whoever may write and publish (disabled until the form changes)', () => {
    expect(actionShown('publish', disabled, superAdmin)).toBe(true);
  });
});

describe('every other action (Unpublish, Discard, Delete, Clone, i18n bulk locale actions)', () => {
  it.each([['unpublish'], ['discard'], ['delete'], ['clone'], [undefined]])('%s: shown only when usable', (type) => {
    expect(actionShown(type, enabled, reviewer)).toBe(true);
    expect(actionShown(type, disabled, superAdmin)).toBe(false);
  });
  it('an action with nothing to show (null) stays hidden', () => {
    expect(actionShown(undefined, null, superAdmin)).toBe(false);
  });
});

describe("the edit view's header icons (i18n's Fill in from another locale)", () => {
  const fill = { type: 'icon', disabled: false };
  it('are shown to whoever may write this language, when usable', () => {
    expect(headerActionShown(fill, author)).toBe(true);
  });
  it('are hidden while disabled (no other language version yet), even from whoever may write', () => {
    expect(headerActionShown({ ...fill, disabled: true }, author)).toBe(false);
  });
  it('are hidden from reviewers and publishers, for whom the form is read-only', () => {
    expect(headerActionShown(fill, reviewer)).toBe(false);
    expect(headerActionShown(fill, publisher)).toBe(false);
  });
  it('leave the language picker and statuses alone, and hide what has nothing to show', () => {
    expect(headerActionShown({ type: undefined }, reviewer)).toBe(true);
    expect(headerActionShown(null, superAdmin)).toBe(false);
  });
});

describe("i18n's language picker", () => {
  const explain = (option: { value: string; disabled?: boolean; label?: string }) => ({ ...option, label: 'why' });
  it('gives each greyed-out language a reason, and leaves the usable ones alone', () => {
    expect(
      explainDisabledOptions(
        [
          { value: 'zh-Hans', disabled: true, label: 'Create 简体中文' },
          { value: 'en', disabled: false, label: 'English' },
        ],
        explain,
      ),
    ).toEqual([
      { value: 'zh-Hans', disabled: true, label: 'why' },
      { value: 'en', disabled: false, label: 'English' },
    ]);
  });
  it('leaves options i18n renders itself (AI translation on) alone', () => {
    const own = { value: 'en', disabled: true, _render: () => null };
    expect(explainDisabledOptions([own], explain)).toEqual([own]);
  });
});
