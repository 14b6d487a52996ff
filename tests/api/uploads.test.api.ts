/**
 * Uploads (issue 9, findings 1 and 5): only images, PDF and Office documents by content, on every
 * upload route; a size cap; stored files served inert; and a file that published content shows
 * is replaced, deleted or re-described only by a Publisher or Super Admin, and audited.
 */
import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { ROOT } from '../helpers/paths';
import { apiToken, createDocument, deleteDocuments, http, startStrapi, stopStrapi } from '../helpers/strapi';
import { createAdmin, SUPER_ADMIN, type AdminSession } from '../helpers/admin';
import { FILES } from '../helpers/files';
import { startReceiver } from '../helpers/receiver';

// Small, so that the cap can be crossed cheaply; read by the config when Strapi loads.
const MAX_BYTES = 8192;
process.env.UPLOAD_MAX_BYTES = String(MAX_BYTES);

const PROJECT = 'api::project.project';
const marker = `upl${process.pid}${Date.now()}`;

let app: Core.Strapi;
let author: AdminSession;
let publisher: AdminSession;
let superAdmin: AdminSession;
let token: string;
const fileIds = new Set<number>();
const documents: [string, string | undefined][] = [];

beforeAll(async () => {
  app = await startStrapi();
  author = await createAdmin(app, ['wutong-author'], 'Upload Author');
  publisher = await createAdmin(app, ['wutong-publisher'], 'Upload Publisher');
  superAdmin = await createAdmin(app, [SUPER_ADMIN], 'Upload Admin');
  token = await apiToken(app, 'full-access');
});

afterAll(async () => {
  await deleteDocuments(app, documents);
  const service = app.plugin('upload').service('upload');
  for (const id of fileIds) {
    const file = await service.findOne(id);
    if (file)
      await app
        .plugin('upload')
        .service('upload')
        .remove(file)
        .catch(() => undefined);
  }
  await stopStrapi(app);
});

type Kind = keyof typeof FILES;

/** POST /upload (the Media Library, also used by the Content Manager's media dialog). */
const upload = (session: AdminSession, kind: Kind, filename: string, contentType?: string, query = '') =>
  http(app)
    .post(`/upload${query}`)
    .set(session.auth)
    .attach('files', FILES[kind], contentType ? { filename, contentType } : { filename });

const uploaded = async (session: AdminSession, kind: Kind, filename: string, contentType?: string) => {
  const response = await upload(session, kind, filename, contentType).expect(201);
  const [file] = response.body as { id: number; url: string; mime: string }[];
  fileIds.add(file.id);
  return file;
};

const expectRefused = (
  response: { status: number; body: { data?: unknown; error?: { message?: unknown } } },
  code: string,
  status = 400,
) => {
  expect(response.status).toBe(status);
  expect(response.body.data).toBeNull();
  expect(response.body.error).toMatchObject({ status, details: { code } });
  expect(typeof response.body.error?.message).toBe('string');
};

