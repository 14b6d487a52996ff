import { DEFAULT_ROLE_NAMES, defaultRoleFate } from '../../src/lib/default-roles';

describe("Strapi's default roles beside ours", () => {
  it('drops them on a fresh install while nobody holds them', () => {
    expect(defaultRoleFate({ code: 'strapi-author', name: 'Author', users: 0 }, true)).toBe('delete');
    expect(defaultRoleFate({ code: 'strapi-editor', name: 'Editor', users: 0 }, true)).toBe('delete');
  });

  it('keeps them, renamed, where someone holds them or the install is not fresh', () => {
    expect(defaultRoleFate({ code: 'strapi-author', name: 'Author', users: 2 }, true)).toBe('rename');
    expect(defaultRoleFate({ code: 'strapi-editor', name: 'Editor', users: 0 }, false)).toBe('rename');
    expect(DEFAULT_ROLE_NAMES['strapi-author'].to).not.toMatch(/^Author\b/);
  });

  it("leaves an administrator's own name and every other role alone", () => {
    expect(defaultRoleFate({ code: 'strapi-author', name: 'Press office', users: 0 }, false)).toBe('keep');
    expect(defaultRoleFate({ code: 'wutong-author', name: 'Author 撰稿人', users: 0 }, true)).toBe('keep');
    expect(defaultRoleFate({ code: 'strapi-super-admin', name: 'Super Admin', users: 0 }, true)).toBe('keep');
  });
});
