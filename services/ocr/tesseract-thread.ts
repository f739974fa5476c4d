import { Worker as NodeWorker } from 'node:worker_threads';
import Tesseract from 'tesseract.js';
import { ApiError } from '../../common/api/errors';
import type { PreparedImage } from './prepare-image';

export interface TesseractThreadOptions {
  /** Tesseract language string, e.g. `sqi+eng`; models must already be checked (tessdata.ts). */
  languages: string;
  tessdataDir: string;
  /** Our worker entry (workers/ocr/tesseract.worker.ts, built): it cuts the thread off the network. */
  workerScript: string;
  /** Bounds starting the thread and switching its languages. */
  timeoutMs: number;
}

/** One warm Tesseract in one worker thread, doing one job at a time. */
export interface TesseractThread {
  readonly languages: string;
  /** False once the thread has ended, by terminate() or by failing. */
  readonly alive: boolean;
  /** Loads other models into this thread (a few hundred ms). A thread that fails this has ended. */
  useLanguages(languages: string): Promise<void>;
  recognize(image: PreparedImage): Promise<Tesseract.Page>;
  terminate(): Promise<void>;
}

export async function startTesseractThread(options: TesseractThreadOptions): Promise<TesseractThread> {
  const { workerScript, tessdataDir, timeoutMs } = options;
  let starting = true;
  let reportStartFailure: (reason: unknown) => void = () => {};
  const startFailed = new Promise<never>((_, reject) => {
    reportStartFailure = reject;
  });

  const pending = Tesseract.createWorker(options.languages, Tesseract.OEM.LSTM_ONLY, {
    workerPath: workerScript,
    // A local folder, never a URL: without it tesseract.js downloads models from a CDN.
    langPath: tessdataDir,
    gzip: false,
    // The default cache reads and writes <cwd>/<lang>.traineddata and wins over langPath.
    cacheMethod: 'none',
    // tesseract.js reports a failure to load or initialise models only here, and would throw
    // from a message listener (taking the process down) if no handler were given. Once the
    // thread is up, each job's own promise carries its failure, so later calls are ignored.
    errorHandler: (reason: unknown) => {
      if (starting) reportStartFailure(reason);
    },
  });

  let worker: Tesseract.Worker;
  try {
    worker = await withTimeout(Promise.race([pending, startFailed]), timeoutMs, () => {
      // If it turns up after all, nobody is waiting for it.
      void pending.then((late) => late.terminate(), () => {});
      return new ApiError(
        'unavailable',
        `The OCR worker did not start within ${timeoutMs} ms (languages "${options.languages}", worker ${workerScript}).`,
      );
    });
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError('unavailable', `The OCR worker could not load languages "${options.languages}" from ${tessdataDir}: ${describe(error)}`);
  } finally {
    starting = false;
  }
  const thread = nodeThreadOf(worker);
  if (!thread) {
    await worker.terminate();
    throw new ApiError('internal', 'tesseract.js no longer exposes its worker thread; services/ocr/tesseract-thread.ts needs updating.');
  }
  return new RunningThread(worker, thread, options);
}

class RunningThread implements TesseractThread {
  #languages: string;
  #alive = true;
  #terminating: Promise<void> | undefined;
  /** Rejects when the thread ends, so a job in flight does not wait forever. */
  readonly #ended: Promise<never>;

  constructor(
    private readonly worker: Tesseract.Worker,
    thread: NodeWorker,
    private readonly options: TesseractThreadOptions,
  ) {
    this.#languages = options.languages;
    this.#ended = new Promise<never>((_, reject) => {
      thread.once('exit', (code) => {
        this.#alive = false;
        reject(
          this.#terminating
            ? new ApiError('unavailable', 'The OCR worker was stopped.')
            : new ApiError('internal', `The OCR worker stopped unexpectedly (exit code ${code}).`),
        );
      });
      // Without a listener, an 'error' event would be rethrown in this process.
      thread.on('error', () => {});
    });
    this.#ended.catch(() => {});
  }

  get languages(): string {
    return this.#languages;
  }

  get alive(): boolean {
    return this.#alive;
  }

  async useLanguages(languages: string): Promise<void> {
    if (languages === this.#languages) return;
    const { timeoutMs, tessdataDir } = this.options;
    try {
      await withTimeout(
        Promise.race([this.worker.reinitialize(languages, Tesseract.OEM.LSTM_ONLY), this.#ended]),
        timeoutMs,
        () => new ApiError('unavailable', `The OCR worker did not switch to languages "${languages}" within ${timeoutMs} ms.`),
      );
    } catch (error) {
      // Its models are now in an unknown state; a fresh thread is cheaper than finding out.
      await this.terminate();
      if (error instanceof ApiError) throw error;
      throw new ApiError('unavailable', `The OCR worker could not load languages "${languages}" from ${tessdataDir}: ${describe(error)}`);
    }
    this.#languages = languages;
  }

  async recognize(image: PreparedImage): Promise<Tesseract.Page> {
    const run = async () => {
      // Tesseract's heuristics (e.g. the smallest text it looks for) depend on the resolution;
      // 0 lets it estimate one when the file records none.
      await this.worker.setParameters({ user_defined_dpi: String(image.dpi ?? 0) });
      const { data } = await this.worker.recognize(image.pgm, {}, { text: true, blocks: true });
      return data;
    };
    try {
      return await Promise.race([run(), this.#ended]);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('internal', `OCR failed: ${describe(error)}`);
    }
  }

  terminate(): Promise<void> {
    if (!this.#alive) return Promise.resolve();
    this.#terminating ??= (async () => {
      await this.worker.terminate();
      // The thread is gone only when it says so; callers rely on that to let the process exit.
      await this.#ended.catch(() => {});
    })();
    return this.#terminating;
  }
}

/** tesseract.js keeps the Node Worker it started on the object it resolves with (untyped). */
function nodeThreadOf(worker: Tesseract.Worker): NodeWorker | undefined {
  const thread: unknown = Reflect.get(worker, 'worker');
  return thread instanceof NodeWorker ? thread : undefined;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([promise, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** tesseract.js rejects with strings such as "Error: ENOENT ..." as well as with Errors. */
function describe(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
