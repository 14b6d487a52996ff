/** A real Strapi instance for one API test file, on the database global-setup prepared. */
import nodeHttp from 'http';
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

/** Where a started instance listens (startStrapi): http://127.0.0.1:<port>. */
export const baseUrlOf = (app: Core.Strapi) =>
  `http://127.0.0.1:${(app.server.httpServer.address() as AddressInfo).port}`;

export const http = (app: Core.Strapi) => request(baseUrlOf(app));

/** An answer as sent: status, raw header list (names as sent, in order) without Date, body. */
export interface Raw {
  status: number;
  headers: string[];
  body: string;
}

export const rawGet = (
  app: Core.Strapi,
  path: string,
  headers: Record<string, string> = {},
  agent: nodeHttp.Agent | false = false, // false: a connection of its own, closed after the answer
) =>
  new Promise<Raw>((resolve, reject) => {
    const { port } = app.server.httpServer.address() as AddressInfo;
    nodeHttp
      .get({ host: '127.0.0.1', port, path, headers, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => {
          const sent = res.rawHeaders.flatMap((item, at, all) =>
            at % 2 === 0 && item.toLowerCase() !== 'date' ? [item, all[at + 1]] : [],
          );
          resolve({ status: res.statusCode as number, headers: sent, body });
        });
      })
      .on('error', reject);
  });

/** A header's value in a Raw answer (name in lower case), undefined when not sent. */
export const headerValue = (answer: Raw, name: string): string | undefined => {
  const at = answer.headers.findIndex((item, index) => index % 2 === 0 && item.toLowerCase() === name);
  return at < 0 ? undefined : answer.headers[at + 1];
};

/** A cache hit's headers are the uncached answer's plus X-Cache: HIT before Content-Length (or X-Powered-By on a 304). */
export const asHit = (headers: string[]) => {
  const before = headers.findIndex((item, at) => at % 2 === 0 && /^(content-length|x-powered-by)$/i.test(item));
  return [...headers.slice(0, before), 'X-Cache', 'HIT', ...headers.slice(before)];
};

/** A Raw answer without what changes from one request to the next: rate-limit counts, seconds to the reset. */
export const masked = (answer: Raw): Raw => ({
  ...answer,
  headers: answer.headers.map((item, at, all) =>
    at % 2 === 1 && /^(x-ratelimit-remaining|x-ratelimit-reset|retry-after)$/i.test(all[at - 1]) ? '' : item,
  ),
  body: answer.body.replace(/"retryAfterSeconds":\d+/, ''),
});

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

/** Deletes, as the system, the documents of `uid` whose rows match `where` (a test's own, by its marker). */
export const deleteMatching = async (app: Core.Strapi, uid: string, where: Record<string, unknown>) => {
  const rows = (await app.db.query(uid as never).findMany({ where, select: ['documentId'] })) as {
    documentId: string;
  }[];
  for (const { documentId } of rows) await asSystem(() => app.documents(uid as never).delete({ documentId } as never));
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
