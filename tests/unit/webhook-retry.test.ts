import { readFileSync } from 'fs';
import path from 'path';
import { backoffSchedule } from '../../src/lib/backoff';
import { retryDelayAfter, retrySchedule, WEBHOOK_DEFAULTS, webhookRetryPolicy } from '../../src/lib/webhook-retry';

/** The documentation that states the webhook figures: the delivery guide and the variables' table. */
const doc = (name: string) => readFileSync(path.join(__dirname, '..', '..', 'docs', name), 'utf8').replace(/\s+/g, ' ');
const DELIVERY = doc('delivery.md');
const CONFIGURATION = doc('configuration.md');

describe('webhook retry policy', () => {
  it('has the defaults: 10 s per attempt, 10 attempts, 5 s doubling to 10 min', () => {
    expect(webhookRetryPolicy({})).toEqual({
      timeoutMs: 10_000,
      maxAttempts: 10,
      backoff: { baseMs: 5000, capMs: 600_000 },
    });
    expect(retrySchedule(webhookRetryPolicy({}))).toEqual(
      backoffSchedule(9, { baseMs: 5000, capMs: 600_000 }), // the one backoff helper's figures
    );
  });

  it('reads the environment, the older seconds name for the base too', () => {
    expect(
      webhookRetryPolicy({
        WEBHOOK_TIMEOUT_MS: '300',
        WEBHOOK_MAX_ATTEMPTS: '4',
        WEBHOOK_RETRY_DELAY_MS: '100',
        WEBHOOK_RETRY_MAX_MS: '250',
      }),
    ).toEqual({ timeoutMs: 300, maxAttempts: 4, backoff: { baseMs: 100, capMs: 250 } });
    expect(webhookRetryPolicy({ WEBHOOK_RETRY_DELAY_SECONDS: '2' }).backoff.baseMs).toBe(2000);
    expect(webhookRetryPolicy({ WEBHOOK_RETRY_DELAY_SECONDS: '2', WEBHOOK_RETRY_DELAY_MS: '700' }).backoff.baseMs).toBe(
      700,
    );
  });

  it('refuses figures that make no schedule', () => {
    expect(() => webhookRetryPolicy({ WEBHOOK_MAX_ATTEMPTS: '0' })).toThrow(/WEBHOOK_MAX_ATTEMPTS must be at least 1/);
    expect(() => webhookRetryPolicy({ WEBHOOK_TIMEOUT_MS: '0' })).toThrow(/WEBHOOK_TIMEOUT_MS/);
    expect(() => webhookRetryPolicy({ WEBHOOK_RETRY_DELAY_MS: '9000', WEBHOOK_RETRY_MAX_MS: '1000' })).toThrow(
      /WEBHOOK_RETRY_MAX_MS must be at least 9000/,
    );
    expect(() => webhookRetryPolicy({ WEBHOOK_TIMEOUT_MS: '1.5' })).toThrow(/integer/);
  });

  it('waits after each failed attempt but the last, which ends the delivery', () => {
    const policy = webhookRetryPolicy({
      WEBHOOK_MAX_ATTEMPTS: '4',
      WEBHOOK_RETRY_DELAY_MS: '100',
      WEBHOOK_RETRY_MAX_MS: '250',
    });
    expect([1, 2, 3, 4, 5].map((attempts) => retryDelayAfter(attempts, policy))).toEqual([100, 200, 250, null, null]);
    expect(retrySchedule(policy)).toEqual([100, 200, 250]);
    expect(retrySchedule(webhookRetryPolicy({ WEBHOOK_MAX_ATTEMPTS: '1' }))).toEqual([]);
  });
});

describe("the documentation's webhook figures", () => {
  const policy = webhookRetryPolicy({});

  it('state the schedule the code keeps', () => {
    const [, list] = DELIVERY.match(/A failed attempt is retried after ((?:\d+ s, )*\d+ s) \(/) ?? [];
    expect(list).toBeDefined();
    const stated = list.split(', ').map((delay) => Number(delay.replace(' s', '')) * 1000);
    expect(stated).toEqual(retrySchedule(policy));
    expect(Number(DELIVERY.match(/(\d+) attempts in all: then the delivery is `failed`/)?.[1])).toBe(
      policy.maxAttempts,
    );
    expect(Number(DELIVERY.match(/a 2xx answer complete within (\d+) s/)?.[1]) * 1000).toBe(policy.timeoutMs);
    expect(DELIVERY).toContain(`"no answer within ${policy.timeoutMs} ms"`);
  });

  it('state the defaults in the table of variables', () => {
    const defaults: Record<string, string> = {};
    for (const line of CONFIGURATION.split(' | `WEBHOOK_').slice(1)) {
      const [names, values] = `\`WEBHOOK_${line}`.split(' | ');
      const list = values.split(',').map((value) => value.trim());
      names
        .split(',')
        .map((name) => name.trim().replace(/`/g, ''))
        .forEach((name, index) => (defaults[name] = list[index]));
    }
    expect(defaults).toMatchObject({
      WEBHOOK_TIMEOUT_MS: String(WEBHOOK_DEFAULTS.timeoutMs),
      WEBHOOK_MAX_ATTEMPTS: String(WEBHOOK_DEFAULTS.maxAttempts),
      WEBHOOK_RETRY_DELAY_MS: String(WEBHOOK_DEFAULTS.retryDelayMs),
      WEBHOOK_RETRY_MAX_MS: String(WEBHOOK_DEFAULTS.retryMaxMs),
    });
  });
});
