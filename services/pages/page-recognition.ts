import type { OcrResult, PageRecord } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import type { ArchiveStore } from '../archive/archive-store';
import type { EventBus } from '../api/event-bus';

export type RecognitionStage = 'queued' | 'cleaning' | 'recognizing' | 'retrying';

export interface RecognizeRequest {
  /** Tesseract languages chosen by the clerk; otherwise the engine picks by script. */
  languages?: string | undefined;
  priority?: number | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((stage: RecognitionStage, progress?: number) => void) | undefined;
}

/** The part of the OCR engine the pipeline needs; the engine itself lives in services/ocr. */
export interface PageRecognizer {
  recognize(image: Buffer, request?: RecognizeRequest): Promise<OcrResult>;
}

export interface PageRecognitionOptions {
  /**
   * Pages read from disk and handed to the engine at once. The rest wait as page records only
   * (their images stay on disk), so a 10,000-page backlog costs no image memory. Default 4.
   */
  maxInFlight?: number | undefined;
}

export interface EnqueueOptions {
  /** Higher goes first: a clerk's re-OCR (e.g. 10) before batch work (0). */
  priority?: number | undefined;
  /** Languages for this page instead of the engine's choice by script. */
  languages?: string | undefined;
}

/** A clerk's request: ahead of any batch. */
export const CLERK_PRIORITY = 10;

interface Waiting {
  page: PageRecord;
  priority: number;
  languages: string | undefined;
  order: number;
  done: Promise<void>;
  settle: () => void;
}

interface Running {
  done: Promise<void>;
  controller: AbortController;
}

/**
 * Runs OCR for stored pages and records the outcome in the archive. A page whose OCR fails is
 * marked failed with the reason, never dropped; a blank page is recognised and says it is blank.
 * Pages left pending by a crash are picked up again by `resumePending`, so the archive's page
 * records double as the journal of unfinished OCR, and as the overflow of a bounded queue.
 */
export class PageRecognition {
  readonly #waiting = new Map<string, Waiting>();
  readonly #running = new Map<string, Running>();
  #maxInFlight: number;
  #order = 0;

  constructor(
    private readonly archive: ArchiveStore,
    private readonly bus: EventBus,
    private readonly recognizer: () => Promise<PageRecognizer>,
    options: PageRecognitionOptions = {},
  ) {
    this.#maxInFlight = Math.max(1, options.maxInFlight ?? 4);
  }

