/**
 * The edit view's side panel: stage, the moves the current user may make, assignee and due
 * date, and the comment thread of the open document-locale.
 */
import { useState } from 'react';
import { Box, Button, Flex, SingleSelect, SingleSelectOption, Textarea, Typography } from '@strapi/design-system';
import { useNotification, useQueryParams } from '@strapi/strapi/admin';
import {
  errorMessage,
  useAssignMutation,
  useCommentMutation,
  useGetAssigneesQuery,
  useGetWorkflowQuery,
  useTransitionMutation,
  type Comment,
  type Target,
  type Transition,
  type WorkflowView,
} from '../api';
import { ConflictNotice, HistorySection, ReleaseSection, ScheduleSection } from './SafetyNets';
import { StageBadge } from './StageBadge';
import { DayPicker } from './DatePickers';
import { MissingTranslation, SOURCE_LOCALE, TranslationSection } from './TranslationSection';
import { useReason } from './reasons';
import { useT } from './useT';
import { useFormatTime } from './names';

const TRANSITION_LABELS: Record<Transition, string> = {
  submit: 'Submit for review',
  withdraw: 'Withdraw',
  request_changes: 'Request changes',
  approve: 'Approve',
  publish: 'Publish',
  unpublish: 'Unpublish',
};

const VARIANT: Record<Transition, 'default' | 'secondary' | 'success' | 'danger-light' | 'tertiary'> = {
  submit: 'default',
  withdraw: 'tertiary',
  request_changes: 'danger-light',
  approve: 'success',
  publish: 'default',
  unpublish: 'danger-light',
};

const personName = (user?: { firstname?: string; lastname?: string; email?: string } | null) =>
  user ? [user.firstname, user.lastname].filter(Boolean).join(' ') || user.email || '' : '';

const isTransition = (action: string): action is Transition => action in TRANSITION_LABELS;

const Transitions = ({ target, view }: { target: Target; view: WorkflowView }) => {
  const t = useT();
  const because = useReason();
  const { toggleNotification } = useNotification();
  const [transition, { isLoading }] = useTransitionMutation();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');

  const run = async (name: Transition, why?: string) => {
    const result = await transition({ ...target, transition: name, reason: why });
    if ('error' in result) {
      toggleNotification({ type: 'danger', message: errorMessage(result.error) });
      return;
    }
    setAsking(false);
    setReason('');
    toggleNotification({ type: 'success', message: t(`done.${name}`, 'Done') });
  };

  const shown = view.actions.filter(({ action }) => isTransition(action));
  const usable = shown.filter(({ allowed }) => allowed);
  return (
    <Flex direction="column" gap={2} alignItems="stretch">
      {!usable.length && (
        <Typography variant="pi" textColor="neutral600">
          {t('panel.noActions', 'Nothing for you to do at this stage.')}
        </Typography>
      )}
      {shown.map(({ action, allowed, reason: code }) => {
        const name = action as Transition;
        if (!allowed) {
          // Shown disabled, with the reason: what stands between this content and that step.
          return (
            <Flex key={name} direction="column" gap={1} alignItems="stretch">
              <Button fullWidth variant="tertiary" disabled data-testid={`editorial-${name}`}>
                {t(`transition.${name}`, TRANSITION_LABELS[name])}
              </Button>
              <Typography variant="pi" textColor="neutral600" data-testid={`editorial-${name}-reason`} data-code={code}>
                {because(code)}
              </Typography>
            </Flex>
          );
        }
        return name === 'request_changes' && asking ? (
          <Flex key={name} direction="column" gap={2} alignItems="stretch">
            <Textarea
              name="reason"
              aria-label={t('panel.reason', 'What needs to change?')}
              placeholder={t('panel.reason', 'What needs to change?')}
              value={reason}
              onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) => setReason(event.target.value)}
            />
            <Flex gap={2}>
              <Button
                variant="danger-light"
                loading={isLoading}
                disabled={!reason.trim()}
                onClick={() => run(name, reason)}
              >
                {t('panel.sendBack', 'Send back')}
              </Button>
              <Button variant="tertiary" onClick={() => setAsking(false)}>
                {t('panel.cancel', 'Cancel')}
              </Button>
            </Flex>
          </Flex>
        ) : (
          <Button
            key={name}
            fullWidth
            variant={VARIANT[name]}
            loading={isLoading}
            data-testid={`editorial-${name}`}
            onClick={() => (name === 'request_changes' ? setAsking(true) : run(name))}
          >
            {t(`transition.${name}`, TRANSITION_LABELS[name])}
          </Button>
        );
      })}
    </Flex>
  );
};

