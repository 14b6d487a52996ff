/** Sites and their webhook deliveries: status, attempts, last error, and "redeliver". */
import {
  Badge,
  Box,
  Button,
  Flex,
  LinkButton,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Layouts, Page, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useCallback, useEffect, useState } from 'react';
import { useIntl } from 'react-intl';
import { describeDeliveryFailure, type FailedDelivery } from '../../../../../lib/webhook-failure';
import { translatorFor } from '../../../../editorial/admin/src/components/useT';
import { useFormatTime, useTypeName } from '../../../../editorial/admin/src/components/names';
import { WRAP } from '../../../../editorial/admin/src/components/table';

const useT = translatorFor('delivery');

/** A delivery's last failure in the interface language, from its code (src/lib/webhook-failure.ts). */
const useFailure = () => {
  const { messages, locale } = useIntl();
  return (row: FailedDelivery) =>
    describeDeliveryFailure(row, {
      language: locale,
      template: (key) => {
        const value = messages[`delivery.${key}`];
        return typeof value === 'string' ? value : undefined;
      },
    });
};

interface Site {
  id: number;
  documentId: string;
  name: string;
  title?: string;
  baseUrl: string;
  locales: string[];
  contentTypes: string[];
  webhookUrl?: string;
  previewUrl?: string;
  apiTokenName?: string;
}

interface DeliveryRow {
  id: number;
  siteName: string;
  event: string;
  payload: { type?: string; documentId?: string; locale?: string; slug?: string; paths?: string[] };
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  lastErrorCode?: string | null;
  lastErrorParams?: Record<string, unknown> | null;
  createdAt: string;
  deliveredAt: string | null;
  nextAttemptAt: string | null;
}

const BADGE = { delivered: 'success', pending: 'secondary', failed: 'danger' } as const;
// The Sites page (src/plugins/delivery/admin/src/pages/SitesPage.tsx).
const SITE_LIST = '/admin/plugins/delivery-sites';