describe('the upload allow-list, by content', () => {
  it.each([
    ['png', 'cover.png', 'image/png', 'image/png'],
    ['jpeg', 'photo.jpg', 'image/jpeg', 'image/jpeg'],
    ['gif', 'anim.gif', undefined, 'image/gif'],
    ['webp', 'pic.webp', 'application/octet-stream', 'image/webp'],
    ['pdf', 'brochure.pdf', 'application/pdf', 'application/pdf'],
    ['docx', 'plan.docx', undefined, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['xlsx', 'figures.xlsx', undefined, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ] as [Kind, string, string | undefined, string][])(
    'accepts %s (%s) and stores its detected type',
    async (kind, name, declared, mime) => {
      const file = await uploaded(author, kind, name, declared);
      expect(file.mime).toBe(mime);
    },
  );

  it.each([
    ['html', 'page.html', 'text/html'],
    ['js', 'app.js', 'application/javascript'],
    ['svg', 'logo.svg', 'image/svg+xml'],
    ['xml', 'feed.xml', 'application/xml'],
    ['text', 'notes.txt', 'text/plain'],
    ['plainZip', 'bundle.zip', 'application/zip'],
    ['cfb', 'old.doc', 'application/msword'],
    // a name and declared type of an allowed image do not make script content acceptable
    ['html', 'photo.png', 'image/png'],
    ['svg', 'logo.png', 'image/png'],
    ['js', 'cover.jpg', 'image/jpeg'],
  ] as [Kind, string, string][])('refuses %s content named %s', async (kind, name, declared) => {
    expectRefused(await upload(author, kind, name, declared), 'upload.type-refused');
  });

  it.each([
    ['png', 'photo.html', 'text/html'],
    ['png', 'photo.svg', 'image/svg+xml'],
    ['png', 'photo.png', 'text/html'],
    ['pdf', 'report.png', 'image/png'],
  ] as [Kind, string, string][])(
    'refuses %s content whose name or declared type disagrees (%s, %s)',
    async (kind, name, declared) => {
      expectRefused(await upload(author, kind, name, declared), 'upload.type-mismatch');
    },
  );

  it('refuses the whole request when one of several files is refused', async () => {
    const before = await app.db.query('plugin::upload.file').count({ where: { name: { $startsWith: marker } } });
    const response = await http(app)
      .post('/upload')
      .set(author.auth)
      .attach('files', FILES.png, { filename: `${marker}-ok.png`, contentType: 'image/png' })
      .attach('files', FILES.html, { filename: `${marker}-bad.html`, contentType: 'text/html' });
    expectRefused(response, 'upload.type-refused');
    expect(await app.db.query('plugin::upload.file').count({ where: { name: { $startsWith: marker } } })).toBe(before);
  });

  it('refuses on the single-file route POST /upload/files too', async () => {
    const response = await http(app)
      .post('/upload/files')
      .set(author.auth)
      .attach('files', FILES.html, { filename: 'page.html', contentType: 'text/html' });
    expectRefused(response, 'upload.type-refused');
  });

  it('refuses script as a replacement (POST /upload?id=…)', async () => {
    const file = await uploaded(author, 'png', 'to-replace.png', 'image/png');
    expectRefused(await upload(author, 'html', 'page.html', 'text/html', `?id=${file.id}`), 'upload.type-refused');
    expectRefused(await upload(author, 'svg', 'x.png', 'image/png', `?id=${file.id}`), 'upload.type-refused');
    const stored = await app.plugin('upload').service('upload').findOne(file.id);
    expect(stored.mime).toBe('image/png');
  });

  it('applies on the content API (POST /api/upload with a full-access token)', async () => {
    const refused = await http(app)
      .post('/api/upload')
      .set('Authorization', `Bearer ${token}`)
      .attach('files', FILES.html, { filename: 'page.html', contentType: 'text/html' });
    expectRefused(refused, 'upload.type-refused');
    const accepted = await http(app)
      .post('/api/upload')
      .set('Authorization', `Bearer ${token}`)
      .attach('files', FILES.png, { filename: 'api.png', contentType: 'image/png' })
      .expect(201);
    fileIds.add(accepted.body[0].id);
  });
});

describe('upload from URL', () => {
  it('is refused without the server fetching anything (0.0.0.0 reaches this machine past Strapi’s own check)', async () => {
    const receiver = await startReceiver(() => 200);
    try {
      const port = new URL(receiver.url).port;
      const response = await http(app)
        .post('/upload/actions/upload-from-urls')
        .set(author.auth)
        .send({ urls: [`http://0.0.0.0:${port}/a.png`, `http://[::ffff:127.0.0.1]:${port}/b.png`] })
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk));
          res.on('end', () => done(null, text));
        });
      expect(response.body).toMatch(/Uploading from a URL is disabled/);
      expect(response.body).not.toMatch(/file:complete/);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });
});

