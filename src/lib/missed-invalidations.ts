/**
 * What a shared cache missed while it could not be reached: the tags whose invalidation did not
 * reach it, or "everything" (a clear was missed, too many tags to keep, or the cache itself may
 * have gone back in time). Before the cache is trusted again the owner takes the ledger and
 * replays the tags or flushes everything; a failed attempt puts what it took back.
 */
export interface Missed {
  /** Flush every entry rather than replay tags. */
  all: boolean;
  tags: string[];
}

export interface MissedInvalidations {
  /** Tags whose invalidation did not reach the cache, or 'all' for a missed clear. */
  note(missed: string[] | 'all'): void;
  /** True when something is waiting to be replayed or flushed. */
  readonly dirty: boolean;
  /** Empties the ledger and returns what it held (undefined when clean). */
  take(): Missed | undefined;
  /** Puts back what a failed replay or flush took. */
  restore(missed: Missed): void;
}

export const createMissedInvalidations = (maxTags = 10_000): MissedInvalidations => {
  let all = false;
  let tags = new Set<string>();
  const ledger: MissedInvalidations = {
    note(missed) {
      if (all) return;
      if (missed === 'all' || tags.size + missed.length > maxTags) {
        all = true;
        tags = new Set();
      } else for (const tag of missed) tags.add(tag);
    },
    get dirty() {
      return all || tags.size > 0;
    },
    take() {
      if (!ledger.dirty) return undefined;
      const taken = { all, tags: all ? [] : [...tags] };
      all = false;
      tags = new Set();
      return taken;
    },
    restore(missed) {
      ledger.note(missed.all ? 'all' : missed.tags);
    },
  };
  return ledger;
};
