import { PDFDocument, PDFName, PDFNumber, PDFRawStream, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ImportError } from './import-errors';
import type { ImportErrorCode } from './import-errors';
import { openImport } from './import-pages';
import type { ImportedPage } from './import-pages';

/** A white page with a black square whose position tells the pages apart. */
function sheet(n: number, width = 400, height = 300) {
  const svg = `<svg width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/><rect x="${30 * n}" y="20" width="100" height="100" fill="black"/></svg>`;
  return sharp(Buffer.from(svg)).removeAlpha().png().toBuffer();
}

/** Reads the Compression tag (259) of a little-endian TIFF's first page. */
function tiffCompression(tiff: Buffer): number | undefined {
  const ifd = tiff.readUInt32LE(4);
  const entries = tiff.readUInt16LE(ifd);
  for (let i = 0; i < entries; i += 1) {
    const at = ifd + 2 + i * 12;
    if (tiff.readUInt16LE(at) === 259) return tiff.readUInt16LE(at + 8);
  }
  return undefined;
}

/** A well-formed little-endian TIFF whose pages claim these sizes (8-bit gray, uncompressed), with one tiny strip each. */
function tiffClaiming(sizes: readonly (readonly [number, number])[]): Buffer {
  const entries = 9;
  const ifdSize = 2 + entries * 12 + 4;
  const strip = Buffer.alloc(16);
  const parts: Buffer[] = [];
  const header = Buffer.alloc(8);
  header.write('II', 0, 'ascii');
  header.writeUInt16LE(42, 2);
  header.writeUInt32LE(8, 4);
  parts.push(header);
  let offset = 8;
  sizes.forEach(([width, height], i) => {
    const ifd = Buffer.alloc(ifdSize);
    const stripOffset = offset + ifdSize;
    const next = i === sizes.length - 1 ? 0 : stripOffset + strip.length;
    const tags: [number, number, number][] = [
      [256, 4, width], // ImageWidth, LONG
      [257, 4, height], // ImageLength
      [258, 3, 8], // BitsPerSample
      [259, 3, 1], // Compression: none
      [262, 3, 1], // Photometric: black is zero
      [273, 4, stripOffset], // StripOffsets
      [277, 3, 1], // SamplesPerPixel
      [278, 4, height], // RowsPerStrip
      [279, 4, strip.length], // StripByteCounts
    ];
    ifd.writeUInt16LE(entries, 0);
    tags.forEach(([tag, type, value], j) => {
      const at = 2 + j * 12;
      ifd.writeUInt16LE(tag, at);
      ifd.writeUInt16LE(type, at + 2);
      ifd.writeUInt32LE(1, at + 4);
      if (type === 3) ifd.writeUInt16LE(value, at + 8);
      else ifd.writeUInt32LE(value, at + 8);
    });
    ifd.writeUInt32LE(next, ifdSize - 4);
    parts.push(ifd, strip);
    offset = stripOffset + strip.length;
  });
  return Buffer.concat(parts);
}

async function g4Tiff(pages: number): Promise<Buffer> {
  const sheets = await Promise.all([...Array(pages).keys()].map((n) => sheet(n + 1)));
  // 300 dpi is 11.81 pixels per millimetre.
  return sharp(sheets, { join: { animated: true } })
    .removeAlpha()
    .toColourspace('b-w')
    .tiff({ compression: 'ccittfax4', bitdepth: 1, xres: 11.811, yres: 11.811 })
    .toBuffer();
}

async function allPages(data: Buffer, name: string, options = {}): Promise<{ mimeType: string; pages: ImportedPage[] }> {
  const file = await openImport(data, name, options);
  const pages: ImportedPage[] = [];
  for await (const page of file.pages) pages.push(page);
  return { mimeType: file.mimeType, pages };
}

async function rejection(promise: Promise<unknown>, code: ImportErrorCode, fileName: string): Promise<ImportError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ImportError);
  expect(error).toMatchObject({ code, fileName });
  expect((error as Error).message).toContain(fileName);
  return error as ImportError;
}

