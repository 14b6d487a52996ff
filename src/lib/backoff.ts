/**
 * The one retry schedule: after the n-th consecutive failure, wait base, base·factor,
 * base·factor² … never more than the cap. Used by every retry (the outbox, webhooks, Redis
 * reconnects) so that their figures are documented once and tested once.
 */
export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  factor?: number;
}

/** Milliseconds to wait after the `failures`-th consecutive failure (1 for the first). */
export const backoffDelay = (failures: number, { baseMs, capMs, factor = 2 }: BackoffOptions): number =>
  Math.min(capMs, Math.round(baseMs * factor ** Math.max(0, Math.floor(failures) - 1)));

/** The first `count` delays, for documentation and tests. */
export const backoffSchedule = (count: number, options: BackoffOptions): number[] =>
  Array.from({ length: count }, (_, index) => backoffDelay(index + 1, options));
