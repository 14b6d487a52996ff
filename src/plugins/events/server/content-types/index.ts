/**
 * The domain events table (the outbox). It kept the name it had when it belonged to the editorial
 * plugin, so existing databases keep their rows. Read and written only by services/stream.ts.
 */
export default {
  event: {
    schema: {
      kind: 'collectionType',
      collectionName: 'editorial_events',
      info: { singularName: 'event', pluralName: 'events', displayName: 'Domain event' },
      options: { draftAndPublish: false },
      pluginOptions: { 'content-manager': { visible: false }, 'content-type-builder': { visible: false } },
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
