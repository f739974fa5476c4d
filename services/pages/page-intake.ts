import sharp from 'sharp';
import { z } from 'zod';
import { ocrResultSchema, pageSourceSchema, sha256HexSchema, type OcrResult, type PageRecord, type PageSource } from '../../common/api/contract';
import { ArchiveStore } from '../archive/archive-store';
import { JOURNAL_PREFIXES } from '../archive/journal-names';
import type { EventBus } from '../api/event-bus';
import type { PageRecognition } from './page-recognition';
import { importFile, type ImportSink, type WholeFile } from '../capture/file-import';

/** The display copy is bounded so a 600-dpi scan does not travel to the UI at full size. */
const DISPLAY_MAX_SIDE = 2400;
export const DISPLAY_IMAGE = 'display.png';

export interface InspectedImage {
  mimeType: string;
}

const JOURNAL_PREFIX = JOURNAL_PREFIXES.intake;

/** What the journal holds for an import under way: enough to finish it from the stored original. */
const intakeJournalSchema = z.object({
  pageId: sha256HexSchema,
  mimeType: z.string(),
  source: pageSourceSchema,
  capturedAt: z.string(),
  text: ocrResultSchema.optional(),
});
type IntakeJournal = z.infer<typeof intakeJournalSchema>;

const FILE_JOURNAL_PREFIX = JOURNAL_PREFIXES.file;

/** A multi-page file under import (see importFile): its pages are extracted again from the stored whole. */
const fileJournalSchema = z.object({ fileSha256: sha256HexSchema, mimeType: z.string(), fileName: z.string(), operator: z.string().optional() });

/**
 * Brings one captured or imported image into the archive: original by hash, a display copy,
 * the page record, an event for the UI, and OCR queued. The same bytes arriving twice yield the
 * same page (ids are content hashes), and the page is not OCR'd twice.
 *
 * The journal makes it crash-safe: an entry naming the page is written before the original, and
 * removed once the page record is stored. At start-up `resumeInterrupted` finishes every entry
 * whose original made it to disk, so a page is never half in the archive.
 */
export class PageIntake implements ImportSink {
  /** Pages this intake has stored, for counting what a resumed file import completed. */
  #stored = 0;

  constructor(
    private readonly archive: ArchiveStore,
    private readonly bus: EventBus,
    private readonly recognition: PageRecognition,
    /** Who brings pages in (the signed-in user, else "workstation"), for a source that does not say. */
    private readonly operator?: () => string,
  ) {}

  /**
   * `text`: the page's own text (a born-digital PDF page's text layer), recorded as its text
   * instead of running OCR on a rendering of it.
   */
  async ingest(data: Buffer, image: InspectedImage, source: PageSource, text?: OcrResult): Promise<PageRecord> {
    const id = ArchiveStore.hash(data);
    const existing = await this.archive.getPage(id);
    if (existing) {
      // Same bytes again: the original is re-stored only if it went missing.
      await this.archive.putOriginal(data, image.mimeType);
      if (existing.status === 'pending-ocr') void this.recognition.enqueue(existing);
      return existing;
    }
    const operator = source.operator ?? this.operator?.();
    const attributed: PageSource = operator === undefined ? source : { ...source, operator };
    const entry: IntakeJournal = { pageId: id, mimeType: image.mimeType, source: attributed, capturedAt: new Date().toISOString(), ...(text ? { text } : {}) };
    await this.archive.writeJournal(`${JOURNAL_PREFIX}${id}`, entry);
    await this.archive.putOriginal(data, image.mimeType);
    return this.#finish(entry, data);
  }

  async beginFile(file: WholeFile): Promise<void> {
    const operator = file.operator ?? this.operator?.();
    const entry = fileJournalSchema.parse({ fileSha256: file.fileSha256, mimeType: file.mimeType, fileName: file.fileName, ...(operator === undefined ? {} : { operator }) });
    await this.archive.writeJournal(`${FILE_JOURNAL_PREFIX}${entry.fileSha256}`, entry);
  }

  async endFile(fileSha256: string): Promise<void> {
    await this.archive.removeJournal(`${FILE_JOURNAL_PREFIX}${sha256HexSchema.parse(fileSha256)}`);
  }

