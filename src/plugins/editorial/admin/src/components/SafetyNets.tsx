/**
 * The side panel's safety nets: a conflict notice when someone else saved since you opened the
 * document, its schedule, the releases it belongs to, and its version history with diff and
 * restore.
 */
import { useState, type ReactNode } from 'react';
import { useIntl } from 'react-intl';
import { NavLink } from 'react-router-dom';
import { Box, Button, Dialog, Flex, Link, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
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
import { describe, describeVersion } from '../../../../../lib/messages';
import { blocksText, diffRefs, diffText, type DiffPart } from '../../../../../lib/text-diff';
import { useMessages } from '../messages';
import { useActorName, useZoneName } from './names';
import { ReleaseFailure } from './ReleaseFailure';
import { WallClockPicker } from './DatePickers';

/** A value as text: rich text (blocks) as its words, other structures as compact JSON. */
const asText = (value: unknown, type?: string): string => {
  if (value === null || value === undefined) return '';
  if (type === 'blocks' || (Array.isArray(value) && (value as { type?: unknown }[])[0]?.type !== undefined))
    return blocksText(value);
  return typeof value === 'object' ? JSON.stringify(value, null, 1) : String(value);
};

const show = (value: unknown, type?: string) => asText(value, type) || '—';

/** Text with what was removed struck through (red) and what was added underlined (green). */
const MarkedText = ({ parts }: { parts: DiffPart[] }) => (
  <Typography variant="pi" tag="p" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
    {parts.map((part, index) =>
      part.op === 'same' ? (
        <span key={index}>{part.text}</span>
      ) : part.op === 'del' ? (
        <del key={index} data-diff="del" style={{ background: '#fcecea', color: '#b72b1a' }}>
          {part.text}
        </del>
      ) : (
        <ins key={index} data-diff="add" style={{ background: '#eafbe7', color: '#2f6846' }}>
          {part.text}
        </ins>
      ),
    )}
  </Typography>
);

/** The editor's name for a field: its label where one is known (src/admin's labels). */
const useFieldLabel = (uid?: string) => {
  const context = useMessages(uid);
  return (field: string) => context.label?.(field) ?? field;
};

/**
 * After a refused save the form shows the saved version again; the editor's own text stays here,
 * beside the saved one, field by field, with a copy button: nothing typed is lost.
 */
const MineBesideTheirs = ({
  uid,
  values,
}: {
  uid: string;
  values: Record<string, { mine: unknown; theirs: unknown }>;
}) => {
  const t = useT();
  const label = useFieldLabel(uid);
  const [copied, setCopied] = useState<string | null>(null);
  const fields = Object.keys(values);
  if (!fields.length) return null;
  const copy = async (field: string, text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(field);
    } catch {
      setCopied(null); // no clipboard (an insecure origin): the text is still there to select
    }
  };
  return (
    <Flex direction="column" gap={2} alignItems="stretch" paddingTop={2} data-testid="editorial-conflict-values">
      <Typography variant="pi" textColor="neutral700">
        {t('conflict.compareHint', 'Nothing you typed is lost: copy what you need, or keep yours.')}
      </Typography>
      {fields.map((field) => {
        const mine = asText(values[field].mine);
        const theirs = asText(values[field].theirs);
        return (
          <Box key={field} background="neutral0" padding={2} hasRadius>
            <Typography variant="pi" fontWeight="bold" tag="p">
              {label(field)}
            </Typography>
            <Flex gap={2} alignItems="flex-start" wrap="wrap">
              <Box flex="1" minWidth="10rem" data-testid="editorial-conflict-mine">
                <Flex justifyContent="space-between" gap={1}>
                  <Typography variant="sigma">{t('conflict.yours', 'Your text (not saved)')}</Typography>
                  <Button size="S" variant="ghost" onClick={() => copy(field, mine)}>
                    {copied === field ? t('conflict.copied', 'Copied') : t('conflict.copy', 'Copy')}
                  </Button>
                </Flex>
                <Typography variant="pi" tag="p" style={{ whiteSpace: 'pre-wrap', userSelect: 'text' }}>
                  {mine || '—'}
                </Typography>
              </Box>
              <Box flex="1" minWidth="10rem" data-testid="editorial-conflict-theirs">
                <Typography variant="sigma">{t('conflict.theirs', 'Their version (saved)')}</Typography>
                <MarkedText parts={diffText(mine, theirs)} />
              </Box>
            </Flex>
          </Box>
        );
      })}
    </Flex>
  );
};

