/**
 * Why a release was not published, naming each member that refused (title, language, reason)
 * with a link to its edit view; the release page and the side panel both show it.
 */
import { Box, Flex, Link, Typography } from '@strapi/design-system';
import { NavLink } from 'react-router-dom';
import { describe, fill } from '../../../../../lib/messages';
import { failedMembers, memberParams, memberPath } from '../../../../../lib/release-failure';
import { useMessages } from '../messages';
import { useT } from './useT';

export interface StoredFailure {
  lastError?: string | null;
  lastErrorCode?: string | null;
  lastErrorParams?: Record<string, unknown> | null;
}

/** The failure as one line in the interface language (the English text for rows older than the codes). */
export const useFailureText = () => {
  const messages = useMessages();
  return (row: StoredFailure) =>
    describe(
      row.lastErrorCode ? { code: row.lastErrorCode, params: row.lastErrorParams ?? {} } : undefined,
      row.lastError ?? null,
      messages,
    );
};

export const ReleaseFailure = ({ failure }: { failure: StoredFailure }) => {
  const t = useT();
  const messages = useMessages();
  const text = useFailureText()(failure);
  const members = failedMembers(failure.lastErrorCode, failure.lastErrorParams);
  if (!text) return null;
  if (!members.length)
    return (
      <Typography variant="pi" textColor="danger600" data-testid="editorial-release-failure">
        {text}
      </Typography>
    );
  const template = messages.template('msg.release.member') ?? '{title} ({locale}): {why}';
  return (
    <Box background="danger100" padding={2} hasRadius data-testid="editorial-release-failure">
      <Typography variant="pi" fontWeight="bold">
        {t('release.failedMembers', 'Not published because of:')}
      </Typography>
      <Flex tag="ul" direction="column" alignItems="stretch" gap={1} paddingTop={1}>
        {members.map((member) => (
          <li key={`${member.uid}/${member.documentId}/${member.locale}`} data-testid="editorial-release-failed-member">
            <Typography variant="pi">{fill(template, memberParams(member), messages)}</Typography>{' '}
            <Link tag={NavLink} to={memberPath(member)}>
              {t('release.openMember', 'Open')}
            </Link>
          </li>
        ))}
      </Flex>
    </Box>
  );
};
