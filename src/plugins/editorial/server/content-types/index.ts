/**
 * The plugin's own tables. None is shown in the Content Manager or editable through the Content
 * Type Builder; they are read and written through the plugin's services only.
 */
const hidden = { 'content-manager': { visible: false }, 'content-type-builder': { visible: false } };

// Which document-locale a row is about. (`documentId` and `locale` are reserved attribute names.)
const target = {
  targetUid: { type: 'string', required: true },
  targetDocumentId: { type: 'string', required: true },
  targetLocale: { type: 'string', required: true },
} as const;

const STAGES = ['draft', 'in_review', 'changes_requested', 'approved', 'published', 'unpublished'];

export default {
  'workflow-state': {
    schema: {
      kind: 'collectionType',
      collectionName: 'editorial_workflow_states',
      info: { singularName: 'workflow-state', pluralName: 'workflow-states', displayName: 'Workflow state' },
      options: { draftAndPublish: false },
      pluginOptions: hidden,
      attributes: {
        ...target,
        stage: { type: 'enumeration', enum: STAGES, required: true, default: 'draft' },
        lastEditor: { type: 'string' },
        approvedBy: { type: 'string' },
        approvedVersion: { type: 'string' },
        reason: { type: 'text' },
        stageChangedAt: { type: 'datetime' },
        stageChangedBy: { type: 'string' },
        assignee: { type: 'relation', relation: 'manyToOne', target: 'admin::user' },
        dueDate: { type: 'date' },
      },
    },
  },
  comment: {
    schema: {
      kind: 'collectionType',
      collectionName: 'editorial_comments',
      info: { singularName: 'comment', pluralName: 'comments', displayName: 'Comment' },
      options: { draftAndPublish: false },
      pluginOptions: hidden,
      attributes: {
        ...target,
        body: { type: 'text', required: true },
        parentId: { type: 'integer' },
        author: { type: 'relation', relation: 'manyToOne', target: 'admin::user' },
      },
    },
  },
  'audit-entry': {
    schema: {
      kind: 'collectionType',
      collectionName: 'editorial_audit_entries',
      info: { singularName: 'audit-entry', pluralName: 'audit-entries', displayName: 'Audit entry' },
      options: { draftAndPublish: false },
      pluginOptions: hidden,
      attributes: {
        action: { type: 'string', required: true },
        actorKind: { type: 'string', required: true },
        actorKey: { type: 'string', required: true },
        actorName: { type: 'string' },
        targetUid: { type: 'string' },
        targetDocumentId: { type: 'string' },
        targetLocale: { type: 'string' },
        summary: { type: 'text' },
        details: { type: 'json' },
      },
    },
  },
  event: {
    schema: {
      kind: 'collectionType',
      collectionName: 'editorial_events',
      info: { singularName: 'event', pluralName: 'events', displayName: 'Domain event' },
      options: { draftAndPublish: false },
      pluginOptions: hidden,
      attributes: {
        type: { type: 'string', required: true },
        targetUid: { type: 'string' },
        targetDocumentId: { type: 'string' },
        targetLocale: { type: 'string' },
        actor: { type: 'json' },
        payload: { type: 'json' },
        claimedAt: { type: 'datetime' },
        deliveredAt: { type: 'datetime' },
        attempts: { type: 'integer', default: 0 },
        nextAttemptAt: { type: 'datetime' },
        lastError: { type: 'text' },
      },
    },
  },
};
