import { describe, expect, it } from 'vitest';
import { createWorkerPool } from './worker-pool';

/** A task that runs until the test lets it finish. */
function gate<T>() {
  let open: (value: T) => void = () => {};
  let fail: (error: Error) => void = () => {};
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('createWorkerPool', () => {
  it('runs one task per member at a time and queues the rest, first come first served', async () => {
    const pool = createWorkerPool(['a', 'b']);
    const gates = [gate<void>(), gate<void>(), gate<void>(), gate<void>()];
    const started: string[] = [];
    const runs = gates.map((g, index) =>
      pool.run(async (member) => {
        started.push(`${index}@${member}`);
        await g.promise;
        return index;
      }),
    );
    await tick();
    expect(started).toEqual(['0@a', '1@b']);

    gates[1]?.open();
    await tick();
    expect(started).toEqual(['0@a', '1@b', '2@b']);

    gates[0]?.open();
    gates[2]?.open();
    gates[3]?.open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(started[3]).toBe('3@a');
  });

  it('gives a task an idle member it prefers, and any idle member otherwise', async () => {
    const pool = createWorkerPool([{ langs: 'eng' }, { langs: 'sqi' }]);
    const prefersSqi = (member: { langs: string }) => member.langs === 'sqi';
    expect(await pool.run(async (member) => member.langs, { prefers: prefersSqi })).toBe('sqi');
    expect(await pool.run(async (member) => member.langs, { prefers: (member) => member.langs === 'srp' })).toBe('eng');
  });

  it('frees the member of a task that fails', async () => {
    const pool = createWorkerPool(['only']);
    await expect(pool.run(async () => Promise.reject(new Error('bad page')))).rejects.toThrow('bad page');
    await expect(pool.run(() => {
      throw new Error('thrown before any await');
    })).rejects.toThrow('thrown before any await');
    expect(await pool.run(async (member) => member)).toBe('only');
  });

  it('on close, fails queued tasks, lets running ones finish, and refuses new ones', async () => {
    const pool = createWorkerPool(['only']);
    const running = gate<string>();
    const first = pool.run(() => running.promise);
    const queued = pool.run(async () => 'never runs');
    const closed = pool.close(() => new Error('engine closed'));

    await expect(queued).rejects.toThrow('engine closed');
    await expect(pool.run(async () => 'too late')).rejects.toThrow('engine closed');
    let closeFinished = false;
    void closed.then(() => (closeFinished = true));
    await tick();
    expect(closeFinished).toBe(false);

    running.open('finished');
    expect(await first).toBe('finished');
    await closed;
  });

  it('starts waiting tasks by priority, first come first served within one', async () => {
    const pool = createWorkerPool(['only']);
    const blocker = gate<void>();
    const order: string[] = [];
    const first = pool.run(() => blocker.promise);
    const batch = [pool.run(async () => void order.push('batch 1')), pool.run(async () => void order.push('batch 2'))];
    const urgent = pool.run(async () => void order.push('re-OCR'), { priority: 10 });
    batch.push(pool.run(async () => void order.push('batch 3')));
    blocker.open();
    await Promise.all([first, ...batch, urgent]);
    expect(order).toEqual(['re-OCR', 'batch 1', 'batch 2', 'batch 3']);
  });

  it('refuses work beyond its bounded queue, and takes it again once there is room', async () => {
    const pool = createWorkerPool(['only'], { maxQueued: 1 });
    const blocker = gate<void>();
    const running = pool.run(() => blocker.promise);
    const waiting = pool.run(async () => 'waited');
    await expect(pool.run(async () => 'too many')).rejects.toMatchObject({ code: 'unavailable', message: /queue is full/ });
    expect(pool.queued).toBe(1);
    blocker.open();
    await running;
    expect(await waiting).toBe('waited');
    expect(await pool.run(async () => 'room again')).toBe('room again');
  });

  it('drops a cancelled waiting task without running it, and the others go on', async () => {
    const pool = createWorkerPool(['only']);
    const blocker = gate<void>();
    const running = pool.run(() => blocker.promise);
    const controller = new AbortController();
    let ran = false;
    const cancelledRun = pool.run(async () => {
      ran = true;
    }, { signal: controller.signal });
    const other = pool.run(async () => 'other');
    controller.abort(new Error('clerk cancelled'));
    await expect(cancelledRun).rejects.toThrow('clerk cancelled');
    blocker.open();
    await running;
    expect(await other).toBe('other');
    expect(ran).toBe(false);
    expect(pool.queued).toBe(0);
  });
});
