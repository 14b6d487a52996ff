import { backoffDelay, backoffSchedule } from '../../src/lib/backoff';

describe('backoffDelay', () => {
  it('doubles from the base after each failure and stops at the cap', () => {
    expect(backoffSchedule(6, { baseMs: 5000, capMs: 60_000 })).toEqual([5000, 10_000, 20_000, 40_000, 60_000, 60_000]);
  });

  it('takes another factor', () => {
    expect(backoffSchedule(3, { baseMs: 100, capMs: 10_000, factor: 3 })).toEqual([100, 300, 900]);
  });

  it('treats zero or fractional failure counts as the first failure', () => {
    expect(backoffDelay(0, { baseMs: 1000, capMs: 5000 })).toBe(1000);
    expect(backoffDelay(2.7, { baseMs: 1000, capMs: 5000 })).toBe(2000);
  });

  it('never overflows to Infinity for large counts', () => {
    expect(backoffDelay(10_000, { baseMs: 1000, capMs: 3_600_000 })).toBe(3_600_000);
  });
});
