import { memoryEntryBytes, memoryStore, type CacheEntry } from '../../src/plugins/delivery/server/services/cache';

const headers = (n: number) => Array.from({ length: n }, (_, i) => [`X-Header-${i}`, 'v'.repeat(40)]).flat();
const entry = (body: string, headerCount = 4): CacheEntry => ({
  body: Buffer.from(body),
  head: { before: headers(headerCount), after: ['X-Cache', 'HIT'] },
  etag: '"0123456789abcdef0123456789abcdef"',
});
const tags = (n: number, prefix = 'doc') => Array.from({ length: n }, (_, i) => `${prefix}:${i}`.padEnd(40, '-'));

describe('the in-process response cache', () => {
  test('counts what an entry keeps alive besides its body: headers, key and tags', () => {
    const small = memoryEntryBytes('/api/projects?locale=en', entry('{}', 1), ['type:api::project.project']);
    const heavy = memoryEntryBytes('/api/projects?locale=en', entry('{}', 20), tags(100));
    // 19 more headers of ~50 characters and 99 more tags of 40: several kilobytes, not a constant.
    expect(heavy - small).toBeGreaterThan(19 * 50 + 99 * 40);
  });

  test('stays within its byte budget however small the bodies and however many tags', () => {
    const budget = 1024 * 1024;
    const store = memoryStore(budget, 60_000);
    const perEntry = { headers: 10 * 60, tags: 50 * 40 }; // what each entry below holds at least
    for (let i = 0; i < 5000; i += 1) store.set(`/api/projects?page=${i}`, entry('[]', 10), tags(50, `d${i}`));
    const { bytes, entries, tags: indexed } = store.usage();
    expect(bytes).toBeLessThanOrEqual(budget);
    expect(entries).toBeGreaterThan(0);
    // The lower bound of what the kept entries really occupy fits the budget.
    expect(entries * (perEntry.headers + perEntry.tags)).toBeLessThanOrEqual(budget);
    // Evicted entries leave nothing in the tag index.
    expect(indexed).toBe(entries * 50);
  });

  test('an invalidation drops the entries filed under a tag, and their index', () => {
    const store = memoryStore(1024 * 1024, 60_000);
    store.set('/a', entry('a'), ['doc:1', 'type:x']);
    store.set('/b', entry('b'), ['doc:2', 'type:x']);
    store.invalidate(['doc:1']);
    expect(store.get('/a')).toBeUndefined();
    expect(store.get('/b')?.body.toString()).toBe('b');
    expect(store.usage()).toMatchObject({ entries: 1, tags: 2 });
  });

  test('an entry larger than the whole budget is neither stored nor indexed', () => {
    const store = memoryStore(10_000, 60_000);
    store.set('/big', entry('x'.repeat(20_000)), ['doc:1']);
    expect(store.get('/big')).toBeUndefined();
    expect(store.usage()).toEqual({ bytes: 0, entries: 0, tags: 0 });
  });
});