export const ConflictNotice = ({ target, view }: { target: Target; view: WorkflowView }) => {
  const t = useT();
  const { locale: language } = useIntl();
  const { toggleNotification } = useNotification();
  const [resolve, { isLoading }] = useResolveConflictMutation();
  const label = useFieldLabel(target.model);
  const describe = ({ changedBy, changedAt, fields }: NonNullable<WorkflowView['conflict']>) =>
    t('conflict.detail', '{who} changed {fields} at {when}.', {
      who: changedBy ?? t('conflict.someone', 'Someone'),
      fields: fields?.length ? fields.map(label).join(', ') : t('conflict.someFields', 'some fields'),
      when: changedAt ? new Date(changedAt).toLocaleString(language) : '?',
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
            {t('conflict.mine', 'Your refused save changes: {fields}.', {
              fields: view.conflict.mine.map(label).join(', '),
            })}
          </Typography>
        ) : null}
        <MineBesideTheirs uid={target.model} values={view.conflict.values ?? {}} />
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
  const { locale: language } = useIntl();
  const zoneName = useZoneName();
  const zone = zoneName(view.timeZone);
  // A scheduled time as the clock in the schedule's zone shows it, in the interface language.
  const when = (runAt: string) =>
    t('schedule.when', '{time} ({zone})', {
      time: new Date(runAt).toLocaleString(language, { timeZone: view.timeZone }),
      zone,
    });
  const messages = useMessages(target.model);
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
            {t(`schedule.${job.action}`, job.action)} · {when(job.runAt)}
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
            action: t(`schedule.${job.action}`, job.action),
            // Stored as a code since it has one; the English text for older rows.
            reason: describe(
              job.lastErrorCode ? { code: job.lastErrorCode, params: job.lastErrorParams ?? {} } : undefined,
              job.lastError,
              messages,
            ),
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
          <WallClockPicker
            name="scheduleAt"
            label={t('schedule.at', 'When ({zone})', { zone })}
            dateLabel={t('schedule.date', 'Date ({zone})', { zone })}
            timeLabel={t('schedule.time', 'Time ({zone})', { zone })}
            onChange={setAt}
          />
          <Typography variant="pi" textColor="neutral600">
            {t('schedule.zone', 'Times are in {zone}', { zone })}
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
          {!at && (
            <Typography variant="pi" textColor="neutral600" data-testid="editorial-schedule-submit-reason">
              {t('schedule.pickTime', 'Choose a date and time first.')}
            </Typography>
          )}
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
  // Nothing to show and nothing to add to: say so, and where releases are made.
  if (!view.releases.length && !open.length)
    return (
      <Flex direction="column" gap={1} alignItems="flex-start" data-testid="editorial-release-none">
        <Typography variant="pi" textColor="neutral600">
          {t(
            'release.none',
            'No releases yet. To publish several pages together, create a release on the Releases page (Editorial → Releases), then add this page to it here.',
          )}
        </Typography>
        <Link tag={NavLink} to="/plugins/editorial/releases">
          {t('release.goToReleases', 'Go to Releases')}
        </Link>
      </Flex>
    );
  return (
    <Flex direction="column" gap={2} alignItems="stretch">
      {view.releases.map((release) => (
        <Flex key={release.id} direction="column" gap={1} alignItems="stretch">
          <Typography variant="pi">
            <Link tag={NavLink} to={`/plugins/editorial/releases/${release.id}`}>
              {release.name}
            </Link>{' '}
            · {t(`release.${release.status}`, release.status)} ({t(`schedule.${release.action}`, release.action ?? '')})
          </Typography>
          {release.status === 'failed' && <ReleaseFailure failure={release} />}
        </Flex>
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

/** One side of a relation or media change: titles (or thumbnails), removed ones struck through. */
const RefList = ({ change }: { change: FieldChange }) => {
  const t = useT();
  const items = diffRefs(change.before, change.after);
  if (!items.length) return <Typography variant="pi">—</Typography>;
  return (
    <Flex gap={2} wrap="wrap" alignItems="center">
      {items.map(({ op, id }) => {
        const ref = change.refs?.[id];
        const name = ref
          ? ref.title || t('history.noTitle', '(untitled)')
          : t('history.hiddenRef', 'an entry you may not read');
        const Mark = op === 'del' ? 'del' : op === 'add' ? 'ins' : 'span';
        return (
          <Flex
            key={`${op}-${id}`}
            gap={1}
            alignItems="center"
            padding={1}
            hasRadius
            background={op === 'del' ? 'danger100' : op === 'add' ? 'success100' : 'neutral100'}
            data-diff={op}
            title={
              op === 'del' ? t('history.removed', 'Removed') : op === 'add' ? t('history.added', 'Added') : undefined
            }
          >
            {change.type === 'media' && ref?.thumbnail && ref.mime?.startsWith('image/') ? (
              <img src={ref.thumbnail} alt={ref.title ?? ''} style={{ height: 40, width: 40, objectFit: 'cover' }} />
            ) : null}
            <Typography variant="pi">
              <Mark>{name}</Mark>
            </Typography>
          </Flex>
        );
      })}
    </Flex>
  );
};

/** A field name as the editor reads it; a repeatable component's item keeps its number ("#2 caption"). */
const fieldName = (field: string, label: (field: string) => string) => {
  const [, item, inner] = /^(#\d+) ?(.*)$/.exec(field) ?? [];
  return item ? `${item}${inner ? ` ${label(inner)}` : ''}` : label(field);
};

const DiffRow = ({ uid, change }: { uid: string; change: FieldChange }) => {
  const label = useFieldLabel(uid);
  const { before, after, type } = change;
  let body: ReactNode;
  if (change.children?.length)
    body = (
      <Box paddingLeft={3}>
        {change.children.map((child) => (
          <DiffRow key={child.field} uid={uid} change={child} />
        ))}
      </Box>
    );
  else if (type === 'relation' || type === 'media') body = <RefList change={change} />;
  else if (type === 'json' || type === 'dynamiczone' || type === 'component')
    body = (
      <>
        <Box background="danger100" padding={1}>
          <Typography variant="pi" style={{ whiteSpace: 'pre-wrap' }}>
            − {show(before, type)}
          </Typography>
        </Box>
        <Box background="success100" padding={1}>
          <Typography variant="pi" style={{ whiteSpace: 'pre-wrap' }}>
            + {show(after, type)}
          </Typography>
        </Box>
      </>
    );
  // Text, rich text, numbers, dates: one text with the changes marked.
  else
    body = (
      <Box background="neutral100" padding={1} data-testid="editorial-diff-text">
        <MarkedText parts={diffText(asText(before, type), asText(after, type))} />
      </Box>
    );
  return (
    <Box data-field={change.field} paddingBottom={1}>
      <Typography variant="pi" fontWeight="bold">
        {fieldName(change.field, label)}
      </Typography>
      {body}
    </Box>
  );
};

const DiffTable = ({ uid, changes }: { uid: string; changes: FieldChange[] }) => {
  const t = useT();
  if (!changes.length) return <Typography variant="pi">{t('history.same', 'No differences')}</Typography>;
  return (
    <Flex direction="column" gap={2} alignItems="stretch" data-testid="editorial-diff">
      <Typography variant="pi" textColor="neutral600">
        {t('history.legend', 'Struck through: removed · underlined: added')}
      </Typography>
      {changes.map((change) => (
        <DiffRow key={change.field} uid={uid} change={change} />
      ))}
    </Flex>
  );
};

/** Restore asks first: it replaces the draft (which stays in the history). */
const RestoreButton = ({
  version,
  loading,
  onConfirm,
}: {
  version: { number: number; createdAt: string; actorName: string | null };
  loading: boolean;
  onConfirm: () => Promise<void>;
}) => {
  const t = useT();
  const actorName = useActorName();
  const { locale: language } = useIntl();
  const [open, setOpen] = useState(false);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger>
        <Button size="S" variant="ghost" loading={loading} data-testid="editorial-restore">
          {t('history.restore', 'Restore')}
        </Button>
      </Dialog.Trigger>
      <Dialog.Content data-testid="editorial-restore-dialog">
        <Dialog.Header>
          {t('history.confirmTitle', 'Restore version {number}?', { number: version.number })}
        </Dialog.Header>
        <Dialog.Body>
          <Typography tag="p">
            {t(
              'history.confirmBody',
              'The draft is replaced by version {number} ({when}, {who}). The current draft stays in the history and can be restored again. The restored draft needs review again.',
              {
                number: version.number,
                when: new Date(version.createdAt).toLocaleString(language),
                who: actorName(version.actorName),
              },
            )}
          </Typography>
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button variant="tertiary">{t('panel.cancel', 'Cancel')}</Button>
          </Dialog.Cancel>
          <Dialog.Action>
            <Button
              variant="danger-light"
              data-testid="editorial-restore-confirm"
              onClick={async () => {
                setOpen(false);
                await onConfirm();
              }}
            >
              {t('history.confirm', 'Restore')}
            </Button>
          </Dialog.Action>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};

/** The version history; Restore only for those the server lets restore (`canRestore`, from the panel's actions). */
export const HistorySection = ({ target, canRestore }: { target: Target; canRestore: boolean }) => {
  const t = useT();
  const actorName = useActorName();
  const { locale: language } = useIntl();
  const messages = useMessages(target.model);
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
      ? `#${version.number} · ${new Date(version.createdAt).toLocaleString(language)} · ${actorName(version.actorName)}`
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
            <Typography variant="pi">{describe(describeVersion(version), version.summary, messages)}</Typography>
            <Typography variant="pi" textColor="neutral500" tag="p">
              {new Date(version.createdAt).toLocaleString(language)} · {actorName(version.actorName)}
            </Typography>
          </Box>
          {canRestore && !version.current && (
            <RestoreButton
              version={version}
              loading={isLoading}
              onConfirm={async () => {
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
            />
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
      {from && changes && <DiffTable uid={target.model} changes={changes} />}
    </Flex>
  );
};
