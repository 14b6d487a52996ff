/**
 * The generated adversarial suite of the public read path: drafts and private attributes never
 * shape a public answer, whatever filter, sort, fields, populate, status or publicationFilter a
 * client sends over REST or GraphQL, anonymously or with a read-only token. See generate.ts.
 *
 * WUTONG_SECURITY_FULL=1 (npm run test:security -- --full) runs every operator on every path with
 * both auths on both transports; a normal run spreads WUTONG_SECURITY_BUDGET probes over them.
 */
import type { AddressInfo } from 'net';
import type { Core } from '@strapi/strapi';
import { apiToken, startStrapi, stopStrapi } from '../helpers/strapi';
import { generateProbes, graphqlFacts, INTROSPECTION, type Probe } from './probes';
import { report, runProbes, type RunResult } from './run';
import { cleanUp, LOCALES, plant, type World } from './world';
import { managedTypes, owningRelations } from './generate';

const full = process.env.WUTONG_SECURITY_FULL === '1' || process.env.WUTONG_SECURITY_FULL === 'true';
const budget = Number(process.env.WUTONG_SECURITY_BUDGET ?? 5000);
// A digit first: public values (`<tag>p…`) sort before markers (`zq<tag>…`).
const tag = `${Math.floor(Math.random() * 9) + 1}${Math.random().toString(36).slice(2, 7)}`;

let app: Core.Strapi;
let world: World | undefined;
let base: string;
let token: string;
let probes: Probe[];

beforeAll(async () => {
  app = await startStrapi();
  base = `http://127.0.0.1:${(app.server.httpServer.address() as AddressInfo).port}`;
  token = await apiToken(app, 'read-only');
  const started = Date.now();
  world = await plant(app, tag);
  console.log(`security probes: planted in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const introspection = (await (
    await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: INTROSPECTION }),
    })
  ).json()) as { data: Parameters<typeof graphqlFacts>[0] };
  const models = managedTypes(world.schema).map((uid) => world!.schema.contentTypes[uid]);
  const graphql = graphqlFacts(introspection.data, models);
  probes = generateProbes(world, { full, budget, graphql });
  if (!full)
    console.log(`security probes: --full would send ${generateProbes(world, { full: true, budget, graphql }).length}`);
}, 600000);

afterAll(async () => {
  if (app) {
    await cleanUp(app, world);
    await stopStrapi(app);
  }
});

describe('the planted world is what the probes assume', () => {
  it('serves both published twins of every collection type, and not the draft-only document', async () => {
    for (const planted of Object.values(world!.types).filter(({ single }) => !single)) {
      const model = world!.schema.contentTypes[planted.uid];
      const query = new URLSearchParams({ [`filters[${planted.scopeAttr}][$in][0]`]: planted.scope['zh-Hans'][0] });
      query.append(`filters[${planted.scopeAttr}][$in][1]`, planted.scope['zh-Hans'][1]);
      const response = await fetch(`${base}/api/${model.info!.pluralName}?${query}`);
      const body = (await response.json()) as { data: { documentId: string }[] };
      expect(body.data.map(({ documentId }) => documentId).sort()).toEqual([planted.A, planted.D].sort());
    }
  });

  it("links the twins' published versions to each target type's A, in both locales", async () => {
    const missing: string[] = [];
    for (const planted of Object.values(world!.types).filter(({ single }) => !single))
      for (const { name, target } of owningRelations(world!.schema, planted.uid))
        for (const locale of LOCALES)
          for (const twin of [planted.A, planted.D!]) {
            const document = (await app.documents(planted.uid as never).findOne({
              documentId: twin,
              locale,
              status: 'published',
              populate: { [name]: { fields: ['documentId'] } },
            } as never)) as Record<string, unknown> | null;
            const linked = ([] as { documentId: string }[]).concat((document?.[name] as never) ?? []);
            if (!linked.some(({ documentId }) => documentId === world!.types[target].A))
              missing.push(`${planted.uid}.${name} (${locale})`);
          }
    expect(missing).toEqual([]);
  });

  it("carries the uploaded image in A's drafts, so image components' text is probed too", async () => {
    const withImage: string[] = [];
    for (const planted of Object.values(world!.types).filter(({ single }) => !single))
      for (const [name, def] of Object.entries(world!.schema.contentTypes[planted.uid].attributes)) {
        if (def.type !== 'component' || def.component !== 'shared.image') continue;
        const draft = (await app.documents(planted.uid as never).findOne({
          documentId: planted.A,
          locale: 'zh-Hans',
          status: 'draft',
          populate: { [name]: { populate: ['image'] } },
        } as never)) as Record<string, unknown> | null;
        const images = ([] as { image?: { id: number }; alt?: string }[]).concat((draft?.[name] as never) ?? []);
        expect(images.length).toBeGreaterThan(0);
        for (const image of images) {
          expect(image.image?.id).toBe(world!.values.mediaId);
          expect(image.alt).toMatch(/^zq/);
        }
        withImage.push(`${planted.uid}.${name}`);
      }
    expect(withImage.length).toBeGreaterThan(0);
  });
});

describe('no public answer depends on draft or private values', () => {
  let result: RunResult;

  it(
    `answers ${full ? 'the full set of' : 'the normal set of'} generated probes without a leak or a 500`,
    async () => {
      // Server errors are counted and reported below; Strapi's own stack trace per 500 would bury them.
      const log = app.log as unknown as { silent?: boolean };
      log.silent = true;
      // This process's CPU time (Strapi and the runner share it): the run's duration on an idle core.
      const cpu = process.cpuUsage();
      try {
        result = await runProbes(base, probes, { tag, token, concurrency: 8 });
      } finally {
        log.silent = false;
      }
      const { user, system } = process.cpuUsage(cpu);
      const cpuSeconds = (user + system) / 1e6;
      const lines = report(result.failures);
      console.log(
        `security probes: ${probes.length} probes (${result.requests} requests) in ${result.seconds.toFixed(1)} s ` +
          `(${cpuSeconds.toFixed(1)} s CPU); ` +
          `${result.answered} answered, ${result.refused} refused, ${result.failures.length} failed in ${lines.length} classes` +
          (lines.length ? `\n${lines.join('\n')}` : ''),
      );
      if (process.env.WUTONG_SECURITY_VERBOSE)
        console.log(
          [...result.refusedBy.entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([key, count]) => `${String(count).padStart(5)} refused: ${key}`)
            .join('\n'),
        );
      if (!full) expect(probes.length).toBeGreaterThanOrEqual(5000);
      expect(lines).toEqual([]);
    },
    full ? 4 * 3600000 : 900000,
  );
});
