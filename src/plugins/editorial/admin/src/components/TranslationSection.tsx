/**
 * The side panel's translation section, for a translated language: its status against the
 * Chinese source, each field that changed in the source since the translation was based on it
 * (old → new source text), untranslated fields, glossary warnings, and the translator's tools;
 * and, for a language the document has no version in yet, how to start the translation.
 */
import { Badge, Box, Button, Flex, Typography } from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import {
  errorMessage,
  useFillTranslationMutation,
  useGetTranslationQuery,
  useMarkUpToDateMutation,
  type Target,
  type TranslationDetail,
  type TranslationStatus,
  type WorkflowView,
} from '../api';
import { useMessages } from '../messages';
import { useReason } from './reasons';
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

/** Runs a mutation and says how it went. */
const useRun = () => {
  const { toggleNotification } = useNotification();
  return async (action: Promise<{ error?: unknown } | { data?: unknown }>, message: string) => {
    const result = await action;
    toggleNotification(
      'error' in result && result.error
        ? { type: 'danger', message: errorMessage(result.error) }
        : { type: 'success', message },
    );
  };
};

/** A language's name in the editor's interface language ("English", "英语"). */
const useLanguageName = () => {
  const { locale } = useIntl();
  return (code: string) => {
    try {
      return new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
    } catch {
      return code;
    }
  };
};

/** The glossary's fixed renderings of the terms the source uses: what to write for them. */
const GlossaryTerms = ({ terms }: { terms: TranslationDetail['terms'] }) => {
  const t = useT();
  if (!terms.length) return null;
  return (
    <Box data-testid="editorial-glossary-terms">
      <Typography variant="pi" fontWeight="bold" tag="p">
        {t('translation.terms', 'Glossary terms in the source:')}
      </Typography>
      {terms.map(({ source, target }) => (
        <Typography key={source} variant="pi" tag="p" data-testid="editorial-glossary-term">
          {source} → {target}
        </Typography>
      ))}
    </Box>
  );
};

/**
 * A language the document has no version in: what that means, and how to start — copy the
 * Chinese source into a new draft of this language (or have it machine translated), then
 * translate it in the form and save.
 */
export const MissingTranslation = ({ target, view }: { target: Target; view: WorkflowView }) => {
  const t = useT();
  const because = useReason();
  const run = useRun();
  const languageName = useLanguageName();
  const { data } = useGetTranslationQuery(target);
  const [fill, filling] = useFillTranslationMutation();
  const fillAction = view.actions.find(({ action }) => action === 'fill');
  const language = languageName(target.locale ?? '');
  const source = languageName(SOURCE_LOCALE);

  return (
    <Flex direction="column" gap={3} alignItems="stretch" width="100%" data-testid="editorial-missing">
      <TranslationBadge status="missing" />
      <Typography variant="omega" tag="p">
        {t('missing.explain', 'This page has no {language} version yet.', { language })}
      </Typography>
      {fillAction?.allowed ? (
        <>
          <Typography variant="pi" tag="p" textColor="neutral600">
            {t(
              'missing.howTo',
              'Start from the {source} source: its text is copied into a new {language} draft, which you then translate here and save. The draft goes through review like any other.',
              { language, source },
            )}
          </Typography>
          <Button
            variant="default"
            loading={filling.isLoading}
            data-testid="editorial-fill-source"
            onClick={() =>
              run(fill({ ...target, mode: 'source' }), t('missing.filled', 'Draft created from the source'))
            }
          >
            {t('missing.fillSource', 'Fill from the {source} source', { source })}
          </Button>
          {data?.machineTranslation ? (
            <Button
              variant="secondary"
              loading={filling.isLoading}
              data-testid="editorial-fill-machine"
              onClick={() =>
                run(fill({ ...target, mode: 'machine' }), t('missing.machineFilled', 'Draft machine translated'))
              }
            >
              {t('missing.fillMachine', 'Machine translate from the {source} source', { source })}
            </Button>
          ) : (
            data && (
              <Typography variant="pi" tag="p" textColor="neutral600" data-testid="editorial-mt-unavailable">
                {t(
                  'missing.noMachine',
                  'Machine translation is not set up. An administrator enables it by setting MT_PROVIDER=openai, MT_BASE_URL, MT_MODEL (and MT_API_KEY if the endpoint needs one) in the server environment and restarting it.',
                )}
              </Typography>
            )
          )}
        </>
      ) : (
        <Typography variant="pi" tag="p" textColor="neutral600" data-testid="editorial-fill-reason">
          {because(fillAction?.reason ?? 'workflow.needs-edit')}
        </Typography>
      )}
      {data && <GlossaryTerms terms={data.terms} />}
    </Flex>
  );
};

export const TranslationSection = ({ target }: { target: Target }) => {
  const t = useT();
  const run = useRun();
  // Fields named as the edit view labels them, not by their schema names.
  const { label } = useMessages(target.model);
  const named = (field: string) => label?.(field) ?? field;
  const { data } = useGetTranslationQuery(target, { pollingInterval: 15000 });
  const [fill, filling] = useFillTranslationMutation();
  const [mark, marking] = useMarkUpToDateMutation();
  if (!data) return null;

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
                {named(field)}
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
          {t('translation.untranslated', 'Not translated yet: {fields}', {
            fields: data.untranslated.map(named).join(', '),
          })}
        </Typography>
      )}
      {data.glossary.map(({ field, source, expected }) => (
        <Typography key={`${field}-${source}`} variant="pi" textColor="warning600">
          {t('translation.glossary', '{field}: “{source}” should read “{expected}”', {
            field: named(field),
            source,
            expected,
          })}
        </Typography>
      ))}
      <GlossaryTerms terms={data.terms} />
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
