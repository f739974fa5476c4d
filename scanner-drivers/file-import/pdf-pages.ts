/*
 * PDF import. Two libraries, each for what it does well, both pure JavaScript or prebuilt for
 * Linux, macOS and Windows (x64 and arm64), both fully offline:
 *
 * - pdf-lib reads the file's structure: which images each page draws, how large they claim to
 *   be (checked before anything is decoded, so a page claiming 100,000 × 100,000 pixels is
 *   refused from its dictionary alone), and the exact bytes of a scanned page's JPEG, which is
 *   kept as it is: the page's own image data, not a re-encoding.
 * - pdfjs-dist (Mozilla's PDF.js, the renderer of Firefox) reads the text layer of born-digital
 *   pages with positions and rasterises pages through @napi-rs/canvas (Skia, prebuilt binaries,
 *   no system Cairo as node-canvas needs, which is what makes it work on Windows).
 *
 * Poppler (pdftoppm) would render as well but is a system tool, not installed on Windows
 * workstations; MuPDF's WebAssembly build is AGPL.
 */
import { createRequire } from 'node:module';
import { PDFDict, PDFDocument, PDFName, PDFNumber, PDFArray, PDFRawStream } from 'pdf-lib';
import type { PDFPage } from 'pdf-lib';
import type * as PdfJsModule from 'pdfjs-dist/legacy/build/pdf.mjs';
import sharp from 'sharp';
import { ImportError } from './import-errors';
import { inspectImage } from './inspect-image';

export interface PdfWord {
  readonly text: string;
  /** In pixels of the page image. */
  readonly bbox: { readonly x0: number; readonly y0: number; readonly x1: number; readonly y1: number };
}

/** The text a born-digital PDF page carries, as the file has it. */
export interface PdfTextLayer {
  readonly text: string;
  readonly words: readonly PdfWord[];
}

export interface PdfPage {
  readonly pageNumber: number;
  readonly pageCount: number;
  readonly data: Buffer;
  readonly mimeType: 'image/png' | 'image/jpeg';
  readonly textLayer: PdfTextLayer | undefined;
}

/** Born-digital pages are rasterised at this resolution: what OCR and the page viewer expect of a scan. */
const RENDER_DPI = 300;
/**
 * Rendering holds the page as 4-byte RGBA: 40 megapixels is 160 MB, an A2 sheet at 300 dpi. A
 * larger page is rendered at a lower resolution rather than refused: its text is kept anyway.
 */
const RENDER_MAX_PIXELS = 40_000_000;

