/** Second Strapi processes on the test database (tests/helpers/worker.js), and talking to them. */
import { fork, type ChildProcess } from 'child_process';
import path from 'path';
import { ROOT } from './paths';

export interface Worker {
  process: ChildProcess;
  /** Sends a command and waits for its answer. */
  send<T = unknown>(command: string, args?: Record<string, unknown>): Promise<T>;
  exited: Promise<unknown>;
  kill(): Promise<unknown>;
  /** Asks it to shut down cleanly and waits until it has. */
  stop(): Promise<unknown>;
}

let sequence = 0;

/** Starts a worker; `lifetimeMs` 0 keeps it until stop or kill. */
export const startWorker = (lifetimeMs: number, env: Record<string, string> = {}): Promise<Worker> =>
  new Promise((resolve, reject) => {
    const child = fork(path.join(ROOT, 'tests', 'helpers', 'worker.js'), [String(lifetimeMs)], {
      env: { ...process.env, ...env },
      stdio: 'inherit',
    });
    const exited = new Promise((done) => child.once('exit', done));
    const worker: Worker = {
      process: child,
      exited,
      send: (command, args = {}) =>
        new Promise((done, fail) => {
          sequence += 1;
          const id = sequence;
          const listener = (message: { id?: number; result?: unknown; error?: string }) => {
            if (message?.id !== id) return;
            child.off('message', listener);
            if (message.error) fail(new Error(message.error));
            else done(message.result as never);
          };
          child.on('message', listener);
          child.send({ ...args, command, id });
        }),
      stop: () => {
        if (child.connected) child.send({ command: 'stop' });
        return exited;
      },
      kill: () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        return exited;
      },
    };
    child.once('message', () => resolve(worker));
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`worker exited with ${code}`)));
  });
