import { AUDIT_ACTION, READ_ACTION } from '../services/roles';

const policies = (action: string) => [
  'admin::isAuthenticatedAdmin',
  { name: 'admin::hasPermissions', config: { actions: [action] } },
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
      route('GET', '/stages/:uid', 'stages'),
      route('GET', '/queue', 'queue'),
      route('GET', '/assignees', 'assignees'),
      route('GET', '/audit', 'audit', AUDIT_ACTION),
      route('GET', '/audit/export', 'auditExport', AUDIT_ACTION),
    ],
  },
};
