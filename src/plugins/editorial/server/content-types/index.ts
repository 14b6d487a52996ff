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
  version: {
    schema: {
      kind: 'collectionType',
      collectionName: 'editorial_versions',
      info: { singularName: 'version', pluralName: 'versions', displayName: 'Version' },
      options: { draftAndPublish: false },
      pluginOptions: hidden,
      attributes: {
        ...target,
        number: { type: 'integer', required: true },
        version: { type: 'string', required: true },
        snapshot: { type: 'json', required: true },
        actorKey: { type: 'string' },
        actorName: { type: 'string' },
        summary: { type: 'text' },
        fields: { type: 'json' },
      },
    },
  },
  schedule: {
    schema: {
      kind: 'collectionType',
      collectionName: 'editorial_schedules',
      info: { singularName: 'schedule', pluralName: 'schedules', displayName: 'Schedule' },
      options: { draftAndPublish: false },
      pluginOptions: hidden,
      attributes: {
        action: { type: 'enumeration', enum: ['publish', 'unpublish', 'release'], required: true },
        targetUid: { type: 'string' },
        targetDocumentId: { type: 'string' },
        targetLocale: { type: 'string' },
        releaseId: { type: 'integer' },
        runAt: { type: 'datetime', required: true },
        status: {
          type: 'enumeration',
          enum: ['pending', 'done', 'failed', 'cancelled'],
          required: true,
          default: 'pending',
        },
        createdByKey: { type: 'string' },
        createdByName: { type: 'string' },
        doneAt: { type: 'datetime' },
        lastError: { type: 'text' },
        // The failure's message code and params (src/lib/messages.ts): shown in the reader's language.
        lastErrorCode: { type: 'string' },
        lastErrorParams: { type: 'json' },
      },
    },
  },
  release: {
    schema: {
      kind: 'collectionType',
      collectionName: 'editorial_releases',
      info: { singularName: 'release', pluralName: 'releases', displayName: 'Release' },
      options: { draftAndPublish: false },
      pluginOptions: hidden,
      attributes: {
        name: { type: 'string', required: true },
        description: { type: 'text' },
        status: {
          type: 'enumeration',
          enum: ['open', 'scheduled', 'released', 'failed'],
          required: true,
          default: 'open',
        },
        scheduledAt: { type: 'datetime' },
        releasedAt: { type: 'datetime' },
        lastError: { type: 'text' },
        lastErrorCode: { type: 'string' },
        lastErrorParams: { type: 'json' },
        createdByKey: { type: 'string' },
        createdByName: { type: 'string' },
      },
    },
  },
  'release-entry': {
    schema: {
      kind: 'collectionType',
      collectionName: 'editorial_release_entries',
      info: { singularName: 'release-entry', pluralName: 'release-entries', displayName: 'Release entry' },
      options: { draftAndPublish: false },
      pluginOptions: hidden,
      attributes: {
        releaseId: { type: 'integer', required: true },
        ...target,
        action: { type: 'enumeration', enum: ['publish', 'unpublish'], required: true, default: 'publish' },
      },
    },
  },
  // The version of a document-locale each admin user last loaded, to catch saves based on a stale one.
  'seen-version': {
    schema: {
      kind: 'collectionType',
      collectionName: 'editorial_seen_versions',
      info: { singularName: 'seen-version', pluralName: 'seen-versions', displayName: 'Seen version' },
      options: { draftAndPublish: false },
      pluginOptions: hidden,
      attributes: {
        userId: { type: 'integer', required: true },
        ...target,
        version: { type: 'string', required: true },
      },
    },
  },
  // A save refused as stale, kept so its author can still choose "keep mine" (the Content Manager
  // reloads the current version into the form after a failed save).
  conflict: {
    schema: {
      kind: 'collectionType',
      collectionName: 'editorial_conflicts',
      info: { singularName: 'conflict', pluralName: 'conflicts', displayName: 'Conflict' },
      options: { draftAndPublish: false },
      pluginOptions: hidden,
      attributes: {
        userId: { type: 'integer', required: true },
        ...target,
        baseVersion: { type: 'string', required: true },
        currentVersion: { type: 'string', required: true },
        mine: { type: 'json', required: true },
      },
    },
  },
  // The source content each translated field was based on (see src/lib/translation.ts).
  'translation-base': {
    schema: {
      kind: 'collectionType',
      collectionName: 'editorial_translation_bases',
      info: { singularName: 'translation-base', pluralName: 'translation-bases', displayName: 'Translation base' },
      options: { draftAndPublish: false },
      pluginOptions: hidden,
      attributes: {
        ...target,
        field: { type: 'string', required: true },
        basedOn: { type: 'string', required: true },
        sourceValue: { type: 'json' },
      },
    },
  },
};
