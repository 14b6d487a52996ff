/**
 * The read model (precomputed public JSON): byte-for-byte Strapi's own list responses for every
 * public type, language and pagination, and its detail responses (404s included) and slug and
 * documentId lookups; fresh right after publish, unpublish and delete, through relations too, and
 * in another process within a second; drafts never; anything else left to Strapi. Kept across
 * restarts: a new process renders nothing but the events it catches up on, rebuilds only when
 * the render version changed, and never serves a list before it is completely built.
 */
import type { Core } from '@strapi/strapi';
import request from 'supertest';
import { createAdmin, SUPER_ADMIN } from '../helpers/admin';
import { apiToken, asSystem, createDocument, http, publishEdit, startStrapi, stopStrapi } from '../helpers/strapi';
import { startWorker, type Worker } from '../helpers/workers';
import type { Delivery } from '../../src/plugins/delivery/server/services';

const LISTS_TABLE = 'wutong_read_model_lists';

type Stats = { rendered: number; listsBuilt: number; eventsCaughtUp: number; renderVersion: string };

// Small build batches, so that a build takes many steps (answers between them are checked).
process.env.WUTONG_READ_MODEL_BATCH = '2';

const PROJECT = 'api::project.project';
const PARK = 'api::park.park';
const marker = `rm-${Date.now()}`;
const LOCALES = ['zh-Hans', 'en'];
const PAGINATIONS = [
  '',
  '&pagination[page]=2',
  '&pagination[pageSize]=1',
  '&pagination[page]=3&pagination[pageSize]=2',
  '&pagination[pageSize]=100',
  '&pagination[page]=999&pagination[pageSize]=10',
];

let app: Core.Strapi;
let park: string;
let project: string;
const created: [string, string][] = [];

const delivery = () => app.plugin('delivery').service('delivery') as Delivery;
const readModel = () => delivery().readModel;

const create = async (uid: string, data: Record<string, unknown>, status: 'draft' | 'published' = 'published') => {
  const documentId = await createDocument(app, uid, 'en', data, status);
  created.push([uid, documentId]);
  return documentId;
};
const publish = (uid: string, documentId: string, data: Record<string, unknown>) =>
  publishEdit(app, uid, documentId, 'en', data);

/** One GET with the response cache emptied first, so that the path asked for is the one taken. */
const get = async (url: string) => {
  await delivery().cache.clear();
  return http(app).get(url);
};

/** Strapi's own answer (read model off) and the read model's, for the same URL. */
const both = async (url: string) => {
  readModel().setEnabled(false);
  const strapi = await get(url);
  readModel().setEnabled(true);
  await readModel().settle();
  const model = await get(url);
  return { strapi, model };
};

/** Every entry of the English projects list, through the read model. */
const projectList = async () => {
  await readModel().settle();
  const entries: { documentId: string; title: string; park?: { name: string } | null }[] = [];
  for (let page = 1; ; page += 1) {
    const response = await get(`/api/projects?locale=en&pagination[pageSize]=100&pagination[page]=${page}`);
    expect(response.status).toBe(200);
    expect(response.headers['x-read-model']).toBe('hit');
    entries.push(...response.body.data);
    if (page >= response.body.meta.pagination.pageCount) return entries;
  }
};

const publicLists = () =>
  Object.values(app.contentTypes)
    .filter(
      (model) =>
        model.uid.startsWith('api::') &&
        model.kind === 'collectionType' &&
        (model.options as { draftAndPublish?: boolean }).draftAndPublish,
    )
    .map((model) => model.info.pluralName);

beforeAll(async () => {
  app = await startStrapi();
  park = await create(PARK, { name: `Park ${marker}`, slug: `${marker}-park`, kind: 'industrial_park' });
  project = await create(PROJECT, {
    title: `Project ${marker}`,
    slug: `${marker}-project`,
    kind: 'hotel',
    stage: 'open',
    park,
  });
  await readModel().settle();
});

afterAll(async () => {
  readModel().setEnabled(true);
  for (const [uid, documentId] of created.reverse())
    await asSystem(() => app.documents(uid as never).delete({ documentId, locale: '*' } as never)).catch(() => null);
  await stopStrapi(app);
});

