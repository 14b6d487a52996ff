import { describeAudit, renderMessage, describe as describeText } from '../../src/lib/messages';
import { failedMembers, memberPath, releaseFailure, type FailedMember } from '../../src/lib/release-failure';
import en from '../../src/plugins/editorial/admin/src/translations/en.json';
import zh from '../../src/plugins/editorial/admin/src/translations/zh-Hans.json';

const context = (language: 'zh-Hans' | 'en') => ({
  language,
  template: (key: string) => (language === 'en' ? en : zh)[key as keyof typeof en] as string | undefined,
});

const members: FailedMember[] = [
  {
    uid: 'api::project.project',
    documentId: 'abc',
    locale: 'en',
    action: 'publish',
    title: 'West District',
    reason: 'Only approved content can be published (this version is draft)',
    reasonCode: 'workflow.not-approved',
    reasonParams: { stage: 'draft' },
  },
  {
    uid: 'api::news-article.news-article',
    documentId: 'def',
    locale: 'zh-Hans',
    action: 'unpublish',
    title: '园区新闻',
    reason: 'database is locked',
    reasonCode: null,
    reasonParams: null,
  },
];

describe('release failures', () => {
  it('name each member in English for API clients, and as code and params', () => {
    const { message, coded } = releaseFailure(members);
    expect(message).toBe(
      'Release not published: “West District” (en): Only approved content can be published (this version is draft); “园区新闻” (zh-Hans): database is locked',
    );
    expect(coded).toEqual({ code: 'release.members-failed', params: { members } });
    expect(failedMembers(coded.code, coded.params)).toEqual(members);
  });

  it('are said in each language, a coded reason in words, an uncoded one as it was', () => {
    const { coded } = releaseFailure(members);
    expect(renderMessage(coded, context('zh-Hans'))).toBe(
      '未发布任何内容，原因：“West District”（en）：只有已批准的内容才能发布：当前版本为“草稿”；“园区新闻”（zh-Hans）：database is locked',
    );
    expect(renderMessage(coded, context('en'))).toBe(
      'Nothing was published, because: “West District” (en): Only approved content can be published: this version is "Draft"; “园区新闻” (zh-Hans): database is locked',
    );
  });

  it('are named in the audit log from the stored code, the English text for older entries', () => {
    const { message, coded } = releaseFailure(members.slice(0, 1));
    const entry = {
      action: 'release-fail',
      summary: `release #7 not published: ${message}`,
      details: { releaseId: 7, reason: message, reasonCode: coded.code, reasonParams: coded.params },
    };
    expect(describeText(describeAudit(entry), entry.summary, context('zh-Hans'))).toBe(
      '发布批次 #7 未能发布：未发布任何内容，原因：“West District”（en）：只有已批准的内容才能发布：当前版本为“草稿”',
    );
    const older = { ...entry, details: { releaseId: 7, reason: 'boom' } };
    expect(describeText(describeAudit(older), older.summary, context('en'))).toBe('Release #7 not published: boom');
  });

  it('read no members from other failures or malformed params, and link to each member', () => {
    expect(failedMembers('workflow.not-approved', { members })).toEqual([]);
    expect(failedMembers('release.members-failed', { members: [{ title: 'x' }, null] })).toEqual([]);
    expect(failedMembers('release.members-failed', null)).toEqual([]);
    expect(memberPath(members[1])).toBe(
      '/content-manager/collection-types/api::news-article.news-article/def?plugins[i18n][locale]=zh-Hans',
    );
  });
});
