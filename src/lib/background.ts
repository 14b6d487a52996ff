/**
 * Work a service starts without awaiting it: timer passes, after-commit hooks, handlers that run
 * once a response has finished. Each task's error is logged, never left as an unhandled rejection,
 * and shutdown waits for the tasks still running. Both matter because Strapi's `destroy()` closes
 * the database pool right after the plugins' own `destroy` and removes every `process` listener:
 * a task still querying then rejects with nobody listening, which ends the whole Node process.
 */
export interface Background {
  /** Starts `task` now, unless shutting down; the promise settles when it ends and never rejects. */
  run(label: string, task: () => Promise<unknown> | unknown): Promise<void>;
  /**
   * `task` one run at a time: `run()` while it runs returns that run rather than starting another;
   * `current()` is the run in progress, if any.
   */
  single(label: string, task: () => Promise<unknown> | unknown): Single;
  /**
   * Calls `run` every `ms` milliseconds until `close` or the returned stop function (the timer
   * does not keep the process alive).
   */
  every(ms: number, label: string, task: () => Promise<unknown> | unknown): () => void;
  /** Tasks running now. */
  readonly size: number;
  readonly closed: boolean;
  /** Stops the timers, refuses new tasks and waits for the running ones (and what they start). */
  close(): Promise<void>;
}

export interface Single {
  run(): Promise<void>;
  current(): Promise<void> | undefined;
}

export const createBackground = (logError: (message: string) => void): Background => {
  const running = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  const background: Background = {
    run(label, task) {
      if (closed) return Promise.resolve();
      const promise = Promise.resolve()
        .then(task)
        .then(
          () => undefined,
          (error: unknown) => void logError(`${label}: ${error instanceof Error ? error.message : String(error)}`),
        );
      running.add(promise);
      void promise.then(() => running.delete(promise));
      return promise;
    },

    single(label, task) {
      let current: Promise<void> | undefined;
      return {
        run: () =>
          (current ??= background.run(label, task).finally(() => {
            current = undefined;
          })),
        current: () => current,
      };
    },

    every(ms, label, task) {
      if (closed) return () => undefined;
      const timer = setInterval(() => void background.run(label, task), ms);
      timer.unref();
      timers.add(timer);
      return () => {
        clearInterval(timer);
        timers.delete(timer);
      };
    },

    get size() {
      return running.size;
    },
    get closed() {
      return closed;
    },

    async close() {
      closed = true;
      timers.forEach((timer) => clearInterval(timer));
      timers.clear();
      while (running.size) await Promise.all([...running]);
    },
  };
  return background;
};
