import { createCircuitBreaker, type BreakerState } from '../../src/lib/circuit-breaker';

const setup = (failureThreshold = 3, coolDownMs = 1000) => {
  let time = 0;
  const changes: [BreakerState, BreakerState][] = [];
  const breaker = createCircuitBreaker({
    failureThreshold,
    coolDownMs,
    now: () => time,
    onChange: (to, from) => changes.push([from, to]),
  });
  return { breaker, changes, advance: (ms: number) => (time += ms) };
};

describe('circuit breaker', () => {
  it('starts closed and opens after N consecutive failures', () => {
    const { breaker, changes } = setup(3);
    expect(breaker.allows()).toBe(true);
    breaker.failure();
    breaker.failure();
    expect(breaker.state).toBe('closed');
    breaker.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.allows()).toBe(false);
    expect(changes).toEqual([['closed', 'open']]);
  });

  it('counts consecutive failures only: a success in between starts the count again', () => {
    const { breaker } = setup(3);
    breaker.failure();
    breaker.failure();
    breaker.success();
    breaker.failure();
    breaker.failure();
    expect(breaker.state).toBe('closed');
  });

  it('opens at once on a trip', () => {
    const { breaker } = setup(5);
    breaker.trip();
    expect(breaker.state).toBe('open');
  });

  it('lets one probe run after the cool-down, and only the probe closes it', () => {
    const { breaker, advance, changes } = setup(1, 1000);
    breaker.failure();
    advance(999);
    expect(breaker.probeDue()).toBe(false);
    expect(breaker.beginProbe()).toBe(false);
    advance(1);
    expect(breaker.probeDue()).toBe(true);
    expect(breaker.beginProbe()).toBe(true);
    expect(breaker.state).toBe('half-open');
    // While the probe runs, callers still fall back, and no second probe starts.
    expect(breaker.allows()).toBe(false);
    expect(breaker.beginProbe()).toBe(false);
    expect(breaker.beginProbe(true)).toBe(false);
    // Late outcomes of calls made before it opened change nothing.
    breaker.success();
    breaker.failure();
    breaker.trip();
    expect(breaker.state).toBe('half-open');
    breaker.endProbe(true);
    expect(breaker.state).toBe('closed');
    expect(breaker.allows()).toBe(true);
    expect(changes).toEqual([
      ['closed', 'open'],
      ['open', 'half-open'],
      ['half-open', 'closed'],
    ]);
  });

  it('opens again for a whole new cool-down when the probe fails', () => {
    const { breaker, advance } = setup(1, 1000);
    breaker.failure();
    advance(5000);
    breaker.beginProbe();
    advance(300);
    breaker.endProbe(false);
    expect(breaker.state).toBe('open');
    advance(999);
    expect(breaker.beginProbe()).toBe(false);
    advance(1);
    expect(breaker.beginProbe()).toBe(true);
  });

  it('probes before the cool-down when forced (the connection is back), never while closed', () => {
    const { breaker } = setup(1, 60_000);
    expect(breaker.beginProbe(true)).toBe(false);
    breaker.trip();
    expect(breaker.beginProbe(true)).toBe(true);
    breaker.endProbe(true);
    expect(breaker.state).toBe('closed');
    breaker.endProbe(false); // not half-open: ignored
    expect(breaker.state).toBe('closed');
  });

  it('starts counting afresh after it closes', () => {
    const { breaker } = setup(2, 0);
    breaker.failure();
    breaker.failure();
    breaker.beginProbe();
    breaker.endProbe(true);
    breaker.failure();
    expect(breaker.state).toBe('closed');
  });

  it('may start open, trusting the dependency only after a first probe', () => {
    let time = 0;
    const breaker = createCircuitBreaker({ failureThreshold: 3, coolDownMs: 1000, startOpen: true, now: () => time });
    expect(breaker.allows()).toBe(false);
    expect(breaker.probeDue()).toBe(false);
    time = 1000;
    expect(breaker.beginProbe()).toBe(true);
    breaker.endProbe(true);
    expect(breaker.allows()).toBe(true);
  });

  it('refuses settings that would never open or never cool down', () => {
    expect(() => createCircuitBreaker({ failureThreshold: 0, coolDownMs: 1000 })).toThrow(/failureThreshold/);
    expect(() => createCircuitBreaker({ failureThreshold: 1, coolDownMs: -1 })).toThrow(/coolDownMs/);
  });
});
