import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName, OcrResult } from '../../common/api/contract';
import { EventBus } from '../api/event-bus';
import { ArchiveStore } from '../archive/archive-store';
import { checkFixity } from '../archive/fixity';
import { PageIntake } from '../pages/page-intake';
import { PageRecognition } from '../pages/page-recognition';
import { ImportError } from '../../scanner-drivers/file-import/import-errors';
import { importFile } from './file-import';

let root: string;
let archive: ArchiveStore;
let recognition: PageRecognition;
let intake: PageIntake;
let recognized: number;
let events: EventName[];

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'arkiva-import-'));
  archive = await ArchiveStore.open(root);
  const bus = new EventBus();
  events = [];
  bus.subscribe((event) => events.push(event));
  recognized = 0;
  // Stands in for Tesseract: counts the pages sent to OCR.
  recognition = new PageRecognition(archive, bus, async () => ({
    recognize: async (): Promise<OcrResult> => {
      recognized += 1;
      return { text: 'ocr', confidence: 90, languages: 'eng', words: [] };
    },
  }));
  intake = new PageIntake(archive, bus, recognition);
});
afterEach(async () => {
  await recognition.idle();
  await rm(root, { recursive: true, force: true });
});

const deps = () => ({ sink: intake, originals: archive });

async function sheet(n: number): Promise<Buffer> {
  const svg = `<svg width="300" height="200"><rect width="100%" height="100%" fill="white"/><rect x="${40 * n}" y="20" width="60" height="60" fill="black"/></svg>`;
  return sharp(Buffer.from(svg)).removeAlpha().png().toBuffer();
}

describe('importFile', () => {
  it('stores a one-page image as the page itself, its source naming the file only', async () => {
    const png = await sheet(1);
    const { pages, error } = await importFile('page.png', png, deps());
    expect(error).toBeUndefined();
    expect(pages).toHaveLength(1);
    expect(pages[0]?.id).toBe(ArchiveStore.hash(png));
    expect(pages[0]?.source).toEqual({ kind: 'import', fileName: 'page.png' });
    await recognition.idle();
    expect(recognized).toBe(1);
  });

  it('keeps a multi-page TIFF whole by its hash, and makes each page a page of its own that points to it', async () => {
    const tiff = await sharp(await Promise.all([1, 2, 3].map(sheet)), { join: { animated: true } }).tiff({ compression: 'lzw' }).toBuffer();
    const fileSha256 = ArchiveStore.hash(tiff);
    const { pages, error } = await importFile('box-12.tif', tiff, deps());
    expect(error).toBeUndefined();
    expect(pages.map((page) => page.source)).toEqual([1, 2, 3].map((pageNumber) => ({ kind: 'import', fileName: 'box-12.tif', fileSha256, pageNumber, pageCount: 3 })));
    // The whole file is an original of record, byte for byte.
    expect((await archive.readOriginal(fileSha256, 'image/tiff')).equals(tiff)).toBe(true);
    // Each page is stored as its own image, identified by its own hash.
    for (const page of pages) {
      expect(page.originalMimeType).toBe('image/png');
      expect(ArchiveStore.hash(await archive.readOriginal(page.id, 'image/png'))).toBe(page.id);
    }
    expect(new Set(pages.map((page) => page.id)).size).toBe(3);
  });

  it('does not keep a second file whose pages are all in the archive already, so fixity finds no stray original', async () => {
    const sheets = await Promise.all([1, 2].map(sheet));
    const first = await sharp(sheets, { join: { animated: true } }).tiff({ compression: 'lzw' }).toBuffer();
    const resaved = await sharp(sheets, { join: { animated: true } }).tiff({ compression: 'deflate' }).toBuffer();
    expect(resaved.equals(first)).toBe(false);
    const before = await importFile('box-12.tif', first, deps());
    const again = await importFile('box-12-copy.tif', resaved, deps());
    expect(again.error).toBeUndefined();
    // The same pages, as they were first recorded: they name the file they first came in.
    expect(again.pages.map(({ id, source }) => ({ id, source }))).toEqual(before.pages.map(({ id, source }) => ({ id, source })));
    expect(await archive.hasOriginal(ArchiveStore.hash(resaved), 'image/tiff')).toBe(false);
    await recognition.idle();
    expect(await checkFixity(root)).toMatchObject({ ok: true, problems: [] });
  });

  it('keeps a born-digital PDF page\'s own text, marked as such, and does not OCR it', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.addPage([300, 200]).drawText('Raport i policise', { x: 20, y: 150, size: 14, font });
    const pdf = Buffer.from(await doc.save());
    const { pages } = await importFile('report.pdf', pdf, deps());
    await recognition.idle();
    expect(recognized).toBe(0);
    expect(pages[0]).toMatchObject({ status: 'recognized', textSource: 'pdf-text-layer', ocr: { text: 'Raport i policise' } });
    expect(pages[0]?.ocr?.words.map((word) => word.text)).toEqual(['Raport', 'i', 'policise']);
    expect((await archive.getPage(pages[0]?.id ?? ''))?.textSource).toBe('pdf-text-layer');
    expect(await readFile(path.join(root, 'originals', ArchiveStore.hash(pdf).slice(0, 2), `${ArchiveStore.hash(pdf)}.pdf`))).toEqual(pdf);
    expect(events).toEqual(['page.stored', 'page.recognized']);
  });

  it('reports a bad file with a clear error and stores nothing', async () => {
    const { pages, error } = await importFile('broken.pdf', Buffer.from('%PDF-1.4\n%%EOF'), deps());
    expect(pages).toEqual([]);
    expect(error).toMatchObject({ code: 'corrupt', fileName: 'broken.pdf' });
    expect(await archive.listPages()).toEqual([]);
  });
});

