/**
 * In the edit view's Entry panel, where Save would be, for whoever may not change this language:
 * the form is read-only, Save is not offered (see UsableActions), and this says why and where
 * their own work is (a reviewer approves or sends back, a publisher publishes, in our panel).
 */
import { Box, Typography } from '@strapi/design-system';
import { useDocumentRBAC, useRBAC } from '@strapi/strapi/admin';
import { useT } from './useT';

const REVIEW = [{ action: 'plugin::editorial.review', subject: null }];

export const ReadOnlyNote = ({ slug }: { slug?: string }) => {
  const t = useT();
  const { canCreate, canUpdate, canPublish, isLoading } = useDocumentRBAC('editorial-read-only', (state) => state);
  const review = useRBAC(REVIEW);
  if (!slug?.startsWith('api::') || isLoading || review.isLoading || canCreate || canUpdate) return null;
  const panel = t('panel.title', 'Review workflow');
  const [role, text] = review.allowedActions.canReview
    ? [
        'reviewer',
        t(
          'readOnly.reviewer',
          'Reviewers do not change the content: approve it or send it back in the {panel} panel.',
          { panel },
        ),
      ]
    : canPublish
      ? [
          'publisher',
          t(
            'readOnly.publisher',
            'Publishers do not change the content: publish it in the {panel} panel once it is approved.',
            { panel },
          ),
        ]
      : ['language', t('readOnly.language', 'You may read this language version but not change it.')];
  return (
    <Box background="neutral100" padding={3} hasRadius width="100%">
      <Typography variant="pi" textColor="neutral700" data-testid="editorial-read-only" data-role={role}>
        {text}
      </Typography>
    </Box>
  );
};
