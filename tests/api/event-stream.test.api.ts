/**
 * The event stream (src/plugins/events): one follower per process reads the events table; its
 * subscribers get each event once and in id order, this process's own at once; a failing
 * subscriber is retried from its place without holding up the others, and gives an event up after
 * the configured attempts; another process's change arrives within a poll interval.
 */
import type { Core } from '@strapi/strapi';
import { asSystem, deleteDocuments, startStrapi, stopStrapi } from '../helpers/strapi';
import { fromDist } from '../helpers/paths';
import { startWorker } from '../helpers/workers';

type StreamModule = typeof import('../../src/plugins/events/server/services/stream');
type Stream = import('../../src/plugins/events/server/services/stream').EventStream;
type StreamEvent = import('../../src/plugins/events/server/services/stream').StreamEvent;

const PROJECT = 'api::project.project';
const marker = `stream-${Date.now()}`;
let app: Core.Strapi;
let count = 0;
const created: [string, string][] = [];
const unsubscribe: (() => void)[] = [];

const stream = () => app.plugin('events').service('stream') as Stream;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const eventually = async (check: () => boolean, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await sleep(10);
  }
};

/** An event of this test file (a comment event: no document needed). */
const publish = async () => {
  count += 1;
  const summary = `${marker} ${count}`;
  return asSystem(() =>
    stream().publish({
      type: 'workflow.commented',
      actor: { kind: 'system', key: 'system', name: 'event stream test' },
      payload: { summary },
    }),
  );
};
const ours = (event: StreamEvent) => String(event.payload.summary ?? '').startsWith(marker);

/** Subscribes for this file's events only; unsubscribed after the file. */
const collect = (name: string, handler: (event: StreamEvent) => unknown = () => undefined) => {
  const events: StreamEvent[] = [];
  unsubscribe.push(
    stream().subscribe(
      name,
      (event) => {
        if (!ours(event)) return undefined;
        events.push(event);
        return handler(event);
      },
      { types: ['workflow.commented'] },
    ),
  );
  return events;
};

beforeAll(async () => {
  app = await startStrapi();
});

afterAll(async () => {
  unsubscribe.forEach((off) => off());
  await deleteDocuments(app, created);
  await stopStrapi(app);
});

describe('one follower per process', () => {
  it('reads the events table once per poll interval, and nothing else polls it', async () => {
    const table = app.db.metadata.get('plugin::events.event' as never).tableName;
    const { pollMs, sweepMs } = stream().settings;
    const reads: string[] = [];
    const listener = (query: { sql: string }) => {
      if (/^\s*select/i.test(query.sql) && query.sql.includes(table)) reads.push(query.sql);
    };
    await stream().sync();
    app.db.connection.on('query', listener);
    const started = Date.now();
    await sleep(pollMs * 6);
    app.db.connection.off('query', listener);
    const intervals = (Date.now() - started) / pollMs;
    // The follower's reads (the outbox's sweep, every sweepMs, looks for undelivered rows).
    const follower = reads.filter((sql) => !sql.includes('delivered_at'));
    expect(follower.length).toBeGreaterThanOrEqual(1);
    expect(follower.length).toBeLessThanOrEqual(Math.ceil(intervals) + 1);
    expect(reads.length - follower.length).toBeLessThanOrEqual(Math.ceil((intervals * pollMs) / sweepMs) + 1);
    // All the same query: the cursor's.
    expect(new Set(follower.map((sql) => sql.replace(/\(\s*\?(\s*,\s*\?)*\s*\)/g, '(…)'))).size).toBe(1);
  });
});

