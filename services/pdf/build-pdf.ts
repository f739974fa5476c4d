import { createHash } from 'node:crypto';
import { PDFDocument, PDFHexString, PDFName, PDFNumber, PDFString, type PDFRef } from 'pdf-lib';
import type { OcrResult, OcrWord } from '../../common/api/contract';
import { embedGlyphlessFont, findGlyphlessFont } from './glyphless-font';
import { pdfPageImage, type PageImageOptions, type PdfPageImage } from './page-image';
import { srgbProfile } from './srgb-profile';
import { num, textLayerOperators } from './text-layer';
import { keywordsLine, xmpPacket, type PdfDescription } from './xmp';

export interface PdfSourcePage {
  /** The original image bytes, any format sharp reads. */
  image: Buffer;
  /** OCR of the upright original; boxes in its pixels. Without it the page has no text layer. */
  ocr?: OcrResult | undefined;
  /** Clockwise quarter turns to show the page with, as a viewer would (PDF /Rotate). */
  rotation?: 0 | 90 | 180 | 270 | undefined;
  /**
   * Clockwise turn that makes the original upright, as OCR measured it (OcrResult.orientation):
   * the image is turned, and the word boxes (in the original's pixels) with it.
   */
  uprightTurn?: 0 | 90 | 180 | 270 | undefined;
  /** Pixels per inch when the file does not say (a scan's resolution setting). Default 300. */
  dpi?: number | undefined;
}

export type PdfDocumentDescription = Omit<PdfDescription, 'producer' | 'instanceUuid'>;

export interface BuildPdfOptions extends PageImageOptions {
  /** Pages prepared at once (image re-encoding is the costly part). Default 2. */
  concurrency?: number;
}

const DEFAULT_DPI = 300;
const PRODUCER = 'Arkiva (pdf-lib 1.17.1)';

/**
 * Builds a searchable PDF/A-2b: per page the scanned image (JPEG or CCITT G4) under an invisible,
 * word-by-word OCR text layer; XMP metadata declaring PDF/A-2B; an sRGB output intent; the
 * text font embedded; a document ID; no encryption and no transparency. The same input gives
 * the same bytes (dates and IDs come from the description, not the clock).
 */
export async function buildSearchablePdf(
  pages: readonly PdfSourcePage[],
  description: PdfDocumentDescription,
  options: BuildPdfOptions = {},
): Promise<Uint8Array> {
  if (pages.length === 0) throw new Error('a PDF needs at least one page');
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const { context } = pdf;
  const fontRef = embedGlyphlessFont(context, findGlyphlessFont());

  const images = await mapConcurrently(pages, options.concurrency ?? 2, (page) => pdfPageImage(page.image, options, page.uprightTurn ?? 0));
  for (const [index, page] of pages.entries()) {
    addPage(pdf, page, images[index] as PdfPageImage, fontRef);
  }

  const instanceUuid = uuidFrom(description.documentUuid, description.modifiedAt.toISOString(), String(pages.length));
  const full: PdfDescription = { ...description, producer: PRODUCER, instanceUuid };
  pdf.setTitle(full.title);
  if (full.subject) pdf.setSubject(full.subject);
  if (full.keywords.length > 0) pdf.setKeywords([keywordsLine(full.keywords)]);
  pdf.setCreator(full.creatorTool);
  pdf.setProducer(full.producer);
  pdf.setCreationDate(wholeSeconds(full.createdAt));
  pdf.setModificationDate(wholeSeconds(full.modifiedAt));

  const metadata = context.stream(new TextEncoder().encode(xmpPacket(full)), { Type: 'Metadata', Subtype: 'XML' });
  pdf.catalog.set(PDFName.of('Metadata'), context.register(metadata));
  const profile = await srgbProfile();
  const profileRef = context.register(context.flateStream(profile, { N: 3 }));
  const intent = context.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
    Info: PDFString.of('sRGB IEC61966-2.1'),
    DestOutputProfile: profileRef,
  });
  pdf.catalog.set(PDFName.of('OutputIntents'), context.obj([context.register(intent)]));

  // The first ID names the document across versions, the second this version (PDF 14.4).
  const permanent = createHash('sha256').update(description.documentUuid).digest().subarray(0, 16);
  const version = createHash('sha256').update(instanceUuid).digest().subarray(0, 16);
  context.trailerInfo.ID = context.obj([PDFHexString.of(permanent.toString('hex')), PDFHexString.of(version.toString('hex'))]);

  return pdf.save({ useObjectStreams: true, addDefaultPage: false, updateFieldAppearances: false });
}

