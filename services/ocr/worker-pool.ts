/**
 * Hands each task to an idle member, first come first served, and queues it while all members
 * are busy. A task may say which members it prefers (e.g. ones with its languages loaded); it
 * still takes any idle member rather than wait. Deliberately small: priorities and recycling
 * belong to the pipeline's pool, which can replace this behind the same `run`.
 */
export interface WorkerPool<M> {
  run<T>(task: (member: M) => Promise<T>, prefers?: (member: M) => boolean): Promise<T>;
  /** Refuses new tasks, fails the queued ones with `reason`, and waits for the running ones. */
  close(reason: () => Error): Promise<void>;
}

interface Queued<M> {
  start(member: M): void;
  fail(error: Error): void;
}

export function createWorkerPool<M>(members: readonly M[]): WorkerPool<M> {
  if (members.length === 0) throw new RangeError('A worker pool needs at least one member.');
  const idle = [...members];
  const queue: Queued<M>[] = [];
  const running = new Set<Promise<unknown>>();
  let closedWith: (() => Error) | undefined;

  function release(member: M): void {
    const next = queue.shift();
    if (next) next.start(member);
    else idle.push(member);
  }

  function takeIdle(prefers: ((member: M) => boolean) | undefined): M | undefined {
    const preferred = prefers ? idle.findIndex(prefers) : -1;
    return idle.splice(preferred >= 0 ? preferred : 0, 1)[0];
  }

  return {
    run<T>(task: (member: M) => Promise<T>, prefers?: (member: M) => boolean): Promise<T> {
      if (closedWith) return Promise.reject(closedWith());
      return new Promise<T>((resolve, reject) => {
        const start = (member: M) => {
          const job = (async () => task(member))().finally(() => {
            running.delete(job);
            release(member);
          });
          running.add(job);
          job.then(resolve, reject);
        };
        const member = takeIdle(prefers);
        if (member === undefined) queue.push({ start, fail: reject });
        else start(member);
      });
    },

    async close(reason: () => Error): Promise<void> {
      closedWith ??= reason;
      for (const queued of queue.splice(0)) queued.fail(reason());
      await Promise.allSettled([...running]);
    },
  };
}
