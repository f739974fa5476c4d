import sharp from 'sharp';
import { ImportError } from './import-errors';
import { DEFAULT_MAX_PIXELS, inspectImage } from './inspect-image';
import type { ImportMimeType } from './inspect-image';
import { isPdf, openPdf } from './pdf-pages';
import type { PdfTextLayer } from './pdf-pages';

export type { PdfTextLayer };

/** One page of a file offered for import, ready to become a page of the archive. */
export interface ImportedPage {
  /** 1-based. */
  readonly pageNumber: number;
  readonly pageCount: number;
  /** The page image: the file itself for a one-page image, else the page's own image data or a lossless PNG of it. */
  readonly data: Buffer;
  readonly mimeType: ImportMimeType;
  /** Text the file itself carries for this page (born-digital PDF), in pixels of `data`. */
  readonly textLayer: PdfTextLayer | undefined;
}

export interface ImportedFile {
  /** What the whole file is, for keeping it as an original of record. */
  readonly mimeType: ImportMimeType | 'application/pdf';
  readonly pageCount: number;
  /** Pages one at a time, so a 500-page file is never held decoded in memory at once. */
  readonly pages: AsyncIterable<ImportedPage>;
}

export interface OpenImportOptions {
  readonly maxPixels?: number;
}

/**
 * A page of a multi-page TIFF as a PNG of its own: lossless, whatever the TIFF's compression
 * (CCITT G4, LZW, JPEG-in-TIFF decoded once), and with its resolution kept, because OCR and the
 * page's physical size depend on it.
 */
async function tiffPage(data: Buffer, page: number, maxPixels: number): Promise<Buffer> {
  const image = sharp(data, { page, limitInputPixels: maxPixels, failOn: 'error' });
  const { density } = await image.metadata();
  return image.withMetadata(density === undefined ? {} : { density }).png().toBuffer();
}

/**
 * Opens a file offered for import: a PNG, JPEG or TIFF image (one page or many) or a PDF. Every
 * page is checked before the first is handed out, so a file that is bad on page 40 is refused
 * whole rather than imported in part.
 */
export async function openImport(data: Buffer, fileName: string, options: OpenImportOptions = {}): Promise<ImportedFile> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (data.length > 0 && isPdf(data)) return openPdf(data, fileName, { maxPixels });
  const inspection = await inspectImage(data, fileName, { maxPixels });
  const pageCount = inspection.pages;
  if (pageCount === 1) {
    return {
      mimeType: inspection.mimeType,
      pageCount,
      pages: (async function* () {
        yield { pageNumber: 1, pageCount, data, mimeType: inspection.mimeType, textLayer: undefined };
      })(),
    };
  }
  return {
    mimeType: inspection.mimeType,
    pageCount,
    pages: (async function* () {
      for (let page = 0; page < pageCount; page += 1) {
        let png: Buffer;
        try {
          png = await tiffPage(data, page, maxPixels);
        } catch (error) {
          throw new ImportError('corrupt', fileName, `Page ${page + 1} of "${fileName}" cannot be read.`, {
            detail: error instanceof Error ? error.message : String(error),
            cause: error,
          });
        }
        yield { pageNumber: page + 1, pageCount, data: png, mimeType: 'image/png' as const, textLayer: undefined };
      }
    })(),
  };
}
