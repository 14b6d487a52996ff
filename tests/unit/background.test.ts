import { createBackground } from '../../src/lib/background';

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('background work', () => {
  it('logs a failing task with its label and never rejects', async () => {
    const errors: string[] = [];
    const background = createBackground((message) => errors.push(message));
    await expect(
      background.run('outbox', async () => {
        throw new Error('connection lost');
      }),
    ).resolves.toBeUndefined();
    await background.run('sync', () => {
      throw new Error('thrown before any await');
    });
    expect(errors).toEqual(['outbox: connection lost', 'sync: thrown before any await']);
  });

  it('close waits for running tasks and refuses new ones', async () => {
    const background = createBackground(() => undefined);
    const done: string[] = [];
    void background.run('slow', async () => {
      await later(50);
      done.push('slow');
    });
    expect(background.size).toBe(1);
    await background.close();
    expect(done).toEqual(['slow']);
    expect(background.closed).toBe(true);
    let ran = false;
    await background.run('late', async () => {
      ran = true;
    });
    expect(ran).toBe(false);
    expect(background.size).toBe(0);
  });

  it('runs a timer until stopped or closed', async () => {
    const background = createBackground(() => undefined);
    let a = 0;
    let b = 0;
    const stopA = background.every(10, 'a', () => (a += 1));
    background.every(10, 'b', () => (b += 1));
    await later(60);
    stopA();
    const seenA = a;
    await background.close();
    const seenB = b;
    await later(40);
    expect(seenA).toBeGreaterThan(1);
    expect(seenB).toBeGreaterThan(1);
    expect(a).toBe(seenA);
    expect(b).toBe(seenB);
    expect(background.every(10, 'c', () => undefined)).toBeInstanceOf(Function);
  });
});

describe('single background task', () => {
  it('shares the run in progress and starts a new one after it', async () => {
    const background = createBackground(() => undefined);
    let runs = 0;
    const pass = background.single('pass', async () => {
      runs += 1;
      await later(20);
    });
    expect(pass.current()).toBeUndefined();
    const first = pass.run();
    expect(pass.run()).toBe(first);
    expect(pass.current()).toBe(first);
    await first;
    expect(pass.current()).toBeUndefined();
    await pass.run();
    expect(runs).toBe(2);
  });
});
