/**
 * A release that was not published names the members that refused, each with its title, language
 * and reason, stored as the code `release.members-failed` and params (with the release's English
 * text beside them), so the release page, the side panel, the e-mail and the audit log say it in
 * the reader's language and link to each member.
 *
 * Pure: no Strapi, no React; the server, the admin and the unit tests call it.
 */
import type { Coded, MessageParams } from './messages';

export const RELEASE_FAILED_CODE = 'release.members-failed';

export interface FailedMember {
  uid: string;
  documentId: string;
  locale: string;
  action: 'publish' | 'unpublish';
  title: string;
  /** The member's own refusal: its English text, and its code and params when it had them. */
  reason: string;
  reasonCode: string | null;
  reasonParams: MessageParams | null;
}

/** The coded failure of a release, and its English text for API clients and older readers. */
export const releaseFailure = (members: FailedMember[]): { message: string; coded: Coded } => ({
  message: `Release not published: ${members
    .map(({ title, locale, reason }) => `“${title}” (${locale}): ${reason}`)
    .join('; ')}`,
  coded: { code: RELEASE_FAILED_CODE, params: { members } },
});

/** One member as `msg.release.member` names it: its reason rendered from its code where it has one. */
export const memberParams = (member: FailedMember): MessageParams => ({
  title: member.title,
  locale: member.locale,
  why: member.reasonCode ? { code: member.reasonCode, params: member.reasonParams ?? {} } : member.reason,
});

const isMember = (value: unknown): value is FailedMember =>
  !!value &&
  typeof value === 'object' &&
  typeof (value as FailedMember).uid === 'string' &&
  typeof (value as FailedMember).documentId === 'string' &&
  typeof (value as FailedMember).locale === 'string';

/** The members a stored failure names (a release row's or an event's code and params); [] for any other failure. */
export const failedMembers = (code: unknown, params: unknown): FailedMember[] => {
  if (code !== RELEASE_FAILED_CODE || !params || typeof params !== 'object') return [];
  const { members } = params as MessageParams;
  return Array.isArray(members) ? members.filter(isMember) : [];
};

/** The admin's address of a member's edit view, below the admin's own root (`/admin`). */
export const memberPath = ({ uid, documentId, locale }: Pick<FailedMember, 'uid' | 'documentId' | 'locale'>) =>
  `/content-manager/collection-types/${uid}/${documentId}?plugins[i18n][locale]=${encodeURIComponent(locale)}`;