describe('the size cap (UPLOAD_MAX_BYTES)', () => {
  const padded = (size: number) => Buffer.concat([FILES.pdf, Buffer.alloc(size - FILES.pdf.length, 0x20)]);

  it('refuses a file over the cap with 413 in Strapi’s error format', async () => {
    const response = await http(app)
      .post('/upload')
      .set(author.auth)
      .attach('files', padded(MAX_BYTES + 1), { filename: 'big.pdf', contentType: 'application/pdf' });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ data: null, error: { status: 413 } });
  });

  it('accepts a file at the cap', async () => {
    const response = await http(app)
      .post('/upload')
      .set(author.auth)
      .attach('files', padded(MAX_BYTES), { filename: 'edge.pdf', contentType: 'application/pdf' })
      .expect(201);
    fileIds.add(response.body[0].id);
  });

  it('uses one cap for the upload plugin and the body parser', () => {
    expect(app.config.get('plugin::upload.sizeLimit')).toBe(MAX_BYTES);
    const body = (app.config.get('middlewares') as (string | { name: string; config?: unknown })[]).find(
      (entry) => typeof entry === 'object' && entry.name === 'strapi::body',
    ) as { config: { formidable: { maxFileSize: number } } };
    expect(body.config.formidable.maxFileSize).toBe(MAX_BYTES);
  });
});