export const DeliveriesPage = () => {
  const t = useT();
  const formatTime = useFormatTime();
  const typeName = useTypeName();
  const failure = useFailure();
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [sites, setSites] = useState<Site[] | null>(null);
  const [rows, setRows] = useState<{
    results: DeliveryRow[];
    pagination: { page: number; pageCount: number; total: number };
  } | null>(null);
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [failed, setFailed] = useState(false);

  const load = useCallback(() => {
    get<typeof rows>('/delivery/deliveries', { params: { ...(status ? { status } : {}), page, pageSize: 25 } })
      .then(({ data }) => setRows(data))
      .catch(() => setFailed(true));
  }, [get, status, page]);

  useEffect(() => {
    get<{ results: Site[] }>('/delivery/sites')
      .then(({ data }) => setSites(data.results))
      .catch(() => setFailed(true));
  }, [get]);
  useEffect(load, [load]);

  const redeliver = async (id: number) => {
    try {
      await post(`/delivery/deliveries/${id}/redeliver`);
      toggleNotification({ type: 'success', message: t('redelivered', 'Queued for delivery') });
      setTimeout(load, 1500);
    } catch {
      toggleNotification({ type: 'danger', message: t('redeliverFailed', 'Could not queue the delivery') });
    }
  };

  if (failed) return <Page.Error />;
  return (
    <Page.Main>
      <Page.Title>{t('title', 'Delivery')}</Page.Title>
      <Layouts.Header
        title={t('title', 'Delivery')}
        subtitle={t('subtitle', 'The sites that show our content, and the change notices sent to them.')}
        primaryAction={
          <LinkButton href={SITE_LIST} variant="secondary">
            {t('manageSites', 'Manage sites')}
          </LinkButton>
        }
      />
      <Layouts.Content>
        <Typography variant="delta" tag="h2">
          {t('sites', 'Sites')}
        </Typography>
        <Box paddingTop={2} paddingBottom={6}>
          {!sites ? (
            <Page.Loading />
          ) : (
            <Table colCount={4} rowCount={sites.length + 1} data-testid="delivery-sites">
              <Thead>
                <Tr>
                  <Th>{t('site', 'Site')}</Th>
                  <Th>{t('shows', 'Shows')}</Th>
                  <Th>{t('webhook', 'Webhook')}</Th>
                  <Th>{t('token', 'API token')}</Th>
                </Tr>
              </Thead>
              <Tbody>
                {sites.map((site) => (
                  <Tr key={site.id}>
                    <Td>
                      <Typography fontWeight="bold">{site.title || site.name}</Typography>
                      <Typography variant="pi" textColor="neutral600">
                        {' '}
                        {site.baseUrl}
                      </Typography>
                    </Td>
                    <Td style={WRAP}>
                      <Typography>
                        {site.contentTypes.map(typeName).join(', ')} · {site.locales.join(', ')}
                      </Typography>
                    </Td>
                    <Td style={WRAP}>
                      <Typography>{site.webhookUrl || '—'}</Typography>
                    </Td>
                    <Td>
                      <Typography>{site.apiTokenName || '—'}</Typography>
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          )}
        </Box>
        <Flex justifyContent="space-between" paddingBottom={2}>
          <Typography variant="delta" tag="h2">
            {t('deliveries', 'Webhook deliveries')}
          </Typography>
          <SingleSelect
            size="S"
            aria-label={t('status', 'Status')}
            placeholder={t('status', 'Status')}
            value={status}
            onChange={(value: string | number) => {
              setPage(1);
              setStatus(String(value));
            }}
            onClear={() => setStatus('')}
            clearLabel={t('filter.clear', 'Clear')}
          >
            {(['pending', 'delivered', 'failed'] as const).map((value) => (
              <SingleSelectOption key={value} value={value}>
                {t(`status.${value}`, value)}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </Flex>
        {!rows ? (
          <Page.Loading />
        ) : (
          <>
            <Table colCount={7} rowCount={rows.results.length + 1} data-testid="delivery-log">
              <Thead>
                <Tr>
                  <Th>{t('time', 'Time')}</Th>
                  <Th>{t('site', 'Site')}</Th>
                  <Th>{t('event', 'Event')}</Th>
                  <Th>{t('document', 'Document')}</Th>
                  <Th>{t('status', 'Status')}</Th>
                  <Th>{t('lastError', 'Last error')}</Th>
                  <Th>{t('actions', 'Actions')}</Th>
                </Tr>
              </Thead>
              <Tbody>
                {rows.results.map((row) => (
                  <Tr key={row.id} data-testid={`delivery-${row.id}`}>
                    <Td>
                      <Typography>{formatTime(row.createdAt)}</Typography>
                    </Td>
                    <Td>
                      <Typography>{row.siteName}</Typography>
                    </Td>
                    <Td>
                      <Typography>{t(`event.${row.event}`, row.event)}</Typography>
                    </Td>
                    <Td style={WRAP}>
                      <Typography>
                        {typeName(row.payload.type)} {row.payload.slug ?? row.payload.documentId} ({row.payload.locale})
                      </Typography>
                    </Td>
                    <Td style={WRAP}>
                      <Badge variant={BADGE[row.status]}>{t(`status.${row.status}`, row.status)}</Badge>
                      <Typography variant="pi" textColor="neutral600">
                        {' '}
                        {t('attempts', '{count} attempt(s)', { count: row.attempts })}
                        {row.lastStatus ? ` · HTTP ${row.lastStatus}` : ''}
                        {row.status === 'pending' && row.nextAttemptAt
                          ? ` · ${t('nextAttempt', 'next attempt {time}', {
                              time: formatTime(row.nextAttemptAt),
                            })}`
                          : ''}
                      </Typography>
                    </Td>
                    <Td style={WRAP}>
                      {/* Why it failed: the reason of the last attempt (for a failed delivery, of the last one of all). */}
                      {/* The server's own English text stays at hand as a tooltip, for whoever runs the site. */}
                      <Typography
                        textColor="danger600"
                        data-testid={`delivery-${row.id}-error`}
                        title={row.lastError ?? undefined}
                      >
                        {row.status === 'failed'
                          ? t('gaveUp', 'Gave up: {reason}', { reason: failure(row) })
                          : failure(row)}
                      </Typography>
                    </Td>
                    <Td>
                      <Button size="S" variant="secondary" onClick={() => redeliver(row.id)}>
                        {t('redeliver', 'Redeliver')}
                      </Button>
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
            <Flex justifyContent="space-between" paddingTop={4}>
              <Typography variant="pi" textColor="neutral600">
                {t('total', '{total} deliveries', { total: rows.pagination.total })}
              </Typography>
              <Flex gap={2}>
                <Button variant="tertiary" size="S" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                  {t('previous', 'Previous')}
                </Button>
                <Button
                  variant="tertiary"
                  size="S"
                  disabled={page >= rows.pagination.pageCount}
                  onClick={() => setPage(page + 1)}
                >
                  {t('next', 'Next')}
                </Button>
              </Flex>
            </Flex>
          </>
        )}
      </Layouts.Content>
    </Page.Main>
  );
};

export default DeliveriesPage;