  /** Queues a page for OCR; settles once its outcome is recorded (or it is cancelled). */
  enqueue(page: PageRecord, options: EnqueueOptions = {}): Promise<void> {
    const priority = options.priority ?? 0;
    const running = this.#running.get(page.id);
    if (running) return running.done;
    const waiting = this.#waiting.get(page.id);
    if (waiting) {
      // Asked again with more urgency (a clerk re-OCRs a page the batch has not reached).
      waiting.priority = Math.max(waiting.priority, priority);
      waiting.languages = options.languages ?? waiting.languages;
      return waiting.done;
    }
    let settle: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      settle = resolve;
    });
    this.#waiting.set(page.id, { page, priority, languages: options.languages, order: (this.#order += 1), done, settle });
    this.#emitProgress(page.id, 'queued');
    this.#pump();
    return done;
  }

  /**
   * Stops OCR of a page: a waiting page leaves the queue, a running one is abandoned. The page
   * stays `pending-ocr` on disk, so nothing is lost. False if the page was not queued.
   */
  cancel(pageId: string): boolean {
    const waiting = this.#waiting.get(pageId);
    if (waiting) {
      this.#waiting.delete(pageId);
      waiting.settle();
      return true;
    }
    const running = this.#running.get(pageId);
    if (running) {
      running.controller.abort(new Error('OCR cancelled'));
      return true;
    }
    return false;
  }

  /**
   * A clerk's re-OCR of a stored page, ahead of batch work, optionally with languages of their
   * choosing. The page is marked pending on disk first, so a crash resumes it; its earlier OCR
   * result stays on the record until the new one replaces it. Returns the page as queued.
   */
  async recognizeAgain(pageId: string, options: { languages?: string | undefined } = {}): Promise<PageRecord> {
    if (this.#running.has(pageId)) {
      throw new ApiError('conflict', 'The page is being recognised right now; ask again once its result is in.');
    }
    const request = { priority: CLERK_PRIORITY, languages: options.languages };
    // Already waiting (pending on disk): it moves up the queue, with the clerk's languages.
    const waiting = this.#waiting.get(pageId);
    if (waiting) {
      void this.enqueue(waiting.page, request);
      return waiting.page;
    }
    const page = await this.archive.getPage(pageId);
    if (!page) throw new ApiError('not-found', `No page ${pageId} in the archive.`);
    const queued: PageRecord = { ...withoutFailure(page), status: 'pending-ocr' };
    await this.archive.savePage(queued);
    void this.enqueue(queued, request);
    return queued;
  }

  /** After a change of OCR workers: more pages in flight start at once, fewer as the running ones finish. */
  setMaxInFlight(pages: number): void {
    this.#maxInFlight = Math.max(1, pages);
    this.#pump();
  }

  /** Pages waiting or being recognised. */
  get pending(): number {
    return this.#waiting.size + this.#running.size;
  }

  async resumePending(): Promise<number> {
    const pending = (await this.archive.listPages()).filter((page) => page.status === 'pending-ocr');
    for (const page of pending) void this.enqueue(page);
    return pending.length;
  }

  /** Resolves when every page queued so far has an outcome (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.pending > 0) {
      await Promise.allSettled([...this.#running.values()].map((running) => running.done).concat([...this.#waiting.values()].map((w) => w.done)));
    }
  }

  #pump(): void {
    while (this.#running.size < this.#maxInFlight && this.#waiting.size > 0) {
      const next = [...this.#waiting.values()].reduce((best, entry) =>
        entry.priority > best.priority || (entry.priority === best.priority && entry.order < best.order) ? entry : best,
      );
      this.#waiting.delete(next.page.id);
      const controller = new AbortController();
      const done = this.#recognize(next.page, next.priority, next.languages, controller.signal)
        .catch((error: unknown) => {
          // The outcome could not be written: the page stays pending on disk and is resumed at the next start.
          console.error(`OCR outcome of page ${next.page.id} not saved`, error);
        })
        .finally(() => {
          this.#running.delete(next.page.id);
          next.settle();
          this.#pump();
        });
      this.#running.set(next.page.id, { done, controller });
    }
  }

  async #recognize(page: PageRecord, priority: number, languages: string | undefined, signal: AbortSignal): Promise<void> {
    let updated: PageRecord;
    try {
      // Verified: OCR of bytes that are no longer the archived original would be recorded as
      // that page's text; a changed or missing original fails the page with the reason instead.
      const image = await this.archive.readOriginalVerified(page.id, page.originalMimeType);
      let reported = -1;
      const ocr = await (await this.recognizer()).recognize(image, {
        languages,
        priority,
        signal,
        onProgress: (stage, progress) => {
          // Tesseract reports progress hundreds of times a page; a tenth is enough for a progress bar.
          if (stage === 'recognizing' && progress !== undefined) {
            if (progress - reported < 0.1 && progress < 1) return;
            reported = progress;
          }
          this.#emitProgress(page.id, stage, progress);
        },
      });
      updated = { ...withoutFailure(page), status: 'recognized', ocr };
    } catch (error) {
      // A cancelled page is left pending on disk, to be resumed later.
      if (signal.aborted) return;
      updated = { ...page, status: 'failed', failure: error instanceof Error ? error.message : String(error) };
    }
    await this.archive.savePage(updated);
    this.bus.emit(updated.status === 'recognized' ? 'page.recognized' : 'page.failed', { page: updated });
  }

  #emitProgress(pageId: string, stage: RecognitionStage, progress?: number): void {
    const payload = { pageId, stage, waiting: this.#waiting.size, ...(progress === undefined ? {} : { progress: Math.min(1, Math.max(0, progress)) }) };
    this.bus.emit('ocr.progress', payload);
  }
}

function withoutFailure(page: PageRecord): PageRecord {
  const { failure: _failure, ...rest } = page;
  return rest;
}
