/**
 * The site registry (managed by Super Admins on the admin's Sites page, not in the Content
 * Manager, whose raw JSON fields suited neither the lists nor the secret) and the webhook delivery
 * log (read and redelivered on the Delivery page).
 */
const hidden = { 'content-manager': { visible: false }, 'content-type-builder': { visible: false } };

export default {
  site: {
    schema: {
      kind: 'collectionType',
      collectionName: 'delivery_sites',
      info: {
        singularName: 'site',
        pluralName: 'sites',
        displayName: 'Site',
        description: 'A front end that shows our content: where it lives, what it shows, where to notify it',
      },
      options: { draftAndPublish: false },
      pluginOptions: hidden,
      attributes: {
        name: { type: 'string', required: true, unique: true, maxLength: 80, regex: '^[a-z0-9][a-z0-9-]*$' },
        title: { type: 'string', maxLength: 200 },
        baseUrl: { type: 'string', required: true, maxLength: 500 },
        // e.g. ["zh-Hans", "en"]
        locales: { type: 'json', required: true },
        // e.g. ["api::project.project", "api::news.news-article"]
        contentTypes: { type: 'json', required: true },
        // Path of a document on the site: {locale} {lang} {slug} {documentId} {type} (default "/{lang}/{type}/{slug}")
        pathPattern: { type: 'string', maxLength: 300 },
        // {locale: "/zh"} — the site's prefix per locale for {lang} (default: the locale code)
        localePaths: { type: 'json' },
        // Where Strapi's Preview button opens a draft: {url} is replaced by the document's path
        previewUrl: { type: 'string', maxLength: 500 },
        webhookUrl: { type: 'string', maxLength: 500 },
        webhookSecret: { type: 'string', private: true, maxLength: 200 },
        apiTokenName: { type: 'string', maxLength: 200 },
        enabled: { type: 'boolean', default: true },
      },
    },
  },
  delivery: {
    schema: {
      kind: 'collectionType',
      collectionName: 'delivery_webhook_deliveries',
      info: { singularName: 'delivery', pluralName: 'deliveries', displayName: 'Webhook delivery' },
      options: { draftAndPublish: false },
      pluginOptions: hidden,
      attributes: {
        eventId: { type: 'integer', required: true },
        siteId: { type: 'integer', required: true },
        siteName: { type: 'string' },
        url: { type: 'string' },
        event: { type: 'string', required: true },
        targetUid: { type: 'string' },
        targetDocumentId: { type: 'string' },
        targetLocale: { type: 'string' },
        payload: { type: 'json', required: true },
        status: { type: 'enumeration', enum: ['pending', 'delivered', 'failed'], required: true, default: 'pending' },
        attempts: { type: 'integer', default: 0 },
        lastStatus: { type: 'integer' },
        lastError: { type: 'text' },
        // Why, for the admin's language: a stable code (`webhook.timeout`…) and its params.
        lastErrorCode: { type: 'string' },
        lastErrorParams: { type: 'json' },
        deliveredAt: { type: 'datetime' },
        nextAttemptAt: { type: 'datetime' },
      },
    },
  },
};
