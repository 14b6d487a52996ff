/**
 * Draft preview: Strapi's Preview button gets the site's preview URL with a short-lived token,
 * and the public API serves that one document's draft in that one locale with it, and nothing else.
 */
import type { Core } from '@strapi/strapi';
import { asSystem, deleteDocuments, http, startStrapi, stopStrapi } from '../helpers/strapi';
import { signPreviewToken } from '../../src/lib/preview-token';

const PROJECT = 'api::project.project';
const NEWS = 'api::news.news-article';
const SITE = 'plugin::delivery.site';
const marker = `preview${Date.now()}`;

let app: Core.Strapi;
let project: string;
let other: string;
let site: string;

type PreviewHandler = (
  uid: string,
  params: { documentId: string; locale: string; status: 'draft' | 'published' },
) => Promise<string | null>;
const handler = () => (app.config.get('admin.preview') as { config: { handler: PreviewHandler } }).config.handler;
const delivery = () => app.plugin('delivery').service('delivery');
const tokenFrom = (url: string) => new URL(url).searchParams.get('token') as string;

beforeAll(async () => {
  app = await startStrapi();
  const create = async (slug: string) => {
    const { documentId } = (await asSystem(() =>
      app.documents(PROJECT as never).create({
        locale: 'zh-Hans',
        data: { title: `已发布 ${slug}`, slug, kind: 'hotel', stage: 'open' },
        status: 'published',
      } as never),
    )) as { documentId: string };
    await asSystem(() =>
      app.documents(PROJECT as never).update({
        documentId,
        locale: 'en',
        data: { title: `Published ${slug}`, slug, kind: 'hotel', stage: 'open' },
        status: 'published',
      } as never),
    );
    // Both languages then get an unpublished draft.
    for (const [locale, title] of [
      ['zh-Hans', `草稿 ${slug}`],
      ['en', `Draft ${slug}`],
    ]) {
      await asSystem(() => app.documents(PROJECT as never).update({ documentId, locale, data: { title } } as never));
    }
    return documentId;
  };
  project = await create(`${marker}-a`);
  other = await create(`${marker}-b`);
  site = (
    (await asSystem(() =>
      app.documents(SITE as never).create({
        data: {
          name: `${marker}-site`,
          title: 'Investor site',
          baseUrl: 'https://invest.example.org',
          locales: ['zh-Hans', 'en'],
          contentTypes: [PROJECT],
          pathPattern: '/{lang}/{collection}/{slug}',
          localePaths: { 'zh-Hans': 'zh', en: 'en' },
          previewUrl:
            'https://invest.example.org/api/preview?type={collection}&id={documentId}&locale={locale}&token={token}',
          enabled: true,
        },
      } as never),
    )) as { documentId: string }
  ).documentId;
});

afterAll(async () => {
  await deleteDocuments(app, [
    [PROJECT, project],
    [PROJECT, other],
    [SITE, site],
  ]);
  await stopStrapi(app);
});

describe("the admin's Preview button", () => {
  it("opens a draft on the site's preview route with a token for that document and locale", async () => {
    const url = await handler()(PROJECT, { documentId: project, locale: 'en', status: 'draft' });
    expect(url).toMatch(
      new RegExp(`^https://invest\\.example\\.org/api/preview\\?type=projects&id=${project}&locale=en&token=[\\w.-]+$`),
    );
    const checked = delivery().preview.verify(tokenFrom(url as string));
    expect(checked).toMatchObject({ ok: true, claims: { uid: PROJECT, documentId: project, locale: 'en' } });
    // Short-lived: 15 minutes by default.
    expect(checked.claims.exp * 1000 - Date.now()).toBeLessThanOrEqual(15 * 60 * 1000 + 1000);
  });

  it('opens the live page for the published version', async () => {
    expect(await handler()(PROJECT, { documentId: project, locale: 'zh-Hans', status: 'published' })).toBe(
      `https://invest.example.org/zh/projects/${marker}-a`,
    );
  });

  it('offers nothing for content no site shows', async () => {
    const news = await app.db.query(NEWS).findOne({ select: ['documentId'] });
    expect(await handler()(NEWS, { documentId: news.documentId, locale: 'en', status: 'draft' })).toBeNull();
  });
});

describe('the public API with a preview token', () => {
  const token = (documentId = project, locale = 'en') => delivery().preview.mint(PROJECT, documentId, locale);

  it('serves that draft, privately', async () => {
    const response = await http(app).get(`/api/projects/${project}`).query({ preview: token() }).expect(200);
    expect(response.body.data).toMatchObject({ documentId: project, locale: 'en', title: `Draft ${marker}-a` });
    expect(response.headers['cache-control']).toBe('private, no-store');
    // Without the token: the published version.
    const live = await http(app).get(`/api/projects/${project}`).query({ locale: 'en' }).expect(200);
    expect(live.body.data.title).toBe(`Published ${marker}-a`);
  });

  it('serves only that locale, whatever the request asks for', async () => {
    const { body } = await http(app)
      .get(`/api/projects/${project}`)
      .query({ preview: token(project, 'en'), locale: 'zh-Hans' })
      .expect(200);
    expect(body.data).toMatchObject({ locale: 'en', title: `Draft ${marker}-a` });
    expect(JSON.stringify(body)).not.toContain('草稿');
  });

  it('gives a list of just that draft', async () => {
    const { body } = await http(app).get('/api/projects').query({ preview: token(), locale: 'en' }).expect(200);
    expect(body.data.map((entry: { documentId: string; title: string }) => [entry.documentId, entry.title])).toEqual([
      [project, `Draft ${marker}-a`],
    ]);
  });

  it('refuses another document (403) or another type', async () => {
    const forOther = await http(app).get(`/api/projects/${other}`).query({ preview: token() }).expect(403);
    expect(forOther.body.error).toMatchObject({ status: 403, name: 'ForbiddenError' });
    expect(JSON.stringify(forOther.body)).not.toContain(`Draft ${marker}-b`);
    await http(app).get('/api/news').query({ preview: token() }).expect(403);
  });

  it('refuses an expired, forged or malformed token (401)', async () => {
    const secret = process.env.PREVIEW_SECRET ?? 'wutong-dev-preview-secret';
    const expired = signPreviewToken(
      secret,
      { uid: PROJECT, documentId: project, locale: 'en' },
      60,
      Date.now() - 3600_000,
    );
    const forged = signPreviewToken('not-the-secret', { uid: PROJECT, documentId: project, locale: 'en' });
    for (const [preview, message] of [
      [expired, /expired/],
      [forged, /invalid/],
      ['garbage', /malformed/],
    ] as const) {
      const { body } = await http(app).get(`/api/projects/${project}`).query({ preview }).expect(401);
      expect(body.error).toMatchObject({
        status: 401,
        name: 'UnauthorizedError',
        message: expect.stringMatching(message),
      });
      expect(JSON.stringify(body)).not.toContain('Draft');
    }
  });
});
