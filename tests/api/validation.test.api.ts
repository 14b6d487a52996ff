/**
 * Bad input gets a 400 in Strapi's error format and nothing is written: negative areas,
 * coordinates out of range, duplicate slugs — including 20 concurrent creates of one slug.
 */
import type { Core } from '@strapi/strapi';
import { apiToken, asSystem, createDocument, http, startStrapi, stopStrapi } from '../helpers/strapi';
import { cm, createAdmin, SUPER_ADMIN } from '../helpers/admin';

let app: Core.Strapi;
let auth: { Authorization: string };
const marker = `validation-test-${Date.now()}`;

beforeAll(async () => {
  app = await startStrapi();
  auth = { Authorization: `Bearer ${await apiToken(app, 'full-access')}` };
});

afterAll(async () => {
  for (const uid of ['api::project.project', 'api::park.park'] as const) {
    const rows = await app.db.query(uid).findMany({ where: { slug: { $startsWith: marker } }, select: ['documentId'] });
    for (const documentId of new Set(rows.map((row: { documentId: string }) => row.documentId))) {
      await app.documents(uid).delete({ documentId, locale: '*' } as never);
    }
  }
  await stopStrapi(app);
});

const rowsWithSlug = (uid: 'api::project.project' | 'api::park.park', slug: string) =>
  app.db.query(uid).findMany({ where: { slug }, select: ['documentId', 'locale', 'publishedAt'] });

const project = (extra: Record<string, unknown>) => ({ title: '测试项目', kind: 'hotel', stage: 'open', ...extra });

describe('range validation', () => {
  it.each([
    ['landAreaMu', -1, 'landAreaMu must be greater than or equal to 0'],
    ['floorAreaM2', -0.5, 'floorAreaM2 must be greater than or equal to 0'],
    ['availableAreaM2', -21000, 'availableAreaM2 must be greater than or equal to 0'],
    ['parkingSpaces', -280, 'parkingSpaces must be greater than or equal to 0'],
    ['latitude', 90.01, 'latitude must be less than or equal to 90'],
    ['latitude', -91, 'latitude must be greater than or equal to -90'],
    ['longitude', 180.5, 'longitude must be less than or equal to 180'],
  ])('refuses %s = %s, as a draft and as published', async (field, value, message) => {
    for (const status of ['draft', 'published']) {
      const slug = `${marker}-${field}-${status}-${String(value).replace(/\W/g, '')}`;
      const response = await http(app)
        .post(`/api/projects?status=${status}`)
        .set(auth)
        .send({ data: project({ slug, [field]: value }) })
        .expect(400);
      expect(response.body).toEqual({
        data: null,
        error: {
          status: 400,
          name: 'ValidationError',
          message,
          // the code and params let the admin say it in the editor's language
          details: {
            code: expect.stringMatching(/^validation\.(min|max)$/),
            params: expect.objectContaining({ field }),
            errors: [
              {
                path: [field],
                message,
                name: 'ValidationError',
                value,
                code: expect.stringMatching(/^validation\.(min|max)$/),
                params: expect.objectContaining({ field }),
              },
            ],
          },
        },
      });
      expect(await rowsWithSlug('api::project.project', slug)).toEqual([]);
    }
  });

  it('refuses an out-of-range value on update and keeps the stored value', async () => {
    const slug = `${marker}-update`;
    const created = await http(app)
      .post('/api/projects')
      .set(auth)
      .send({ data: project({ slug, landAreaMu: 120 }) })
      .expect(201);
    const { documentId } = created.body.data;
    await http(app)
      .put(`/api/projects/${documentId}`)
      .set(auth)
      .send({ data: { landAreaMu: -120 } })
      .expect(400);
    const stored = await app.documents('api::project.project').findOne({ documentId, locale: 'zh-Hans' } as never);
    expect(Number((stored as unknown as { landAreaMu: number }).landAreaMu)).toBe(120);
  });

  it('checks numbers inside components too', async () => {
    const response = await http(app)
      .post('/api/projects')
      .set(auth)
      .send({ data: project({ slug: `${marker}-figure`, highlights: [{ label: '年份', value: 1, year: 1800 }] }) })
      .expect(400);
    expect(response.body.error.details.errors[0].path).toEqual(['highlights', '0', 'year']);
  });

  it('reports every problem at once', async () => {
    const response = await http(app)
      .post('/api/projects')
      .set(auth)
      .send({ data: project({ slug: `${marker}-many`, landAreaMu: -1, latitude: 100, longitude: -200 }) })
      .expect(400);
    expect(response.body.error.message).toBe('3 errors occurred');
    expect(response.body.error.details.errors.map(({ path }: { path: string[] }) => path[0]).sort()).toEqual([
      'landAreaMu',
      'latitude',
      'longitude',
    ]);
  });
});

