/**
 * The explicit system context: code that must write and publish without a person behind it (the
 * seed, migrations, scheduled jobs) runs inside `asSystem(reason, fn)`. Everything else that
 * reaches the Document Service without a request is "code" and may not publish. Both are audited.
 */
import { AsyncLocalStorage } from 'async_hooks';

const context = new AsyncLocalStorage<{ reason: string }>();

export const asSystem = <T>(reason: string, fn: () => Promise<T>): Promise<T> => context.run({ reason }, fn);

/** Why the current call runs as the system, or undefined outside `asSystem`. */
export const systemReason = (): string | undefined => context.getStore()?.reason;
