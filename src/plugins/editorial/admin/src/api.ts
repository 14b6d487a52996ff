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

export interface WorkflowView {
  stage: Stage;
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
}

export interface Target {
  model: string;
  documentId: string;
  locale?: string;
}

const base = ({ model, documentId }: Target) => `/editorial/documents/${model}/${documentId}`;
const params = ({ locale }: Target) => ({ params: locale ? { locale } : {} });

const editorialApi = adminApi.enhanceEndpoints({ addTagTypes: ['EditorialWorkflow', 'Document'] }).injectEndpoints({
  endpoints: (builder) => ({
    getWorkflow: builder.query<WorkflowView, Target>({
      query: (target) => ({ url: base(target), method: 'GET', config: params(target) }),
      transformResponse: (response: { data: WorkflowView }) => response.data,
      providesTags: (_result, _error, { model, documentId, locale }) => [
        { type: 'EditorialWorkflow', id: `${model}_${documentId}_${locale}` },
      ],
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
    getAssignees: builder.query<{ id: number; name: string; email: string }[], void>({
      query: () => ({ url: '/editorial/assignees', method: 'GET' }),
      transformResponse: (response: { data: { id: number; name: string; email: string }[] }) => response.data,
    }),
  }),
});

export const {
  useGetWorkflowQuery,
  useTransitionMutation,
  useAssignMutation,
  useCommentMutation,
  useGetAssigneesQuery,
} = editorialApi;

/** The message of an API error, for notifications. */
export const errorMessage = (error: unknown): string => {
  const value = error as { message?: string; data?: { error?: { message?: string } } } | undefined;
  return value?.data?.error?.message ?? value?.message ?? 'Request failed';
};