describe('slug uniqueness per locale, enforced by the database', () => {
  it('refuses a second document with the same slug in the same locale, draft or published', async () => {
    const slug = `${marker}-taken`;
    await http(app)
      .post('/api/projects?status=draft')
      .set(auth)
      .send({ data: project({ slug }) })
      .expect(201);
    for (const status of ['draft', 'published']) {
      const response = await http(app)
        .post(`/api/projects?status=${status}`)
        .set(auth)
        .send({ data: project({ slug }) })
        .expect(400);
      expect(response.body.error).toMatchObject({ status: 400, name: 'ValidationError' });
      expect(response.body.error.details.errors[0]).toMatchObject({ path: ['slug'], value: slug });
    }
    expect(
      new Set((await rowsWithSlug('api::project.project', slug)).map((row: { documentId: string }) => row.documentId))
        .size,
    ).toBe(1);
  });

  it('allows the same slug in another locale of the same document and in another type', async () => {
    const slug = `${marker}-shared`;
    const created = await http(app)
      .post('/api/projects')
      .set(auth)
      .send({ data: project({ slug }) })
      .expect(201);
    await http(app)
      .put(`/api/projects/${created.body.data.documentId}?locale=en`)
      .set(auth)
      .send({ data: { title: 'Test project', slug } })
      .expect(200);
    await http(app)
      .post('/api/parks')
      .set(auth)
      .send({ data: { name: '同名园区', slug, kind: 'industrial_park' } })
      .expect(201);
  });

  // REST writes are always drafts, which Strapi does not check for uniqueness at all.
  it('lets exactly one of 20 concurrent REST creates of one slug through; the others get a 400', async () => {
    const slug = `${marker}-race`;
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        http(app)
          .post('/api/projects')
          .set(auth)
          .send({ data: project({ slug, title: `并发 ${index}` }) }),
      ),
    );
    const statuses = responses.map(({ status }) => status);
    expect(statuses.filter((code) => code === 201)).toHaveLength(1);
    expect(statuses.filter((code) => code === 400)).toHaveLength(19);
    for (const response of responses.filter(({ status }) => status === 400)) {
      expect(response.body.error.name).toBe('ValidationError');
    }
    const rows = await rowsWithSlug('api::project.project', slug);
    // one document, one draft row: nothing half-written by the losers
    expect(rows).toHaveLength(1);
  });

  // Strapi checks published entries in application code only, which races.
  it('lets exactly one of 20 concurrent published creates of one slug through', async () => {
    const slug = `${marker}-race-published`;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) =>
        asSystem(() =>
          app.documents('api::project.project').create({
            locale: 'zh-Hans',
            status: 'published',
            data: project({ slug, title: `并发 ${index}` }),
          } as never),
        ),
      ),
    );
    expect(results.filter(({ status }) => status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter(({ status }) => status === 'rejected') as PromiseRejectedResult[]) {
      expect(result.reason).toMatchObject({ name: 'ValidationError' });
    }
    const rows = await rowsWithSlug('api::project.project', slug);
    expect(new Set(rows.map((row: { documentId: string }) => row.documentId)).size).toBe(1);
    expect(rows).toHaveLength(2); // the draft row and the published row of the one winner
  });

  it('enforces the same rule for the project code', async () => {
    const code = `T${Date.now()}`;
    await http(app)
      .post('/api/projects')
      .set(auth)
      .send({ data: project({ slug: `${marker}-code-1`, code }) })
      .expect(201);
    const response = await http(app)
      .post('/api/projects')
      .set(auth)
      .send({ data: project({ slug: `${marker}-code-2`, code }) })
      .expect(400);
    expect(response.body.error.details.errors[0].path).toEqual(['code']);
  });
});

describe('malformed requests', () => {
  it('answers a missing data payload with a 400', async () => {
    const response = await http(app).post('/api/projects').set(auth).send({ title: 'no data wrapper' }).expect(400);
    expect(response.body.error).toMatchObject({ status: 400, name: 'ValidationError' });
  });

  it('refuses an unknown enumeration value', async () => {
    const response = await http(app)
      .post('/api/projects')
      .set(auth)
      .send({ data: project({ slug: `${marker}-enum`, stage: 'sold' }) })
      .expect(400);
    expect(response.body.error.name).toBe('ValidationError');
  });
});

describe('unknown locales on writes (issue 10, finding 4)', () => {
  const refused = (body: { error: { name: string; message: string } }) =>
    expect(body.error).toMatchObject({ name: 'ValidationError', message: 'Unknown locale "xx"' });

  it('refuses a REST create or update in a locale that does not exist, and writes nothing', async () => {
    const slug = `${marker}-locale-xx`;
    refused(
      (
        await http(app)
          .post('/api/projects?locale=xx')
          .set(auth)
          .send({ data: project({ slug }) })
          .expect(400)
      ).body,
    );
    expect(await rowsWithSlug('api::project.project', slug)).toEqual([]);

    const documentId = await createDocument(app, 'api::project.project', 'zh-Hans', project({ slug }));
    refused(
      (
        await http(app)
          .put(`/api/projects/${documentId}?locale=xx`)
          .set(auth)
          .send({ data: { title: 'xx' } })
          .expect(400)
      ).body,
    );
    expect((await rowsWithSlug('api::project.project', slug)).map(({ locale }) => locale)).toEqual([
      'zh-Hans',
      'zh-Hans',
    ]);
  });

  it('refuses a Content Manager create in a locale that does not exist (i18n checks it there too)', async () => {
    const chief = await createAdmin(app, [SUPER_ADMIN], 'Locale Chief');
    const slug = `${marker}-locale-cm`;
    await http(app).post(cm('api::project.project').create('xx')).set(chief.auth).send(project({ slug })).expect(400);
    expect(await rowsWithSlug('api::project.project', slug)).toEqual([]);
  });
});