const Assignment = ({ target, view }: { target: Target; view: WorkflowView }) => {
  const t = useT();
  const { toggleNotification } = useNotification();
  const { data: people = [] } = useGetAssigneesQuery();
  const [assign, { isLoading }] = useAssignMutation();
  const [assigneeId, setAssigneeId] = useState<string>(view.assignee ? String(view.assignee.id) : '');
  const [dueDate, setDueDate] = useState<string>(view.dueDate ?? '');

  const save = async () => {
    const result = await assign({
      ...target,
      assigneeId: assigneeId ? Number(assigneeId) : null,
      dueDate: dueDate || null,
    });
    toggleNotification(
      'error' in result
        ? { type: 'danger', message: errorMessage(result.error) }
        : { type: 'success', message: t('panel.assigned', 'Assignment saved') },
    );
  };

  return (
    <Flex direction="column" gap={2} alignItems="stretch">
      <SingleSelect
        aria-label={t('panel.assignee', 'Assignee')}
        placeholder={t('panel.assignee', 'Assignee')}
        value={assigneeId}
        onChange={(value: string | number) => setAssigneeId(String(value))}
        onClear={() => setAssigneeId('')}
        clearLabel={t('filter.clear', 'Clear')}
      >
        {people.map((person) => (
          <SingleSelectOption key={person.id} value={String(person.id)}>
            {person.name}
          </SingleSelectOption>
        ))}
      </SingleSelect>
      <DayPicker name="dueDate" label={t('panel.dueDate', 'Due date')} value={dueDate} onChange={setDueDate} />
      <Button variant="secondary" loading={isLoading} onClick={save}>
        {t('panel.saveAssignment', 'Save assignment')}
      </Button>
    </Flex>
  );
};

const Comments = ({ target, comments, canPost }: { target: Target; comments: Comment[]; canPost: boolean }) => {
  const t = useT();
  const formatTime = useFormatTime();
  const { toggleNotification } = useNotification();
  const [post, { isLoading }] = useCommentMutation();
  const [text, setText] = useState('');
  const [replyTo, setReplyTo] = useState<Comment | null>(null);

  const send = async () => {
    const result = await post({ ...target, body: text, parentId: replyTo?.id ?? null });
    if ('error' in result) {
      toggleNotification({ type: 'danger', message: errorMessage(result.error) });
      return;
    }
    setText('');
    setReplyTo(null);
  };

  const threads = comments.filter(({ parentId }) => !parentId);
  const replies = (id: number) => comments.filter(({ parentId }) => parentId === id);
  const Item = ({ comment, indent }: { comment: Comment; indent: boolean }) => (
    <Box paddingLeft={indent ? 4 : 0} paddingTop={2}>
      <Typography variant="pi" fontWeight="bold">
        {personName(comment.author)}
      </Typography>{' '}
      <Typography variant="pi" textColor="neutral500">
        {formatTime(comment.createdAt)}
      </Typography>
      <Box>
        <Typography variant="omega">{comment.body}</Typography>
      </Box>
      {!indent && canPost && (
        <Button variant="ghost" size="S" onClick={() => setReplyTo(comment)}>
          {t('panel.reply', 'Reply')}
        </Button>
      )}
    </Box>
  );

  return (
    <Flex direction="column" gap={1} alignItems="stretch">
      {threads.map((comment) => (
        <Box key={comment.id}>
          <Item comment={comment} indent={false} />
          {replies(comment.id).map((reply) => (
            <Item key={reply.id} comment={reply} indent />
          ))}
        </Box>
      ))}
      {replyTo && (
        <Typography variant="pi" textColor="neutral600">
          {t('panel.replyingTo', 'Replying to {name}', { name: personName(replyTo.author) })}
        </Typography>
      )}
      {canPost && (
        <>
          <Textarea
            name="comment"
            aria-label={t('panel.comment', 'Comment')}
            placeholder={t('panel.comment', 'Comment')}
            value={text}
            onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) => setText(event.target.value)}
          />
          <Button variant="secondary" loading={isLoading} disabled={!text.trim()} onClick={send}>
            {t('panel.post', 'Post comment')}
          </Button>
        </>
      )}
    </Flex>
  );
};

