/**
 * Issue 9, finding 1 in a real browser: an Author cannot put script into the Media Library, and
 * a script-bearing file already in public/uploads (left by an older version) does not run when a
 * logged-in Super Admin opens it, so it cannot take a fresh admin token from /admin/access-token.
 */
import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';
import type { Browser, Page, Request } from 'playwright-core';
import { ADMIN_PASSWORD, SUPER_ADMIN, type AdminSession } from '../helpers/admin';
import { openSession, screenshot } from '../helpers/browser';
import { ROOT } from '../helpers/paths';
import { startBrowserTest, stopBrowserTest } from '../helpers/people';
import { FILES } from '../helpers/files';

let app: Core.Strapi;
let browser: Browser;
let baseUrl: string;
let author: AdminSession;
let superAdmin: AdminSession;
const marker = `e2e-upl-${Date.now()}`;
const planted: string[] = [];

/** What the planted script would do with a Super Admin's session: take a token and leave a mark. */
const ATTACK = `
  window.name = 'pwned';
  localStorage.setItem('${marker}', 'pwned');
  fetch('/admin/access-token', { method: 'POST', credentials: 'include' })
    .then((r) => r.text())
    .then((t) => fetch('/__stolen?' + encodeURIComponent(t)));
`;

beforeAll(async () => {
  ({ app, baseUrl, browser, author, superAdmin } = await startBrowserTest({
    author: [['wutong-author'], 'Upload Author'],
    superAdmin: [[SUPER_ADMIN], 'Upload Admin'],
  }));
});

afterAll(() =>
  stopBrowserTest({}, async () => {
    for (const file of planted) fs.rmSync(file, { force: true });
  }),
);

const as = (who: AdminSession) =>
  openSession(browser, baseUrl, who.email, ADMIN_PASSWORD, { viewport: { width: 1440, height: 1000 } });

it('refuses an Author’s .html, .js and .svg uploads in the Media Library', async () => {
  const { context, page } = await as(author);
  await page.goto(`${baseUrl}/admin/plugins/upload`);
  const answers: Promise<{ status: number; code?: string }>[] = [];
  page.on('response', (response) => {
    if (response.request().method() === 'POST' && new URL(response.url()).pathname.startsWith('/upload'))
      answers.push(
        response
          .json()
          .catch(() => ({}))
          .then((body) => ({ status: response.status(), code: body.error?.details?.code })),
      );
  });
  // The header's New → File upload (the empty library's own button is gone once other tests
  // have left files in it).
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: /^(new|新建)$/i }).click();
  await page.getByRole('menuitem', { name: /^(file upload|上传文件)$/i }).click();
  await (
    await chooser
  ).setFiles([
    { name: `${marker}.html`, mimeType: 'text/html', buffer: Buffer.from(`<script>${ATTACK}</script>`) },
    { name: `${marker}.js`, mimeType: 'text/javascript', buffer: Buffer.from(ATTACK) },
    { name: `${marker}.svg`, mimeType: 'image/svg+xml', buffer: FILES.svg },
  ]);
  // The admin shows each refusal with the server's reason.
  await page.getByText(/\.svg: files of type application\/xml may not be uploaded/).waitFor();
  await page.getByText(/\.html: the file's content is not a recognised image/).waitFor();
  await screenshot(page, 'uploads-author-refused');
  expect(await Promise.all(answers)).toEqual(Array(3).fill({ status: 400, code: 'upload.type-refused' }));
  const stored = await app.db.query('plugin::upload.file').count({ where: { name: { $startsWith: marker } } });
  expect(stored).toBe(0);
  await context.close();
});

/** Writes a file into public/uploads as an older version would have stored it. */
const plant = (name: string, content: string) => {
  const file = path.join(ROOT, 'public', 'uploads', name);
  fs.writeFileSync(file, content);
  planted.push(file);
  return `/uploads/${name}`;
};

// The admin's CSP (script-src 'self') stops inline script, so the attack loads its script from
// the same origin: an uploaded .js, exactly what an older version accepted.
it.each([
  ['html', (js: string) => `<!doctype html><html><body><h1>legacy</h1><script src="${js}"></script></body></html>`],
  [
    'svg',
    (js: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><script xlink:href="${js}"/></svg>`,
  ],
])('a script-bearing .%s left in public/uploads does not run for a logged-in Super Admin', async (ext, content) => {
  const script = plant(`${marker}-legacy-${ext}.js`, ATTACK);
  const name = `${marker}-legacy.${ext}`;
  plant(name, content(script));

  const { context, page: admin } = await as(superAdmin);
  // A fresh tab in the same session: any token request from it comes from the planted file.
  const page: Page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (request: Request) => requests.push(request.url()));
  const download = page.waitForEvent('download', { timeout: 10000 }).catch(() => undefined);
  await page.goto(`${baseUrl}/uploads/${name}`).catch(() => undefined); // a download aborts navigation
  await page.waitForTimeout(1500); // time for a script to have run, had it run
  if (ext === 'html') await screenshot(page, 'uploads-legacy-html');

  expect(requests.filter((url) => /access-token|__stolen/.test(url))).toEqual([]);
  expect(await page.evaluate('window.name')).not.toBe('pwned');
  expect(await admin.evaluate(`localStorage.getItem(${JSON.stringify(marker)})`)).toBeNull();
  expect(await download).toBeDefined(); // served as an attachment, not rendered

  // Even rendered (e.g. by a proxy that drops Content-Disposition), its headers let no script run.
  const response = await page.request.get(`${baseUrl}/uploads/${name}`);
  expect(response.headers()['content-type']).toBe('application/octet-stream');
  expect(response.headers()['x-content-type-options']).toBe('nosniff');
  expect(response.headers()['content-security-policy']).toMatch(/default-src 'none'.*sandbox/);
  await context.close();
});
