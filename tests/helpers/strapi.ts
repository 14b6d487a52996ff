/** A real Strapi instance for one API test file, on the database global-setup prepared. */
import type { AddressInfo } from 'net';
import { createStrapi, type Core } from '@strapi/strapi';
import request from 'supertest';
import { DIST, fromDist, ROOT } from './paths';

export const startStrapi = async (): Promise<Core.Strapi> => {
  const app = await createStrapi({ appDir: ROOT, distDir: DIST }).load();
  await app.server.mount();
  // Listen once on a free port: supertest would otherwise re-listen for every request, which
  // breaks concurrent requests (the slug race tests need them).
  await new Promise<void>((resolve) => app.server.httpServer.listen(0, '127.0.0.1', resolve));
  return app;
};

/** Lets Strapi's post-commit event work finish, then shuts down (PostgreSQL aborts it otherwise). */
export const stopStrapi = async (app: Core.Strapi) => {
  await fromDist<typeof import('../../src/bootstrap/idle')>('src/bootstrap/idle').whenDatabaseIdle(app);
  await app.destroy();
};

export const http = (app: Core.Strapi) =>
  request(`http://127.0.0.1:${(app.server.httpServer.address() as AddressInfo).port}`);

let tokenCount = 0;

/** An API token of the given type; returns the secret to send as `Authorization: Bearer …`. */
export const apiToken = async (app: Core.Strapi, type: 'read-only' | 'full-access'): Promise<string> => {
  tokenCount += 1;
  const token = await app.service('admin::api-token-content-api').create({
    name: `test ${type} ${process.pid} ${Date.now()} ${tokenCount}`,
    kind: 'content-api',
    type,
    lifespan: null,
    description: 'created by the test suite',
  });
  return token.accessKey;
};

/** Test fixtures are written as the system (the explicit bypass the seed uses), so they may publish. */
export const asSystem = <T>(fn: () => Promise<T>): Promise<T> =>
  fromDist<typeof import('../../src/lib/system-actor')>('src/lib/system-actor').asSystem('test fixture', fn);

/** Deletes test documents in every locale (as the system); unset ids (a failed setup) are skipped. */
export const deleteDocuments = async (app: Core.Strapi, documents: [uid: string, documentId: string | undefined][]) => {
  for (const [uid, documentId] of documents) {
    if (documentId) await asSystem(() => app.documents(uid as never).delete({ documentId, locale: '*' } as never));
  }
};

/** Creates a test document in one locale (as the system, so it may be published at once). */
export const createDocument = async (
  app: Core.Strapi,
  uid: string,
  locale: string,
  data: Record<string, unknown>,
  status: 'draft' | 'published' = 'published',
): Promise<string> =>
  (
    (await asSystem(() => app.documents(uid as never).create({ locale, data, status } as never))) as {
      documentId: string;
    }
  ).documentId;

/** Saves an edit to a document's draft and publishes it (as the system). */
export const publishEdit = (
  app: Core.Strapi,
  uid: string,
  documentId: string,
  locale: string,
  data: Record<string, unknown>,
) =>
  asSystem(async () => {
    await app.documents(uid as never).update({ documentId, locale, data } as never);
    await app.documents(uid as never).publish({ documentId, locale } as never);
  });
