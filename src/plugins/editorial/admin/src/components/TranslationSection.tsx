/**
 * The side panel's translation section, for a translated language: its status against the
 * Chinese source, each field that changed in the source since the translation was based on it
 * (old → new source text), untranslated fields, glossary warnings, and the translator's tools.
 */
import { Badge, Box, Button, Flex, Typography } from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import {
  errorMessage,
  useFillTranslationMutation,
  useGetTranslationQuery,
  useMarkUpToDateMutation,
  type Target,
  type TranslationStatus,
} from '../api';
import { useT } from './useT';

export const SOURCE_LOCALE = 'zh-Hans';

const VARIANTS: Record<TranslationStatus, 'danger' | 'warning' | 'neutral' | 'secondary' | 'success'> = {
  missing: 'danger',
  outdated: 'warning',
  draft: 'neutral',
  in_review: 'secondary',
  published: 'success',
};

export const TranslationBadge = ({ status }: { status: TranslationStatus }) => {
  const t = useT();
  return (
    <Badge variant={VARIANTS[status]} data-testid="editorial-translation-status" data-status={status}>
      {t(`translation.${status}`, status)}
    </Badge>
  );
};

const text = (value: unknown): string => {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return value;
  if (Array.isArray(value) || typeof value === 'object') {
    const parts: string[] = [];
    const walk = (node: unknown) => {
      if (typeof node === 'string') parts.push(node);
      else if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object')
        Object.entries(node).forEach(([key, item]) => key !== 'type' && walk(item));
    };
    walk(value);
    return parts.join(' ') || JSON.stringify(value);
  }
  return String(value);
};

export const TranslationSection = ({ target }: { target: Target }) => {
  const t = useT();
  const { toggleNotification } = useNotification();
  const { data } = useGetTranslationQuery(target, { pollingInterval: 15000 });
  const [fill, filling] = useFillTranslationMutation();
  const [mark, marking] = useMarkUpToDateMutation();
  if (!data) return null;

  const run = async (action: Promise<{ error?: unknown } | { data?: unknown }>, message: string) => {
    const result = await action;
    toggleNotification(
      'error' in result && result.error
        ? { type: 'danger', message: errorMessage(result.error) }
        : { type: 'success', message },
    );
  };

  return (
    <Flex direction="column" gap={2} alignItems="stretch" data-testid="editorial-translation">
      <TranslationBadge status={data.status} />
      {data.outdated.length > 0 && (
        <Box>
          <Typography variant="pi" fontWeight="bold">
            {t('translation.changedInSource', 'Changed in the Chinese source since this translation:')}
          </Typography>
          {data.outdated.map(({ field, before, after }) => (
            <Box key={field} paddingTop={2} data-testid="editorial-outdated-field" data-field={field}>
              <Typography variant="pi" fontWeight="bold">
                {field}
              </Typography>
              <Box background="danger100" padding={1}>
                <Typography variant="pi">− {text(before)}</Typography>
              </Box>
              <Box background="success100" padding={1}>
                <Typography variant="pi">+ {text(after)}</Typography>
              </Box>
              <Button
                size="S"
                variant="ghost"
                loading={marking.isLoading}
                onClick={() => run(mark({ ...target, fields: [field] }), t('translation.marked', 'Marked up to date'))}
              >
                {t('translation.markField', 'Translated: mark up to date')}
              </Button>
            </Box>
          ))}
          <Button
            variant="secondary"
            loading={marking.isLoading}
            data-testid="editorial-mark-current"
            onClick={() => run(mark(target), t('translation.marked', 'Marked up to date'))}
          >
            {t('translation.markAll', 'All translated: mark up to date')}
          </Button>
        </Box>
      )}
      {data.untranslated.length > 0 && (
        <Typography variant="pi">
          {t('translation.untranslated', 'Not translated yet: {fields}', { fields: data.untranslated.join(', ') })}
        </Typography>
      )}
      {data.glossary.map(({ field, source, expected }) => (
        <Typography key={`${field}-${source}`} variant="pi" textColor="warning600">
          {t('translation.glossary', '{field}: “{source}” should read “{expected}”', { field, source, expected })}
        </Typography>
      ))}
      {(data.status === 'missing' || data.untranslated.length > 0) && (
        <Flex gap={2} wrap="wrap">
          <Button
            variant="secondary"
            loading={filling.isLoading}
            onClick={() => run(fill({ ...target, mode: 'source' }), t('translation.filled', 'Filled'))}
          >
            {t('translation.fillSource', 'Fill from source')}
          </Button>
          {data.machineTranslation && (
            <Button
              variant="secondary"
              loading={filling.isLoading}
              onClick={() => run(fill({ ...target, mode: 'machine' }), t('translation.filled', 'Filled'))}
            >
              {t('translation.fillMachine', 'Machine translate')}
            </Button>
          )}
        </Flex>
      )}
    </Flex>
  );
};