describe('importFile after a crash part-way through a multi-page file', () => {
  const threePageTiff = async () => sharp(await Promise.all([1, 2, 3].map(sheet)), { join: { animated: true } }).tiff({ compression: 'lzw' }).toBuffer();

  it('journals the whole file first, and the next start stores the pages still missing, none twice', async () => {
    const tiff = await threePageTiff();
    const fileSha256 = ArchiveStore.hash(tiff);
    let ingested = 0;
    const arta = new PageIntake(archive, new EventBus(), recognition, () => 'arta');
    // The process dies while storing page 2 (a kill, a power cut): page 1 is in, 2 and 3 are not.
    const dying = {
      ingest: (...args: Parameters<PageIntake['ingest']>) => {
        ingested += 1;
        if (ingested === 2) throw new Error('killed');
        return arta.ingest(...args);
      },
      beginFile: (file: Parameters<PageIntake['beginFile']>[0]) => arta.beginFile(file),
      endFile: (sha256: string) => arta.endFile(sha256),
    };
    await expect(importFile('box-12.tif', tiff, { sink: dying, originals: archive })).rejects.toThrow('killed');
    await recognition.idle();
    expect((await archive.listPages()).map((page) => page.source)).toEqual([{ kind: 'import', fileName: 'box-12.tif', fileSha256, pageNumber: 1, pageCount: 3, operator: 'arta' }]);
    expect(await archive.listJournal('file-')).toEqual([{ name: `file-${fileSha256}`, value: { fileSha256, mimeType: 'image/tiff', fileName: 'box-12.tif', operator: 'arta' } }]);
    // Meanwhile fixity sees work in flight, not damage.
    expect(await checkFixity(root)).toMatchObject({ ok: true, problems: [] });

    // The next start, as the app's start-up runs it.
    const bus = new EventBus();
    const restarted = new PageIntake(archive, bus, recognition, () => 'workstation');
    expect(await restarted.resumeInterrupted(() => {})).toBe(2);
    await recognition.idle();
    const pages = await archive.listPages();
    // Finished in the name of the clerk who started the import.
    expect(pages.map((page) => page.source.operator)).toEqual(['arta', 'arta', 'arta']);
    expect(pages.map((page) => (page.source.kind === 'import' ? page.source.pageNumber : 0)).sort()).toEqual([1, 2, 3]);
    expect(new Set(pages.map((page) => page.id)).size).toBe(3);
    expect(pages.every((page) => page.status === 'recognized')).toBe(true);
    expect(await archive.listJournal('')).toEqual([]);
    expect(await checkFixity(root)).toMatchObject({ ok: true, problems: [], notes: [] });
    // A second start has nothing left to do.
    expect(await new PageIntake(archive, bus, recognition).resumeInterrupted(() => {})).toBe(0);
  });

  it('drops the entry of a file killed before it was stored whole, and says so', async () => {
    const tiff = await threePageTiff();
    await intake.beginFile({ fileSha256: ArchiveStore.hash(tiff), mimeType: 'image/tiff', fileName: 'lost.tif' });
    const log: string[] = [];
    expect(await intake.resumeInterrupted((message) => log.push(message))).toBe(0);
    expect(log).toEqual(['Archive: the import of lost.tif was interrupted before the file was stored; import it again.']);
    expect(await archive.listJournal('')).toEqual([]);
    expect(await archive.listPages()).toEqual([]);
  });

  it('ends the journal entry of a file that is bad from some page on, keeping the pages before it', async () => {
    let ingested = 0;
    const badSecondPage = {
      ingest: (...args: Parameters<PageIntake['ingest']>) => {
        ingested += 1;
        if (ingested === 2) throw new ImportError('corrupt', 'box-12.tif', 'Page 2 of box-12.tif cannot be read.');
        return intake.ingest(...args);
      },
      beginFile: (file: Parameters<PageIntake['beginFile']>[0]) => intake.beginFile(file),
      endFile: (sha256: string) => intake.endFile(sha256),
    };
    const outcome = await importFile('box-12.tif', await threePageTiff(), { sink: badSecondPage, originals: archive });
    expect(outcome.pages).toHaveLength(1);
    expect(outcome.error?.message).toBe('Page 2 of box-12.tif cannot be read. Page 1 was imported.');
    // Trying again at the next start would fail the same way: the entry goes.
    expect(await archive.listJournal('')).toEqual([]);
  });
});
