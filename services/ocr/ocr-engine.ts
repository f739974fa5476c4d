import { availableParallelism } from 'node:os';
import type { OcrResult } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { blankResult, toOcrResult } from './ocr-result';
import { cleanUpPage, type CleanupOptions, type Orientation } from './page-cleanup';
import type { PreparedImage } from './prepare-image';
import { availableLanguages, findTessdataDir, modelUsable, requireLanguages } from './tessdata';
import { startTesseractThread, type TesseractThread } from './tesseract-thread';
import { locateWorkerScript, requireWorkerScript } from './worker-script';
import { cancelled, createWorkerPool } from './worker-pool';

export interface OcrEngineOptions {
  /** Tesseract language string for Latin-script pages, and for every page when no script is detected. Default `eng`. */
  languages?: string | undefined;
  /** Languages for pages OSD finds to be Cyrillic. Default `srp` when its model is installed. */
  cyrillicLanguages?: string | undefined;
  /** Detect orientation and script (Tesseract OSD) before recognising. Default: when `osd.traineddata` is installed. */
  detectOrientation?: boolean | undefined;
  /** Worker threads, each with one warm Tesseract. Default: the cores, at most 4. */
  workers?: number | undefined;
  /** Folder of `.traineddata` models. Default: ARKIVA_TESSDATA, else the system folder. */
  tessdataDir?: string | undefined;
  /** The built worker entry. Default: dist/workers/tesseract.worker.mjs in the project. */
  workerScript?: string | undefined;
  /** How long a thread may take to start or to switch languages. Default 30 s. */
  startTimeoutMs?: number | undefined;
  /** A thread that takes longer than this over one page is taken as hung and replaced. Default 180 s. */
  pageTimeoutMs?: number | undefined;
  /** A thread is replaced by a fresh one after this many pages (tesseract.js leaks over long runs). Default 200. */
  recycleAfterPages?: number | undefined;
  /** Threads are also replaced when the process has grown by this much since the engine started. Default 300 MB per worker. */
  recycleAboveGrowthMb?: number | undefined;
  /** Pages that may wait in memory for a thread; more are refused (the pipeline keeps the rest on disk). Default 64. */
  maxQueued?: number | undefined;
  /** Pages below this mean confidence (0..100) are flagged for review. Default 70. */
  reviewBelowConfidence?: number | undefined;
  /** Page clean-up (resolution, limits). */
  cleanup?: Omit<CleanupOptions, 'detectOrientation'> | undefined;
}

export type OcrStage = 'queued' | 'cleaning' | 'recognizing' | 'retrying';

export interface RecognizeOptions {
  /** Tesseract language string for this image, e.g. `srp_latn+sqi+eng`. Default: chosen by the detected script. */
  languages?: string | undefined;
  /** Higher goes first among waiting pages: a clerk's re-OCR before batch work. Default 0. */
  priority?: number | undefined;
  /** Cancels the page: a waiting page leaves the queue; a running one has its thread replaced. */
  signal?: AbortSignal | undefined;
  onProgress?: ((stage: OcrStage, progress?: number) => void) | undefined;
}

export interface OcrEngine {
  /** The language string used for Latin-script pages and when no script is detected. */
  readonly languages: string;
  /**
   * Recognises one image (any format sharp reads). Word boxes are in the image's own pixels.
   * Fails with `unsupported-file` for bytes that are not an image (or too large to be a page),
   * `unavailable` for languages without a model, `bad-request` for a malformed language string,
   * `internal` when the page killed or hung its worker twice.
   */
  recognize(image: Buffer, options?: RecognizeOptions): Promise<OcrResult>;
  /** Languages with a usable model, sorted. */
  availableLanguages(): string[];
  /** Pages waiting for a thread. */
  readonly queued: number;
  /** Finishes the jobs under way, fails queued ones, and ends every thread. */
  close(): Promise<void>;
  /** Takes no new pages, lets every page already given finish (queued ones too), then closes: for a change of settings. */
  retire(): Promise<void>;
}

const DEFAULT_START_TIMEOUT_MS = 30_000;
const DEFAULT_PAGE_TIMEOUT_MS = 180_000;
const OSD_TIMEOUT_MS = 30_000;
/** Below this OSD confidence the page is left as it is: a wrong turn costs the whole page. */
const MIN_ORIENTATION_CONFIDENCE = 2;

