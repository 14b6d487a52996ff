import { AUDIT_ACTION, READ_ACTION, RELEASE_ACTION } from '../services/roles';

const policies = (action: string) => [
  'admin::isAuthenticatedAdmin',
  // Ours rather than admin::hasPermissions: a refusal says why, with a code (src/policies).
  { name: 'global::has-permission', config: { actions: [action] } },
];

const route = (method: string, path: string, handler: string, action = READ_ACTION) => ({
  method,
  path,
  handler: `workflow.${handler}`,
  config: { policies: policies(action) },
});

export default {
  admin: {
    type: 'admin',
    routes: [
      route('GET', '/documents/:uid/:documentId', 'view'),
      route('POST', '/documents/:uid/:documentId/transitions', 'transition'),
      route('PUT', '/documents/:uid/:documentId/assignment', 'assign'),
      route('POST', '/documents/:uid/:documentId/comments', 'comment'),
      route('GET', '/documents/:uid/:documentId/versions', 'versions'),
      route('GET', '/documents/:uid/:documentId/versions/:id', 'version'),
      route('POST', '/documents/:uid/:documentId/versions/:id/restore', 'restore'),
      route('GET', '/documents/:uid/:documentId/diff', 'diff'),
      route('POST', '/documents/:uid/:documentId/conflict/keep-mine', 'keepMine'),
      route('POST', '/documents/:uid/:documentId/conflict/take-theirs', 'takeTheirs'),
      route('PUT', '/documents/:uid/:documentId/schedule', 'schedule'),
      route('DELETE', '/documents/:uid/:documentId/schedule', 'unschedule'),
      route('GET', '/releases', 'releases'),
      route('POST', '/releases', 'createRelease', RELEASE_ACTION),
      route('GET', '/releases/:id', 'release'),
      route('DELETE', '/releases/:id', 'deleteRelease', RELEASE_ACTION),
      route('POST', '/releases/:id/entries', 'addToRelease', RELEASE_ACTION),
      route('DELETE', '/releases/:id/entries', 'removeFromRelease', RELEASE_ACTION),
      route('POST', '/releases/:id/publish', 'publishRelease', RELEASE_ACTION),
      route('PUT', '/releases/:id/schedule', 'scheduleRelease', RELEASE_ACTION),
      route('GET', '/stages/:uid', 'stages'),
      route('GET', '/documents/:uid/:documentId/translation', 'translation'),
      route('POST', '/documents/:uid/:documentId/translation/up-to-date', 'markUpToDate'),
      route('POST', '/documents/:uid/:documentId/translation/fill', 'fill'),
      route('GET', '/translations', 'translations'),
      route('GET', '/translations/summary', 'translationSummary'),
      route('GET', '/translations/statuses/:uid', 'translationStatuses'),
      route('GET', '/queue', 'queue'),
      route('GET', '/assignees', 'assignees'),
      route('GET', '/audit', 'audit', AUDIT_ACTION),
      route('GET', '/audit/export', 'auditExport', AUDIT_ACTION),
    ],
  },
};
