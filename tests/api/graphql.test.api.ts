/**
 * GraphQL (/graphql) under the public API's rules: published content only to the public and
 * read-only tokens (whatever `status` they send, relations included), no private fields, no
 * internal types, depth and page-size limits, and no mutations without credentials.
 */
import type { Core } from '@strapi/strapi';
import { apiToken, asSystem, deleteDocuments, http, startStrapi, stopStrapi } from '../helpers/strapi';

const PROJECT = 'api::project.project';
const PARK = 'api::park.park';
const marker = `graphql-${Date.now()}`;

let app: Core.Strapi;
let readOnly: string;
let fullAccess: string;
let park: string;
let project: string;
let draftOnly: string;

interface GraphqlResponse {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

const gql = async (query: string, options: { token?: string; variables?: Record<string, unknown> } = {}) => {
  const request = http(app).post('/graphql').set('Content-Type', 'application/json');
  if (options.token) request.set('Authorization', `Bearer ${options.token}`);
  const response = await request.send({ query, variables: options.variables });
  return { status: response.status, body: response.body } as GraphqlResponse;
};

/** A query that must succeed: its data. */
const data = async (query: string, options: { token?: string; variables?: Record<string, unknown> } = {}) => {
  const response = await gql(query, options);
  expect(response.body.errors).toBeUndefined();
  expect(response.status).toBe(200);
  return response.body.data as Record<string, unknown>;
};

const create = async (uid: string, locale: string, body: Record<string, unknown>, status?: 'published') =>
  (
    (await asSystem(() =>
      app.documents(uid as never).create({ locale, data: body, ...(status ? { status } : {}) } as never),
    )) as { documentId: string }
  ).documentId;

beforeAll(async () => {
  app = await startStrapi();
  readOnly = await apiToken(app, 'read-only');
  fullAccess = await apiToken(app, 'full-access');
  park = await create(
    PARK,
    'zh-Hans',
    { name: `园区 ${marker}`, slug: `${marker}-park`, kind: 'industrial_park' },
    'published',
  );
  await asSystem(async () => {
    await app
      .documents(PARK)
      .update({ documentId: park, locale: 'en', data: { name: `Park ${marker}`, slug: `${marker}-park-en` } } as never);
    await app.documents(PARK).publish({ documentId: park, locale: 'en' } as never);
  });
  project = await create(
    PROJECT,
    'zh-Hans',
    {
      title: `项目 ${marker}`,
      slug: marker,
      kind: 'hotel',
      stage: 'open',
      park,
      contact: { name: '张三', phone: '13912345678', email: 'zhang.san@example.cn' },
    },
    'published',
  );
  await asSystem(async () => {
    await app.documents(PROJECT).update({
      documentId: project,
      locale: 'en',
      data: { title: `Project ${marker}`, slug: `${marker}-en`, park },
    } as never);
    await app.documents(PROJECT).publish({ documentId: project, locale: 'en' } as never);
    // A change saved but not published.
    await app
      .documents(PROJECT)
      .update({ documentId: project, locale: 'en', data: { title: `Draft ${marker}` } } as never);
  });
  draftOnly = await create(PROJECT, 'en', {
    title: `Unpublished ${marker}`,
    slug: `${marker}-unpublished`,
    kind: 'hotel',
    stage: 'open',
  });
});

afterAll(async () => {
  await deleteDocuments(app, [
    [PROJECT, project],
    [PROJECT, draftOnly],
    [PARK, park],
  ]);
  await stopStrapi(app);
});

describe('reading', () => {
  it('serves projects in Chinese and English, with relations', async () => {
    const query = `query ($locale: I18NLocaleCode) {
      projects(locale: $locale, filters: { slug: { startsWith: "${marker}" } }) { documentId title locale park { name } }
    }`;
    const zh = await data(query, { variables: { locale: 'zh-Hans' } });
    expect(zh.projects).toEqual([
      { documentId: project, title: `项目 ${marker}`, locale: 'zh-Hans', park: { name: `园区 ${marker}` } },
    ]);
    const en = await data(query, { variables: { locale: 'en' } });
    expect(en.projects).toEqual([
      { documentId: project, title: `Project ${marker}`, locale: 'en', park: { name: `Park ${marker}` } },
    ]);
    const one = await data(`{ project(documentId: "${project}", locale: "en") { title } }`);
    expect(one.project).toEqual({ title: `Project ${marker}` });
  });

  it('an unknown locale is an error, as on REST', async () => {
    // Refused by the schema's locale scalar already, before the Document Service rule.
    const response = await gql(`{ projects(locale: "xx") { title } }`);
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining('Unknown locale'),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });
});

describe('drafts', () => {
  // Functions: the ids exist only once beforeAll has run.
  const detail = () => `query ($status: PublicationStatus) {
    project(documentId: "${project}", locale: "en", status: $status) { title park { name } }
  }`;
  const list = (status: string) => `{
    projects(locale: "en", status: ${status}, filters: { slug: { startsWith: "${marker}" } }) { title park { name } }
  }`;

  it('exist: a full-access token sees the draft-only change and the unpublished project', async () => {
    expect((await data(detail(), { token: fullAccess, variables: { status: 'DRAFT' } })).project).toMatchObject({
      title: `Draft ${marker}`,
    });
    const { projects } = (await data(list('DRAFT'), { token: fullAccess })) as { projects: { title: string }[] };
    const titles = projects.map(({ title }) => title);
    expect(titles.sort()).toEqual([`Draft ${marker}`, `Unpublished ${marker}`]);
  });

  it('are never served to the public or read-only tokens: status DRAFT is refused; relations stay populated', async () => {
    for (const token of [undefined, readOnly]) {
      for (const status of ['PUBLISHED', undefined]) {
        const one = await data(detail(), { token, variables: status ? { status } : {} });
        expect(one.project).toEqual({ title: `Project ${marker}`, park: { name: `Park ${marker}` } });
      }
      for (const query of [
        detail(),
        list('DRAFT'),
        `{ project(documentId: "${draftOnly}", locale: "en", status: DRAFT) { title } }`,
        `{ projects_connection(locale: "en", status: DRAFT, filters: { slug: { startsWith: "${marker}" } }) { pageInfo { total } } }`,
      ]) {
        const refused = await gql(query, { token, variables: { status: 'DRAFT' } });
        expect([query, refused.body.errors?.[0]?.message]).toEqual([
          query,
          expect.stringMatching(/^Invalid parameter status/),
        ]);
        expect(JSON.stringify(refused.body)).not.toMatch(/Draft |Unpublished /);
      }
      const many = await data(list('PUBLISHED'), { token });
      expect(many.projects).toEqual([{ title: `Project ${marker}`, park: { name: `Park ${marker}` } }]);
      const unpublished = await data(`{ project(documentId: "${draftOnly}", locale: "en") { title } }`, { token });
      expect(unpublished.project).toBeNull();
      const connection = await data(
        `{ projects_connection(locale: "en", filters: { slug: { startsWith: "${marker}" } }) { pageInfo { total } } }`,
        { token },
      );
      expect(connection.projects_connection).toEqual({ pageInfo: { total: 1 } });
    }
  });
});

describe('what the schema exposes', () => {
  it('has no private field: contact can be neither selected nor filtered on', async () => {
    const selected = await gql(`{ projects { title contact { phone } } }`);
    expect(selected.status).toBe(400);
    expect(selected.body.errors?.[0]).toMatchObject({
      message: 'Cannot query field "contact" on type "Project".',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    const schema = await data(`{
      project: __type(name: "Project") { fields { name } }
      filters: __type(name: "ProjectFiltersInput") { inputFields { name } }
    }`);
    const fields = (schema.project as { fields: { name: string }[] }).fields.map(({ name }) => name);
    expect(fields).toEqual(expect.arrayContaining(['title', 'park', 'landAreaMu']));
    expect(fields).not.toContain('contact');
    expect((schema.filters as { inputFields: { name: string }[] }).inputFields.map(({ name }) => name)).not.toContain(
      'contact',
    );
  });

  it('leaves out our plugins’ internal types; Strapi’s own are refused to the public', async () => {
    const schema = await data(`{ __schema { queryType { fields { name } } } }`);
    const queries = (schema.__schema as { queryType: { fields: { name: string }[] } }).queryType.fields.map(
      ({ name }) => name,
    );
    expect(queries).toEqual(expect.arrayContaining(['projects', 'project', 'parks', 'districtProfile', 'news']));
    expect(queries.filter((name) => /^(editorial|delivery|reviewWorkflows)/.test(name))).toEqual([]);
    for (const query of [
      '{ glossaryTerms { term } }',
      '{ usersPermissionsUsers { username } }',
      '{ uploadFiles { url } }',
    ]) {
      const response = await gql(query);
      expect([query, response.body.errors?.[0]?.extensions?.code]).toEqual([query, 'FORBIDDEN']);
    }
  });
});

describe('limits', () => {
  /** projects { park { projects { park … } } }, `levels` fields deep. */
  const nested = (levels: number) => {
    let selection = 'documentId';
    for (let level = levels - 1; level >= 1; level -= 1)
      selection = `${level % 2 ? 'projects' : 'park'} { ${selection} }`;
    return `{ ${selection} }`;
  };

  it('refuses a query deeper than 7 with a 400, before running it', async () => {
    // Eight fields deep counting the root one: depth 7 as graphql-depth-limit counts (from 0).
    expect((await gql(nested(8))).status).toBe(200);
    const tooDeep = await gql(nested(9));
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining('exceeds maximum operation depth of 7'),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(tooDeep.body.data).toBeUndefined();
  });

  it('pages by 25 by default and never more than 100', async () => {
    const pages = await data(`{
      default: projects_connection { pageInfo { pageSize } }
      huge: projects_connection(pagination: { pageSize: 1000 }) { pageInfo { pageSize } }
      limit: projects_connection(pagination: { limit: 5000 }) { pageInfo { pageSize } }
    }`);
    expect(pages).toEqual({
      default: { pageInfo: { pageSize: 25 } },
      huge: { pageInfo: { pageSize: 100 } },
      limit: { pageInfo: { pageSize: 100 } },
    });
  });
});

describe('mutations', () => {
  const users = () => app.db.query('plugin::users-permissions.user').count({});

  it('are refused without credentials: no sign-up through GraphQL (REST refuses it too)', async () => {
    const before = await users();
    const register = await gql(
      `mutation { register(input: { username: "${marker}", email: "${marker}@example.org", password: "Secret-${marker}" }) { jwt } }`,
    );
    expect(register.status).toBe(403);
    expect(register.body.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(register.body.data).toBeUndefined();
    expect(await users()).toBe(before);
    await http(app)
      .post('/api/auth/local/register')
      .send({ username: marker, email: `${marker}@example.org`, password: `Secret-${marker}` })
      .expect(403);

    for (const mutation of [
      `mutation { createProject(data: { title: "x", slug: "${marker}-x", kind: hotel }) { documentId } }`,
      `mutation { forgotPassword(email: "someone@example.org") { ok } }`,
      `mutation { login(input: { identifier: "someone", password: "wrong" }) { jwt } }`,
    ]) {
      const response = await gql(mutation);
      expect([mutation, response.status, response.body.errors?.[0]?.extensions?.code]).toEqual([
        mutation,
        403,
        'FORBIDDEN',
      ]);
    }
  });

  it('are refused to read-only tokens', async () => {
    const response = await gql(`mutation { deleteProject(documentId: "${project}") { documentId } }`, {
      token: readOnly,
    });
    expect(response.status).toBe(403);
    expect(response.body.errors?.[0]?.message).toBe(
      'GraphQL mutations need a signed-in user or an API token that may write',
    );
    expect((await data(`{ project(documentId: "${project}", locale: "en") { title } }`)).project).toBeTruthy();
  });

  it('are left to the permissions of a full-access token', async () => {
    const response = await gql(
      `mutation { createProject(locale: "en", data: { title: "Created ${marker}", slug: "${marker}-created", kind: hotel, stage: open }) { documentId title } }`,
      { token: fullAccess },
    );
    expect(response.body.errors).toBeUndefined();
    const created = (response.body.data?.createProject as { documentId: string; title: string }) ?? {};
    expect(created.title).toBe(`Created ${marker}`);
    // Writes only ever make drafts: the public does not see it.
    expect((await data(`{ project(documentId: "${created.documentId}", locale: "en") { title } }`)).project).toBeNull();
    await asSystem(() => app.documents(PROJECT).delete({ documentId: created.documentId, locale: '*' } as never));
  });
});
