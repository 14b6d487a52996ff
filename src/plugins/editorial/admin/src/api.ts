/**
 * The plugin's admin API as RTK Query endpoints on Strapi's shared `adminApi`, so that moves
 * which publish or unpublish also refresh the Content Manager's cached document.
 */
import { adminApi } from '@strapi/strapi/admin';

export type Stage = 'draft' | 'in_review' | 'changes_requested' | 'approved' | 'published' | 'unpublished';
export type Transition = 'submit' | 'withdraw' | 'request_changes' | 'approve' | 'publish' | 'unpublish';

export interface AdminUserRef {
  id: number;
  firstname?: string;
  lastname?: string;
  email?: string;
}

export interface Comment {
  id: number;
  body: string;
  parentId: number | null;
  createdAt: string;
  author?: AdminUserRef | null;
}

export interface ScheduleItem {
  id: number;
  action: 'publish' | 'unpublish' | 'release';
  runAt: string;
  runAtLocal: string;
  status: 'pending' | 'done' | 'failed' | 'cancelled';
  createdByName: string | null;
  lastError: string | null;
  lastErrorCode?: string | null;
  lastErrorParams?: Record<string, unknown> | null;
}

export interface ReleaseRef {
  id: number;
  name: string;
  status: 'open' | 'scheduled' | 'released' | 'failed';
  action?: 'publish' | 'unpublish';
  scheduledAt?: string | null;
  entries?: number;
  /** Why it was not published (a failed release), as stored: see lib/release-failure. */
  lastError?: string | null;
  lastErrorCode?: string | null;
  lastErrorParams?: Record<string, unknown> | null;
}

export interface Conflict {
  version: string | null;
  changedBy: string | null;
  changedAt: string | null;
  fields: string[] | null;
  /** For a refused save: the fields it would have changed. */
  mine?: string[];
  /** For a refused save: the editor's value and the saved one, per readable (non-relation) field. */
  values?: Record<string, { mine: unknown; theirs: unknown }>;
}

export interface VersionItem {
  id: number;
  number: number;
  createdAt: string;
  actorName: string | null;
  summary: string | null;
  fields: string[] | null;
  current: boolean;
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
  /** The attribute's type (blocks, relation, media, string…). */
  type?: string;
  /** Related documents' titles and media files' names and thumbnails, by id. */
  refs?: Record<string, { title: string | null; thumbnail?: string; mime?: string }>;
  /** A component's change as its own fields' changes ("#2 caption" in a repeatable one). */
  children?: FieldChange[];
}

export type TranslationStatus = 'missing' | 'outdated' | 'draft' | 'in_review' | 'published';

export interface TranslationDetail {
  uid: string;
  documentId: string;
  locale: string;
  status: TranslationStatus;
  stage: Stage | null;
  title: string;
  outdated: { field: string; before: unknown; after: unknown }[];
  untranslated: string[];
  glossary: { field: string; source: string; expected: string }[];
  /** Glossary terms the source uses, with this language's fixed rendering. */
  terms: { source: string; target: string }[];
  machineTranslation: boolean;
}

export type PanelAction = Transition | 'schedule' | 'release' | 'assign' | 'comment' | 'fill';

/** A control the server would let this user see: usable now, or not and why (a code). */
export interface AllowedAction {
  action: PanelAction;
  allowed: boolean;
  reason?: string;
}

export interface WorkflowView {
  /** The document has no version in this locale yet (a translation nobody has started). */
  missing: boolean;
  stage: Stage | null;
  actions: AllowedAction[];
  reason: string | null;
  lastEditor: string | null;
  approvedBy: string | null;
  approvalCurrent: boolean;
  stageChangedAt: string | null;
  stageChangedBy: string | null;
  assignee: AdminUserRef | null;
  dueDate: string | null;
  transitions: Transition[];
  comments: Comment[];
  live: boolean;
  version: string | null;
  timeZone: string;
  schedules: ScheduleItem[];
  releases: ReleaseRef[];
  conflict: Conflict | null;
  stale: Conflict | null;
}

export interface Target {
  model: string;
  documentId: string;
  locale?: string;
}

const base = ({ model, documentId }: Target) => `/editorial/documents/${model}/${documentId}`;
const params = ({ locale }: Target) => ({ params: locale ? { locale } : {} });

