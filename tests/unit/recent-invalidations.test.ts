import { createRecentInvalidations } from '../../src/lib/recent-invalidations';

describe('recently invalidated tags (the L1 refill guard)', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => (clock = 1_000));

  test('blocks entries filed under a tag invalidated within the window, and only those', () => {
    const recent = createRecentInvalidations(2000, now);
    recent.note(['doc:a', 'type:api::project.project']);
    clock += 1999;
    expect(recent.blocks(['doc:b', 'doc:a'])).toBe(true);
    expect(recent.blocks(['type:api::park.park', 'doc:b'])).toBe(false);
    expect(recent.blocks([])).toBe(false);
    clock += 1;
    expect(recent.blocks(['doc:a'])).toBe(false);
  });

  test('a tag noted again counts from the later time', () => {
    const recent = createRecentInvalidations(2000, now);
    recent.note(['doc:a']);
    clock += 1500;
    recent.note(['doc:a']);
    clock += 1500;
    expect(recent.blocks(['doc:a'])).toBe(true);
  });

  test('a clear blocks every entry for the window', () => {
    const recent = createRecentInvalidations(2000, now);
    recent.note('all');
    clock += 500;
    expect(recent.blocks(['doc:anything'])).toBe(true);
    expect(recent.blocks([])).toBe(true);
    clock += 1500;
    expect(recent.blocks(['doc:anything'])).toBe(false);
  });

  test('forgets tags once their window is over: memory bounded by what the window sees', () => {
    const recent = createRecentInvalidations(2000, now);
    for (let i = 0; i < 1000; i += 1) recent.note([`doc:${i}`]);
    expect(recent.size).toBe(1000);
    clock += 2000;
    recent.note(['doc:new']);
    expect(recent.size).toBe(1);
  });

  test('refuses a negative window', () => {
    expect(() => createRecentInvalidations(-1)).toThrow(/windowMs/);
  });
});
