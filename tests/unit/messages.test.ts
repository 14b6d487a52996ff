import {
  describe as describeText,
  describeAudit,
  describeVersion,
  joinList,
  renderMessage,
  translateError,
} from '../../src/lib/messages';
import en from '../../src/plugins/editorial/admin/src/translations/en.json';
import zh from '../../src/plugins/editorial/admin/src/translations/zh-Hans.json';

const LABELS: Record<string, Record<string, string>> = {
  'zh-Hans': { landAreaMu: '占地面积（亩）', publicationDate: '发布日期', cover: '封面' },
  en: { landAreaMu: 'Land area (mu)', publicationDate: 'Publication date', cover: 'Cover' },
};
const context = (language: 'zh-Hans' | 'en') => ({
  language,
  template: (key: string) => (language === 'en' ? en : zh)[key as keyof typeof en] as string | undefined,
  label: (field: string) => LABELS[language][field],
});

describe('renderMessage', () => {
  it('says a range error in Chinese with the field label and the limit', () => {
    const coded = { code: 'validation.min', params: { field: 'landAreaMu', min: 0 } };
    expect(renderMessage(coded, context('zh-Hans'))).toBe('占地面积（亩）不能小于 0');
    expect(renderMessage(coded, context('en'))).toBe('Land area (mu) must be at least 0');
  });

  it('falls back to the field name without a label, and names someone when nobody is known', () => {
    const plain = { ...context('zh-Hans'), label: () => undefined };
    expect(renderMessage({ code: 'validation.unknown-field', params: { field: 'colour' } }, plain)).toContain('colour');
    const conflict = renderMessage(
      { code: 'conflict.stale', params: { who: null, fields: ['cover'], when: null, locale: 'zh-Hans' } },
      context('zh-Hans'),
    );
    expect(conflict).toContain('有人');
    expect(conflict).toContain('封面');
  });

  it('has a template in both languages for every code the server sends', () => {
    const codes = Object.keys(en).filter((key) => key.startsWith('msg.'));
    expect(codes.length).toBeGreaterThan(30);
    for (const code of codes) expect(zh).toHaveProperty([code]);
  });

  it('is undefined for a code no template knows', () => {
    expect(renderMessage({ code: 'no.such-code' }, context('en'))).toBeUndefined();
  });
});

describe('translateError', () => {
  it('rewrites the message and each issue from their codes, keeping the rest', () => {
    const error = {
      status: 400,
      name: 'ValidationError',
      message: 'landAreaMu must be greater than or equal to 0',
      details: {
        code: 'validation.min',
        params: { field: 'landAreaMu', min: 0 },
        errors: [
          {
            path: ['landAreaMu'],
            message: 'landAreaMu must be greater than or equal to 0',
            code: 'validation.min',
            params: { field: 'landAreaMu', min: 0 },
          },
        ],
      },
    };
    const translated = translateError(error, context('zh-Hans'));
    expect(translated.message).toBe('占地面积（亩）不能小于 0');
    expect(translated.details.errors[0]).toMatchObject({ path: ['landAreaMu'], message: '占地面积（亩）不能小于 0' });
    expect(translated.status).toBe(400);
  });

  it('leaves an error without a code alone', () => {
    const error = { status: 404, message: 'Not Found', details: {} };
    expect(translateError(error, context('zh-Hans'))).toBe(error);
  });

  it("says Strapi's bare permission refusal (403 Forbidden) as the role's limit", () => {
    const error = { status: 403, name: 'ForbiddenError', message: 'Forbidden', details: {} };
    expect(translateError(error, context('zh-Hans'))).toMatchObject({
      status: 403,
      message: '您的角色无权执行此操作',
      details: { code: 'policy.permission' },
    });
    expect(translateError(error, context('en')).message).toBe('Your role does not allow this');
  });
});

describe('summaries from structured data', () => {
  it('names the changed fields by label, in the interface language', () => {
    const row = {
      summary: 'publicationDate, cover and relatedProjects changed',
      fields: ['publicationDate', 'cover', 'relatedProjects'],
    };
    expect(describeText(describeVersion(row), row.summary, context('zh-Hans'))).toBe(
      '修改了发布日期、封面和relatedProjects',
    );
    expect(describeText(describeVersion(row), row.summary, context('en'))).toBe(
      'Changed Publication date, Cover and relatedProjects',
    );
  });

  it('shortens long lists with a count', () => {
    const fields = ['a', 'b', 'c', 'd', 'e', 'f'];
    expect(describeText(describeVersion({ summary: '', fields }), '', context('en'))).toBe(
      'Changed a, b, c, d and 2 more',
    );
  });

  it('reads old entries: "created <title>", and falls back to the stored text', () => {
    expect(describeVersion({ summary: 'created 凤凰谷', fields: ['title'] })).toEqual({
      code: 'summary.created',
      params: { title: '凤凰谷' },
    });
    expect(
      describeText(
        describeAudit({ action: 'site-change', summary: 'site "x" created' }),
        'site "x" created',
        context('zh-Hans'),
      ),
    ).toBe('site "x" created');
  });

  it('describes stage changes with stage names', () => {
    const entry = {
      action: 'stage-change',
      summary: 'request changes: in_review → changes_requested (fix the area)',
      details: { transition: 'request_changes', from: 'in_review', to: 'changes_requested', reason: 'fix the area' },
    };
    expect(describeText(describeAudit(entry), entry.summary, context('zh-Hans'))).toBe(
      '要求修改：待审核 → 需修改（fix the area）',
    );
  });

  it('joins lists the way each language does', () => {
    expect(joinList(['a', 'b', 'c'], 'en')).toBe('a, b and c');
    expect(joinList(['甲', '乙', '丙'], 'zh-Hans')).toBe('甲、乙和丙');
  });
});
