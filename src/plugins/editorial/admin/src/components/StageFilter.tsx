/**
 * A "Review stage" filter above Content Manager lists: it turns the chosen stage into the list's
 * own documentId filter, so pagination, sorting and other filters keep working.
 */
import { useState } from 'react';
import { Box, SingleSelect, SingleSelectOption } from '@strapi/design-system';
import { getFetchClient, useQueryParams } from '@strapi/strapi/admin';
import { useLocation } from 'react-router-dom';
import type { Stage } from '../api';
import { STAGE_LABELS, useStageLabel } from './StageBadge';
import { useT } from './useT';

type ListQuery = {
  filters?: { $and?: Record<string, unknown>[] };
  plugins?: { i18n?: { locale?: string } };
  page?: number | string;
};

const isStageFilter = (condition: Record<string, unknown>) => 'documentId' in condition;

export const StageFilter = () => {
  const t = useT();
  const label = useStageLabel();
  const { pathname } = useLocation();
  const [{ query }, setQuery] = useQueryParams<ListQuery>();
  const [stage, setStage] = useState<string>('');
  const model = decodeURIComponent(pathname.split('/').pop() ?? '');
  if (!model.startsWith('api::')) return null;

  const apply = async (value: string) => {
    setStage(value);
    const others = (query.filters?.$and ?? []).filter((condition) => !isStageFilter(condition));
    if (!value) {
      setQuery({ filters: { $and: others }, page: 1 } as never, 'push');
      return;
    }
    const { data } = await getFetchClient().get<{ data: string[] }>(`/editorial/stages/${model}`, {
      params: { locale: query.plugins?.i18n?.locale, stage: value },
    });
    // An impossible id keeps an empty stage from meaning "no filter".
    const ids = data.data.length ? data.data : ['none'];
    setQuery({ filters: { $and: [...others, { documentId: { $in: ids } }] }, page: 1 } as never, 'push');
  };

  return (
    <Box minWidth="18rem" data-testid="editorial-stage-filter">
      <SingleSelect
        size="S"
        aria-label={t('filter.stage', 'Review stage')}
        placeholder={t('filter.stage', 'Review stage')}
        value={stage}
        onChange={(value: string | number) => void apply(String(value))}
        onClear={() => void apply('')}
        clearLabel={t('filter.clear', 'Clear')}
      >
        {(Object.keys(STAGE_LABELS) as Stage[]).map((value) => (
          <SingleSelectOption key={value} value={value}>
            {label(value)}
          </SingleSelectOption>
        ))}
      </SingleSelect>
    </Box>
  );
};
