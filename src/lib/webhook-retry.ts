/**
 * How long a webhook attempt may take and when a failed one is tried again: the figures
 * docs/delivery.md states, read from the environment once, the same on both queues (pg-boss on PostgreSQL,
 * the in-process queue on SQLite).
 */
import { backoffDelay, backoffSchedule, type BackoffOptions } from './backoff';
import { envInt } from './env';

type Env = Record<string, string | undefined>;

export interface WebhookRetryPolicy {
  /** A whole attempt (connect, send, the complete answer) must end within this. */
  timeoutMs: number;
  /** Attempts in all, the first included; after the last failed one the delivery is `failed`. */
  maxAttempts: number;
  backoff: BackoffOptions;
}

export const WEBHOOK_DEFAULTS = { timeoutMs: 10_000, maxAttempts: 10, retryDelayMs: 5000, retryMaxMs: 600_000 };

const atLeast = (name: string, value: number, min: number) => {
  if (value < min) throw new Error(`${name} must be at least ${min}, got ${value}`);
  return value;
};

export const webhookRetryPolicy = (env: Env): WebhookRetryPolicy => {
  // WEBHOOK_RETRY_DELAY_SECONDS is the older name of the base delay; still read when the ms one is unset.
  const legacyDelay = envInt(env, 'WEBHOOK_RETRY_DELAY_SECONDS', WEBHOOK_DEFAULTS.retryDelayMs / 1000) * 1000;
  const baseMs = atLeast('WEBHOOK_RETRY_DELAY_MS', envInt(env, 'WEBHOOK_RETRY_DELAY_MS', legacyDelay), 1);
  const capMs = atLeast(
    'WEBHOOK_RETRY_MAX_MS',
    envInt(env, 'WEBHOOK_RETRY_MAX_MS', WEBHOOK_DEFAULTS.retryMaxMs),
    baseMs,
  );
  return {
    timeoutMs: atLeast('WEBHOOK_TIMEOUT_MS', envInt(env, 'WEBHOOK_TIMEOUT_MS', WEBHOOK_DEFAULTS.timeoutMs), 1),
    maxAttempts: atLeast('WEBHOOK_MAX_ATTEMPTS', envInt(env, 'WEBHOOK_MAX_ATTEMPTS', WEBHOOK_DEFAULTS.maxAttempts), 1),
    backoff: { baseMs, capMs },
  };
};

/**
 * After the `attempts`-th attempt failed: milliseconds until the next one, or null when that was
 * the last (the delivery has failed).
 */
export const retryDelayAfter = (attempts: number, policy: WebhookRetryPolicy): number | null =>
  attempts >= policy.maxAttempts ? null : backoffDelay(attempts, policy.backoff);

/** Every wait of a delivery that never succeeds, in order (maxAttempts − 1 of them). */
export const retrySchedule = (policy: WebhookRetryPolicy): number[] =>
  backoffSchedule(policy.maxAttempts - 1, policy.backoff);
