/**
 * Drafts never reach a public response: not with ?status=draft, not by documentId, not through
 * a relation of a published entry, not to a read-only token. A full-access token still sees them.
 */
import type { Core } from '@strapi/strapi';
import { apiToken, asSystem, http, startStrapi, stopStrapi } from '../helpers/strapi';

let app: Core.Strapi;
let readOnly: string;
let fullAccess: string;
const created: { uid: string; documentId: string }[] = [];
const marker = `draft-test-${Date.now()}`;

const create = async (uid: string, data: Record<string, unknown>, status?: 'published') => {
  const document = await asSystem(() =>
    app.documents(uid as never).create({ locale: 'zh-Hans', data, ...(status ? { status } : {}) } as never),
  );
  created.push({ uid, documentId: (document as { documentId: string }).documentId });
  return document as { documentId: string };
};

let draftPark: { documentId: string };
let publishedProject: { documentId: string };
let draftProject: { documentId: string };

beforeAll(async () => {
  app = await startStrapi();
  readOnly = await apiToken(app, 'read-only');
  fullAccess = await apiToken(app, 'full-access');
  draftPark = await create('api::park.park', {
    name: `草稿园区 ${marker}`,
    slug: `${marker}-park`,
    kind: 'industrial_park',
  });
  publishedProject = await create(
    'api::project.project',
    {
      title: `已发布 ${marker}`,
      slug: `${marker}-published`,
      kind: 'hotel',
      stage: 'open',
      park: draftPark.documentId,
    },
    'published',
  );
  draftProject = await create('api::project.project', {
    title: `草稿 ${marker}`,
    slug: `${marker}-draft`,
    kind: 'hotel',
    stage: 'open',
  });
});

afterAll(async () => {
  for (const { uid, documentId } of created.reverse())
    await app.documents(uid as never).delete({ documentId, locale: '*' } as never);
  await stopStrapi(app);
});

const slugsOf = (body: { data: { slug: string }[] }) => body.data.map(({ slug }) => slug);
const mine = `filters[slug][$startsWith]=${marker}`;

describe('the public API serves published content only', () => {
  it('refuses ?status=draft (400), serves status=published', async () => {
    for (const query of [mine, `${mine}&status=published`]) {
      const response = await http(app).get(`/api/projects?${query}`).expect(200);
      expect(slugsOf(response.body)).toEqual([`${marker}-published`]);
    }
    const refused = await http(app).get(`/api/projects?${mine}&status=draft`).expect(400);
    expect(refused.body.error.message).toMatch(/^Invalid parameter status/);
  });

  it('answers 404 for a draft-only document, and 400 to ?status=draft', async () => {
    await http(app).get(`/api/projects/${draftProject.documentId}`).expect(404);
    await http(app).get(`/api/projects/${draftProject.documentId}?status=draft`).expect(400);
    await http(app).get(`/api/parks/${draftPark.documentId}?status=draft`).expect(400);
  });

  it('does not count drafts in pagination totals', async () => {
    const response = await http(app).get(`/api/projects?${mine}`).expect(200);
    expect(response.body.meta.pagination.total).toBe(1);
  });

  it('hides a draft-only related entry, with the default populate and an explicit one', async () => {
    for (const query of ['', '?populate=park', '?populate[park][fields][0]=name', '?populate=*']) {
      const response = await http(app).get(`/api/projects/${publishedProject.documentId}${query}`).expect(200);
      expect(response.body.data.park ?? null).toBeNull();
    }
    const parks = await http(app).get(`/api/parks?filters[slug][$eq]=${marker}-park`).expect(200);
    expect(parks.body.data).toEqual([]);
  });

  it('shows the relation once the related entry is published, and hides it again when unpublished', async () => {
    await asSystem(() =>
      app.documents('api::park.park').publish({ documentId: draftPark.documentId, locale: 'zh-Hans' } as never),
    );
    let response = await http(app).get(`/api/projects/${publishedProject.documentId}?populate=park`).expect(200);
    expect(response.body.data.park?.slug).toBe(`${marker}-park`);

    await asSystem(() =>
      app.documents('api::park.park').unpublish({ documentId: draftPark.documentId, locale: 'zh-Hans' } as never),
    );
    response = await http(app).get(`/api/projects/${publishedProject.documentId}?populate=park`).expect(200);
    expect(response.body.data.park ?? null).toBeNull();
  });

  it('serves the published version, not newer draft edits', async () => {
    await app.documents('api::project.project').update({
      documentId: publishedProject.documentId,
      locale: 'zh-Hans',
      data: { title: `未发布的修改 ${marker}` },
    } as never);
    const response = await http(app).get(`/api/projects/${publishedProject.documentId}`).expect(200);
    expect(response.body.data.title).toBe(`已发布 ${marker}`);
  });

  it('gives a read-only token published content only', async () => {
    const auth = { Authorization: `Bearer ${readOnly}` };
    const list = await http(app).get(`/api/projects?${mine}`).set(auth).expect(200);
    expect(slugsOf(list.body)).toEqual([`${marker}-published`]);
    await http(app).get(`/api/projects?${mine}&status=draft`).set(auth).expect(400);
    await http(app).get(`/api/projects/${draftProject.documentId}`).set(auth).expect(404);
  });

  it('still lets a full-access token read drafts when it asks for them', async () => {
    const auth = { Authorization: `Bearer ${fullAccess}` };
    const list = await http(app).get(`/api/projects?${mine}&status=draft&sort=slug`).set(auth).expect(200);
    expect(slugsOf(list.body)).toEqual([`${marker}-draft`, `${marker}-published`]);
    const published = await http(app).get(`/api/projects?${mine}`).set(auth).expect(200);
    expect(slugsOf(published.body)).toEqual([`${marker}-published`]);
  });
});
