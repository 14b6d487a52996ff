/**
 * The tags a process invalidated lately, so that its in-memory copy of a shared cache (the L1 in
 * front of Redis) is not refilled with an old version another process wrote to the shared cache
 * just before it had applied the same change itself: such an entry is served (it is what the
 * shared cache holds) but not copied, until every process has had time to apply the change and
 * drop it from the shared cache. Pure: the clock is injected.
 */
export interface RecentInvalidations {
  /** These tags (or everything: a clear) were invalidated now. */
  note(tags: string[] | 'all'): void;
  /** True when an entry filed under these tags may still be an old version in the shared cache. */
  blocks(tags: readonly string[]): boolean;
  /** Tags remembered now (tests, and to show the memory stays bounded). */
  readonly size: number;
}

export const createRecentInvalidations = (windowMs: number, now: () => number = Date.now): RecentInvalidations => {
  if (!(windowMs >= 0)) throw new Error(`windowMs must be 0 or more, got ${windowMs}`);
  // Insertion order is time order (a tag noted again moves to the end): pruned from the front.
  const at = new Map<string, number>();
  let clearedAt = -Infinity;
  const prune = (time: number) => {
    for (const [tag, noted] of at) {
      if (time - noted < windowMs) break;
      at.delete(tag);
    }
  };
  return {
    note(tags) {
      const time = now();
      prune(time);
      if (tags === 'all') {
        clearedAt = time;
        at.clear();
        return;
      }
      for (const tag of tags) {
        at.delete(tag);
        at.set(tag, time);
      }
    },
    blocks(tags) {
      const time = now();
      if (time - clearedAt < windowMs) return true;
      if (!at.size) return false;
      for (const tag of tags) {
        const noted = at.get(tag);
        if (noted !== undefined && time - noted < windowMs) return true;
      }
      return false;
    },
    get size() {
      return at.size;
    },
  };
};
