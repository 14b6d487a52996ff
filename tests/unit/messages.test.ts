import {
  describe as describeText,
  describeAudit,
  describeVersion,
  codeOf,
  joinList,
  languageFor,
  nameActor,
  renderMessage,
  tableContext,
  translateError,
} from '../../src/lib/messages';
import { TRANSITIONS } from '../../src/lib/workflow';
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
        describeAudit({ action: 'site-change', summary: 'site "x" bent' }),
        'site "x" bent',
        context('zh-Hans'),
      ),
    ).toBe('site "x" bent');
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

  it("says why a scheduled publish failed from the refusal's code, the stored text for older entries", () => {
    const entry = {
      action: 'schedule-failed',
      summary: 'scheduled publish failed: Only approved content can be published: this version is "draft"',
      details: { action: 'publish', reasonCode: 'workflow.not-approved', reasonParams: { stage: 'draft' } },
    };
    expect(describeText(describeAudit(entry), entry.summary, context('zh-Hans'))).toBe(
      '定时发布失败：只有已批准的内容才能发布：当前版本为“草稿”',
    );
    expect(describeText(describeAudit(entry), entry.summary, context('en'))).toBe(
      'Scheduled Publish failed: Only approved content can be published: this version is "Draft"',
    );
    const older = { ...entry, details: { action: 'publish', reason: 'boom' } };
    expect(describeText(describeAudit(older), older.summary, context('zh-Hans'))).toBe('定时发布失败：boom');
  });

  it('joins lists the way each language does', () => {
    expect(joinList(['a', 'b', 'c'], 'en')).toBe('a, b and c');
    expect(joinList(['甲', '乙', '丙'], 'zh-Hans')).toBe('甲、乙和丙');
  });
});

describe('describeAudit: settings, sites, tokens, media, releases', () => {
  const zhOf = (entry: { action: string; summary: string; details?: Record<string, unknown> }) =>
    describeText(describeAudit(entry), entry.summary, context('zh-Hans'));
  const enOf = (entry: { action: string; summary: string; details?: Record<string, unknown> }) =>
    describeText(describeAudit(entry), entry.summary, context('en'));

  it('says site changes with the Sites page’s field names (a preview URL set), from details or old text', () => {
    const preview = {
      action: 'site-change',
      summary: 'site "portal" updated',
      details: { action: 'update', site: 'portal', fields: ['previewUrl', 'webhookUrl'] },
    };
    expect(zhOf(preview)).toBe('修改了网站“portal”：预览地址格式和Webhook 地址');
    expect(enOf(preview)).toBe('Site “portal” changed: Preview URL pattern and Webhook URL');
    // An old row: only its text.
    expect(zhOf({ action: 'site-change', summary: 'site "portal" deleted' })).toBe('删除了网站“portal”');
  });

  it('says token changes, a site’s own token by its site', () => {
    const token = {
      action: 'token-change',
      summary: 'API token "看板" regenerated',
      details: { action: 'regenerate', token: '看板', kind: 'API token' },
    };
    expect(zhOf(token)).toBe('为API 令牌“看板”生成了新密钥');
    expect(enOf(token)).toBe('API token “看板” given a new key');
    expect(zhOf({ action: 'token-change', summary: 'API token "site: portal" created' })).toBe(
      '创建了API 令牌“网站 portal 专用”',
    );
    expect(zhOf({ action: 'token-change', summary: 'admin token "ops" revoked' })).toBe('吊销了管理令牌“ops”');
  });

  it('says role, user, permission and language changes', () => {
    expect(zhOf({ action: 'role-change', summary: 'role "审核员" updated' })).toBe('修改了角色“审核员”');
    expect(zhOf({ action: 'user-change', summary: 'admin user li@example.org created (roles: 编辑)' })).toBe(
      '创建了管理员 li@example.org',
    );
    expect(zhOf({ action: 'permission-change', summary: '3 permission(s) deleted: a, b, c' })).toBe('移除了 3 项权限');
    expect(
      zhOf({
        action: 'permission-change',
        summary: 'API permissions of the users & permissions roles changed',
        details: { scope: 'content-api' },
      }),
    ).toBe('修改了公开 API 的权限');
    expect(zhOf({ action: 'locale-add', summary: 'language French (fr) added', details: { locale: 'fr' } })).toBe(
      '添加了语言 fr',
    );
  });

  it('says media, assignment, schedule and release events', () => {
    expect(
      zhOf({
        action: 'media-replace',
        summary: 'media cover.jpg replaced, shown by 2 published document(s)',
        details: { usedBy: [1, 2] },
      }),
    ).toBe('替换了媒体文件 cover.jpg（2 个已发布页面使用）');
    expect(zhOf({ action: 'assign', summary: 'assigned to 王芳, due 2026-12-31' })).toBe(
      '指派给 王芳，截止 2026-12-31',
    );
    expect(zhOf({ action: 'assign', summary: 'unassigned' })).toBe('取消了指派');
    expect(
      zhOf({
        action: 'release-change',
        summary: 'added to release #4 (publish)',
        details: { releaseId: 4, action: 'publish' },
      }),
    ).toBe('加入发布批次 #4（发布）');
    expect(zhOf({ action: 'release-change', summary: 'release #4 "春季" created', details: { releaseId: 4 } })).toBe(
      '创建了发布批次 #4“春季”',
    );
    expect(
      zhOf({
        action: 'release-publish',
        summary: 'release #4 published (3 entries)',
        details: { releaseId: 4, entries: 3 },
      }),
    ).toBe('发布批次 #4 已发布（3 个条目）');
  });

  it('has a Chinese text for every site field and token kind it names', () => {
    const keys = Object.keys(en).filter((key) => /^(siteField|tokenKind|tokenName)\./.test(key));
    expect(keys.length).toBeGreaterThan(10);
    for (const key of keys) expect(zh).toHaveProperty([key]);
  });
});

