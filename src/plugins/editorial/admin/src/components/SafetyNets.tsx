/**
 * The side panel's safety nets: a conflict notice when someone else saved since you opened the
 * document, its schedule, the releases it belongs to, and its version history with diff and
 * restore.
 */
import { useState } from 'react';
import { Box, Button, Flex, SingleSelect, SingleSelectOption, TextInput, Typography } from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import {
  errorMessage,
  useAddToReleaseMutation,
  useGetDiffQuery,
  useGetReleasesQuery,
  useGetVersionsQuery,
  useResolveConflictMutation,
  useRestoreMutation,
  useScheduleMutation,
  useUnscheduleMutation,
  type FieldChange,
  type Target,
  type WorkflowView,
} from '../api';
import { useT } from './useT';

const show = (value: unknown) =>
  value === null || value === undefined || value === ''
    ? '—'
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

export const ConflictNotice = ({ target, view }: { target: Target; view: WorkflowView }) => {
  const t = useT();
  const { toggleNotification } = useNotification();
  const [resolve, { isLoading }] = useResolveConflictMutation();
  const describe = ({ changedBy, changedAt, fields }: NonNullable<WorkflowView['conflict']>) =>
    t('conflict.detail', '{who} changed {fields} at {when}.', {
      who: changedBy ?? t('conflict.someone', 'Someone'),
      fields: fields?.length ? fields.join(', ') : t('conflict.someFields', 'some fields'),
      when: changedAt ? new Date(changedAt).toLocaleString() : '?',
    });

  const choose = async (keep: 'mine' | 'theirs') => {
    const result = await resolve({ ...target, keep });
    toggleNotification(
      'error' in result
        ? { type: 'danger', message: errorMessage(result.error) }
        : {
            type: 'success',
            message:
              keep === 'mine'
                ? t('conflict.keptMine', 'Your version was saved')
                : t('conflict.tookTheirs', 'You are now editing their version'),
          },
    );
  };

  if (view.conflict) {
    return (
      <Box background="danger100" padding={3} hasRadius data-testid="editorial-conflict">
        <Typography variant="omega" fontWeight="bold" tag="p">
          {t('conflict.title', 'Your save was refused: someone else changed this page after you opened it')}
        </Typography>
        <Typography variant="pi" tag="p">
          {describe(view.conflict)}
        </Typography>
        {view.conflict.mine?.length ? (
          <Typography variant="pi" tag="p">
            {t('conflict.mine', 'Your refused save changes: {fields}.', { fields: view.conflict.mine.join(', ') })}
          </Typography>
        ) : null}
        <Flex gap={2} paddingTop={2} wrap="wrap">
          <Button
            variant="secondary"
            loading={isLoading}
            onClick={() => choose('theirs')}
            data-testid="editorial-take-theirs"
          >
            {t('conflict.takeTheirs', 'Take theirs')}
          </Button>
          <Button
            variant="danger-light"
            loading={isLoading}
            onClick={() => choose('mine')}
            data-testid="editorial-keep-mine"
          >
            {t('conflict.keepMine', 'Keep mine')}
          </Button>
        </Flex>
      </Box>
    );
  }
  if (view.stale) {
    return (
      <Box background="warning100" padding={3} hasRadius data-testid="editorial-stale">
        <Typography variant="pi" tag="p">
          {t(
            'conflict.stale',
            'A newer version was saved since you opened this page. {detail} Reload before editing.',
            {
              detail: describe(view.stale),
            },
          )}
        </Typography>
        <Button variant="secondary" size="S" onClick={() => window.location.reload()}>
          {t('conflict.reload', 'Reload')}
        </Button>
      </Box>
    );
  }
  return null;
};

export const ScheduleSection = ({ target, view }: { target: Target; view: WorkflowView }) => {
  const t = useT();
  const { toggleNotification } = useNotification();
  const [schedule, { isLoading }] = useScheduleMutation();
  const [unschedule] = useUnscheduleMutation();
  const [at, setAt] = useState('');
  const [action, setAction] = useState<'publish' | 'unpublish'>(view.stage === 'approved' ? 'publish' : 'unpublish');
  const pending = view.schedules.filter(({ status }) => status === 'pending');
  const recent = view.schedules.filter(({ status }) => status === 'failed').slice(0, 1);
  const canSchedule = view.stage === 'approved' || view.live;

  return (
    <Flex direction="column" gap={2} alignItems="stretch" data-testid="editorial-schedule">
      {pending.map((job) => (
        <Flex key={job.id} gap={2} justifyContent="space-between">
          <Typography variant="pi" data-testid="editorial-scheduled">
            {t(`schedule.${job.action}`, job.action)} · {job.runAtLocal}
          </Typography>
          {job.action !== 'release' && (
            <Button size="S" variant="ghost" onClick={() => unschedule({ ...target, action: job.action as 'publish' })}>
              {t('panel.cancel', 'Cancel')}
            </Button>
          )}
        </Flex>
      ))}
      {recent.map((job) => (
        <Typography key={job.id} variant="pi" textColor="danger600">
          {t('schedule.failed', 'Scheduled {action} failed: {reason}', {
            action: job.action,
            reason: job.lastError ?? '',
          })}
        </Typography>
      ))}
      {canSchedule && (
        <>
          <SingleSelect
            size="S"
            aria-label={t('schedule.action', 'Scheduled action')}
            value={action}
            onChange={(value: string | number) => setAction(value as 'publish' | 'unpublish')}
          >
            <SingleSelectOption value="publish">{t('schedule.publish', 'Publish')}</SingleSelectOption>
            <SingleSelectOption value="unpublish">{t('schedule.unpublish', 'Unpublish')}</SingleSelectOption>
          </SingleSelect>
          <TextInput
            type="datetime-local"
            name="scheduleAt"
            aria-label={t('schedule.at', 'When ({zone})', { zone: view.timeZone })}
            value={at}
            onChange={(event: React.ChangeEvent<HTMLInputElement>) => setAt(event.target.value)}
          />
          <Typography variant="pi" textColor="neutral600">
            {t('schedule.zone', 'Times are {zone} time', { zone: view.timeZone })}
          </Typography>
          <Button
            variant="secondary"
            loading={isLoading}
            disabled={!at}
            data-testid="editorial-schedule-submit"
            onClick={async () => {
              const result = await schedule({ ...target, action, at });
              toggleNotification(
                'error' in result
                  ? { type: 'danger', message: errorMessage(result.error) }
                  : { type: 'success', message: t('schedule.saved', 'Scheduled') },
              );
            }}
          >
            {t('schedule.submit', 'Schedule')}
          </Button>
        </>
      )}
    </Flex>
  );
};