const workflowTag = ({ model, documentId, locale }: Target) => ({
  type: 'EditorialWorkflow' as const,
  id: `${model}_${documentId}_${locale}`,
});
const documentTags = ({ model, documentId }: Target) => [
  { type: 'Document' as const, id: `${model}_${documentId}` },
  { type: 'Document' as const, id: `${model}_LIST` },
];

/**
 * The Content Manager's own save, publish, unpublish and discard invalidate these tags of the
 * document (collection types by documentId, single types by model): the panel refetches right
 * after them instead of showing the state from before the save until its next poll.
 */
const savedWith = ({ model, documentId }: Target) => [
  { type: 'Document' as const, id: `${model}_${documentId}` },
  { type: 'Document' as const, id: model },
];

const editorialApi = adminApi
  .enhanceEndpoints({ addTagTypes: ['EditorialWorkflow', 'Document', 'EditorialRelease'] })
  .injectEndpoints({
    endpoints: (builder) => ({
      getWorkflow: builder.query<WorkflowView, Target>({
        query: (target) => ({ url: base(target), method: 'GET', config: params(target) }),
        transformResponse: (response: { data: WorkflowView }) => response.data,
        providesTags: (_result, _error, target) => [workflowTag(target), ...savedWith(target)],
      }),
      transition: builder.mutation<WorkflowView, Target & { transition: Transition; reason?: string }>({
        query: ({ transition, reason, ...target }) => ({
          url: `${base(target)}/transitions`,
          method: 'POST',
          data: { transition, reason },
          config: params(target),
        }),
        transformResponse: (response: { data: WorkflowView }) => response.data,
        invalidatesTags: (_result, error, { model, documentId, locale }) =>
          error
            ? []
            : [
                { type: 'EditorialWorkflow', id: `${model}_${documentId}_${locale}` },
                { type: 'Document', id: `${model}_${documentId}` },
                { type: 'Document', id: `${model}_LIST` },
              ],
      }),
      assign: builder.mutation<WorkflowView, Target & { assigneeId: number | null; dueDate: string | null }>({
        query: ({ assigneeId, dueDate, ...target }) => ({
          url: `${base(target)}/assignment`,
          method: 'PUT',
          data: { assigneeId, dueDate },
          config: params(target),
        }),
        transformResponse: (response: { data: WorkflowView }) => response.data,
        invalidatesTags: (_result, error, { model, documentId, locale }) =>
          error ? [] : [{ type: 'EditorialWorkflow', id: `${model}_${documentId}_${locale}` }],
      }),
      comment: builder.mutation<WorkflowView, Target & { body: string; parentId?: number | null }>({
        query: ({ body, parentId, ...target }) => ({
          url: `${base(target)}/comments`,
          method: 'POST',
          data: { body, parentId },
          config: params(target),
        }),
        transformResponse: (response: { data: WorkflowView }) => response.data,
        invalidatesTags: (_result, error, { model, documentId, locale }) =>
          error ? [] : [{ type: 'EditorialWorkflow', id: `${model}_${documentId}_${locale}` }],
      }),
      getVersions: builder.query<VersionItem[], Target>({
        query: (target) => ({ url: `${base(target)}/versions`, method: 'GET', config: params(target) }),
        transformResponse: (response: { data: VersionItem[] }) => response.data,
        providesTags: (_result, _error, target) => [workflowTag(target), ...savedWith(target)],
      }),
      getDiff: builder.query<FieldChange[], Target & { from: string; to: string }>({
        query: ({ from, to, ...target }) => ({
          url: `${base(target)}/diff`,
          method: 'GET',
          config: { params: { locale: target.locale, from, to } },
        }),
        transformResponse: (response: { data: FieldChange[] }) => response.data,
        providesTags: (_result, _error, target) => [workflowTag(target), ...savedWith(target)],
      }),
      restore: builder.mutation<WorkflowView, Target & { id: number }>({
        query: ({ id, ...target }) => ({
          url: `${base(target)}/versions/${id}/restore`,
          method: 'POST',
          config: params(target),
        }),
        transformResponse: (response: { data: WorkflowView }) => response.data,
        invalidatesTags: (_result, error, target) => (error ? [] : [workflowTag(target), ...documentTags(target)]),
      }),
      resolveConflict: builder.mutation<WorkflowView, Target & { keep: 'mine' | 'theirs' }>({
        query: ({ keep, ...target }) => ({
          url: `${base(target)}/conflict/${keep === 'mine' ? 'keep-mine' : 'take-theirs'}`,
          method: 'POST',
          config: params(target),
        }),
        transformResponse: (response: { data: WorkflowView }) => response.data,
        // Keeping mine changes the document: the Content Manager reloads it into the form.
        invalidatesTags: (_result, error, target) => [workflowTag(target), ...(error ? [] : documentTags(target))],
      }),
      schedule: builder.mutation<WorkflowView, Target & { action: 'publish' | 'unpublish'; at: string }>({
        query: ({ action, at, ...target }) => ({
          url: `${base(target)}/schedule`,
          method: 'PUT',
          data: { action, at },
          config: params(target),
        }),
        transformResponse: (response: { data: WorkflowView }) => response.data,
        invalidatesTags: (_result, error, target) => (error ? [] : [workflowTag(target)]),
      }),
      unschedule: builder.mutation<WorkflowView, Target & { action: 'publish' | 'unpublish' }>({
        query: ({ action, ...target }) => ({
          url: `${base(target)}/schedule`,
          method: 'DELETE',
          config: { params: { locale: target.locale, action } },
        }),
        transformResponse: (response: { data: WorkflowView }) => response.data,
        invalidatesTags: (_result, error, target) => (error ? [] : [workflowTag(target)]),
      }),
      // Not `getReleases`: Strapi's content-releases plugin has one on the same shared API, which
      // wins (it is injected first), so ours asked /content-releases and got a 404.
      getEditorialReleases: builder.query<ReleaseRef[], void>({
        query: () => ({ url: '/editorial/releases', method: 'GET' }),
        transformResponse: (response: { data: ReleaseRef[] }) => response.data,
        providesTags: ['EditorialRelease'],
      }),
      addToRelease: builder.mutation<unknown, Target & { releaseId: number; action: 'publish' | 'unpublish' }>({
        query: ({ releaseId, action, model, documentId, locale }) => ({
          url: `/editorial/releases/${releaseId}/entries`,
          method: 'POST',
          data: { uid: model, documentId, locale, action },
        }),
        invalidatesTags: (_result, error, target) => (error ? [] : [workflowTag(target), 'EditorialRelease']),
      }),
      getTranslation: builder.query<TranslationDetail, Target>({
        query: (target) => ({ url: `${base(target)}/translation`, method: 'GET', config: params(target) }),
        transformResponse: (response: { data: TranslationDetail }) => response.data,
        providesTags: (_result, _error, target) => [workflowTag(target), ...savedWith(target)],
      }),
      fillTranslation: builder.mutation<TranslationDetail, Target & { mode: 'source' | 'machine' }>({
        query: ({ mode, ...target }) => ({
          url: `${base(target)}/translation/fill`,
          method: 'POST',
          data: { mode },
          config: params(target),
        }),
        transformResponse: (response: { data: TranslationDetail }) => response.data,
        invalidatesTags: (_result, error, target) => (error ? [] : [workflowTag(target), ...documentTags(target)]),
      }),
      markUpToDate: builder.mutation<TranslationDetail, Target & { fields?: string[] }>({
        query: ({ fields, ...target }) => ({
          url: `${base(target)}/translation/up-to-date`,
          method: 'POST',
          data: { fields },
          config: params(target),
        }),
        transformResponse: (response: { data: TranslationDetail }) => response.data,
        invalidatesTags: (_result, error, target) => (error ? [] : [workflowTag(target)]),
      }),
      getAssignees: builder.query<{ id: number; name: string }[], void>({
        query: () => ({ url: '/editorial/assignees', method: 'GET' }),
        transformResponse: (response: { data: { id: number; name: string }[] }) => response.data,
      }),
    }),
  });

export const {
  useGetWorkflowQuery,
  useTransitionMutation,
  useAssignMutation,
  useCommentMutation,
  useGetAssigneesQuery,
  useGetVersionsQuery,
  useGetDiffQuery,
  useRestoreMutation,
  useResolveConflictMutation,
  useScheduleMutation,
  useUnscheduleMutation,
  useGetEditorialReleasesQuery: useGetReleasesQuery,
  useAddToReleaseMutation,
  useGetTranslationQuery,
  useFillTranslationMutation,
  useMarkUpToDateMutation,
} = editorialApi;

/** The message of an API error, for notifications. */
export const errorMessage = (error: unknown): string => {
  const value = error as { message?: string; data?: { error?: { message?: string } } } | undefined;
  return value?.data?.error?.message ?? value?.message ?? 'Request failed';
};
