/**
 * A process's position in the domain events table, which it reads by ascending id.
 *
 * Ids are taken at insert, but transactions commit in any order: a row with a lower id can appear
 * after a higher one was read. So the cursor keeps the ids it has seen over the last `window` ids
 * below the highest, asks again for everything above `after` that is not among them, and hands
 * out each id once. A row that commits more than `window` ids behind the highest one seen is
 * missed (a transaction held open while `window` other events were written and read).
 */
export interface EventCursor {
  /** Ask for ids greater than this… */
  readonly after: number;
  /** …except these (seen, and above `after`). */
  readonly seen: number[];
  /** The highest id seen (0 before any). */
  readonly last: number;
  /**
   * Of these rows, those not seen yet, in ascending id order; marks them seen. Rows at or below
   * `after` count as seen (read before, or missed for good).
   */
  take<T extends { id: number }>(rows: T[]): T[];
}

export const DEFAULT_WINDOW = 200;

/**
 * `newest`: the ids already in the table when following starts (any order, any subset reaching
 * the highest): none of them is handed out, only what commits later.
 */
export const createEventCursor = (newest: number[] = [], window = DEFAULT_WINDOW): EventCursor => {
  if (!Number.isInteger(window) || window < 1) throw new Error(`the event window must be a positive integer`);
  let last = Math.max(0, ...newest);
  const seen = new Set(newest.filter((id) => id > last - window));

  const prune = () => {
    for (const id of seen) if (id <= last - window) seen.delete(id);
  };

  return {
    get after() {
      return Math.max(0, last - window);
    },
    get seen() {
      return [...seen].filter((id) => id > last - window).sort((a, b) => a - b);
    },
    get last() {
      return last;
    },
    take(rows) {
      const floor = last - window;
      const fresh: typeof rows = [];
      const ids = new Set<number>();
      for (const row of [...rows].sort((a, b) => a.id - b.id)) {
        if (row.id <= floor || seen.has(row.id) || ids.has(row.id)) continue;
        ids.add(row.id);
        fresh.push(row);
      }
      for (const id of ids) seen.add(id);
      last = Math.max(last, ...ids);
      prune();
      return fresh;
    },
  };
};
