import sharp, { type Sharp } from 'sharp';
import { encodeG4 } from './ccitt-g4';

/** How a page image goes into the PDF: JPEG (DCTDecode) for colour and gray, CCITT G4 for black and white. */
export type PdfPageImage = (
  | { kind: 'jpeg'; data: Buffer; width: number; height: number; colorSpace: 'DeviceRGB' | 'DeviceGray' }
  | { kind: 'ccitt'; data: Buffer; width: number; height: number; columns: number; rows: number; blackIs1: boolean }
) & {
  /** Pixels per inch the file records, if plausible for a scan. */
  dpi?: number;
};

/** Resolutions a scan or photo of paper can plausibly have; others are metadata noise. */
const PLAUSIBLE_DPI = { min: 70, max: 2400 };

export interface PageImageOptions {
  /** JPEG quality for re-encoded colour and gray pages. Default 80: text stays crisp at scan resolution. */
  jpegQuality?: number;
}

const DEFAULT_JPEG_QUALITY = 80;

/**
 * Turns an original (any format sharp reads) into the image a PDF page shows, upright (EXIF
 * orientation applied, then `turn` degrees clockwise where OCR found the page sideways) and without alpha (PDF/A forbids transparency). A JPEG
 * that needs no change is embedded byte for byte, so no generation of quality is lost.
 */
export async function pdfPageImage(original: Buffer, options: PageImageOptions = {}, turn: 0 | 90 | 180 | 270 = 0): Promise<PdfPageImage> {
  const meta = await sharp(original, { page: 0 }).metadata();
  const turned = (meta.orientation ?? 1) >= 5;
  const sideways = turned !== (turn === 90 || turn === 270);
  const width = (sideways ? meta.height : meta.width) ?? 0;
  const height = (sideways ? meta.width : meta.height) ?? 0;
  if (width <= 0 || height <= 0) throw new Error('the image has no size');
  const density = meta.density !== undefined && meta.density >= PLAUSIBLE_DPI.min && meta.density <= PLAUSIBLE_DPI.max ? meta.density : undefined;
  const dpi = density === undefined ? {} : { dpi: density };
  const gray = meta.channels !== undefined && meta.channels <= 2 && meta.space !== 'cmyk';

  if (meta.format === 'jpeg' && turn === 0 && (meta.orientation ?? 1) === 1 && (meta.space === 'srgb' || meta.space === 'b-w') && !meta.hasAlpha) {
    return { kind: 'jpeg', data: original, width, height, colorSpace: meta.channels === 1 ? 'DeviceGray' : 'DeviceRGB', ...dpi };
  }

  const upright = () => sharp(original, { page: 0 }).autoOrient().rotate(turn).flatten({ background: '#ffffff' });
  if (meta.bitsPerSample === 1 || (await isBilevel(upright()))) {
    const g4 = await encodeG4(upright(), width, height);
    return { kind: 'ccitt', width, height, ...g4, ...dpi };
  }
  const quality = options.jpegQuality ?? DEFAULT_JPEG_QUALITY;
  if (gray) {
    const data = await upright().toColourspace('b-w').jpeg({ quality }).toBuffer();
    return { kind: 'jpeg', data, width, height, colorSpace: 'DeviceGray', ...dpi };
  }
  const data = await upright().toColourspace('srgb').jpeg({ quality }).toBuffer();
  return { kind: 'jpeg', data, width, height, colorSpace: 'DeviceRGB', ...dpi };
}

/** An image whose pixels are all pure black or pure white (a line-art scan saved as 8-bit gray or RGB). */
async function isBilevel(image: Sharp): Promise<boolean> {
  const pixels = await image.toColourspace('b-w').raw().toBuffer();
  for (const value of pixels) if (value !== 0 && value !== 255) return false;
  return true;
}