/** The assignee and due date, for those who may not change them. */
const AssignmentText = ({ view }: { view: WorkflowView }) => {
  const t = useT();
  if (!view.assignee && !view.dueDate) return null;
  return (
    <Typography variant="pi" data-testid="editorial-assignee">
      {[
        view.assignee ? t('panel.assignedTo', 'Assigned to {name}', { name: personName(view.assignee) }) : '',
        view.dueDate ? t('panel.due', 'due {date}', { date: view.dueDate }) : '',
      ]
        .filter(Boolean)
        .join(', ')}
    </Typography>
  );
};

const PanelBody = ({ target }: { target: Target }) => {
  const t = useT();
  const because = useReason();
  // Polled, so that a colleague's save shows up as a conflict before this editor saves; this
  // editor's own saves refetch it at once (see savedWith in ../api).
  const { data: view, isLoading, error } = useGetWorkflowQuery(target, { pollingInterval: 10000 });
  if (isLoading) return <Typography variant="pi">…</Typography>;
  if (error || !view) return null;
  if (view.missing) return <MissingTranslation target={target} view={view} />;
  const action = (name: string) => view.actions.find((item) => item.action === name);
  const schedule = action('schedule');
  return (
    <Flex direction="column" gap={4} alignItems="stretch" width="100%" data-testid="editorial-panel">
      <ConflictNotice target={target} view={view} />
      <Flex gap={2} wrap="wrap">
        {view.stage && <StageBadge stage={view.stage} />}
        {view.stage === 'approved' && !view.approvalCurrent && (
          <Typography variant="pi" textColor="danger600">
            {t('panel.staleApproval', 'Changed since approval')}
          </Typography>
        )}
      </Flex>
      {view.reason && (
        <Box background="warning100" padding={2} hasRadius>
          <Typography variant="pi">{view.reason}</Typography>
        </Box>
      )}
      <Transitions target={target} view={view} />
      {target.locale && target.locale !== SOURCE_LOCALE && (
        <Box>
          <Typography variant="sigma" textColor="neutral600">
            {t('panel.translation', 'Translation')}
          </Typography>
          <TranslationSection target={target} />
        </Box>
      )}
      {schedule && (
        <Box>
          <Typography variant="sigma" textColor="neutral600">
            {t('panel.schedule', 'Schedule')}
          </Typography>
          <ScheduleSection target={target} view={view} />
          {!schedule.allowed && (
            <Typography variant="pi" textColor="neutral600" data-testid="editorial-schedule-reason">
              {because(schedule.reason)}
            </Typography>
          )}
        </Box>
      )}
      {action('release') && (
        <Box>
          <Typography variant="sigma" textColor="neutral600">
            {t('panel.releases', 'Releases')}
          </Typography>
          <ReleaseSection target={target} view={view} />
        </Box>
      )}
      {(action('assign') || view.assignee || view.dueDate) && (
        <Box>
          <Typography variant="sigma" textColor="neutral600">
            {t('panel.assignment', 'Assignment')}
          </Typography>
          {action('assign') ? (
            <Assignment key={`${view.assignee?.id}-${view.dueDate}`} target={target} view={view} />
          ) : (
            <AssignmentText view={view} />
          )}
        </Box>
      )}
      <Box>
        <Typography variant="sigma" textColor="neutral600">
          {t('panel.comments', 'Comments')} ({view.comments.length})
        </Typography>
        <Comments target={target} comments={view.comments} canPost={!!action('comment')} />
      </Box>
      <Box>
        <Typography variant="sigma" textColor="neutral600">
          {t('panel.history', 'History')}
        </Typography>
        <HistorySection target={target} canRestore={!!action('restore')} />
      </Box>
    </Flex>
  );
};

interface PanelProps {
  model: string;
  documentId?: string;
  document?: { documentId?: string; locale?: string } | null;
}

/** Registered with the Content Manager's addEditViewSidePanel. */
export const WorkflowPanel = ({ model, documentId, document }: PanelProps) => {
  const [{ query }] = useQueryParams<{ plugins?: { i18n?: { locale?: string } } }>();
  const t = useT();
  const id = documentId ?? document?.documentId;
  if (!id || !model.startsWith('api::')) return null;
  const locale = document?.locale ?? query.plugins?.i18n?.locale;
  return {
    title: t('panel.title', 'Review workflow'),
    content: <PanelBody target={{ model, documentId: id, locale }} />,
  };
};