export function isPdf(data: Buffer): boolean {
  // The header may follow up to 1024 bytes of junk (PDF 32000-1, 7.5.2 note; real files do this).
  return data.subarray(0, 1024).includes('%PDF-');
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function corrupt(fileName: string, error: unknown, page?: number): ImportError {
  const where = page === undefined ? `"${fileName}"` : `Page ${page} of "${fileName}"`;
  return new ImportError('corrupt', fileName, `${where} is a damaged PDF and cannot be imported.`, {
    detail: reasonOf(error),
    cause: error,
  });
}

interface PageImage {
  readonly width: number;
  readonly height: number;
  /** The image's exact bytes when they are a complete JPEG file (DCTDecode and nothing else). */
  readonly jpeg: Buffer | undefined;
}

function numberIn(dict: PDFDict, key: string): number {
  const value = dict.lookup(PDFName.of(key));
  return value instanceof PDFNumber ? value.asNumber() : 0;
}

function onlyDct(dict: PDFDict): boolean {
  const filter = dict.lookup(PDFName.of('Filter'));
  if (filter instanceof PDFName) return filter === PDFName.of('DCTDecode');
  if (filter instanceof PDFArray) return filter.size() === 1 && filter.lookup(0) === PDFName.of('DCTDecode');
  return false;
}

/** The images a page draws directly (its XObject resources), read from the dictionaries without decoding. */
function pageImages(page: PDFPage): PageImage[] {
  const resources = page.node.Resources();
  const xObjects = resources?.lookup(PDFName.of('XObject'));
  if (!(xObjects instanceof PDFDict)) return [];
  const images: PageImage[] = [];
  for (const [, ref] of xObjects.entries()) {
    const object = page.doc.context.lookup(ref);
    if (!(object instanceof PDFRawStream)) continue;
    if (object.dict.lookup(PDFName.of('Subtype')) !== PDFName.of('Image')) continue;
    images.push({
      width: numberIn(object.dict, 'Width'),
      height: numberIn(object.dict, 'Height'),
      jpeg: onlyDct(object.dict) ? Buffer.from(object.contents) : undefined,
    });
  }
  return images;
}

type PdfJs = typeof PdfJsModule;
let pdfjsModule: Promise<PdfJs> | undefined;
/** Loaded on first use: most imports are images, and PDF.js is large. */
const loadPdfJs = () => (pdfjsModule ??= import('pdfjs-dist/legacy/build/pdf.mjs'));

function pdfjsAssets(): string {
  const require = createRequire(import.meta.url);
  return require.resolve('pdfjs-dist/package.json').replace(/package\.json$/, '');
}

type PdfJsPage = Awaited<ReturnType<Awaited<ReturnType<PdfJs['getDocument']>['promise']>['getPage']>>;
type Viewport = ReturnType<PdfJsPage['getViewport']>;

function isTextItem(item: unknown): item is { str: string; transform: number[]; width: number; height: number; hasEOL: boolean } {
  return typeof item === 'object' && item !== null && 'str' in item && 'transform' in item;
}

/** PDF.js gives text runs; words get their share of the run's box by character count. */
async function textLayer(page: PdfJsPage, viewport: Viewport): Promise<PdfTextLayer | undefined> {
  const content = await page.getTextContent();
  let text = '';
  const words: PdfWord[] = [];
  for (const item of content.items) {
    if (!isTextItem(item)) continue;
    text += item.str + (item.hasEOL ? '\n' : '');
    const [, , , , e = 0, f = 0] = item.transform;
    const [ax, ay] = viewport.convertToViewportPoint(e, f);
    const [bx, by] = viewport.convertToViewportPoint(e + item.width, f + item.height);
    const length = item.str.length;
    if (length === 0) continue;
    for (const match of item.str.matchAll(/\S+/g)) {
      const start = match.index / length;
      const end = (match.index + match[0].length) / length;
      const x0 = ax + (bx - ax) * start;
      const x1 = ax + (bx - ax) * end;
      words.push({
        text: match[0],
        bbox: {
          x0: Math.round(Math.min(x0, x1)),
          y0: Math.round(Math.min(ay, by)),
          x1: Math.round(Math.max(x0, x1)),
          y1: Math.round(Math.max(ay, by)),
        },
      });
    }
  }
  return text.trim() === '' ? undefined : { text: text.trim(), words };
}

async function render(page: PdfJsPage, viewport: Viewport): Promise<Buffer> {
  const { createCanvas } = await import('@napi-rs/canvas');
  const canvas = createCanvas(Math.max(1, Math.round(viewport.width)), Math.max(1, Math.round(viewport.height)));
  const context = canvas.getContext('2d');
  // Paper is white; a transparent PNG would turn black in some viewers and in OCR.
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  // PDF.js is typed against the DOM canvas; Skia's canvas implements the part it uses.
  await page.render({ canvas: canvas as never, canvasContext: context as never, viewport }).promise;
  const png = await canvas.encode('png');
  const dpi = Math.round(viewport.scale * 72);
  return sharp(png).withMetadata({ density: dpi }).png().toBuffer();
}

function renderScale(page: PdfJsPage): number {
  const { width, height } = page.getViewport({ scale: 1 });
  const wanted = RENDER_DPI / 72;
  const area = width * height * wanted * wanted;
  // Just under the budget, so that rounding to whole pixels cannot take the page over it.
  return area <= RENDER_MAX_PIXELS ? wanted : Math.sqrt(RENDER_MAX_PIXELS / (width * height)) * 0.999;
}

/** The scale at which the page's one image is drawn pixel for pixel, within the render budget. */
function scanScale(page: PdfJsPage, scan: PageImage): number {
  const { width, height } = page.getViewport({ scale: 1 });
  const native = Math.max(scan.width / width, scan.height / height);
  const budget = Math.sqrt(RENDER_MAX_PIXELS / (width * height)) * 0.999;
  return Number.isFinite(native) && native > 0 ? Math.min(native, budget) : renderScale(page);
}

/**
 * Opens a PDF for import: checks every page's images before anything is decoded, then yields
 * the pages one at a time. A scanned page (one image, no text) becomes its own JPEG when the
 * file holds it as one; otherwise the page is rendered. A born-digital page keeps its text.
 */
export async function openPdf(
  data: Buffer,
  fileName: string,
  options: { readonly maxPixels: number },
): Promise<{ mimeType: 'application/pdf'; pageCount: number; pages: AsyncIterable<PdfPage> }> {
  let structure: PDFDocument;
  try {
    structure = await PDFDocument.load(data, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: true });
  } catch (error) {
    throw corrupt(fileName, error);
  }
  if (structure.isEncrypted) {
    throw new ImportError('unsupported-format', fileName, `"${fileName}" is an encrypted PDF. Save an unprotected copy and import that.`);
  }
  let structurePages: PDFPage[];
  try {
    structurePages = structure.getPages();
  } catch (error) {
    throw corrupt(fileName, error);
  }
  const pageCount = structurePages.length;
  if (pageCount === 0) throw corrupt(fileName, new Error('the PDF has no pages'));
  const images: PageImage[][] = [];
  for (const [i, page] of structurePages.entries()) {
    let pageImagesOf: PageImage[];
    try {
      pageImagesOf = pageImages(page);
    } catch (error) {
      throw corrupt(fileName, error, i + 1);
    }
    for (const image of pageImagesOf) {
      if (image.width * image.height > options.maxPixels) {
        throw new ImportError(
          'too-large',
          fileName,
          `Page ${i + 1} of "${fileName}" holds an image of ${image.width} × ${image.height} pixels, more than Arkiva accepts for one page.`,
        );
      }
    }
    images.push(pageImagesOf);
  }

  const pdfjs = await loadPdfJs();
  const assets = pdfjsAssets();
  let document: Awaited<ReturnType<PdfJs['getDocument']>['promise']>;
  try {
    document = await pdfjs.getDocument({
      // PDF.js takes ownership of (detaches) the array it is given; the caller keeps its buffer.
      data: new Uint8Array(data),
      standardFontDataUrl: `${assets}standard_fonts/`,
      cMapUrl: `${assets}cmaps/`,
      cMapPacked: true,
      isEvalSupported: false,
      isOffscreenCanvasSupported: false,
      maxImageSize: options.maxPixels,
      verbosity: pdfjs.VerbosityLevel.ERRORS,
    }).promise;
  } catch (error) {
    throw corrupt(fileName, error);
  }

  return {
    mimeType: 'application/pdf',
    pageCount,
    pages: (async function* () {
      try {
        for (let pageNumber = 1; pageNumber <= pageCount; pageNumber += 1) {
          let result: PdfPage;
          try {
            const page = await document.getPage(pageNumber);
            const pageImagesOf = images[pageNumber - 1] ?? [];
            const scan = pageImagesOf.length === 1 ? pageImagesOf[0] : undefined;
            const renderViewport = page.getViewport({ scale: renderScale(page) });
            const text = await textLayer(page, renderViewport);
            if (text === undefined && scan?.jpeg !== undefined) {
              // A scanned page: its JPEG as the scanner made it. Checked, since nothing decoded it yet.
              await inspectImage(scan.jpeg, `${fileName}, page ${pageNumber}`, { maxPixels: options.maxPixels });
              result = { pageNumber, pageCount, data: scan.jpeg, mimeType: 'image/jpeg', textLayer: undefined };
            } else {
              // A scanned page in another encoding is rendered at the scan's own resolution;
              // a born-digital one at RENDER_DPI, where its text layer was measured.
              const viewport = text === undefined && scan !== undefined ? page.getViewport({ scale: scanScale(page, scan) }) : renderViewport;
              result = { pageNumber, pageCount, data: await render(page, viewport), mimeType: 'image/png', textLayer: text };
            }
            page.cleanup();
          } catch (error) {
            throw error instanceof ImportError ? error : corrupt(fileName, error, pageNumber);
          }
          yield result;
        }
      } finally {
        await document.destroy();
      }
    })(),
  };
}
