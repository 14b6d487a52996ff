/**
 * A circuit breaker for an optional dependency (Redis): while it is open nothing waits on the
 * dependency; callers take their fallback at once.
 *
 * closed ──N consecutive failures (errors or timeouts), or trip()──▶ open
 * open ──cool-down over (or forced), beginProbe()──▶ half-open: one probe runs, callers still fall back
 * half-open ──endProbe(true)──▶ closed · endProbe(false)──▶ open (a new cool-down)
 *
 * Only the probe closes it, so the caller decides what must happen before the dependency is trusted
 * again (e.g. flushing a shared cache that missed invalidations). Pure: the clock is injected.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive failures that open it. */
  failureThreshold: number;
  /** How long it stays open before a probe may run. */
  coolDownMs: number;
  /** Starts open: the dependency is not trusted until a first probe succeeds. */
  startOpen?: boolean;
  now?: () => number;
  onChange?: (to: BreakerState, from: BreakerState) => void;
}

export interface CircuitBreaker {
  readonly state: BreakerState;
  /** True when calls may go through (closed). */
  allows(): boolean;
  /** A call went through. */
  success(): void;
  /** A call failed or timed out. */
  failure(): void;
  /**
   * Opens now: the connection dropped, or something that had to reach the dependency did not (a
   * single timeout does not: on a starved CPU one command can miss a short deadline).
   */
  trip(): void;
  /** True when open and the cool-down is over: a probe may run. */
  probeDue(): boolean;
  /** Moves to half-open when a probe may run (`force`: without waiting for the cool-down); false otherwise. */
  beginProbe(force?: boolean): boolean;
  /** The probe's outcome: closes or opens again. Ignored unless half-open. */
  endProbe(ok: boolean): void;
}

export const createCircuitBreaker = ({
  failureThreshold,
  coolDownMs,
  startOpen = false,
  now = Date.now,
  onChange,
}: BreakerOptions): CircuitBreaker => {
  if (!(failureThreshold >= 1)) throw new Error(`failureThreshold must be 1 or more, got ${failureThreshold}`);
  if (!(coolDownMs >= 0)) throw new Error(`coolDownMs must be 0 or more, got ${coolDownMs}`);
  let state: BreakerState = startOpen ? 'open' : 'closed';
  let failures = 0;
  let openedAt = startOpen ? now() : 0;

  const move = (to: BreakerState) => {
    if (to === state) return;
    const from = state;
    state = to;
    failures = 0;
    if (to === 'open') openedAt = now();
    onChange?.(to, from);
  };

  const breaker: CircuitBreaker = {
    get state() {
      return state;
    },
    allows: () => state === 'closed',
    success() {
      if (state === 'closed') failures = 0;
    },
    failure() {
      // Calls that were already under way when it opened change nothing.
      if (state !== 'closed') return;
      failures += 1;
      if (failures >= failureThreshold) move('open');
    },
    trip() {
      // A probe under way decides for itself (it fails if the dependency is gone).
      if (state === 'closed') move('open');
    },
    probeDue: () => state === 'open' && now() - openedAt >= coolDownMs,
    beginProbe(force = false) {
      if (state !== 'open' || !(force || breaker.probeDue())) return false;
      move('half-open');
      return true;
    },
    endProbe(ok) {
      if (state === 'half-open') move(ok ? 'closed' : 'open');
    },
  };
  return breaker;
};