describe('openImport of images', () => {
  it('hands a one-page image over as it is, byte for byte', async () => {
    const png = await sheet(1);
    const { mimeType, pages } = await allPages(png, 'page.png');
    expect(mimeType).toBe('image/png');
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ pageNumber: 1, pageCount: 1, mimeType: 'image/png', textLayer: undefined });
    expect(pages[0]?.data.equals(png)).toBe(true);
  });

  it('splits a multi-page CCITT G4 TIFF into lossless PNG pages that keep their resolution', async () => {
    const tiff = await g4Tiff(3);
    expect(tiffCompression(tiff)).toBe(4); // 4 = CCITT T.6, "Group 4"
    const { mimeType, pages } = await allPages(tiff, 'case-file.tif');
    expect(mimeType).toBe('image/tiff');
    expect(pages.map(({ pageNumber, pageCount, mimeType: pageType }) => ({ pageNumber, pageCount, pageType }))).toEqual([
      { pageNumber: 1, pageCount: 3, pageType: 'image/png' },
      { pageNumber: 2, pageCount: 3, pageType: 'image/png' },
      { pageNumber: 3, pageCount: 3, pageType: 'image/png' },
    ]);
    for (const [i, page] of pages.entries()) {
      const metadata = await sharp(page.data).metadata();
      expect(metadata).toMatchObject({ format: 'png', width: 400, height: 300, density: 300 });
      // Lossless: the page's pixels are exactly the TIFF page's.
      const fromPng = await sharp(page.data).extractChannel(0).raw().toBuffer();
      const fromTiff = await sharp(tiff, { page: i }).extractChannel(0).raw().toBuffer();
      expect(fromPng.equals(fromTiff)).toBe(true);
    }
    // Each page is its own image: the black square moves.
    expect(new Set(pages.map((page) => page.data.toString('base64'))).size).toBe(3);
  });

  it('refuses a multi-page TIFF whose second page claims 100,000 × 100,000 pixels, from its header alone', async () => {
    const before = process.memoryUsage().rss;
    const error = await rejection(openImport(tiffClaiming([[4, 4], [100_000, 100_000]]), 'hostile.tif'), 'too-large', 'hostile.tif');
    expect(error.message).toContain('Page 2 of "hostile.tif" is 100000 × 100000 pixels');
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses a zero-byte file', async () => {
    await rejection(openImport(Buffer.alloc(0), 'empty.tif'), 'empty-file', 'empty.tif');
  });

  it('refuses a truncated multi-page TIFF before handing out any page', async () => {
    const tiff = await g4Tiff(3);
    await rejection(openImport(tiff.subarray(0, Math.floor(tiff.length * 0.6)), 'cut.tif'), 'corrupt', 'cut.tif');
  });
});

async function scannedPdf(pages: number): Promise<{ pdf: Buffer; jpegs: Buffer[] }> {
  const doc = await PDFDocument.create();
  const jpegs: Buffer[] = [];
  for (let n = 1; n <= pages; n += 1) {
    // A 2 × 1.5 inch sheet scanned at 200 dpi.
    const jpeg = await sharp(await sheet(n)).jpeg({ quality: 80 }).toBuffer();
    jpegs.push(jpeg);
    const image = await doc.embedJpg(jpeg);
    doc.addPage([144, 108]).drawImage(image, { x: 0, y: 0, width: 144, height: 108 });
  }
  return { pdf: Buffer.from(await doc.save()), jpegs };
}

async function bornDigitalPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const first = doc.addPage([595, 842]); // A4 in points
  first.drawText('Procesverbal mbi autopsine', { x: 72, y: 760, size: 18, font });
  first.drawText('Case 2004/117 Prishtina', { x: 72, y: 720, size: 12, font });
  doc.addPage([595, 842]).drawText('Second page', { x: 72, y: 760, size: 12, font });
  return Buffer.from(await doc.save());
}