describe('subscribers', () => {
  it('receive each event once, in id order, this process’s own at once', async () => {
    const first = collect('test: first');
    const second = collect('test: second');
    const ids: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      ids.push(await publish());
      // Handed over on commit, before the next poll.
      expect(first.map(({ id }) => id)).toEqual(ids);
    }
    // Several reads of the table later, nothing came twice.
    for (let i = 0; i < 3; i += 1) await stream().sync();
    await sleep(stream().settings.pollMs * 2);
    expect(first.map(({ id }) => id)).toEqual(ids);
    expect(second.map(({ id }) => id)).toEqual(ids);
    expect(first.every(({ local }) => local)).toBe(true);
  });

  it('a failing subscriber is retried from its place and holds up neither the others nor the cursor', async () => {
    const healthy = collect('test: healthy');
    let failures = 2;
    const failing = collect('test: failing', (event) => {
      if (event.id === failing[0].id && failures-- > 0) throw new Error('subscriber down');
    });
    const errors = jest.spyOn(app.log, 'error');
    try {
      const a = await publish();
      const b = await publish();
      // The healthy one has both at once.
      expect(healthy.map(({ id }) => id)).toEqual([a, b]);
      await eventually(() => failing.length === 4);
      // a twice refused, then handled; b after it, once.
      expect(failing.map(({ id }) => id)).toEqual([a, a, a, b]);
      expect(errors).toHaveBeenCalledWith(
        expect.stringMatching(new RegExp(`test: failing failed on event ${a} .*attempt 1.*subscriber down`)),
      );
      // The cursor went on: a later event still reaches both.
      const c = await publish();
      await eventually(() => failing.length === 5);
      expect(healthy.map(({ id }) => id)).toEqual([a, b, c]);
    } finally {
      errors.mockRestore();
    }
  });

  it('gives an event up after the configured attempts and asks the subscriber to resynchronise', async () => {
    // A second follower with a short retry budget (as another process would run it).
    const { createEventStream } = fromDist<StreamModule>('src/plugins/events/server/services/stream');
    const { createBackground } = fromDist<typeof import('../../src/lib/background')>('src/lib/background');
    const background = createBackground((message) => app.log.error(message));
    const other = createEventStream(app, background, { pollMs: 50, sweepMs: 600_000, maxAttempts: 2, window: 200 });
    const tried: number[] = [];
    const gaveUp: number[] = [];
    other.subscribe(
      'test: poisoned',
      (event) => {
        if (!ours(event)) return;
        tried.push(event.id);
        if (event.id === tried[0]) throw new Error('cannot handle this one');
      },
      { onGiveUp: (event) => void gaveUp.push(event!.id) },
    );
    await other.start();
    try {
      const a = await publish();
      const b = await publish();
      await eventually(() => tried.includes(b));
      expect(tried).toEqual([a, a, b]);
      expect(gaveUp).toEqual([a]);
    } finally {
      other.stop();
      await background.close();
    }
  });
});

describe('with a second process', () => {
  it('sees the other process’s change within a poll interval', async () => {
    const received: { event: StreamEvent; at: number }[] = [];
    unsubscribe.push(
      stream().subscribe('test: remote', (event) => void received.push({ event, at: Date.now() }), {
        types: ['document.published'],
      }),
    );
    const worker = await startWorker(0);
    try {
      const lags: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const documentId = await worker.send<string>('publish', {
          uid: PROJECT,
          locale: 'en',
          data: { title: `Project ${marker} ${i}`, slug: `${marker}-${i}`, kind: 'hotel', stage: 'open' },
        });
        const committed = Date.now(); // the worker answers after its commit
        created.push([PROJECT, documentId]);
        const about = () => received.filter(({ event }) => event.target?.documentId === documentId);
        await eventually(() => about().length > 0);
        expect(about()).toHaveLength(1);
        expect(about()[0].event.local).toBe(false);
        lags.push(about()[0].at - committed);
      }
      // Measured lags (a poll is 200 ms; the machine is shared): reported, and bounded loosely.
      console.log(`event stream: another process's publish seen after ${lags.join(', ')} ms`);
      expect(Math.min(...lags)).toBeLessThan(stream().settings.pollMs * 2);
      expect(Math.max(...lags)).toBeLessThan(1000);
      // In id order, and none twice.
      const ids = received.map(({ event }) => event.id);
      expect(ids).toEqual([...new Set(ids)].sort((x, y) => x - y));
    } finally {
      await worker.stop();
    }
  });
});

const onPostgres = !!process.env.DATABASE_URL || process.env.DATABASE_CLIENT === 'postgres' ? it : it.skip;

describe('with a second process that polls once a minute', () => {
  onPostgres(
    'hears of this process’s commits at once: PostgreSQL NOTIFY wakes its follower (skipped on SQLite)',
    async () => {
      const worker = await startWorker(0, { WUTONG_EVENTS_POLL_MS: '60000' });
      try {
        await worker.send('watch');
        const lags: number[] = [];
        for (let i = 0; i < 3; i += 1) {
          const { documentId } = await asSystem(() =>
            app.documents(PROJECT).create({
              locale: 'en',
              data: { title: `Woken ${marker} ${i}`, slug: `${marker}-woken-${i}`, kind: 'hotel', stage: 'open' },
              status: 'published',
            } as never),
          );
          const committed = Date.now();
          created.push([PROJECT, documentId]);
          let at: number | null = null;
          const deadline = Date.now() + 10_000; // a sixth of its poll interval
          while ((at = await worker.send<number | null>('seen', { documentId })) === null && Date.now() < deadline)
            await sleep(10);
          expect(at).not.toBeNull();
          lags.push((at as number) - committed);
        }
        console.log(`event stream: a process polling once a minute heard of a publish after ${lags.join(', ')} ms`);
      } finally {
        await worker.stop();
      }
    },
  );
});
