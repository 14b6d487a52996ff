import { mayReadDrafts, publicActions } from '../../src/lib/access';

describe('mayReadDrafts', () => {
  it('allows only full-access API tokens', () => {
    expect(mayReadDrafts({ strategy: { name: 'content-api-token' }, credentials: { type: 'full-access' } })).toBe(true);
    expect(mayReadDrafts({ strategy: 'api-token', credentials: { type: 'full-access' } })).toBe(true);
  });

  it('refuses the public, read-only and custom tokens, and end users', () => {
    expect(mayReadDrafts(undefined)).toBe(false);
    expect(mayReadDrafts({ strategy: { name: 'users-permissions' }, credentials: null })).toBe(false);
    expect(mayReadDrafts({ strategy: { name: 'content-api-token' }, credentials: { type: 'read-only' } })).toBe(false);
    expect(mayReadDrafts({ strategy: { name: 'content-api-token' }, credentials: { type: 'custom' } })).toBe(false);
    // A user whose profile happens to have a "type" field is still an end user.
    expect(mayReadDrafts({ strategy: { name: 'users-permissions' }, credentials: { type: 'full-access' } })).toBe(
      false,
    );
  });
});

describe('publicActions', () => {
  it('grants find/findOne on our published collection types, find on single types, nothing on internal types or plugins', () => {
    expect(
      publicActions([
        { uid: 'api::project.project', kind: 'collectionType', draftAndPublish: true },
        { uid: 'api::district-profile.district-profile', kind: 'singleType', draftAndPublish: true },
        { uid: 'api::glossary.glossary-term', kind: 'collectionType', draftAndPublish: false },
        { uid: 'plugin::upload.file', kind: 'collectionType', draftAndPublish: false },
        { uid: 'plugin::users-permissions.user', kind: 'collectionType' },
      ]),
    ).toEqual([
      'api::district-profile.district-profile.find',
      'api::project.project.find',
      'api::project.project.findOne',
    ]);
  });
});
