/**
 * Runs work one batch at a time, gathering everything that arrives while a batch runs into the
 * next one. A burst of a hundred `page.recognized` events becomes a few transactions rather than
 * a hundred, and nothing is ever processed out of the order it arrived in.
 * Each `enqueue` settles with the batch its items ran in. A batch takes whole enqueued groups up to
 * `maxBatch` items (at least one group), so a caller bounds the work of one batch by the size of
 * what it enqueues.
 */
export function createSerialBatches<T>(process: (batch: T[]) => Promise<void>, maxBatch = Number.POSITIVE_INFINITY) {
  type Waiting = { items: readonly T[]; resolve: () => void; reject: (error: unknown) => void };
  const waiting: Waiting[] = [];
  let draining: Promise<void> | null = null;

  function takeBatch(): Waiting[] {
    let size = 0;
    let count = 0;
    for (const entry of waiting) {
      if (count > 0 && size + entry.items.length > maxBatch) break;
      size += entry.items.length;
      count++;
    }
    return waiting.splice(0, count);
  }

  async function drain(): Promise<void> {
    while (waiting.length > 0) {
      const batch = takeBatch();
      try {
        await process(batch.flatMap((entry) => entry.items));
        for (const entry of batch) entry.resolve();
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    draining = null;
  }

  return {
    enqueue(items: readonly T[]): Promise<void> {
      const settled = new Promise<void>((resolve, reject) => waiting.push({ items, resolve, reject }));
      // Started on a later tick, so a burst enqueued in one go becomes one batch, and work that
      // enqueues from inside `process` can never start a second drain alongside this one.
      draining ??= Promise.resolve().then(drain);
      return settled;
    },
    /** Resolves once everything enqueued so far has been processed. */
    idle(): Promise<void> {
      return draining ?? Promise.resolve();
    },
  };
}