/** One thread per core keeps every core busy; each holds about 150 MB, so more than 4 rarely pays. */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** A place in the pool for one thread; the thread is replaced if it ends, hangs, or has served long enough. */
interface Slot {
  thread: TesseractThread | undefined;
  pages: number;
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
  const installed = availableLanguages(tessdataDir);
  const cyrillicLanguages = options.cyrillicLanguages ?? (installed.includes('srp') ? 'srp' : undefined);
  if (cyrillicLanguages) requireLanguages(tessdataDir, cyrillicLanguages);
  const osdInstalled = modelUsable(tessdataDir, 'osd');
  if (options.detectOrientation && !osdInstalled) {
    throw new ApiError('unavailable', `Orientation detection needs osd.traineddata in ${tessdataDir}: apt-get install tesseract-ocr-osd.`);
  }
  const detectOrientation = options.detectOrientation ?? osdInstalled;
  const workerScript = options.workerScript ? requireWorkerScript(options.workerScript) : locateWorkerScript();
  const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const pageTimeoutMs = options.pageTimeoutMs ?? DEFAULT_PAGE_TIMEOUT_MS;
  const recycleAfterPages = options.recycleAfterPages ?? 200;
  const reviewBelow = options.reviewBelowConfidence ?? 70;

  const startThread = (languages: string) => startTesseractThread({ languages, tessdataDir, workerScript, timeoutMs });
  const startOsdThread = () => startTesseractThread({ languages: 'osd', tessdataDir, workerScript, timeoutMs, osd: true });

  const started = await Promise.allSettled([
    ...Array.from({ length: workers }, () => startThread(defaultLanguages)),
    ...(detectOrientation ? [startOsdThread()] : []),
  ]);
  const threads = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failure = started.find((outcome) => outcome.status === 'rejected');
  if (failure) {
    await Promise.all(threads.map((thread) => thread.terminate()));
    throw failure.reason;
  }

  const slots: Slot[] = threads.slice(0, workers).map((thread) => ({ thread, pages: 0 }));
  const osdSlot: Slot | undefined = detectOrientation ? { thread: threads[workers], pages: 0 } : undefined;
  const pool = createWorkerPool(slots, { maxQueued: options.maxQueued ?? 64 });
  const osdPool = osdSlot ? createWorkerPool([osdSlot]) : undefined;
  // Measured once the threads are warm: growth beyond this is what recycling bounds.
  let baselineRss = process.memoryUsage().rss;
  const growthLimit = (options.recycleAboveGrowthMb ?? 300 * workers) * 1024 * 1024;
  const closedError = () => new ApiError('unavailable', 'The OCR engine is closed.');
  let closing: Promise<void> | undefined;
  let retiring = false;
  /** Pages inside recognize(), from clean-up to result: what retire() waits for. */
  let active = 0;
  let onDrained: () => void = () => {};