describe('openImport of PDF files', () => {
  it('takes each scanned page as its own JPEG, exactly as the file holds it', async () => {
    const { pdf, jpegs } = await scannedPdf(3);
    const { mimeType, pages } = await allPages(pdf, 'scan.pdf');
    expect(mimeType).toBe('application/pdf');
    expect(pages.map((page) => [page.pageNumber, page.pageCount, page.mimeType, page.textLayer])).toEqual([
      [1, 3, 'image/jpeg', undefined],
      [2, 3, 'image/jpeg', undefined],
      [3, 3, 'image/jpeg', undefined],
    ]);
    pages.forEach((page, i) => expect(page.data.equals(jpegs[i] as Buffer)).toBe(true));
  });

  it('renders a scanned page in another encoding at the scan\'s own resolution', async () => {
    const doc = await PDFDocument.create();
    const image = await doc.embedPng(await sheet(1));
    doc.addPage([144, 108]).drawImage(image, { x: 0, y: 0, width: 144, height: 108 });
    const { pages } = await allPages(Buffer.from(await doc.save()), 'flate.pdf');
    expect(pages[0]?.mimeType).toBe('image/png');
    expect(await sharp(pages[0]?.data).metadata()).toMatchObject({ width: 400, height: 300 });
  });

  it('keeps the text of born-digital pages, with word boxes on the rendered page', async () => {
    const { pages } = await allPages(await bornDigitalPdf(), 'report.pdf');
    expect(pages).toHaveLength(2);
    const [first, second] = pages as [ImportedPage, ImportedPage];
    expect(first.mimeType).toBe('image/png');
    const metadata = await sharp(first.data).metadata();
    // A4 (595 × 842 pt) at 300 dpi.
    expect(metadata).toMatchObject({ width: 2479, height: 3508, density: 300 });
    expect(first.textLayer?.text).toContain('Procesverbal mbi autopsine');
    expect(first.textLayer?.text).toContain('Case 2004/117 Prishtina');
    expect(second.textLayer?.text).toBe('Second page');
    const word = first.textLayer?.words.find((candidate) => candidate.text === 'Procesverbal');
    // 72 pt from the left is 300 px; the baseline 760 pt up an 842 pt page is (842 - 760) / 72 * 300 ≈ 342 px down.
    expect(word?.bbox.x0).toBeCloseTo(300, -1);
    expect(word?.bbox.y1).toBeGreaterThan(320);
    expect(word?.bbox.y1).toBeLessThan(360);
    expect(word?.bbox.y0).toBeLessThan(word?.bbox.y1 ?? 0);
    // The text is drawn where the box says: the page is dark inside it and white outside the text block.
    const meanGray = async (box: { x0: number; y0: number; x1: number; y1: number }) => {
      const region = await sharp(first.data)
        .extract({ left: box.x0, top: box.y0, width: box.x1 - box.x0, height: box.y1 - box.y0 })
        .greyscale()
        .png()
        .toBuffer();
      return (await sharp(region).stats()).channels[0]?.mean ?? 255;
    };
    if (!word) throw new Error('no word box for "Procesverbal"');
    expect(await meanGray(word.bbox)).toBeLessThan(230);
    expect(await meanGray({ x0: word.bbox.x0, y0: 1500, x1: word.bbox.x1, y1: 1500 + word.bbox.y1 - word.bbox.y0 })).toBe(255);
  });

  it('refuses a zero-byte PDF, a truncated one and one that is not a PDF at all', async () => {
    await rejection(openImport(Buffer.alloc(0), 'empty.pdf'), 'empty-file', 'empty.pdf');
    const pdf = await bornDigitalPdf();
    await rejection(openImport(pdf.subarray(0, 200), 'cut.pdf'), 'corrupt', 'cut.pdf');
    await rejection(openImport(Buffer.from('%PDF-1.7\ngarbage garbage garbage'), 'junk.pdf'), 'corrupt', 'junk.pdf');
  });

  it('refuses a page whose image claims 100,000 × 100,000 pixels from its dictionary, without decoding it', async () => {
    const { pdf } = await scannedPdf(1);
    const doc = await PDFDocument.load(pdf);
    for (const [, object] of doc.context.enumerateIndirectObjects()) {
      if (object instanceof PDFRawStream && object.dict.lookup(PDFName.of('Subtype')) === PDFName.of('Image')) {
        object.dict.set(PDFName.of('Width'), PDFNumber.of(100_000));
        object.dict.set(PDFName.of('Height'), PDFNumber.of(100_000));
      }
    }
    const hostile = Buffer.from(await doc.save());
    const before = process.memoryUsage().rss;
    const error = await rejection(openImport(hostile, 'huge.pdf'), 'too-large', 'huge.pdf');
    expect(error.message).toContain('100000 × 100000');
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('renders a page claiming an enormous size at a lower resolution instead of exhausting memory', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    // 14,400 pt is the largest page PDF allows: 200 inches, 60,000 px a side at 300 dpi.
    doc.addPage([14_400, 14_400]).drawText('Large plan', { x: 72, y: 14_000, size: 200, font });
    const { pages } = await allPages(Buffer.from(await doc.save()), 'plan.pdf');
    const metadata = await sharp(pages[0]?.data).metadata();
    expect((metadata.width ?? 0) * (metadata.height ?? 0)).toBeLessThanOrEqual(40_000_000);
    expect(pages[0]?.textLayer?.text).toBe('Large plan');
  });
});