describe('exactness', () => {
  it('answers every public list, language and page byte for byte as Strapi does', async () => {
    const lists = publicLists();
    expect(lists).toEqual(expect.arrayContaining(['projects', 'parks', 'news', 'industries']));
    let nonEmpty = 0;
    for (const plural of lists) {
      for (const locale of LOCALES) {
        for (const pagination of PAGINATIONS) {
          const url = `/api/${plural}?locale=${locale}${pagination}`;
          const { strapi, model } = await both(url);
          expect(strapi.headers['x-read-model']).toBeUndefined();
          if (strapi.status !== 200) {
            // A type the Public role may not list: left to Strapi.
            expect(model.headers['x-read-model']).toBeUndefined();
            continue;
          }
          expect([url, model.headers['x-read-model']]).toEqual([url, 'hit']);
          expect([url, model.text]).toEqual([url, strapi.text]);
          for (const header of ['content-type', 'content-language', 'etag', 'cache-control', 'vary'])
            expect([url, header, model.headers[header]]).toEqual([url, header, strapi.headers[header]]);
          if (strapi.body.data.length) nonEmpty += 1;
        }
      }
    }
    expect(nonEmpty).toBeGreaterThan(20);
  });

  it('answers a page without counting the list: its total is stored with it, and stays exact', async () => {
    const url = '/api/projects?locale=en&pagination[pageSize]=2&pagination[page]=2';
    const counts: string[] = [];
    const listen = (query: { sql: string }) => {
      if (/count\(/i.test(query.sql) && query.sql.includes('wutong_read_model') && !/update/i.test(query.sql))
        counts.push(query.sql);
    };
    const extra = await create(PROJECT, {
      title: `Counted ${marker}`,
      slug: `${marker}-counted`,
      kind: 'hotel',
      stage: 'open',
    });
    await readModel().settle();
    app.db.connection.on('query', listen);
    try {
      const answer = await get(url);
      expect(answer.headers['x-read-model']).toBe('hit');
    } finally {
      app.db.connection.off('query', listen);
    }
    // A count per request reads every entry of the list: its cost grows with the list.
    expect(counts).toEqual([]);
    // Stored totals follow an unpublish and a publish.
    await asSystem(() => app.documents(PROJECT as never).unpublish({ documentId: extra, locale: 'en' } as never));
    let { strapi, model } = await both(url);
    expect(model.headers['x-read-model']).toBe('hit');
    expect(model.text).toBe(strapi.text);
    await asSystem(() => app.documents(PROJECT as never).publish({ documentId: extra, locale: 'en' } as never));
    ({ strapi, model } = await both(url));
    expect(model.headers['x-read-model']).toBe('hit');
    expect(model.text).toBe(strapi.text);
  });

  it('is cached like any other answer', async () => {
    const url = '/api/projects?locale=en&pagination[pageSize]=5';
    const miss = await get(url);
    expect(miss.headers['x-read-model']).toBe('hit');
    const hit = await http(app).get(url).expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.text).toBe(miss.text);
  });

  it('leaves everything but a plain list to Strapi', async () => {
    for (const url of [
      // Through relations and components, or not allowed publicly: Strapi's (or its 400).
      '/api/projects?locale=en&sort=park.name:asc',
      '/api/projects?locale=en&sort[0][park][name]=asc',
      '/api/projects?locale=en&filters[park][slug][$eq]=x',
      '/api/projects?locale=en&filters[location][city][$eq]=x',
      '/api/projects?locale=en&filters[industries][name][$containsi]=x',
      '/api/projects?locale=en&filters[landAreaMu][$gte]=abc',
      '/api/projects?locale=en&filters[title][$nope]=x',
      '/api/projects?locale=en&filters[kind][$eq]=no_such_kind',
      '/api/projects?locale=en&filters[contact][phone][$eq]=1',
      '/api/projects?locale=en&sort=body',
      '/api/projects?locale=en&sort=title:sideways',
      '/api/projects?locale=en&filters[title][$eq][x]=y',
      '/api/projects?locale=en&populate=*',
      '/api/projects?locale=en&fields[0]=title',
      '/api/projects?locale=en&status=draft',
      '/api/projects?locale=en&fallback=true',
      '/api/projects?locale=en&pagination[pageSize]=101',
      '/api/projects?locale=en&pagination[pageSize]=0',
      '/api/projects?locale=en&pagination[page]=01',
      '/api/projects?locale=en&pagination[start]=0&pagination[limit]=5',
      '/api/projects?locale=en&locale=zh-Hans',
      '/api/projects',
      `/api/projects/${project}?locale=en&populate=*`,
      `/api/projects/${project}?locale=en&fields[0]=title`,
      `/api/projects/${project}`,
      `/api/projects/${project}/x?locale=en`,
    ]) {
      const response = await get(url);
      expect([url, response.headers['x-read-model']]).toEqual([url, undefined]);
    }
    const token = await apiToken(app, 'read-only');
    const authenticated = await http(app).get('/api/projects?locale=en').set('Authorization', `Bearer ${token}`);
    expect(authenticated.status).toBe(200);
    expect(authenticated.headers['x-read-model']).toBeUndefined();
  });

  it('still refuses an unknown locale', async () => {
    const response = await get('/api/projects?locale=xx-Nope');
    expect(response.status).toBe(400);
    expect(response.headers['x-read-model']).toBeUndefined();
  });

  it('answers nothing when switched off', async () => {
    readModel().setEnabled(false);
    try {
      expect((await get('/api/projects?locale=en')).headers['x-read-model']).toBeUndefined();
    } finally {
      readModel().setEnabled(true);
    }
  });
});

