import sharp from 'sharp';
import { DEFAULT_MAX_PIXELS } from './file-import/inspect-image';
import { ScannerError } from './scanner-errors';
import type { ScannedPage } from './scanner-driver';

/**
 * The most bytes one delivered page may have: 600 dpi A3 colour as PNG stays below 200 MB, and
 * a page is held in memory whole while it is stored.
 */
export const DEFAULT_MAX_PAGE_BYTES = 256 * 1024 * 1024;

export interface PageLimits {
  /** Largest width × height accepted (default: the import limit, DEFAULT_MAX_PIXELS). */
  readonly maxPixels?: number;
  /** Largest encoded page accepted, in bytes (default DEFAULT_MAX_PAGE_BYTES). */
  readonly maxBytes?: number;
}

function describeBytes(bytes: number): string {
  return `${Math.floor(bytes / (1024 * 1024))} MB`;
}

/** The error for a page over the byte limit, for callers that see the size before the bytes (a file, a download). */
export function pageTooLargeError(pageNumber: number, bytes: number | undefined, maxBytes: number): ScannerError {
  return new ScannerError('invalid', {
    message: `The scanner delivered page ${pageNumber} larger than the ${describeBytes(maxBytes)} Arkiva accepts for one page. Scan it at a lower resolution.`,
    detail: bytes === undefined ? `more than ${maxBytes} bytes` : `${bytes} bytes, limit ${maxBytes}`,
  });
}

function unreadable(pageNumber: number, reason: string, cause?: unknown): ScannerError {
  return new ScannerError('io-error', {
    message: `The scanner delivered page ${pageNumber} as an image that cannot be read. Scan the sheet again.`,
    detail: `page ${pageNumber}: ${reason}`,
    cause,
  });
}

/**
 * Checks a page a network scanner or the TWAIN/WIA helper delivered before it goes anywhere:
 * a PNG or JPEG by its own bytes (not by what the sender said), within the byte and pixel
 * limits judged from the header alone, and decodable to its last row. The decode runs
 * sequentially into a thumbnail, so memory stays at a few rows whatever the page claims.
 * Returns the page with the size and type the image itself has.
 */
export async function checkScannedPage(data: Buffer, index: number, limits: PageLimits = {}): Promise<ScannedPage> {
  const pageNumber = index + 1;
  const maxPixels = limits.maxPixels ?? DEFAULT_MAX_PIXELS;
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_PAGE_BYTES;
  if (data.length > maxBytes) throw pageTooLargeError(pageNumber, data.length, maxBytes);
  if (data.length === 0) throw unreadable(pageNumber, 'no data (0 bytes)');
  let header;
  try {
    header = await sharp(data, { limitInputPixels: false, failOn: 'none' }).metadata();
  } catch (error) {
    throw unreadable(pageNumber, error instanceof Error ? error.message : String(error), error);
  }
  const mimeType = header.format === 'png' ? 'image/png' : header.format === 'jpeg' ? 'image/jpeg' : undefined;
  if (mimeType === undefined) throw unreadable(pageNumber, `not a PNG or JPEG image (${header.format})`);
  const { width, height } = header;
  if (width * height > maxPixels) {
    throw new ScannerError('invalid', {
      message: `The scanner delivered page ${pageNumber} of ${width} × ${height} pixels, more than the ${Math.floor(maxPixels / 1e6)} megapixels Arkiva accepts for one page. Scan it at a lower resolution.`,
      detail: `page ${pageNumber}: ${header.format} header claims ${width} × ${height}`,
    });
  }
  try {
    await sharp(data, { limitInputPixels: maxPixels, failOn: 'error', sequentialRead: true }).resize(64, 64, { fit: 'inside' }).raw().toBuffer();
  } catch (error) {
    throw unreadable(pageNumber, error instanceof Error ? error.message : String(error), error);
  }
  return { index, data, mimeType, width, height };
}
