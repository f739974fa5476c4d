import { describe, expect, it } from 'vitest';
import { createSerialBatches } from './serial-batches';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function deferred() {
  let release: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

describe('createSerialBatches', () => {
  it('gathers what arrives during a batch into the next batch, in arrival order', async () => {
    const batches: number[][] = [];
    const gate = deferred();
    const queue = createSerialBatches<number>(async (batch) => {
      batches.push(batch);
      if (batches.length === 1) await gate.promise;
    });
    const first = queue.enqueue([1]);
    await tick();
    const second = queue.enqueue([2, 3]);
    const third = queue.enqueue([4]);
    gate.release();
    await Promise.all([first, second, third]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('keeps batches within the given size, never splitting what was enqueued together', async () => {
    const batches: number[][] = [];
    const gate = deferred();
    const queue = createSerialBatches<number>(async (batch) => {
      batches.push(batch);
      if (batches.length === 1) await gate.promise;
    }, 3);
    void queue.enqueue([0]);
    void queue.enqueue([1, 2]);
    void queue.enqueue([3]);
    void queue.enqueue([4, 5, 6, 7]);
    void queue.enqueue([8]);
    gate.release();
    await queue.idle();
    expect(batches).toEqual([[0, 1, 2], [3], [4, 5, 6, 7], [8]]);
  });

  it('never runs two batches at once', async () => {
    let running = 0;
    let most = 0;
    const queue = createSerialBatches<number>(async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 1));
      running--;
    });
    await Promise.all([queue.enqueue([1]), queue.enqueue([2]), queue.enqueue([3])]);
    queue.enqueue([4]);
    await queue.idle();
    expect(most).toBe(1);
  });

  it('rejects the callers of a failed batch and carries on with the next', async () => {
    const gate = deferred();
    let calls = 0;
    const queue = createSerialBatches<string>(async (batch) => {
      calls++;
      if (calls === 1) await gate.promise;
      if (batch.includes('bad')) throw new Error('disk full');
    });
    const first = queue.enqueue(['ok']);
    await tick();
    const failing = queue.enqueue(['bad']);
    gate.release();
    await expect(first).resolves.toBeUndefined();
    await expect(failing).rejects.toThrow('disk full');
    await expect(queue.enqueue(['later'])).resolves.toBeUndefined();
  });

  it('takes a burst enqueued in one go as one batch', async () => {
    const batches: number[][] = [];
    const queue = createSerialBatches<number>(async (batch) => {
      batches.push(batch);
    });
    void queue.enqueue([1]);
    void queue.enqueue([2]);
    await queue.idle();
    expect(batches).toEqual([[1, 2]]);
  });

  it('never starts a second batch alongside one that enqueues more', async () => {
    let running = 0;
    let most = 0;
    const batches: string[][] = [];
    const queue = createSerialBatches<string>(async (batch) => {
      most = Math.max(most, ++running);
      batches.push(batch);
      if (batch.includes('first')) void queue.enqueue(['follow-up']);
      await tick();
      running--;
    });
    await queue.enqueue(['first']);
    await queue.idle();
    expect(batches).toEqual([['first'], ['follow-up']]);
    expect(most).toBe(1);
  });

  it('is idle when nothing was enqueued', async () => {
    await expect(createSerialBatches<number>(async () => undefined).idle()).resolves.toBeUndefined();
  });
});