describe('freshness', () => {
  it('shows a published edit at once, and in the read model once applied', async () => {
    await publish(PROJECT, project, { title: `Project ${marker} v2` });
    // Right after the publish: whoever answers, it is the new title.
    const immediate = await get('/api/projects?locale=en&pagination[pageSize]=100&pagination[page]=1');
    expect(immediate.status).toBe(200);
    const entry = (await projectList()).find(({ documentId }) => documentId === project);
    expect(entry?.title).toBe(`Project ${marker} v2`);
  });

  it('shows a related park renamed and republished in the project list', async () => {
    await publish(PARK, park, { name: `Park ${marker} renamed` });
    const entry = (await projectList()).find(({ documentId }) => documentId === project);
    expect(entry?.park?.name).toBe(`Park ${marker} renamed`);
    // And still exactly Strapi's answer, on the page that holds it.
    const { strapi, model } = await both('/api/projects?locale=en&pagination[pageSize]=100&pagination[page]=1');
    expect(model.headers['x-read-model']).toBe('hit');
    expect(model.text).toBe(strapi.text);
  });

  it('never shows drafts; drops unpublished and deleted entries', async () => {
    const draft = await create(
      PROJECT,
      { title: `Draft ${marker}`, slug: `${marker}-draft`, kind: 'hotel', stage: 'open' },
      'draft',
    );
    const other = await create(PROJECT, {
      title: `Other ${marker}`,
      slug: `${marker}-other`,
      kind: 'hotel',
      stage: 'open',
    });
    let ids = (await projectList()).map(({ documentId }) => documentId);
    expect(ids).not.toContain(draft);
    expect(ids).toContain(other);

    await asSystem(() => app.documents(PROJECT as never).unpublish({ documentId: other, locale: 'en' } as never));
    ids = (await projectList()).map(({ documentId }) => documentId);
    expect(ids).not.toContain(other);
    expect(ids).toContain(project);

    await asSystem(() => app.documents(PROJECT as never).publish({ documentId: other, locale: 'en' } as never));
    expect((await projectList()).map(({ documentId }) => documentId)).toContain(other);
    await asSystem(() => app.documents(PROJECT as never).delete({ documentId: other, locale: '*' } as never));
    ids = (await projectList()).map(({ documentId }) => documentId);
    expect(ids).not.toContain(other);

    // The totals agree with Strapi's after all that.
    const { strapi, model } = await both('/api/projects?locale=en&pagination[pageSize]=3&pagination[page]=2');
    expect(model.text).toBe(strapi.text);
  });

  it('stops answering a list the moment the Public role loses it, and resumes when it is back', async () => {
    const chief = await createAdmin(app, [SUPER_ADMIN], 'Read model permissions');
    const url = '/api/parks?locale=en';
    await readModel().settle();
    expect((await get(url)).headers['x-read-model']).toBe('hit');
    const roles = await http(app).get('/users-permissions/roles').set(chief.auth).expect(200);
    const { id } = roles.body.roles.find((role: { type: string }) => role.type === 'public');
    const setFind = async (enabled: boolean) => {
      const { role } = (await http(app).get(`/users-permissions/roles/${id}`).set(chief.auth).expect(200)).body;
      role.permissions['api::park'].controllers.park.find.enabled = enabled;
      const { name, description, permissions } = role;
      await http(app)
        .put(`/users-permissions/roles/${id}`)
        .set(chief.auth)
        .send({ name, description, permissions })
        .expect(200);
    };
    try {
      await setFind(false);
      // The event is published once the response has gone: wait for it, never a 200 meanwhile
      // from the read model after it.
      const changed = Date.now();
      while ((await get(url)).status !== 403) {
        if (Date.now() - changed > 5000) throw new Error('still not 403 after 5 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await readModel().settle();
      const refused = await get(url);
      expect(refused.status).toBe(403);
      expect(refused.headers['x-read-model']).toBeUndefined();
    } finally {
      await setFind(true);
    }
    const restored = Date.now();
    while ((await get(url)).status !== 200) {
      if (Date.now() - restored > 5000) throw new Error('still not 200 after 5 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await readModel().settle();
    const { strapi, model } = await both(url);
    expect(model.headers['x-read-model']).toBe('hit');
    expect(model.text).toBe(strapi.text);
  });

  it('is fresh in another process within a second of a publish here', async () => {
    const worker = await startWorker(0, { WUTONG_CACHE: 'off' });
    try {
      const port = await worker.send<number>('listen');
      const other = request(`http://127.0.0.1:${port}`);
      const url = '/api/projects?locale=en&pagination[pageSize]=100';
      // The worker builds its read model in the background: wait until it answers from it.
      const startedAt = Date.now();
      while ((await other.get(url)).headers['x-read-model'] !== 'hit') {
        if (Date.now() - startedAt > 60_000) throw new Error('the worker never served from its read model');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const pageOf = async () => {
        for (let page = 1; ; page += 1) {
          const response = await other.get(`${url}&pagination[page]=${page}`).expect(200);
          const entry = response.body.data.find(({ documentId }: { documentId: string }) => documentId === project);
          if (entry) return { entry, served: response.headers['x-read-model'] };
          if (page >= response.body.meta.pagination.pageCount) return { entry: undefined, served: undefined };
        }
      };
      const title = `Project ${marker} v3`;
      await publish(PROJECT, project, { title });
      const published = Date.now();
      for (;;) {
        const { entry } = await pageOf();
        if (entry?.title === title) break;
        if (Date.now() - published > 5000) throw new Error('the worker still served the old title after 5 s');
      }
      expect(Date.now() - published).toBeLessThan(1000);
      // And once applied, from its read model again.
      const again = Date.now();
      while ((await pageOf()).served !== 'hit') {
        if (Date.now() - again > 10_000) throw new Error('the worker never served from its read model again');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect((await pageOf()).entry?.title).toBe(title);
    } finally {
      await worker.stop();
    }
  });
});

/** A few entries of each public list (Strapi's answer), by plural name and locale. */
const samples = async (pageSize = 3) => {
  const found: { plural: string; locale: string; entries: { documentId: string; slug?: string }[] }[] = [];
  readModel().setEnabled(false);
  try {
    for (const plural of publicLists())
      for (const locale of LOCALES) {
        const response = await get(`/api/${plural}?locale=${locale}&pagination[pageSize]=${pageSize}`);
        if (response.status === 200) found.push({ plural, locale, entries: response.body.data });
      }
  } finally {
    readModel().setEnabled(true);
  }
  return found;
};

const expectSame = (url: string, strapi: request.Response, model: request.Response) => {
  expect([url, model.headers['x-read-model']]).toEqual([url, 'hit']);
  expect([url, model.status, model.text]).toEqual([url, strapi.status, strapi.text]);
  for (const header of ['content-type', 'content-language', 'etag', 'cache-control', 'vary'])
    expect([url, header, model.headers[header]]).toEqual([url, header, strapi.headers[header]]);
};

describe('details and lookups', () => {
  it('answers a detail by documentId byte for byte as Strapi does, in every type and language', async () => {
    let compared = 0;
    for (const { plural, locale, entries } of await samples()) {
      for (const { documentId } of entries) {
        const url = `/api/${plural}/${documentId}?locale=${locale}`;
        const { strapi, model } = await both(url);
        expect([url, strapi.status]).toEqual([url, 200]);
        expectSame(url, strapi, model);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('answers 404 exactly as Strapi does for unknown, draft-only and other-language documents', async () => {
    const draft = await create(
      PROJECT,
      { title: `Draft detail ${marker}`, slug: `${marker}-draft-detail`, kind: 'hotel', stage: 'open' },
      'draft',
    );
    for (const url of [
      '/api/projects/zzzzzzzzzzzzzzzzzzzzzzzz?locale=en',
      `/api/projects/${draft}?locale=en`,
      // The park exists in English only.
      `/api/parks/${park}?locale=zh-Hans`,
      `/api/news/${project}?locale=en`,
    ]) {
      const { strapi, model } = await both(url);
      expect([url, strapi.status]).toEqual([url, 404]);
      expectSame(url, strapi, model);
    }
  });

  it('answers a lookup by slug or documentId byte for byte as Strapi does', async () => {
    let compared = 0;
    for (const { plural, locale, entries } of await samples(2)) {
      for (const { documentId, slug } of entries) {
        const urls = [
          `/api/${plural}?locale=${locale}&filters[documentId][$eq]=${documentId}`,
          `/api/${plural}?locale=${locale}&filters[documentId][$eq]=${documentId}&pagination[pageSize]=1`,
        ];
        if (slug)
          urls.push(
            `/api/${plural}?locale=${locale}&filters[slug][$eq]=${encodeURIComponent(slug)}`,
            `/api/${plural}?locale=${locale}&filters[slug][$eq]=${encodeURIComponent(slug)}&pagination[page]=2`,
          );
        for (const url of urls) {
          const { strapi, model } = await both(url);
          expect([url, strapi.status, strapi.body.data.length > 0 || url.includes('page]=2')]).toEqual([
            url,
            200,
            true,
          ]);
          expectSame(url, strapi, model);
          compared += 1;
        }
      }
    }
    for (const url of [
      '/api/projects?locale=en&filters[slug][$eq]=no-such-slug',
      '/api/projects?locale=en&filters[documentId][$eq]=zzzzzzzzzzzzzzzzzzzzzzzz',
      `/api/projects?locale=zh-Hans&filters[slug][$eq]=${marker}-project`,
    ]) {
      const { strapi, model } = await both(url);
      expect([url, strapi.body.data]).toEqual([url, []]);
      expectSame(url, strapi, model);
    }
    expect(compared).toBeGreaterThan(20);
  });
});

describe('filtered and sorted lists', () => {
  const tie = `Tie ${marker}`;
  const made: Record<string, string> = {};

  it("on PostgreSQL, has statistics on every trigram index's expression", async () => {
    if (app.db.dialect.client !== 'postgres') return; // SQLite: no trigram indexes
    // Without them the planner guessed a few per cent of rows match any `$containsi` pattern and
    // counted a no-hit filter by reading a whole language (313 ms at 100,000 projects, not 0.2 ms).
    const { rows: indexes } = (await app.db.connection.raw(
      `SELECT tablename, indexdef FROM pg_indexes WHERE indexname LIKE '%\\_trgm\\_%' AND tablename = 'projects'`,
    )) as { rows: { tablename: string; indexdef: string }[] };
    // Filled by ANALYZE (at start only when they are new; autovacuum's afterwards): here, now.
    await app.db.connection.raw('ANALYZE projects');
    const { rows: statistics } = (await app.db.connection.raw(
      `SELECT tablename, expr, null_frac FROM pg_stats_ext_exprs WHERE tablename = 'projects'`,
    )) as { rows: { tablename: string; expr: string; null_frac: number | null }[] };
    expect(indexes.length).toBeGreaterThanOrEqual(5); // title, slug, code, summary, …
    for (const { indexdef } of indexes) {
      const column = /lower\(\(\((\w+)\)/.exec(indexdef)?.[1];
      const analysed = statistics.find(({ expr }) => expr.includes(`(${column})`));
      expect({ column, analysed: analysed?.null_frac !== undefined && analysed?.null_frac !== null }).toEqual({
        column,
        analysed: true,
      });
    }
  });

  beforeAll(async () => {
    // Two published projects with the same title (Strapi breaks the tie by id), one published
    // with a different draft on top, one draft only: the draft values must never show or count.
    made.first = await create(PROJECT, {
      title: tie,
      slug: `${marker}-tie-1`,
      kind: 'hotel',
      stage: 'open',
      landAreaMu: 120,
    });
    made.second = await create(PROJECT, {
      title: tie,
      slug: `${marker}-tie-2`,
      kind: 'land_parcel',
      stage: 'signed',
      landAreaMu: 80,
    });
    made.edited = await create(PROJECT, {
      title: `Aardvark ${marker}`,
      slug: `${marker}-edited`,
      kind: 'hotel',
      stage: 'open',
      landAreaMu: 5,
    });
    await asSystem(() =>
      app.documents(PROJECT as never).update({
        documentId: made.edited,
        locale: 'en',
        data: { title: `Zzz draft ${marker}`, landAreaMu: 999999 },
      } as never),
    );
    made.draft = await create(
      PROJECT,
      {
        title: `Zzz draft only ${marker}`,
        slug: `${marker}-draft-only`,
        kind: 'hotel',
        stage: 'open',
        landAreaMu: 999999,
      },
      'draft',
    );
    await readModel().settle();
  });

  const SORTS = [
    'sort=title:asc',
    'sort=title:desc',
    'sort=title',
    'sort=code:asc',
    'sort=landAreaMu:desc,title',
    'sort[0]=kind&sort[1]=id:desc',
    'sort=createdAt:desc',
    'sort=documentId',
    'sort=publishedAt:asc',
    'sort=slug:desc',
    'sort=id:asc',
  ];
  const FILTERS = [
    `filters[title][$containsi]=xyz-${marker}`,
    'filters[title][$containsi]=TIE',
    `filters[title][$contains]=${encodeURIComponent(tie)}`,
    `filters[title][$eq]=${encodeURIComponent(tie)}`,
    `filters[title][$eqi]=${encodeURIComponent(tie.toUpperCase())}`,
    `filters[title]=${encodeURIComponent(tie)}`,
    'filters[title][$startsWithi]=aard',
    'filters[title][$notContainsi]=e',
    'filters[kind][$eq]=hotel',
    'filters[kind][$in][0]=hotel&filters[kind][$in][1]=land_parcel',
    'filters[kind][$notIn][0]=hotel',
    'filters[landAreaMu][$gte]=100',
    'filters[landAreaMu][$between][0]=1&filters[landAreaMu][$between][1]=100',
    'filters[landAreaMu][$null]=true',
    'filters[stage][$ne]=open&filters[landAreaMu][$lt]=1000',
    'filters[$or][0][kind][$eq]=land_parcel&filters[$or][1][title][$containsi]=aardvark',
    'filters[$not][kind][$eq]=hotel',
    `filters[slug][$eq]=${marker}-tie-2&sort=title`,
    'filters[publishedAt][$null]=true',
    `filters[documentId][$in][0]=${'x'.repeat(24)}`,
  ];
  const PAGES = ['', '&pagination[page]=2&pagination[pageSize]=3', '&pagination[pageSize]=1', '&pagination[page]=999'];

  it('answers every allowed sort and own-column filter byte for byte as Strapi does, drafts never', async () => {
    let nonEmpty = 0;
    for (const locale of LOCALES)
      for (const query of [...SORTS, ...FILTERS, `${FILTERS[1]}&${SORTS[1]}`, `${FILTERS[11]}&${SORTS[4]}`])
        for (const pagination of PAGES) {
          const url = `/api/projects?locale=${locale}&${query}${pagination}`;
          const { strapi, model } = await both(url);
          expect([url, strapi.status]).toEqual([url, 200]);
          expectSame(url, strapi, model);
          expect([url, model.text]).not.toEqual([url, expect.stringContaining('Zzz draft')]);
          if (strapi.body.data.length) nonEmpty += 1;
        }
    expect(nonEmpty).toBeGreaterThan(100);
    // Strapi lets a locale filter override the language asked for: rows the model holds under
    // another language are left to Strapi, whose answer stays the same.
    const other = `/api/projects?locale=en&filters[locale][$eq]=zh-Hans&sort=title`;
    const { strapi, model } = await both(other);
    expect(strapi.body.data.length).toBeGreaterThan(0);
    expect([model.headers['x-read-model'], model.text]).toEqual([undefined, strapi.text]);
    // The tie comes back in id order, as Strapi's paginated select orders it.
    const ties = (await get(`/api/projects?locale=en&filters[title][$eq]=${encodeURIComponent(tie)}&sort=title`)).body;
    expect(ties.data.map(({ documentId }: { documentId: string }) => documentId)).toEqual([made.first, made.second]);
  });

  it('answers a text search with no hits in one query, its count (a trigram index probe on PostgreSQL)', async () => {
    const url = `/api/projects?locale=en&filters[title][$containsi]=no-such-${marker}&sort=title`;
    await readModel().settle();
    const sql: string[] = [];
    const listener = ({ sql: text }: { sql: string }) => {
      if (/\bprojects\b|wutong_read_model\b/.test(text)) sql.push(text);
    };
    app.db.connection.on('query', listener);
    try {
      const response = await get(url);
      expect([response.headers['x-read-model'], response.body.meta.pagination.total]).toEqual(['hit', 0]);
    } finally {
      app.db.connection.off('query', listener);
    }
    expect(sql).toEqual([expect.stringMatching(/^select count\(/i)]);
  });

  it('picks the page of a text search with few hits among its matches read whole, not by walking the sort order', async () => {
    const url = `/api/projects?locale=en&filters[title][$containsi]=${encodeURIComponent(tie)}&sort=title:desc&pagination[pageSize]=1`;
    await readModel().settle();
    const sql: string[] = [];
    const listener = ({ sql: text }: { sql: string }) => {
      if (/\bprojects\b/.test(text)) sql.push(text);
    };
    app.db.connection.on('query', listener);
    let answered;
    try {
      answered = await get(url);
    } finally {
      app.db.connection.off('query', listener);
    }
    expect(answered.headers['x-read-model']).toBe('hit');
    // Counted, then every match's id (no ORDER BY or LIMIT: the trigram index on PostgreSQL), then
    // the page among those ids in Strapi's order.
    expect(sql).toEqual([
      expect.stringMatching(/^select count\(/i),
      expect.not.stringMatching(/order by|limit/i),
      expect.stringMatching(/id["`]? in \(.*order by .*limit/i),
    ]);
    const { strapi, model } = await both(url);
    expectSame(url, strapi, model);
    expect(model.body.meta.pagination.total).toBe(2);
  });

  it('answers the other public lists sorted and filtered as Strapi does', async () => {
    let compared = 0;
    for (const plural of publicLists())
      for (const query of [
        'sort=createdAt:desc',
        'sort=updatedAt:asc&pagination[pageSize]=2',
        'filters[id][$gt]=1&sort=id:desc',
      ]) {
        const url = `/api/${plural}?locale=en&${query}`;
        const { strapi, model } = await both(url);
        if (strapi.status !== 200) continue;
        expectSame(url, strapi, model);
        compared += 1;
      }
    expect(compared).toBeGreaterThan(5);
  });

  it('is fresh after a publish and an unpublish', async () => {
    const url = `/api/projects?locale=en&filters[title][$containsi]=${encodeURIComponent(tie)}&sort=title:desc`;
    await publish(PROJECT, made.second, { title: `${tie} renamed` });
    const renamed = await get(url);
    expect(renamed.body.data.map(({ title }: { title: string }) => title)).toEqual([`${tie} renamed`, tie]);
    await asSystem(() => app.documents(PROJECT as never).unpublish({ documentId: made.first, locale: 'en' } as never));
    await readModel().settle();
    const { strapi, model } = await both(url);
    expectSame(url, strapi, model);
    expect(model.body.data.map(({ documentId }: { documentId: string }) => documentId)).toEqual([made.second]);
  });
});

describe('building', () => {
  it('never answers from a list before it is completely built', async () => {
    await readModel().settle();
    const lists = Object.values(app.contentTypes).filter((model) => publicLists().includes(model.info.pluralName));
    // Built in type order, each type in every language: the first list is done long before the last.
    const asked = [
      { uid: lists[0].uid, plural: lists[0].info.pluralName, query: `locale=${LOCALES[0]}&pagination[pageSize]=100` },
      ...LOCALES.map((locale) => ({
        uid: lists[lists.length - 1].uid,
        plural: lists[lists.length - 1].info.pluralName,
        query: `locale=${locale}&pagination[pageSize]=100`,
      })),
      { uid: PROJECT, plural: 'projects', query: 'locale=en&pagination[pageSize]=100' },
      { uid: PROJECT, plural: 'projects', query: `locale=en&filters[slug][$eq]=${marker}-project` },
      { uid: PROJECT, plural: 'projects', query: 'locale=en', documentId: project },
    ];
    const urlOf = ({ plural, query, documentId }: (typeof asked)[number]) =>
      `/api/${plural}${documentId ? `/${documentId}` : ''}?${query}`;
    const expected = new Map<string, string>();
    for (const each of asked) expected.set(urlOf(each), (await both(urlOf(each))).strapi.text);

    const ask = async (each: (typeof asked)[number]) => {
      const answer = await readModel().answer(
        { uid: each.uid, detail: !!each.documentId, documentId: each.documentId },
        each.query,
      );
      // Either Strapi answers, or the read model with the whole list, byte for byte Strapi's.
      if (answer) expect([urlOf(each), answer.body]).toEqual([urlOf(each), expected.get(urlOf(each))]);
      return !!answer;
    };

    await readModel().rebuildAll();
    // Right after the reset nothing is answered; then each list once it is complete.
    for (const each of asked) expect([urlOf(each), await ask(each)]).toEqual([urlOf(each), false]);
    while (readModel().building()) {
      for (const each of asked) await ask(each);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await readModel().settle();
    for (const each of asked) {
      const url = urlOf(each);
      expect([url, (await get(url)).headers['x-read-model']]).toEqual([url, 'hit']);
    }
  });
});

describe('kept across restarts', () => {
  let worker: Worker | undefined;
  afterEach(async () => {
    readModel().setEnabled(true);
    await worker?.stop();
    worker = undefined;
  });

  it('a new process renders nothing but the events it catches up on, and serves them fresh', async () => {
    await readModel().settle();
    const entries = (await app.db.connection('wutong_read_model').count('* as total')) as { total: number }[];
    // Published while no process applies events (this one's read model is off): the new process
    // must catch up on it, and must not serve the old title meanwhile.
    readModel().setEnabled(false);
    const title = `Project ${marker} caught up`;
    await publish(PROJECT, project, { title });
    worker = await startWorker(0, { WUTONG_CACHE: 'off' });
    const stats = await worker.send<Stats>('readModelStats');
    expect(stats.renderVersion).toBe(readModel().renderVersion());
    expect(stats.listsBuilt).toBe(0);
    expect(stats.eventsCaughtUp).toBeGreaterThanOrEqual(1);
    // The project and its park, in each language: nothing like the whole model.
    expect(stats.rendered).toBeLessThanOrEqual(4);
    expect(Number(entries[0].total)).toBeGreaterThan(50);
    const other = request(`http://127.0.0.1:${await worker.send<number>('listen')}`);
    const detail = await other.get(`/api/projects/${project}?locale=en`).expect(200);
    expect([detail.headers['x-read-model'], detail.body.data.title]).toEqual(['hit', title]);
    const bySlug = await other.get(`/api/projects?locale=en&filters[slug][$eq]=${marker}-project`).expect(200);
    expect([bySlug.headers['x-read-model'], bySlug.body.data[0]?.title]).toEqual(['hit', title]);
  });

  it('a changed render version rebuilds every list', async () => {
    await readModel().settle();
    const lists = (await app.db.connection(LISTS_TABLE).count('* as total')) as { total: number }[];
    await app.db.connection(LISTS_TABLE).update({ render: 'an older render version' });
    worker = await startWorker(0, { WUTONG_CACHE: 'off' });
    const stats = await worker.send<Stats>('readModelStats');
    expect(stats.listsBuilt).toBe(Number(lists[0].total));
    expect(stats.rendered).toBeGreaterThan(50);
    const other = request(`http://127.0.0.1:${await worker.send<number>('listen')}`);
    const url = '/api/projects?locale=en&pagination[pageSize]=100';
    const { strapi } = await both(url);
    const model = await other.get(url).expect(200);
    expect([model.headers['x-read-model'], model.text]).toEqual(['hit', strapi.text]);
  });

  it('is fresh after a publish, unpublish and delete in another process: lists, details, slugs', async () => {
    worker = await startWorker(0, { WUTONG_CACHE: 'off' });
    const slug = `${marker}-elsewhere`;
    const detailUrl = (id: string) => `/api/projects/${id}?locale=en`;
    const slugUrl = `/api/projects?locale=en&filters[slug][$eq]=${slug}`;
    /** Waits until this process shows `check` (at most 1 s), then until it does from the read model. */
    const fresh = async (url: string, check: (response: request.Response) => boolean) => {
      const startedAt = Date.now();
      while (!check(await get(url))) {
        if (Date.now() - startedAt > 5000) throw new Error(`${url} still stale after 5 s`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(Date.now() - startedAt).toBeLessThan(1000);
      await readModel().settle();
      const { strapi, model } = await both(url);
      expectSame(url, strapi, model);
      expect(check(model)).toBe(true);
    };
    const id = await worker.send<string>('publish', {
      uid: PROJECT,
      locale: 'en',
      data: { title: `Elsewhere ${marker}`, slug, kind: 'hotel', stage: 'open' },
    });
    created.push([PROJECT, id]);
    await fresh(detailUrl(id), (response) => response.body?.data?.title === `Elsewhere ${marker}`);
    await fresh(slugUrl, (response) => response.body?.data?.[0]?.documentId === id);
    await worker.send('unpublish', { uid: PROJECT, documentId: id, locale: 'en' });
    await fresh(detailUrl(id), (response) => response.status === 404);
    await fresh(slugUrl, (response) => response.body?.data?.length === 0);
    await worker.send('update', { uid: PROJECT, documentId: id, locale: 'en', data: { title: `Back ${marker}` } });
    await fresh(detailUrl(id), (response) => response.body?.data?.title === `Back ${marker}`);
    await worker.send('delete', { uid: PROJECT, documentId: id });
    await fresh(detailUrl(id), (response) => response.status === 404);
    expect((await projectList()).map(({ documentId }) => documentId)).not.toContain(id);
  });
});