describe('serving stored files', () => {
  const inert = (headers: Record<string, string>) => {
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(headers['content-security-policy']).toMatch(/sandbox/);
    expect(headers['content-security-policy']).not.toMatch(/script-src/);
  };

  it('shows images inline, without sniffing and under a sandboxing CSP', async () => {
    const file = await uploaded(author, 'png', 'shown.png', 'image/png');
    const response = await http(app).get(file.url).expect(200);
    inert(response.headers);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.headers['content-disposition']).toBeUndefined();
  });

  it('serves documents as downloads', async () => {
    const file = await uploaded(author, 'pdf', 'doc.pdf', 'application/pdf');
    const response = await http(app).get(file.url).expect(200);
    inert(response.headers);
    expect(response.headers['content-disposition']).toBe('attachment');
  });

  it('serves an HTML file left in public/uploads by an older version as inert bytes', async () => {
    const name = `${marker}-legacy.html`;
    const file = path.join(ROOT, 'public', 'uploads', name);
    fs.writeFileSync(file, FILES.html);
    try {
      // Also through spellings that reach the same file by other routes (the public folder's).
      for (const [method, url] of [
        ['get', `/uploads/${name}`],
        ['head', `/uploads/${name}`],
        ['get', `/%75ploads/${name}`],
        ['get', `//uploads/${name}`],
        ['get', `/robots.txt/../uploads/${name}`],
        ['get', `/uploads%2F${name}`],
      ] as const) {
        const response = await http(app)[method](url);
        // Not served at all (404, 400) is fine too; served, it must be inert.
        if (url !== `/uploads/${name}` && response.status >= 400) continue;
        expect(response.status).toBe(200);
        inert(response.headers);
        expect(response.headers['content-type']).toBe('application/octet-stream');
        expect(response.headers['content-disposition']).toBe('attachment');
      }
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});

describe('files that published content shows (finding 5)', () => {
  let count = 0;
  /** A file used by the cover of a published project, and one used only by a draft. */
  const liveFile = async (status: 'published' | 'draft' = 'published') => {
    count += 1;
    const file = await uploaded(author, 'png', `${marker}-${count}.png`, 'image/png');
    const documentId = await createDocument(
      app,
      PROJECT,
      'zh-Hans',
      {
        title: `媒体 ${marker} ${count}`,
        slug: `${marker}-${count}`,
        kind: 'hotel',
        stage: 'open',
        summary: '媒体测试',
        cover: { image: file.id, alt: '封面' },
      },
      status,
    );
    documents.push([PROJECT, documentId]);
    return { file, documentId };
  };

  const auditOf = (action: string, fileId: number) =>
    app.db
      .query('plugin::editorial.audit-entry')
      .findMany({ where: { action, targetUid: 'plugin::upload.file' } })
      .then((entries: { details: { fileId: number }; actorKey: string }[]) =>
        entries.filter((entry) => entry.details?.fileId === fileId),
      );

  it('an Author may not replace it', async () => {
    const { file, documentId } = await liveFile();
    const response = await upload(author, 'jpeg', 'swap.jpg', 'image/jpeg', `?id=${file.id}`);
    expect(response.status).toBe(403);
    expect(response.body.error).toMatchObject({
      name: 'PolicyError',
      details: { code: 'upload.live-file-replace', usedBy: [{ uid: PROJECT, documentId, locale: 'zh-Hans' }] },
    });
    expect((await app.plugin('upload').service('upload').findOne(file.id)).mime).toBe('image/png');
    expect(await auditOf('media-replace', file.id)).toEqual([]);
  });

  it('an Author may not delete it (one file or in bulk) nor change its alt text', async () => {
    const { file } = await liveFile();
    const deleted = await http(app).delete(`/upload/files/${file.id}`).set(author.auth);
    expect(deleted.status).toBe(403);
    expect(deleted.body.error.details.code).toBe('upload.live-file-delete');
    const bulk = await http(app)
      .post('/upload/actions/bulk-delete')
      .set(author.auth)
      .send({ fileIds: [file.id] });
    expect(bulk.status).toBe(403);
    const info = await http(app)
      .post(`/upload?id=${file.id}`)
      .set(author.auth)
      .field('fileInfo', JSON.stringify({ alternativeText: 'swapped', name: `${marker}-x.png` }));
    expect(info.status).toBe(403);
    expect(info.body.error.details.code).toBe('upload.live-file-info');
    const stored = await app.plugin('upload').service('upload').findOne(file.id);
    expect(stored).toMatchObject({ id: file.id, alternativeText: null });
  });

  it('an Author may still resend unchanged info (e.g. a folder move)', async () => {
    const { file } = await liveFile();
    const stored = await app.plugin('upload').service('upload').findOne(file.id);
    await http(app)
      .post(`/upload?id=${file.id}`)
      .set(author.auth)
      .field('fileInfo', JSON.stringify({ name: stored.name, alternativeText: null, caption: null }))
      .expect(200);
  });

  it('an Author may replace and delete a file that only drafts use', async () => {
    const { file } = await liveFile('draft');
    await upload(author, 'jpeg', 'swap.jpg', 'image/jpeg', `?id=${file.id}`).expect(200);
    await http(app).delete(`/upload/files/${file.id}`).set(author.auth).expect(200);
    fileIds.delete(file.id);
    expect(await auditOf('media-replace', file.id)).toEqual([]);
  });

  it('a full-access API token may not delete it', async () => {
    const { file } = await liveFile();
    const response = await http(app).delete(`/api/upload/files/${file.id}`).set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(403);
    expect(response.body.error.details.code).toBe('upload.live-file-delete');
  });

  it('a full-access API token may not delete or re-describe it through GraphQL', async () => {
    const { file } = await liveFile();
    for (const query of [
      `mutation { deleteUploadFile(id: "${file.id}") { name } }`,
      `mutation { updateUploadFile(id: "${file.id}", info: { alternativeText: "swapped" }) { name } }`,
    ]) {
      const response = await http(app).post('/graphql').set('Authorization', `Bearer ${token}`).send({ query });
      expect(response.body.errors?.[0]?.message).toMatch(/only a Publisher or Super Admin/);
    }
    expect(await app.plugin('upload').service('upload').findOne(file.id)).toMatchObject({ alternativeText: null });
  });

  it('a Publisher replaces it, and the replacement is audited', async () => {
    const { file, documentId } = await liveFile();
    const response = await upload(publisher, 'jpeg', 'new.jpg', 'image/jpeg', `?id=${file.id}`).expect(200);
    expect(response.body.mime).toBe('image/jpeg');
    const [entry] = await auditOf('media-replace', file.id);
    expect(entry).toMatchObject({
      actorKey: `user:${publisher.id}`,
      details: { usedBy: [{ uid: PROJECT, documentId }] },
    });
  });

  it('a Publisher changes its alt text, audited', async () => {
    const { file } = await liveFile();
    await http(app)
      .post(`/upload?id=${file.id}`)
      .set(publisher.auth)
      .field('fileInfo', JSON.stringify({ alternativeText: 'new alt' }))
      .expect(200);
    const [entry] = await auditOf('media-info-change', file.id);
    expect(entry).toMatchObject({ actorKey: `user:${publisher.id}`, details: { changed: ['alternativeText'] } });
  });

  it('a Super Admin deletes it, audited', async () => {
    const { file } = await liveFile();
    await http(app).delete(`/upload/files/${file.id}`).set(superAdmin.auth).expect(200);
    fileIds.delete(file.id);
    const [entry] = await auditOf('media-delete', file.id);
    expect(entry).toMatchObject({ actorKey: `user:${superAdmin.id}` });
  });
});
