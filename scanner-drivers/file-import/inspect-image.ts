import sharp from 'sharp';
import { ImportError } from './import-errors';

export type ImportMimeType = 'image/png' | 'image/jpeg' | 'image/tiff';

export interface ImageInspection {
  readonly mimeType: ImportMimeType;
  /** Of the first page. */
  readonly width: number;
  readonly height: number;
  readonly pages: number;
}

export interface InspectImageOptions {
  /** Largest width × height accepted for any page. */
  readonly maxPixels?: number;
}

/**
 * 200 megapixels: an A2 sheet at 600 dpi (139 MP) and the largest phone sensors (200 MP)
 * still pass. Decoded as 8-bit RGB that is 600 MB, the most one page may ask of clean-up and
 * OCR on a workstation that runs them beside the UI; sharp's own default (268 MP) is higher.
 */
export const DEFAULT_MAX_PIXELS = 200_000_000;

/** How many bytes identify each accepted format. Anything else never reaches a decoder. */
const signatures: readonly { readonly mimeType: ImportMimeType; readonly format: string; readonly bytes: readonly number[] }[] = [
  { mimeType: 'image/png', format: 'png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { mimeType: 'image/jpeg', format: 'jpeg', bytes: [0xff, 0xd8, 0xff] },
  { mimeType: 'image/tiff', format: 'tiff', bytes: [0x49, 0x49, 0x2a, 0x00] },
  { mimeType: 'image/tiff', format: 'tiff', bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  // BigTIFF, which scanners write for very large sheets.
  { mimeType: 'image/tiff', format: 'tiff', bytes: [0x49, 0x49, 0x2b, 0x00] },
  { mimeType: 'image/tiff', format: 'tiff', bytes: [0x4d, 0x4d, 0x00, 0x2b] },
];

function sniff(data: Buffer) {
  return signatures.find(({ bytes }) => data.length >= bytes.length && bytes.every((byte, i) => data[i] === byte));
}

function describePixels(pixels: number): string {
  return pixels >= 1e6 ? `${Math.floor(pixels / 1e6)} megapixels` : `${pixels} pixels`;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function corrupt(fileName: string, kind: string, error: unknown): ImportError {
  return new ImportError('corrupt', fileName, `"${fileName}" is a damaged or incomplete ${kind} file and cannot be imported.`, {
    detail: reason(error),
    cause: error,
  });
}

/** Header only: a file's claimed size is judged before a single pixel is decoded. */
async function readHeader(data: Buffer, page: number) {
  return sharp(data, { page, limitInputPixels: false, failOn: 'none' }).metadata();
}

/**
 * Decodes the page into a thumbnail, row by row, so a file whose header is fine but whose
 * pixel data is truncated or damaged is caught here rather than later in OCR; the sequential
 * read keeps memory at a few rows whatever the page size.
 */
async function decodeFully(data: Buffer, page: number, maxPixels: number): Promise<void> {
  await sharp(data, { page, limitInputPixels: maxPixels, failOn: 'error', sequentialRead: true })
    .resize(64, 64, { fit: 'inside' })
    .raw()
    .toBuffer();
}

/** Checks that a file offered for import is a PNG, JPEG or TIFF that decodes, and reports its size and page count. */
export async function inspectImage(data: Buffer, fileName: string, options: InspectImageOptions = {}): Promise<ImageInspection> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (data.length === 0) {
    throw new ImportError('empty-file', fileName, `"${fileName}" is empty (0 bytes).`);
  }
  const signature = sniff(data);
  if (!signature) {
    throw new ImportError('unsupported-format', fileName, `"${fileName}" is not a PNG, JPEG or TIFF image.`);
  }
  const kind = signature.format.toUpperCase();

  let pages = 1;
  let first: { width: number; height: number } | undefined;
  for (let page = 0; page < pages; page += 1) {
    let header;
    try {
      header = await readHeader(data, page);
    } catch (error) {
      throw corrupt(fileName, kind, error);
    }
    if (header.format !== signature.format) {
      throw corrupt(fileName, kind, new Error(`decoder read it as ${header.format}`));
    }
    if (page === 0) pages = header.pages ?? 1;
    const { width, height } = header;
    if (width * height > maxPixels) {
      const where = pages > 1 ? `Page ${page + 1} of "${fileName}"` : `"${fileName}"`;
      throw new ImportError(
        'too-large',
        fileName,
        `${where} is ${width} × ${height} pixels, more than the ${describePixels(maxPixels)} Arkiva accepts for one page.`,
      );
    }
    try {
      await decodeFully(data, page, maxPixels);
    } catch (error) {
      throw corrupt(fileName, kind, error);
    }
    first ??= { width, height };
  }
  if (!first) throw corrupt(fileName, kind, new Error('no pages'));
  return { mimeType: signature.mimeType, width: first.width, height: first.height, pages };
}
