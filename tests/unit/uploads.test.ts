import fs from 'fs';
import os from 'os';
import path from 'path';
import {
  changedPublicInfo,
  checkUpload,
  DEFAULT_MAX_BYTES,
  isUploadsPath,
  mayChangeLiveMedia,
  parseMaxBytes,
  servedFileHeaders,
} from '../../src/lib/uploads';
import { detectFileType } from '../../src/lib/file-type';
import { FILES } from '../helpers/files';

const MAX = 1000;
const detect = async (bytes: Buffer) => {
  const file = path.join(os.tmpdir(), `wutong-unit-${process.pid}-${Math.random()}`);
  fs.writeFileSync(file, bytes);
  try {
    return await detectFileType(file);
  } finally {
    fs.rmSync(file);
  }
};
const check = async (name: string, bytes: Buffer, declaredMime?: string) =>
  checkUpload({ name, declaredMime, size: bytes.length, detected: await detect(bytes) }, MAX);

describe('content detection (file-type, loaded natively also inside jest)', () => {
  it.each([
    ['png', 'image/png'],
    ['jpeg', 'image/jpeg'],
    ['webp', 'image/webp'],
    ['gif', 'image/gif'],
    ['pdf', 'application/pdf'],
    ['docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ] as const)('recognises %s', async (kind, mime) => {
    expect((await detect(FILES[kind]))?.mime).toBe(mime);
  });
});

describe('checkUpload', () => {
  it.each([
    ['photo.png', 'png', 'image/png'],
    ['PHOTO.JPG', 'jpeg', 'image/jpeg'],
    ['photo.jpeg', 'jpeg', undefined],
    ['a.webp', 'webp', 'application/octet-stream'],
    ['a.gif', 'gif', 'image/gif'],
    ['report.pdf', 'pdf', 'application/pdf'],
    ['plan.docx', 'docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['plan.xlsx', 'xlsx', ''],
  ] as const)('accepts %s', async (name, kind, declared) => {
    const result = await check(name, FILES[kind], declared);
    expect(result.refusal).toBeNull();
    expect(result.mime).toBe((await detect(FILES[kind]))!.mime);
  });

  it.each([
    ['page.html', 'html', 'text/html'],
    ['app.js', 'js', 'application/javascript'],
    ['logo.svg', 'svg', 'image/svg+xml'],
    ['data.xml', 'xml', 'application/xml'],
    ['notes.txt', 'text', 'text/plain'],
    ['archive.zip', 'plainZip', 'application/zip'],
    ['old.doc', 'cfb', 'application/msword'],
    // the name and declared type cannot make undetected or refused content acceptable
    ['photo.png', 'html', 'image/png'],
    ['logo.png', 'svg', 'image/png'],
    ['report.pdf', 'js', 'application/pdf'],
  ] as const)('refuses %s with %s content', async (name, kind, declared) => {
    expect((await check(name, FILES[kind], declared)).refusal).toMatchObject({
      code: 'upload.type-refused',
      status: 400,
    });
  });

  it.each([
    ['photo.html', 'png', 'text/html'],
    ['photo.svg', 'png', 'image/png'],
    ['photo', 'png', 'image/png'],
    ['photo.jpg', 'png', 'image/png'],
    ['photo.png', 'png', 'text/html'],
    ['photo.png', 'png', 'image/svg+xml'],
    ['plan.pdf', 'docx', 'application/pdf'],
  ] as const)(
    'refuses %s whose name or declared type (%s content, declared %s) disagrees',
    async (name, kind, declared) => {
      expect((await check(name, FILES[kind], declared)).refusal).toMatchObject({
        code: 'upload.type-mismatch',
        status: 400,
      });
    },
  );

  it('refuses a file over the limit with 413', () => {
    const detected = { mime: 'image/png', ext: 'png' };
    expect(checkUpload({ name: 'a.png', size: MAX + 1, detected }, MAX).refusal).toMatchObject({
      code: 'upload.too-large',
      status: 413,
    });
    expect(checkUpload({ name: 'a.png', size: MAX, detected }, MAX).refusal).toBeNull();
  });
});

describe('servedFileHeaders', () => {
  it('sends every file with nosniff and a sandboxing CSP that allows no script', () => {
    for (const name of ['/uploads/a.png', '/uploads/a.html', '/uploads/a.pdf']) {
      const headers = servedFileHeaders(name);
      expect(headers['X-Content-Type-Options']).toBe('nosniff');
      expect(headers['Content-Security-Policy']).toMatch(/default-src 'none'/);
      expect(headers['Content-Security-Policy']).toMatch(/sandbox/);
      expect(headers['Content-Security-Policy']).not.toMatch(/script/);
    }
  });
  it('shows allowed images inline and everything else as a download', () => {
    expect(servedFileHeaders('/uploads/a_1.JPG')['Content-Disposition']).toBeUndefined();
    expect(servedFileHeaders('/uploads/a.webp')['Content-Disposition']).toBeUndefined();
    for (const name of ['a.pdf', 'a.docx', 'a.svg', 'a.html', 'a.js', 'noext'])
      expect(servedFileHeaders(`/uploads/${name}`)['Content-Disposition']).toBe('attachment');
  });
  it('serves files outside the allow-list (left by older versions) as opaque bytes', () => {
    for (const name of ['a.html', 'a.htm', 'a.svg', 'a.js', 'a.xml', 'a.txt'])
      expect(servedFileHeaders(`/uploads/${name}`)['Content-Type']).toBe('application/octet-stream');
    expect(servedFileHeaders('/uploads/a.pdf')['Content-Type']).toBeUndefined();
  });
});

describe('isUploadsPath', () => {
  it('recognises every spelling that reaches public/uploads', () => {
    for (const path of [
      '/uploads/a.html',
      '/%75ploads/a.html',
      '//uploads/a.html',
      '/robots.txt/../uploads/a.html',
      '/uploads%2Fa.html',
      '/UPLOADS/a.html',
      '/x/%2e%2e/uploads/a.html',
      '/%E0%A4%A',
    ])
      expect([path, isUploadsPath(path)]).toEqual([path, true]);
  });
  it('leaves other paths alone', () => {
    for (const path of ['/api/projects', '/admin/', '/robots.txt', '/uploadsx/a', '/api/upload'])
      expect([path, isUploadsPath(path)]).toEqual([path, false]);
  });
});

describe('mayChangeLiveMedia', () => {
  it('allows Publishers, Super Admins and the system only', () => {
    expect(mayChangeLiveMedia({ kind: 'user', roleCodes: ['wutong-publisher'] })).toBe(true);
    expect(mayChangeLiveMedia({ kind: 'user', roleCodes: ['wutong-author', 'strapi-super-admin'] })).toBe(true);
    expect(mayChangeLiveMedia({ kind: 'system' })).toBe(true);
    expect(mayChangeLiveMedia({ kind: 'user', roleCodes: ['wutong-author'] })).toBe(false);
    expect(mayChangeLiveMedia({ kind: 'user', roleCodes: ['wutong-reviewer', 'strapi-editor'] })).toBe(false);
    expect(mayChangeLiveMedia({ kind: 'api-token' })).toBe(false);
    expect(mayChangeLiveMedia({ kind: 'code' })).toBe(false);
  });
});

describe('changedPublicInfo', () => {
  const current = { name: 'a.png', alternativeText: 'old', caption: null, focalPoint: null };
  it('names the public fields an update changes', () => {
    expect(changedPublicInfo(current, { alternativeText: 'new', caption: null, folder: 3 })).toEqual([
      'alternativeText',
    ]);
    expect(changedPublicInfo(current, { caption: 'c', focalPoint: { x: 1, y: 2 } })).toEqual(['caption', 'focalPoint']);
  });
  it('ignores unchanged values and folder moves', () => {
    expect(changedPublicInfo(current, { name: 'a.png', alternativeText: 'old', caption: null, folder: 7 })).toEqual([]);
    expect(changedPublicInfo(current, undefined)).toEqual([]);
  });
});

describe('parseMaxBytes', () => {
  it('defaults to 20 MB and reads bytes or units', () => {
    expect(parseMaxBytes(undefined)).toBe(DEFAULT_MAX_BYTES);
    expect(DEFAULT_MAX_BYTES).toBe(20 * 1024 * 1024);
    expect(parseMaxBytes('1000')).toBe(1000);
    expect(parseMaxBytes('5mb')).toBe(5 * 1024 * 1024);
    expect(parseMaxBytes('512 KB')).toBe(512 * 1024);
  });
  it('refuses nonsense', () => {
    expect(() => parseMaxBytes('lots')).toThrow(/UPLOAD_MAX_BYTES/);
    expect(() => parseMaxBytes('0')).toThrow(/at least/);
    expect(() => parseMaxBytes('-5')).toThrow();
  });
});
