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
  /**
   * Loads Tesseract's legacy engine as well (languages `osd`): needed for orientation and script
   * detection, which the LSTM-only build cannot do. Such a thread only detects.
   */
  osd?: boolean;
}

/** What Tesseract's orientation and script detection found. */
export interface DetectedOrientation {
  /** Clockwise turn that makes the page upright. */
  degrees: 0 | 90 | 180 | 270;
  orientationConfidence: number;
  script: string | undefined;
  scriptConfidence: number;
}

/** One warm Tesseract in one worker thread, doing one job at a time. */
export interface TesseractThread {
  readonly languages: string;
  /** False once the thread has ended, by terminate() or by failing. */
  readonly alive: boolean;
  /** Loads other models into this thread (a few hundred ms). A thread that fails this has ended. */
  useLanguages(languages: string): Promise<void>;
  /** `onProgress` hears Tesseract's own progress through the page, 0..1. */
  recognize(image: PreparedImage, onProgress?: (progress: number) => void): Promise<Tesseract.Page>;
  /** Orientation and script of a page; only on a thread started with `osd`. Undefined when Tesseract cannot tell. */
  detect(image: Buffer): Promise<DetectedOrientation | undefined>;
  terminate(): Promise<void>;
}

export async function startTesseractThread(options: TesseractThreadOptions): Promise<TesseractThread> {
  const { workerScript, tessdataDir, timeoutMs } = options;
  let starting = true;
  let reportStartFailure: (reason: unknown) => void = () => {};
  const startFailed = new Promise<never>((_, reject) => {
    reportStartFailure = reject;
  });

  const progress: ProgressRelay = { listener: undefined };
  const oem = options.osd ? Tesseract.OEM.TESSERACT_ONLY : Tesseract.OEM.LSTM_ONLY;
  const pending = Tesseract.createWorker(options.languages, oem, {
    workerPath: workerScript,
    ...(options.osd ? { legacyCore: true, legacyLang: true } : {}),
    logger: (message: Tesseract.LoggerMessage) => {
      if (message.status === 'recognizing text') progress.listener?.(message.progress);
    },
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
  return new RunningThread(worker, thread, options, progress);
}

/** The logger is fixed when the worker starts; each job points it at its own listener. */
interface ProgressRelay {
  listener: ((progress: number) => void) | undefined;
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
    private readonly progress: ProgressRelay,
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

  async detect(image: Buffer): Promise<DetectedOrientation | undefined> {
    if (!this.#alive) throw new ApiError('unavailable', 'The OCR worker was stopped.');
    try {
      const run = () => this.worker.detect(image);
      const job = run();
      job.catch(() => {});
      const { data } = await Promise.race([job, this.#ended]);
      if (data.orientation_degrees === null || data.orientation_confidence === null) return undefined;
      const degrees = ([0, 90, 180, 270] as const).find((turn) => turn === data.orientation_degrees) ?? 0;
      return {
        degrees,
        orientationConfidence: data.orientation_confidence,
        script: data.script ?? undefined,
        scriptConfidence: data.script_confidence ?? 0,
      };
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('internal', `Orientation detection failed: ${describe(error)}`);
    }
  }

  async recognize(image: PreparedImage, onProgress?: (progress: number) => void): Promise<Tesseract.Page> {
    // tesseract.js throws from deep inside a job on a terminated worker; say it plainly instead.
    if (!this.#alive) throw new ApiError('unavailable', 'The OCR worker was stopped.');
    this.progress.listener = onProgress;
    const run = async () => {
      // Tesseract's heuristics (e.g. the smallest text it looks for) depend on the resolution;
      // 0 lets it estimate one when the file records none.
      await this.worker.setParameters({ user_defined_dpi: String(image.dpi ?? 0) });
      const { data } = await this.worker.recognize(image.pgm, {}, { text: true, blocks: true });
      return data;
    };
    try {
      const job = run();
      // If the thread ends first, the job fails later (tesseract.js throws on a terminated worker): nobody waits for it.
      job.catch(() => {});
      return await Promise.race([job, this.#ended]);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('internal', `OCR failed: ${describe(error)}`);
    } finally {
      this.progress.listener = undefined;
    }
  }

  terminate(): Promise<void> {
    if (!this.#alive && !this.#terminating) return Promise.resolve();
    // No new job may start on a thread being stopped: tesseract.js has already let go of it.
    this.#alive = false;
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
