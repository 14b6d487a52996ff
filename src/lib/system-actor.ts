/**
 * Who runs code that has no request behind it. `asSystem(reason, fn)` is the explicit bypass the
 * seed and migrations use: it may publish directly. `asScheduler(key, name, fn)` is a scheduled
 * job acting for the person who scheduled it: it may publish, but only what the workflow allows.
 * Everything else reaching the Document Service without a request is "code" and may not publish.
 */
import { AsyncLocalStorage } from 'async_hooks';

export interface RunAs {
  kind: 'system' | 'scheduler';
  key: string;
  name: string;
}

const context = new AsyncLocalStorage<RunAs>();

export const asSystem = <T>(reason: string, fn: () => Promise<T>): Promise<T> =>
  context.run({ kind: 'system', key: 'system', name: `system (${reason})` }, fn);

export const asScheduler = <T>(key: string, name: string, fn: () => Promise<T>): Promise<T> =>
  context.run({ kind: 'scheduler', key, name }, fn);

export const runningAs = (): RunAs | undefined => context.getStore();

/** Why the current call runs as the system, or undefined outside `asSystem`. */
export const systemReason = (): string | undefined => {
  const store = context.getStore();
  return store?.kind === 'system' ? store.name : undefined;
};
