import { mayMutate } from '../../src/lib/access';
import { hiddenFromGraphql, readStatus, refusedArgument } from '../../src/lib/graphql';

const anonymous = { strategy: { name: 'users-permissions' }, credentials: null };
const readOnly = { strategy: { name: 'content-api-token' }, credentials: { type: 'read-only' } };
const fullAccess = { strategy: { name: 'content-api-token' }, credentials: { type: 'full-access' } };
const endUser = { strategy: { name: 'users-permissions' }, credentials: { id: 1 } as { type?: string } };

describe('mayMutate', () => {
  it('refuses callers without credentials and read-only tokens', () => {
    expect(mayMutate(undefined)).toBe(false);
    expect(mayMutate(null)).toBe(false);
    expect(mayMutate(anonymous)).toBe(false);
    expect(mayMutate(readOnly)).toBe(false);
    expect(mayMutate({ strategy: 'api-token', credentials: { type: 'read-only' } })).toBe(false);
  });

  it('leaves full-access and custom tokens and signed-in users to their permissions', () => {
    expect(mayMutate(fullAccess)).toBe(true);
    expect(mayMutate({ strategy: { name: 'content-api-token' }, credentials: { type: 'custom' } })).toBe(true);
    expect(mayMutate(endUser)).toBe(true);
  });
});

describe('readStatus', () => {
  it('turns a draft request into published for everyone who may not read drafts', () => {
    for (const auth of [undefined, anonymous, readOnly, endUser]) {
      expect(readStatus('draft', auth)).toBe('published');
      expect(readStatus('published', auth)).toBe('published');
    }
  });

  it('leaves full-access tokens’ status and absent statuses alone', () => {
    expect(readStatus('draft', fullAccess)).toBe('draft');
    expect(readStatus('published', fullAccess)).toBe('published');
    expect(readStatus(undefined, anonymous)).toBeUndefined();
    expect(readStatus(undefined, fullAccess)).toBeUndefined();
  });
});

describe('hiddenFromGraphql', () => {
  it('hides our plugins’ bookkeeping and review workflows, not content or Strapi’s user types', () => {
    expect(
      hiddenFromGraphql([
        'api::project.project',
        'plugin::editorial.audit-entry',
        'plugin::delivery.site',
        'plugin::review-workflows.workflow',
        'plugin::users-permissions.user',
        'plugin::upload.file',
        'plugin::editorialx.thing',
      ]),
    ).toEqual(['plugin::delivery.site', 'plugin::editorial.audit-entry', 'plugin::review-workflows.workflow']);
  });
});

describe('refusedArgument', () => {
  it('refuses publication filters, draft status and localizations in filters or sort to those who may not read drafts', () => {
    for (const auth of [undefined, anonymous, readOnly, endUser]) {
      expect(refusedArgument({ publicationFilter: 'modified' }, auth)?.argument).toBe('publicationFilter');
      expect(refusedArgument({ hasPublishedVersion: false }, auth)?.argument).toBe('hasPublishedVersion');
      expect(refusedArgument({ status: 'draft' }, auth)?.argument).toBe('status');
      expect(refusedArgument({ filters: { localizations: { title: { eq: 'x' } } } }, auth)?.argument).toBe(
        'filters.localizations',
      );
      expect(
        refusedArgument({ filters: { or: [{ projects: { localizations: { title: { eq: 'x' } } } }] } }, auth)?.argument,
      ).toBe('filters.or.projects.localizations');
      expect(refusedArgument({ sort: 'localizations.title:asc' }, auth)?.argument).toBe('sort.localizations');
      expect(refusedArgument({ sort: ['title', 'localizations.title'] }, auth)?.argument).toBe('sort.localizations');
      expect(refusedArgument({ filters: { title: { eq: 'x' } } }, auth, 'localizations')?.argument).toBe('filters');
      expect(refusedArgument({ sort: [], filters: {} }, auth, 'localizations')).toBeUndefined();
      // What front ends send.
      expect(
        refusedArgument(
          {
            status: 'published',
            filters: { slug: { eq: 'x' }, park: { name: { contains: 'y' } } },
            sort: ['title:asc'],
          },
          auth,
        ),
      ).toBeUndefined();
    }
  });

  it('lets a full-access token ask for drafts and filter as it likes', () => {
    expect(
      refusedArgument({ status: 'draft', publicationFilter: 'modified', sort: 'localizations.title' }, fullAccess),
    ).toBeUndefined();
  });
});