function addPage(pdf: PDFDocument, source: PdfSourcePage, image: PdfPageImage, fontRef: PDFRef): void {
  const { context } = pdf;
  const dpi = source.dpi ?? image.dpi ?? DEFAULT_DPI;
  const scale = 72 / dpi;
  const pageWidth = image.width * scale;
  const pageHeight = image.height * scale;
  const page = pdf.addPage([pageWidth, pageHeight]);
  if (source.rotation) page.node.set(PDFName.of('Rotate'), PDFNumber.of(source.rotation));

  const imageRef = context.register(imageXObject(pdf, image));
  // A G4 image is padded to whole tiles on the right and bottom: it is drawn at full size from
  // the top-left corner, and the padding falls outside the page.
  const drawnWidth = (image.kind === 'ccitt' ? image.columns : image.width) * scale;
  const drawnHeight = (image.kind === 'ccitt' ? image.rows : image.height) * scale;
  const operators = [
    `q ${num(drawnWidth)} 0 0 ${num(drawnHeight)} 0 ${num(pageHeight - drawnHeight)} cm /Im0 Do Q`,
    textLayerOperators(turnWords(source.ocr?.words ?? [], source.uprightTurn ?? 0, image), { pageHeight, scale }, 'F0'),
  ].join('\n');
  page.node.set(PDFName.of('Resources'), context.obj({ XObject: { Im0: imageRef }, Font: { F0: fontRef } }));
  page.node.set(PDFName.of('Contents'), context.register(context.flateStream(operators)));
}

/** Word boxes from the original's pixels into the turned (upright) image's. */
function turnWords(words: readonly OcrWord[], turn: 0 | 90 | 180 | 270, upright: { width: number; height: number }): OcrWord[] {
  if (turn === 0) return [...words];
  // The original's size, before the turn.
  const W = turn === 180 ? upright.width : upright.height;
  const H = turn === 180 ? upright.height : upright.width;
  return words.map((word) => {
    const { x0, y0, x1, y1 } = word.bbox;
    const bbox =
      turn === 90 ? { x0: H - y1, y0: x0, x1: H - y0, y1: x1 }
      : turn === 180 ? { x0: W - x1, y0: H - y1, x1: W - x0, y1: H - y0 }
      : { x0: y0, y0: W - x1, x1: y1, y1: W - x0 };
    return { ...word, bbox };
  });
}

function imageXObject(pdf: PDFDocument, image: PdfPageImage) {
  const { context } = pdf;
  if (image.kind === 'jpeg') {
    return context.stream(image.data, {
      Type: 'XObject',
      Subtype: 'Image',
      Width: image.width,
      Height: image.height,
      ColorSpace: image.colorSpace,
      BitsPerComponent: 8,
      Filter: 'DCTDecode',
    });
  }
  return context.stream(image.data, {
    Type: 'XObject',
    Subtype: 'Image',
    Width: image.columns,
    Height: image.rows,
    ColorSpace: 'DeviceGray',
    BitsPerComponent: 1,
    Filter: 'CCITTFaxDecode',
    DecodeParms: { K: -1, Columns: image.columns, Rows: image.rows, BlackIs1: image.blackIs1 },
  });
}

async function mapConcurrently<I, O>(items: readonly I[], concurrency: number, work: (item: I) => Promise<O>): Promise<O[]> {
  const results: O[] = new Array<O>(items.length);
  let next = 0;
  async function lane(): Promise<void> {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as I);
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
  return results;
}

function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** A UUID derived from its inputs, so rebuilding the same version yields the same PDF. */
function uuidFrom(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\0')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 17), 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