export const ReleaseSection = ({ target, view }: { target: Target; view: WorkflowView }) => {
  const t = useT();
  const { toggleNotification } = useNotification();
  const { data: releases = [] } = useGetReleasesQuery();
  const [add] = useAddToReleaseMutation();
  const open = releases.filter(
    ({ status, id }) => status !== 'released' && !view.releases.some((member) => member.id === id),
  );
  return (
    <Flex direction="column" gap={2} alignItems="stretch">
      {view.releases.map((release) => (
        <Typography key={release.id} variant="pi">
          {release.name} · {t(`release.${release.status}`, release.status)} (
          {t(`schedule.${release.action}`, release.action ?? '')})
        </Typography>
      ))}
      {open.length > 0 && (
        <SingleSelect
          size="S"
          aria-label={t('release.addTo', 'Add to a release')}
          placeholder={t('release.addTo', 'Add to a release')}
          value=""
          onChange={async (value: string | number) => {
            const result = await add({ ...target, releaseId: Number(value), action: 'publish' });
            toggleNotification(
              'error' in result
                ? { type: 'danger', message: errorMessage(result.error) }
                : { type: 'success', message: t('release.added', 'Added') },
            );
          }}
        >
          {open.map((release) => (
            <SingleSelectOption key={release.id} value={String(release.id)}>
              {release.name}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      )}
    </Flex>
  );
};

const DiffTable = ({ changes }: { changes: FieldChange[] }) => {
  const t = useT();
  if (!changes.length) return <Typography variant="pi">{t('history.same', 'No differences')}</Typography>;
  return (
    <Flex direction="column" gap={2} alignItems="stretch" data-testid="editorial-diff">
      {changes.map(({ field, before, after }) => (
        <Box key={field}>
          <Typography variant="pi" fontWeight="bold">
            {field}
          </Typography>
          <Box background="danger100" padding={1}>
            <Typography variant="pi">− {show(before)}</Typography>
          </Box>
          <Box background="success100" padding={1}>
            <Typography variant="pi">+ {show(after)}</Typography>
          </Box>
        </Box>
      ))}
    </Flex>
  );
};

export const HistorySection = ({ target }: { target: Target }) => {
  const t = useT();
  const { toggleNotification } = useNotification();
  const { data: versions = [] } = useGetVersionsQuery(target);
  const [restore, { isLoading }] = useRestoreMutation();
  const [from, setFrom] = useState<string>('');
  const [to, setTo] = useState<string>('current');
  const { data: changes } = useGetDiffQuery({ ...target, from, to }, { skip: !from });

  const label = (id: string) => {
    if (id === 'current') return t('history.current', 'Current draft');
    if (id === 'published') return t('history.published', 'Published version');
    const version = versions.find((item) => String(item.id) === id);
    return version
      ? `#${version.number} · ${new Date(version.createdAt).toLocaleString()} · ${version.actorName ?? ''}`
      : id;
  };
  const options = ['current', 'published', ...versions.map(({ id }) => String(id))];

  return (
    <Flex direction="column" gap={2} alignItems="stretch" data-testid="editorial-history">
      {versions.slice(0, 10).map((version) => (
        <Flex key={version.id} justifyContent="space-between" gap={1}>
          <Box>
            <Typography variant="pi" fontWeight="bold">
              #{version.number}
            </Typography>{' '}
            <Typography variant="pi">{version.summary}</Typography>
            <Typography variant="pi" textColor="neutral500" tag="p">
              {new Date(version.createdAt).toLocaleString()} · {version.actorName}
            </Typography>
          </Box>
          {!version.current && (
            <Button
              size="S"
              variant="ghost"
              loading={isLoading}
              onClick={async () => {
                const result = await restore({ ...target, id: version.id });
                toggleNotification(
                  'error' in result
                    ? { type: 'danger', message: errorMessage(result.error) }
                    : {
                        type: 'success',
                        message: t('history.restored', 'Restored into the draft: it needs review again'),
                      },
                );
              }}
            >
              {t('history.restore', 'Restore')}
            </Button>
          )}
        </Flex>
      ))}
      <SingleSelect
        size="S"
        aria-label={t('history.from', 'Compare')}
        placeholder={t('history.from', 'Compare')}
        value={from}
        onChange={(value: string | number) => setFrom(String(value))}
      >
        {options.map((id) => (
          <SingleSelectOption key={id} value={id}>
            {label(id)}
          </SingleSelectOption>
        ))}
      </SingleSelect>
      <SingleSelect
        size="S"
        aria-label={t('history.to', 'with')}
        value={to}
        onChange={(value: string | number) => setTo(String(value))}
      >
        {options.map((id) => (
          <SingleSelectOption key={id} value={id}>
            {label(id)}
          </SingleSelectOption>
        ))}
      </SingleSelect>
      {from && changes && <DiffTable changes={changes} />}
    </Flex>
  );
};