  /**
   * Finishes the imports a crash interrupted: single pages whose original was stored, then
   * multi-page files, whose remaining pages are extracted from the stored whole file. Returns
   * how many pages were completed.
   */
  async resumeInterrupted(log: (message: string) => void = console.error): Promise<number> {
    const completed = await this.#resumePages(log);
    return completed + (await this.#resumeFiles(log));
  }

  async #resumeFiles(log: (message: string) => void): Promise<number> {
    const before = this.#stored;
    for (const { name, value } of await this.archive.listJournal(FILE_JOURNAL_PREFIX)) {
      const parsed = fileJournalSchema.safeParse(value);
      if (!parsed.success) {
        log(`Archive: journal entry ${name} cannot be read; left in place for inspection.`);
        continue;
      }
      const file = parsed.data;
      let data: Buffer;
      try {
        data = await this.archive.readOriginalVerified(file.fileSha256, file.mimeType);
      } catch {
        // Interrupted before the whole file was safely stored: none of its pages was (they come after).
        log(`Archive: the import of ${file.fileName} was interrupted before the file was stored; import it again.`);
        await this.archive.removeJournal(name);
        continue;
      }
      try {
        const outcome = await importFile(file.fileName, data, { sink: this, originals: this.archive, operator: file.operator });
        if (outcome.error) log(`Archive: the interrupted import of ${file.fileName} was finished as far as it goes: ${outcome.error.message}`);
      } catch (error) {
        // A full disk, say: the entry stays, and the next start tries again.
        log(`Archive: could not finish the interrupted import of ${file.fileName}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return this.#stored - before;
  }

  async #resumePages(log: (message: string) => void): Promise<number> {
    let completed = 0;
    for (const { name, value } of await this.archive.listJournal(JOURNAL_PREFIX)) {
      const parsed = intakeJournalSchema.safeParse(value);
      if (!parsed.success) {
        log(`Archive: journal entry ${name} cannot be read; left in place for inspection.`);
        continue;
      }
      const entry = parsed.data;
      if (await this.archive.getPage(entry.pageId)) {
        await this.archive.removeJournal(name);
        continue;
      }
      let data: Buffer;
      try {
        data = await this.archive.readOriginalVerified(entry.pageId, entry.mimeType);
      } catch {
        // The crash came before the original was safely stored: the import never happened, and
        // the caller never got an answer for it. Nothing to finish.
        log(`Archive: an import of page ${entry.pageId} was interrupted before its original was stored; import it again.`);
        await this.archive.removeJournal(name);
        continue;
      }
      try {
        await this.#finish(entry, data);
        completed += 1;
      } catch (error) {
        // A full disk, say: the entry stays, and the next start tries again.
        log(`Archive: could not finish the interrupted import of page ${entry.pageId}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return completed;
  }

  async #finish(entry: IntakeJournal, data: Buffer): Promise<PageRecord> {
    const display = await displayCopy(data);
    const displaySha256 = await this.archive.putDerived(entry.pageId, DISPLAY_IMAGE, display.data);
    const { text } = entry;
    const page: PageRecord = {
      id: entry.pageId,
      source: entry.source,
      capturedAt: entry.capturedAt,
      originalMimeType: entry.mimeType,
      width: display.uprightWidth,
      height: display.uprightHeight,
      ...(text ? { status: 'recognized' as const, ocr: text, textSource: 'pdf-text-layer' as const } : { status: 'pending-ocr' as const }),
      derived: { [DISPLAY_IMAGE]: displaySha256 },
    };
    await this.archive.savePage(page);
    this.#stored += 1;
    await this.archive.removeJournal(`${JOURNAL_PREFIX}${entry.pageId}`);
    this.bus.emit('page.stored', { page });
    if (text) this.bus.emit('page.recognized', { page });
    else void this.recognition.enqueue(page);
    return page;
  }
}

/**
 * OCR reads the page upright (EXIF orientation applied) and reports word boxes in those pixels, so
 * the display copy and the recorded size are upright too, and the boxes land on the words.
 */
async function displayCopy(data: Buffer): Promise<{ data: Buffer; uprightWidth: number; uprightHeight: number }> {
  const { width = 0, height = 0, orientation = 1 } = await sharp(data, { page: 0 }).metadata();
  const turned = orientation >= 5; // EXIF orientations 5-8 swap width and height
  const copy = await sharp(data, { page: 0 })
    .autoOrient()
    .resize({ width: DISPLAY_MAX_SIDE, height: DISPLAY_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
    .png()
    .toBuffer();
  return { data: copy, uprightWidth: turned ? height : width, uprightHeight: turned ? width : height };
}