  async function recognizeIn(slot: Slot, image: PreparedImage, languages: string, recognizeOptions: RecognizeOptions) {
    const { signal, onProgress } = recognizeOptions;
    if (signal?.aborted) throw cancelled(signal);
    if (slot.thread?.alive) await slot.thread.useLanguages(languages);
    else slot.thread = await startThread(languages);
    const thread = slot.thread;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    // A hung or cancelled page costs its thread: Tesseract cannot be interrupted inside a page.
    const stopped = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void thread.terminate();
        reject(new ApiError('internal', `The OCR worker hung on this page (no result within ${Math.round(pageTimeoutMs / 1000)} s) and was replaced.`));
      }, pageTimeoutMs);
      onAbort = () => {
        void thread.terminate();
        reject(cancelled(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      onProgress?.('recognizing', 0);
      const page = await Promise.race([thread.recognize(image, (progress) => onProgress?.('recognizing', progress)), stopped]);
      slot.pages += 1;
      return page;
    } catch (error) {
      // However the thread's end reached us first, a cancelled page says it was cancelled.
      if (signal?.aborted) throw cancelled(signal);
      throw error;
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      const grown = process.memoryUsage().rss - baselineRss > growthLimit;
      if (slot.pages >= recycleAfterPages || grown) {
        slot.pages = 0;
        await thread.terminate();
        // Growth that recycling did not take back is not the threads': do not recycle on every page for it.
        if (grown) baselineRss = Math.max(baselineRss, process.memoryUsage().rss);
      }
    }
  }

  async function detect(image: Buffer): Promise<Orientation | undefined> {
    if (!osdPool) return undefined;
    try {
      const found = await osdPool.run(async (slot) => {
        slot.thread = slot.thread?.alive ? slot.thread : await startOsdThread();
        const thread = slot.thread;
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            void thread.terminate();
            reject(new Error('orientation detection hung'));
          }, OSD_TIMEOUT_MS);
        });
        try {
          const detected = await Promise.race([thread.detect(image), timedOut]);
          slot.pages += 1;
          return detected;
        } finally {
          clearTimeout(timer);
          // The OSD thread sees every page, so it would leak fastest of all: same quota as the others.
          if (slot.pages >= recycleAfterPages) {
            slot.pages = 0;
            await thread.terminate();
          }
        }
      });
      if (!found) return undefined;
      const orientation: Orientation = { degrees: found.orientationConfidence >= MIN_ORIENTATION_CONFIDENCE ? found.degrees : 0 };
      // Taken even when unsure: Cyrillic and Latin share many shapes, so OSD's margin between them
      // is often small (0.4 on real Serbian pages) while its pick is right; a wrong pick shows as
      // low confidence and is caught by trying the other script (see recognize).
      if (found.script) orientation.script = found.script;
      return orientation;
    } catch {
      // Orientation is an aid: a page whose detection fails is still recognised as it lies.
      return undefined;
    }
  }

  function languagesFor(script: string | undefined): string {
    return script === 'Cyrillic' && cyrillicLanguages ? cyrillicLanguages : defaultLanguages;
  }

  const engine: OcrEngine = {
    languages: defaultLanguages,

    get queued() {
      return pool.queued;
    },

    async recognize(input, recognizeOptions = {}) {
      if (closing || retiring) throw closedError();
      active += 1;
      try {
        return await recognizePage(input, recognizeOptions);
      } finally {
        active -= 1;
        if (active === 0) onDrained();
      }
    },

    availableLanguages: () => availableLanguages(tessdataDir),

    async retire() {
      retiring = true;
      if (active > 0) await new Promise<void>((resolve) => (onDrained = resolve));
      await engine.close();
    },

    close() {
      closing ??= (async () => {
        await Promise.all([pool.close(closedError), osdPool?.close(closedError)]);
        await Promise.all([...slots, ...(osdSlot ? [osdSlot] : [])].map((slot) => slot.thread?.terminate()));
      })();
      return closing;
    },
  };
  return engine;

  async function recognizePage(input: Buffer, recognizeOptions: RecognizeOptions): Promise<OcrResult> {
    const { signal, onProgress, priority } = recognizeOptions;
    if (recognizeOptions.languages) requireLanguages(tessdataDir, recognizeOptions.languages);
    onProgress?.('cleaning');
    const cleaned = await cleanUpPage(input, { ...options.cleanup, detectOrientation: osdPool ? detect : undefined });
    let languages = recognizeOptions.languages ?? languagesFor(cleaned.script);
    if (!cleaned.image) return blankResult(languages, cleaned.blank ?? 'The page is blank.');
    const image = cleaned.image;
    if (signal?.aborted) throw cancelled(signal);

    // A thread that dies or hangs over a page gets replaced, and the page one more try on the
    // fresh thread: a second failure says the page itself is the problem.
    const recognizeWith = async (withLanguages: string) => {
      for (let attempt = 1; ; attempt += 1) {
        onProgress?.(attempt === 1 ? 'queued' : 'retrying');
        try {
          return await pool.run((slot) => recognizeIn(slot, image, withLanguages, recognizeOptions), {
            prefers: (slot) => slot.thread?.languages === withLanguages,
            priority,
            signal,
          });
        } catch (error) {
          const retryable = error instanceof ApiError && error.code === 'internal' && !signal?.aborted && !closing;
          if (!retryable || attempt >= 2) {
            if (retryable) throw new ApiError('internal', `${error.message} It failed again on a fresh worker, so the page is marked failed.`);
            throw error;
          }
        }
      }
    };
    let page = await recognizeWith(languages);
    let script = cleaned.script;
    // Chosen by script and doubtful: the other script's models may be the right ones.
    if (!recognizeOptions.languages && page.confidence < reviewBelow && cyrillicLanguages && cyrillicLanguages !== defaultLanguages) {
      const otherScript = script === 'Cyrillic' ? 'Latin' : 'Cyrillic';
      const otherLanguages = languagesFor(otherScript);
      const other = await recognizeWith(otherLanguages);
      if (other.confidence > page.confidence) {
        page = other;
        languages = otherLanguages;
        script = otherScript;
      }
    }
    return toOcrResult(page, {
      languages,
      geometry: cleaned.geometry,
      reviewBelow,
      orientation: cleaned.orientation,
      skewDegrees: cleaned.skewDegrees,
      script,
    });
  }
}
