import type { OcrResult, PageRecord } from '../../common/api/contract';
import type { ArchiveStore } from '../archive/archive-store';
import type { EventBus } from '../api/event-bus';

/** The part of the OCR engine the pipeline needs; the engine itself lives in services/ocr. */
export interface PageRecognizer {
  recognize(image: Buffer): Promise<OcrResult>;
}

/**
 * Runs OCR for stored pages and records the outcome in the archive. A page whose OCR fails is
 * marked failed with the reason, never dropped. Pages left pending by a crash are picked up again
 * by `resumePending`, so the archive's page records double as the journal of unfinished OCR.
 */
export class PageRecognition {
  readonly #inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly archive: ArchiveStore,
    private readonly bus: EventBus,
    private readonly recognizer: () => Promise<PageRecognizer>,
  ) {}

  enqueue(page: PageRecord): Promise<void> {
    const running = this.#inFlight.get(page.id);
    if (running) return running;
    const job = this.#recognize(page).finally(() => this.#inFlight.delete(page.id));
    this.#inFlight.set(page.id, job);
    return job;
  }

  async resumePending(): Promise<number> {
    const pending = (await this.archive.listPages()).filter((page) => page.status === 'pending-ocr');
    for (const page of pending) void this.enqueue(page);
    return pending.length;
  }

  /** Resolves when every page queued so far has an outcome (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight.values()]);
  }

  async #recognize(page: PageRecord): Promise<void> {
    let updated: PageRecord;
    try {
      const image = await this.archive.readOriginal(page.id, page.originalMimeType);
      const ocr = await (await this.recognizer()).recognize(image);
      updated = { ...withoutFailure(page), status: 'recognized', ocr };
    } catch (error) {
      updated = { ...page, status: 'failed', failure: error instanceof Error ? error.message : String(error) };
    }
    await this.archive.savePage(updated);
    this.bus.emit(updated.status === 'recognized' ? 'page.recognized' : 'page.failed', { page: updated });
  }
}

function withoutFailure(page: PageRecord): PageRecord {
  const { failure: _failure, ...rest } = page;
  return rest;
}
