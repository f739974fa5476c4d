import sharp from 'sharp';
import type { PageRecord, PageSource } from '../../common/api/contract';
import type { ArchiveStore } from '../archive/archive-store';
import type { EventBus } from '../api/event-bus';
import type { PageRecognition } from './page-recognition';

/** The display copy is bounded so a 600-dpi scan does not travel to the UI at full size. */
const DISPLAY_MAX_SIDE = 2400;
export const DISPLAY_IMAGE = 'display.png';

export interface InspectedImage {
  mimeType: string;
}

/**
 * Brings one captured or imported image into the archive: original by hash, a display copy,
 * the page record, an event for the UI, and OCR queued. The same bytes arriving twice yield the
 * same page (ids are content hashes), and the page is not OCR'd twice.
 */
export class PageIntake {
  constructor(
    private readonly archive: ArchiveStore,
    private readonly bus: EventBus,
    private readonly recognition: PageRecognition,
  ) {}

  async ingest(data: Buffer, image: InspectedImage, source: PageSource): Promise<PageRecord> {
    const { id } = await this.archive.putOriginal(data, image.mimeType);
    const existing = await this.archive.getPage(id);
    if (existing) {
      if (existing.status === 'pending-ocr') void this.recognition.enqueue(existing);
      return existing;
    }
    const display = await displayCopy(data);
    await this.archive.putDerived(id, DISPLAY_IMAGE, display.data);
    const page: PageRecord = {
      id,
      source,
      capturedAt: new Date().toISOString(),
      originalMimeType: image.mimeType,
      width: display.uprightWidth,
      height: display.uprightHeight,
      status: 'pending-ocr',
    };
    await this.archive.savePage(page);
    this.bus.emit('page.stored', { page });
    void this.recognition.enqueue(page);
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
    .rotate()
    .resize({ width: DISPLAY_MAX_SIDE, height: DISPLAY_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
    .png()
    .toBuffer();
  return { data: copy, uprightWidth: turned ? height : width, uprightHeight: turned ? width : height };
}
