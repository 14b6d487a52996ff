/** Releases: group documents and languages, then publish them together now or at a set time. */
import {
  Badge,
  Box,
  Button,
  Flex,
  Link,
  Table,
  Tbody,
  Td,
  TextInput,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Layouts, Page, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useCallback, useEffect, useState } from 'react';
import { NavLink, useNavigate, useParams } from 'react-router-dom';
import type { ReleaseRef, Stage } from '../api';
import { StageBadge } from '../components/StageBadge';
import { useT } from '../components/useT';
import { useFormatTime, useTypeName, useZoneName } from '../components/names';
import { ReleaseFailure } from '../components/ReleaseFailure';
import { WallClockPicker } from '../components/DatePickers';

interface ReleaseDetail extends Omit<ReleaseRef, 'entries'> {
  description: string | null;
  releasedAt: string | null;
  entries: {
    id: number;
    targetUid: string;
    targetDocumentId: string;
    targetLocale: string;
    action: 'publish' | 'unpublish';
    stage: Stage;
    title: string;
  }[];
  schedule: { runAt: string } | null;
}

const failure = (error: unknown) =>
  (error as { response?: { data?: { error?: { message?: string } } } })?.response?.data?.error?.message ??
  (error as Error).message;

export const ReleasesPage = () => {
  const t = useT();
  const formatTime = useFormatTime();
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const navigate = useNavigate();
  const [releases, setReleases] = useState<ReleaseRef[] | null>(null);
  const [name, setName] = useState('');

  const load = useCallback(
    () => get<{ data: ReleaseRef[] }>('/editorial/releases').then(({ data }) => setReleases(data.data)),
    [get],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const create = async () => {
    try {
      const { data } = await post<{ data: { id: number } }>('/editorial/releases', { name });
      navigate(`${data.data.id}`);
    } catch (error) {
      toggleNotification({ type: 'danger', message: failure(error) });
    }
  };

  if (!releases) return <Page.Loading />;
  return (
    <Page.Main>
      <Page.Title>{t('releases.title', 'Releases')}</Page.Title>
      <Layouts.Header
        title={t('releases.title', 'Releases')}
        subtitle={t('releases.subtitle', 'Publish several pages and languages together, all or nothing')}
        navigationAction={
          <Link tag={NavLink} to="..">
            {t('queue.title', 'Waiting for me')}
          </Link>
        }
      />
      <Layouts.Content>
        <Flex gap={2} paddingBottom={4}>
          <TextInput
            aria-label={t('releases.name', 'Release name')}
            placeholder={t('releases.name', 'Release name')}
            value={name}
            onChange={(event: React.ChangeEvent<HTMLInputElement>) => setName(event.target.value)}
          />
          <Button disabled={!name.trim()} onClick={create}>
            {t('releases.create', 'New release')}
          </Button>
        </Flex>
        {releases.length > 0 && (
          <Table colCount={4} rowCount={releases.length + 1}>
            <Thead>
              <Tr>
                <Th>{t('releases.name', 'Release name')}</Th>
                <Th>{t('releases.status', 'Status')}</Th>
                <Th>{t('releases.entries', 'Entries')}</Th>
                <Th>{t('releases.when', 'Scheduled for')}</Th>
              </Tr>
            </Thead>
            <Tbody>
              {releases.map((release) => (
                <Tr key={release.id}>
                  <Td>
                    <Link tag={NavLink} to={`${release.id}`}>
                      {release.name}
                    </Link>
                  </Td>
                  <Td>
                    <Badge>{t(`release.${release.status}`, release.status)}</Badge>
                  </Td>
                  <Td>
                    <Typography>{release.entries ?? 0}</Typography>
                  </Td>
                  <Td>
                    <Typography>{formatTime(release.scheduledAt)}</Typography>
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
        {releases.length === 0 && (
          <Box padding={4} data-testid="editorial-releases-none">
            <Typography>
              {t(
                'releases.none',
                'No releases yet. Name one above and choose “New release”, then add pages to it from their edit view (Releases in the side panel).',
              )}
            </Typography>
          </Box>
        )}
      </Layouts.Content>
    </Page.Main>
  );
};

export const ReleasePage = () => {
  const t = useT();
  const formatTime = useFormatTime();
  const typeName = useTypeName();
  const { id } = useParams();
  const { get, post, put, del } = useFetchClient();
  const { toggleNotification } = useNotification();
  const navigate = useNavigate();
  const zoneName = useZoneName();
  const [release, setRelease] = useState<ReleaseDetail | null>(null);
  const [timeZone, setTimeZone] = useState('');
  const [at, setAt] = useState('');

  const load = useCallback(
    () =>
      get<{ data: ReleaseDetail; meta: { timeZone: string } }>(`/editorial/releases/${id}`).then(({ data }) => {
        setRelease(data.data);
        setTimeZone(data.meta.timeZone);
      }),
    [get, id],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const act = async (fn: () => Promise<unknown>, message: string) => {
    try {
      await fn();
      toggleNotification({ type: 'success', message });
    } catch (error) {
      toggleNotification({ type: 'danger', message: failure(error) });
    }
    await load();
  };

  if (!release) return <Page.Loading />;
  const closed = release.status === 'released';
  return (
    <Page.Main>
      <Page.Title>{release.name}</Page.Title>
      <Layouts.Header
        title={release.name}
        subtitle={t(`release.${release.status}`, release.status)}
        navigationAction={
          <Link tag={NavLink} to="..">
            {t('releases.title', 'Releases')}
          </Link>
        }
        primaryAction={
          !closed && (
            <Button
              onClick={() =>
                act(() => post(`/editorial/releases/${id}/publish`), t('releases.published', 'Release published'))
              }
            >
              {t('releases.publishNow', 'Publish now')}
            </Button>
          )
        }
        secondaryAction={
          !closed && (
            <Button
              variant="danger-light"
              onClick={() =>
                act(
                  () => del(`/editorial/releases/${id}`).then(() => navigate('..')),
                  t('releases.deleted', 'Release deleted'),
                )
              }
            >
              {t('releases.delete', 'Delete')}
            </Button>
          )
        }
      />
      <Layouts.Content>
        {release.status === 'failed' && (
          <Box paddingBottom={4}>
            <ReleaseFailure failure={release} />
          </Box>
        )}
        {!closed && (
          <Flex gap={2} paddingBottom={4}>
            <WallClockPicker
              name="releaseAt"
              label={t('releases.when', 'Scheduled for')}
              dateLabel={t('releases.date', 'Release date ({zone})', { zone: zoneName(timeZone) })}
              timeLabel={t('releases.time', 'Release time ({zone})', { zone: zoneName(timeZone) })}
              onChange={setAt}
            />
            <Button
              variant="secondary"
              disabled={!at}
              onClick={() =>
                act(() => put(`/editorial/releases/${id}/schedule`, { at }), t('schedule.saved', 'Scheduled'))
              }
            >
              {t('schedule.submit', 'Schedule')}
            </Button>
            {!at && (
              <Typography variant="pi" textColor="neutral600">
                {t('schedule.pickTime', 'Choose a date and time first.')}
              </Typography>
            )}
            {release.schedule && (
              <Typography>
                {t('releases.scheduledFor', 'Goes live {when}', {
                  when: formatTime(release.schedule.runAt),
                })}
              </Typography>
            )}
          </Flex>
        )}
        <Table colCount={5} rowCount={release.entries.length + 1}>
          <Thead>
            <Tr>
              <Th>{t('queue.document', 'Document')}</Th>
              <Th>{t('queue.type', 'Type')}</Th>
              <Th>{t('queue.locale', 'Language')}</Th>
              <Th>{t('releases.action', 'Action')}</Th>
              <Th>{t('queue.stage', 'Stage')}</Th>
            </Tr>
          </Thead>
          <Tbody>
            {release.entries.map((entry) => (
              <Tr key={entry.id}>
                <Td>
                  <Typography>{entry.title}</Typography>
                </Td>
                <Td>
                  <Typography>{typeName(entry.targetUid)}</Typography>
                </Td>
                <Td>
                  <Typography>{entry.targetLocale}</Typography>
                </Td>
                <Td>
                  <Typography>{t(`schedule.${entry.action}`, entry.action)}</Typography>
                </Td>
                <Td>
                  <StageBadge stage={entry.stage} />
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
        {release.entries.length === 0 && (
          <Box padding={4}>
            <Typography>
              {t('releases.empty', 'Add pages from their edit view (Releases in the side panel).')}
            </Typography>
          </Box>
        )}
      </Layouts.Content>
    </Page.Main>
  );
};