describe('languageFor', () => {
  const ours = ['en', 'zh-Hans'];
  it("takes the person's interface language, Chinese when unset, English when we have no table for it", () => {
    expect(languageFor('en', ours, 'zh-Hans')).toBe('en');
    expect(languageFor('zh-Hans', ours, 'zh-Hans')).toBe('zh-Hans');
    expect(languageFor('ZH-hans', ours, 'zh-Hans')).toBe('zh-Hans');
    expect(languageFor('zh', ours, 'zh-Hans')).toBe('zh-Hans');
    expect(languageFor(null, ours, 'zh-Hans')).toBe('zh-Hans');
    expect(languageFor('', ours, 'zh-Hans')).toBe('zh-Hans');
    expect(languageFor('fr', ours, 'zh-Hans')).toBe('en');
  });
});

describe('codeOf', () => {
  it("reads a refusal's code and params, and nothing from an error without one", () => {
    const refusal = Object.assign(new Error('Only approved content can be published'), {
      details: { code: 'workflow.not-approved', params: { stage: 'draft' } },
    });
    expect(codeOf(refusal)).toEqual({ code: 'workflow.not-approved', params: { stage: 'draft' } });
    expect(codeOf({ details: { code: 'workflow.refused' } })).toEqual({ code: 'workflow.refused', params: {} });
    expect(codeOf(new Error('boom'))).toBeUndefined();
    expect(codeOf(null)).toBeUndefined();
  });
});

describe('tableContext', () => {
  it('renders from the table of its language, English where that table lacks a key', () => {
    const tables = {
      en: { 'msg.a': 'A {stage}', 'stage.draft': 'Draft', 'msg.b': 'B' },
      'zh-Hans': { 'msg.a': '甲{stage}', 'stage.draft': '草稿' },
    };
    expect(renderMessage({ code: 'a', params: { stage: 'draft' } }, tableContext('zh-Hans', tables))).toBe('甲草稿');
    expect(renderMessage({ code: 'a', params: { stage: 'draft' } }, tableContext('en', tables))).toBe('A Draft');
    expect(renderMessage({ code: 'b' }, tableContext('zh-Hans', tables))).toBe('B');
  });

  it('has the e-mail templates in both languages', () => {
    const chinese = tableContext('zh-Hans', { en, 'zh-Hans': zh });
    expect(renderMessage({ code: 'mail.stage', params: { who: '林', from: 'draft', to: 'in_review' } }, chinese)).toBe(
      '林将状态从“草稿”改为“待审核”。',
    );
    const english = tableContext('en', { en, 'zh-Hans': zh });
    expect(renderMessage({ code: 'mail.stage', params: { who: 'Lin', from: 'draft', to: 'in_review' } }, english)).toBe(
      'Lin moved it from Draft to In review.',
    );
  });
});

describe('nameActor', () => {
  const say =
    (table: Record<string, string>) =>
    (key: string, fallback: string, params: Record<string, string | number> = {}) =>
      (table[key] ?? fallback).replace(/\{(\w+)\}/g, (_match, name: string) => String(params[name] ?? ''));
  it("says the system's own actors in the reader's language, people by their names", () => {
    expect(nameActor('schedule #4', say(zh))).toBe('定时任务 #4');
    expect(nameActor('schedule #4 (set by Zhou Test)', say(zh))).toBe('定时任务 #4（Zhou Test 设定）');
    expect(nameActor('system (seed)', say(zh))).toBe('系统（演示内容）');
    expect(nameActor('system (language fr added)', say(zh))).toBe('系统（新增语言 fr）');
    expect(nameActor('schedule #4 (set by Zhou Test)', say(en))).toBe('schedule #4 (set by Zhou Test)');
    expect(nameActor('林 晓', say(zh))).toBe('林 晓');
  });
});

describe('stage changes', () => {
  it('name every transition the server records (an edit and a discarded draft included) in both languages', () => {
    // guard.ts records a stage change made by saving ('edit') or by discarding a draft.
    for (const transition of ['edit', 'discard_draft', ...TRANSITIONS]) {
      expect(en).toHaveProperty([`transition.${transition}`]);
      expect(zh).toHaveProperty([`transition.${transition}`]);
    }
    const edited = {
      action: 'stage-change',
      summary: 'edit: published → draft',
      details: { transition: 'edit', from: 'published', to: 'draft' },
    };
    expect(describeText(describeAudit(edited), edited.summary, context('zh-Hans'))).not.toMatch(/[A-Za-z]/);
  });
});
