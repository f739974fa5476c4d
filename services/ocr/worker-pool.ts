import { ApiError } from '../../common/api/errors';

/**
 * Hands each task to an idle member and queues it while all members are busy. The queue is
 * ordered by priority (higher first; a clerk's re-OCR before batch work), first come first
 * served within a priority, and bounded: the pipeline keeps the rest of its pages on disk and
 * feeds them in as room frees up. A task may say which members it prefers (e.g. ones with its
 * languages loaded); it still takes any idle member rather than wait. A queued task can be
 * cancelled with its signal; a running one sees the signal and decides itself how to stop.
 */
export interface WorkerPool<M> {
  run<T>(task: (member: M) => Promise<T>, options?: RunOptions<M>): Promise<T>;
  /** Tasks waiting for a member. */
  readonly queued: number;
  /** Refuses new tasks, fails the queued ones with `reason`, and waits for the running ones. */
  close(reason: () => Error): Promise<void>;
}

export interface RunOptions<M> {
  prefers?: ((member: M) => boolean) | undefined;
  /** Higher runs first. Default 0. */
  priority?: number | undefined;
  signal?: AbortSignal | undefined;
}

export interface WorkerPoolOptions {
  /** Most tasks that may wait in memory; more are refused as `unavailable`. Default: unbounded. */
  maxQueued?: number;
}

interface Queued<M> {
  priority: number;
  start(member: M): void;
  fail(error: Error): void;
}

export function createWorkerPool<M>(members: readonly M[], options: WorkerPoolOptions = {}): WorkerPool<M> {
  if (members.length === 0) throw new RangeError('A worker pool needs at least one member.');
  const maxQueued = options.maxQueued ?? Number.POSITIVE_INFINITY;
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

  function enqueue(entry: Queued<M>): void {
    // After the last entry of the same or higher priority: FIFO within a priority.
    let index = queue.length;
    while (index > 0 && (queue[index - 1]?.priority ?? 0) < entry.priority) index -= 1;
    queue.splice(index, 0, entry);
  }

  return {
    get queued() {
      return queue.length;
    },

    run<T>(task: (member: M) => Promise<T>, runOptions: RunOptions<M> = {}): Promise<T> {
      if (closedWith) return Promise.reject(closedWith());
      const { signal } = runOptions;
      if (signal?.aborted) return Promise.reject(cancelled(signal));
      return new Promise<T>((resolve, reject) => {
        const start = (member: M) => {
          signal?.removeEventListener('abort', onAbort);
          const job = (async () => task(member))().finally(() => {
            running.delete(job);
            release(member);
          });
          running.add(job);
          job.then(resolve, reject);
        };
        const entry: Queued<M> = { priority: runOptions.priority ?? 0, start, fail: reject };
        function onAbort() {
          const index = queue.indexOf(entry);
          if (index >= 0) {
            queue.splice(index, 1);
            reject(cancelled(signal));
          }
        }
        const member = takeIdle(runOptions.prefers);
        if (member !== undefined) {
          start(member);
          return;
        }
        if (queue.length >= maxQueued) {
          reject(new ApiError('unavailable', `The OCR queue is full (${maxQueued} pages waiting); try again when it has room.`));
          return;
        }
        signal?.addEventListener('abort', onAbort, { once: true });
        enqueue(entry);
      });
    },

    async close(reason: () => Error): Promise<void> {
      closedWith ??= reason;
      for (const queued of queue.splice(0)) queued.fail(reason());
      await Promise.allSettled([...running]);
    },
  };
}

/** The error a cancelled task settles with: the signal's reason if it is one, else a plain "cancelled". */
export function cancelled(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new ApiError('unavailable', 'The OCR job was cancelled.');
}
