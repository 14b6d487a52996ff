import { Badge } from '@strapi/design-system';
import type { Stage } from '../api';
import { useT } from './useT';

const VARIANTS: Record<Stage, 'neutral' | 'secondary' | 'warning' | 'success' | 'primary' | 'danger'> = {
  draft: 'neutral',
  in_review: 'secondary',
  changes_requested: 'warning',
  approved: 'success',
  published: 'primary',
  unpublished: 'danger',
};

export const STAGE_LABELS: Record<Stage, string> = {
  draft: 'Draft',
  in_review: 'In review',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  published: 'Published',
  unpublished: 'Unpublished',
};

export const useStageLabel = () => {
  const t = useT();
  return (stage: Stage) => t(`stage.${stage}`, STAGE_LABELS[stage]);
};

export const StageBadge = ({ stage }: { stage: Stage }) => {
  const label = useStageLabel();
  return (
    <Badge variant={VARIANTS[stage]} data-testid="editorial-stage" data-stage={stage}>
      {label(stage)}
    </Badge>
  );
};
