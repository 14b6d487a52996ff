import { AUDIT_SEARCH_MAX_LENGTH, containsPattern, parseSearchTerm, searchText } from '../../src/lib/audit-search';

describe('audit search text', () => {
  it('keeps distinct non-empty parts, folded, one per line', () => {
    expect(searchText(['Published 苏州', 'published 苏州', '', null, undefined, 'publish', 'ＡＢＣ'])).toBe(
      'published 苏州\npublish\nabc',
    );
  });

  it('takes a term trimmed and folded, refuses one too long or not text', () => {
    expect(parseSearchTerm('  发布 News ')).toEqual({ ok: true, term: '发布 news' });
    expect(parseSearchTerm(undefined)).toEqual({ ok: true, term: '' });
    expect(parseSearchTerm(['a'])).toEqual({ ok: false, reason: 'not-text' });
    // Characters, not UTF-16 units: 100 CJK extension characters are 200 units but allowed.
    expect(parseSearchTerm('𠀀'.repeat(AUDIT_SEARCH_MAX_LENGTH))).toMatchObject({ ok: true });
    expect(parseSearchTerm('x'.repeat(AUDIT_SEARCH_MAX_LENGTH + 1))).toEqual({ ok: false, reason: 'too-long' });
  });

  it('escapes LIKE wildcards and the escape character', () => {
    expect(containsPattern('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
    expect(containsPattern('发布')).toBe('%发布%');
  });
});
