import { availableParallelism } from 'node:os';
import type { OcrResult } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { toOcrResult } from './ocr-result';
import { prepareImage, type PreparedImage } from './prepare-image';
import { availableLanguages, findTessdataDir, requireLanguages } from './tessdata';
import { startTesseractThread, type TesseractThread } from './tesseract-thread';
import { locateWorkerScript, requireWorkerScript } from './worker-script';
import { createWorkerPool } from './worker-pool';

export interface OcrEngineOptions {
  /** Tesseract language string used when a call names none; the first is the primary language. Default `eng`. */
  languages?: string | undefined;
  /** Worker threads, each with one warm Tesseract. Default: min(2, cores). */
  workers?: number | undefined;
  /** Folder of `.traineddata` models. Default: ARKIVA_TESSDATA, else the system folder. */
  tessdataDir?: string | undefined;
  /** The built worker entry. Default: dist/workers/tesseract.worker.mjs in the project. */
  workerScript?: string | undefined;
  /** How long a thread may take to start or to switch languages. Default 30 s. */
  startTimeoutMs?: number | undefined;
}

export interface RecognizeOptions {
  /** Tesseract language string for this image, e.g. `srp_latn+sqi+eng`. Default: the engine's. */
  languages?: string | undefined;
}

export interface OcrEngine {
  /** The language string used when `recognize` is given none. */
  readonly languages: string;
  /**
   * Recognises one image (any format sharp reads). Word boxes are in the image's own pixels.
   * Fails with `unsupported-file` for bytes that are not an image, `unavailable` for languages
   * without a model, `bad-request` for a malformed language string.
   */
  recognize(image: Buffer, options?: RecognizeOptions): Promise<OcrResult>;
  /** Languages with a usable model, sorted. */
  availableLanguages(): string[];
  /** Finishes the jobs under way, fails queued ones, and ends every thread. */
  close(): Promise<void>;
}

const DEFAULT_START_TIMEOUT_MS = 30_000;

/** Each thread keeps a core busy, and holds 60-100 MB (measured); two is enough for a workstation. */
export function defaultWorkerCount(): number {
  return Math.min(2, availableParallelism());
}

/** A place in the pool for one thread; the thread is replaced if it ends or fails to switch languages. */
interface Slot {
  thread: TesseractThread | undefined;
}

/**
 * Starts the OCR engine: checks the models and the worker script, then warms up every thread
 * with the default languages, so problems surface here rather than on the first page.
 */
export async function createOcrEngine(options: OcrEngineOptions = {}): Promise<OcrEngine> {
  const defaultLanguages = options.languages ?? 'eng';
  const workers = options.workers ?? defaultWorkerCount();
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a positive integer, not ${workers}`);
  const tessdataDir = options.tessdataDir ?? findTessdataDir();
  requireLanguages(tessdataDir, defaultLanguages);
  const workerScript = options.workerScript ? requireWorkerScript(options.workerScript) : locateWorkerScript();
  const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;

  const startThread = (languages: string) => startTesseractThread({ languages, tessdataDir, workerScript, timeoutMs });

  const started = await Promise.allSettled(Array.from({ length: workers }, () => startThread(defaultLanguages)));
  const threads = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failure = started.find((outcome) => outcome.status === 'rejected');
  if (failure) {
    await Promise.all(threads.map((thread) => thread.terminate()));
    throw failure.reason;
  }

  const slots: Slot[] = threads.map((thread) => ({ thread }));
  const pool = createWorkerPool(slots);
  const closedError = () => new ApiError('unavailable', 'The OCR engine is closed.');
  let closing: Promise<void> | undefined;

  async function recognizeIn(slot: Slot, image: PreparedImage, languages: string) {
    if (slot.thread?.alive) await slot.thread.useLanguages(languages);
    else slot.thread = await startThread(languages);
    return slot.thread.recognize(image);
  }

  return {
    languages: defaultLanguages,

    async recognize(input, recognizeOptions = {}) {
      if (closing) throw closedError();
      const languages = recognizeOptions.languages ?? defaultLanguages;
      requireLanguages(tessdataDir, languages);
      const image = await prepareImage(input);
      const page = await pool.run(
        (slot) => recognizeIn(slot, image, languages),
        (slot) => slot.thread?.languages === languages,
      );
      return toOcrResult(page, languages);
    },

    availableLanguages: () => availableLanguages(tessdataDir),

    close() {
      closing ??= (async () => {
        await pool.close(closedError);
        await Promise.all(slots.map((slot) => slot.thread?.terminate()));
      })();
      return closing;
    },
  };
}
