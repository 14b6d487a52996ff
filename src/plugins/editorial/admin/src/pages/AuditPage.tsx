/** The audit log: filter, page through and export every recorded action. */
import {
  Box,
  Button,
  Flex,
  Pagination,
  NextLink,
  PageLink,
  PreviousLink,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  Td,
  TextInput,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import { useCallback, useEffect, useState } from 'react';
import { useT } from '../components/useT';
import { describe, describeAudit } from '../../../../../lib/messages';
import { AUDIT_SEARCH_MAX_LENGTH } from '../../../../../lib/audit-search';
import { forType, useMessages } from '../messages';
import { useActorName, useFormatTime, useTypeName } from '../components/names';
import { DayPicker } from '../components/DatePickers';

interface Entry {
  id: number;
  action: string;
  actorName: string;
  actorKey: string;
  targetUid: string | null;
  targetDocumentId: string | null;
  targetLocale: string | null;
  summary: string;
  /** The event's structured data (fields, stages, numbers): the summary is rendered from it. */
  details?: Record<string, unknown> | null;
  createdAt: string;
}

const ACTIONS = [
  'create',
  'update',
  'delete',
  'restore',
  'publish',
  'unpublish',
  'discard-draft',
  'stage-change',
  'assign',
  'comment',
  'schedule',
  'unschedule',
  'schedule-failed',
  'release-change',
  'release-publish',
  'release-fail',
  'translation-current',
  'locale-add',
  'locale-remove',
  'role-change',
  'permission-change',
  'user-change',
  'site-change',
  'token-change',
  'media-replace',
  'media-delete',
  'media-info-change',
];
const PAGE_SIZE = 25;
/** Media events' target: a file, not a content type (no display name among the schemas). */
const FILE_UID = 'plugin::upload.file';

export const AuditPage = () => {
  const t = useT();
  const typeName = useTypeName();
  const actorName = useActorName();
  const formatTime = useFormatTime();
  const messages = useMessages();
  const { get } = useFetchClient();
  const [filters, setFilters] = useState({ action: '', actor: '', q: '', from: '', to: '' });
  const [page, setPage] = useState(1);
  const [result, setResult] = useState<{
    data: Entry[];
    meta: { pagination: { pageCount: number; total: number } };
  } | null>(null);
  const [failed, setFailed] = useState(false);

  const query = useCallback(() => Object.fromEntries(Object.entries(filters).filter(([, value]) => value)), [filters]);

  useEffect(() => {
    get<{ data: Entry[]; meta: { pagination: { pageCount: number; total: number } } }>('/editorial/audit', {
      params: { ...query(), page, pageSize: PAGE_SIZE },
    })
      .then(({ data }) => setResult(data))
      .catch(() => setFailed(true));
  }, [get, query, page]);

  const exportCsv = async () => {
    // In the interface language (headers, actions, summaries), as the log reads on screen.
    const { data } = await get<string>('/editorial/audit/export', {
      params: { ...query(), language: messages.language },
      responseType: 'text',
    } as never);
    const url = URL.createObjectURL(new Blob([data], { type: 'text/csv;charset=utf-8' }));
    const link = Object.assign(document.createElement('a'), {
      href: url,
      download: `wutong-audit-${new Date().toISOString().slice(0, 10)}.csv`,
    });
    link.click();
    URL.revokeObjectURL(url);
  };

  const set = (name: keyof typeof filters) => (value: string) => {
    setPage(1);
    setFilters((current) => ({ ...current, [name]: value }));
  };

  if (failed) return <Page.Error />;
  return (
    <Page.Main>
      <Page.Title>{t('audit.title', 'Audit log')}</Page.Title>
      <Layouts.Header
        title={t('audit.title', 'Audit log')}
        subtitle={t(
          'audit.subtitle',
          'Every change, publication, review step, comment and permission change. Entries cannot be edited or deleted.',
        )}
        primaryAction={<Button onClick={exportCsv}>{t('audit.export', 'Export CSV')}</Button>}
      />
      <Layouts.Content>
        <Flex gap={2} paddingBottom={4} wrap="wrap">
          <SingleSelect
            size="S"
            aria-label={t('audit.action', 'Action')}
            placeholder={t('audit.action', 'Action')}
            value={filters.action}
            onChange={(value: string | number) => set('action')(String(value))}
            onClear={() => set('action')('')}
            clearLabel={t('filter.clear', 'Clear')}
          >
            {ACTIONS.map((action) => (
              <SingleSelectOption key={action} value={action}>
                {t(`action.${action}`, action)}
              </SingleSelectOption>
            ))}
          </SingleSelect>
          <TextInput
            size="S"
            aria-label={t('audit.actor', 'Who')}
            placeholder={t('audit.actor', 'Who')}
            value={filters.actor}
            onChange={(event: React.ChangeEvent<HTMLInputElement>) => set('actor')(event.target.value)}
          />
          <TextInput
            size="S"
            aria-label={t('audit.search', 'Search entries')}
            placeholder={t('audit.search', 'Search entries')}
            // The server refuses longer terms (400); the field stops at its limit instead.
            maxLength={AUDIT_SEARCH_MAX_LENGTH}
            value={filters.q}
            onChange={(event: React.ChangeEvent<HTMLInputElement>) => set('q')(event.target.value)}
          />
          {(['from', 'to'] as const).map((bound) => (
            <DayPicker
              key={bound}
              size="S"
              label={t(`audit.${bound}`, bound === 'from' ? 'From' : 'To')}
              value={filters[bound]}
              onChange={set(bound)}
            />
          ))}
        </Flex>
        {!result ? (
          <Page.Loading />
        ) : (
          <>
            <Table colCount={5} rowCount={result.data.length + 1} data-testid="editorial-audit">
              <Thead>
                <Tr>
                  <Th>{t('audit.time', 'Time')}</Th>
                  <Th>{t('audit.action', 'Action')}</Th>
                  <Th>{t('audit.actor', 'Who')}</Th>
                  <Th>{t('audit.target', 'Document')}</Th>
                  <Th>{t('audit.summary', 'What changed')}</Th>
                </Tr>
              </Thead>
              <Tbody>
                {result.data.map((entry) => (
                  <Tr key={entry.id}>
                    <Td>
                      <Typography>{formatTime(entry.createdAt)}</Typography>
                    </Td>
                    <Td>
                      <Typography>{t(`action.${entry.action}`, entry.action)}</Typography>
                    </Td>
                    <Td>
                      <Typography>{actorName(entry.actorName)}</Typography>
                    </Td>
                    <Td>
                      <Typography>
                        {entry.targetUid
                          ? `${entry.targetUid === FILE_UID ? t('audit.type.file', 'Media file') : typeName(entry.targetUid)} ${entry.targetDocumentId}${entry.targetLocale ? ` (${entry.targetLocale})` : ''}`
                          : '—'}
                      </Typography>
                    </Td>
                    <Td>
                      <Typography>
                        {describe(describeAudit(entry), entry.summary, forType(messages, entry.targetUid))}
                      </Typography>
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
            <Box paddingTop={4}>
              <Flex justifyContent="space-between">
                <Typography variant="pi" textColor="neutral600">
                  {t('audit.total', '{total} entries', { total: result.meta.pagination.total })}
                </Typography>
                <Pagination activePage={page} pageCount={Math.max(1, result.meta.pagination.pageCount)}>
                  <PreviousLink onClick={() => setPage((current) => Math.max(1, current - 1))}>
                    {t('audit.previous', 'Previous')}
                  </PreviousLink>
                  <PageLink number={page} onClick={() => undefined}>
                    {page}
                  </PageLink>
                  <NextLink
                    onClick={() => setPage((current) => Math.min(result.meta.pagination.pageCount, current + 1))}
                  >
                    {t('audit.next', 'Next')}
                  </NextLink>
                </Pagination>
              </Flex>
            </Box>
          </>
        )}
      </Layouts.Content>
    </Page.Main>
  );
};
