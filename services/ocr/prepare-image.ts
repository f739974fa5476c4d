import sharp, { type OutputInfo } from 'sharp';
import { ApiError } from '../../common/api/errors';

export interface PreparedImage {
  /** Binary PGM (P5), 8-bit, one channel: Leptonica reads it without decoding anything. */
  pgm: Buffer;
  width: number;
  height: number;
  /** Pixels per inch if the file says so; Tesseract otherwise guesses from the text size. */
  dpi?: number;
}

/** Resolutions a scan or photo of paper can plausibly have; others are metadata noise. */
const PLAUSIBLE_DPI = { min: 70, max: 2400 };

/** Above this many pixels a page is refused rather than risk the memory of the whole workstation. */
export const DEFAULT_MAX_PIXELS = 120_000_000;

export interface DecodedImage {
  /** One byte per pixel, row by row. */
  data: Buffer;
  width: number;
  height: number;
  dpi?: number;
}

/**
 * Turns any image sharp can read into what Tesseract works on: one grey channel, 8 bits, same
 * size, so word boxes come back in the pixels of the original. Single-channel input is about
 * 1.5x faster to recognise than RGB. Transparency becomes white, as paper is. A file that
 * records an orientation (phone photos) is turned upright first, so boxes are in the pixels of
 * the image as every viewer shows it.
 */
export async function prepareImage(image: Buffer, maxPixels = DEFAULT_MAX_PIXELS): Promise<PreparedImage> {
  const decoded = await decodeGrey(image, maxPixels);
  return toPgm(decoded);
}

export function toPgm(decoded: DecodedImage): PreparedImage {
  const header = Buffer.from(`P5\n${decoded.width} ${decoded.height}\n255\n`, 'ascii');
  const prepared: PreparedImage = { pgm: Buffer.concat([header, decoded.data]), width: decoded.width, height: decoded.height };
  if (decoded.dpi !== undefined) prepared.dpi = decoded.dpi;
  return prepared;
}

/** Decodes to one 8-bit grey channel at full size; see prepareImage. */
export async function decodeGrey(image: Buffer, maxPixels = DEFAULT_MAX_PIXELS): Promise<DecodedImage> {
  if (image.length === 0) throw new ApiError('unsupported-file', 'The file is empty (0 bytes), so it is not an image.');
  // Scanner TIFFs often carry tags libtiff warns about, so only real decoding errors reject a file.
  const input = () => sharp(image, { failOn: 'error', limitInputPixels: maxPixels });
  let decoded: { data: Buffer; info: OutputInfo };
  let density: number | undefined;
  try {
    const metadata = await sharp(image, { failOn: 'error', limitInputPixels: false }).metadata();
    density = metadata.density;
    const pixels = (metadata.width ?? 0) * (metadata.height ?? 0);
    if (pixels > maxPixels) {
      throw new ApiError(
        'unsupported-file',
        `The image is ${metadata.width} × ${metadata.height} pixels (${Math.round(pixels / 1e6)} megapixels), more than the ` +
          `${Math.round(maxPixels / 1e6)} megapixels a page may have; scan it again at 600 dpi or less.`,
      );
    }
    decoded = await input()
      .autoOrient()
      .flatten({ background: '#ffffff' })
      // grayscale() alone still writes three channels; b-w makes it one.
      .toColourspace('b-w')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(
      'unsupported-file',
      `The file cannot be read as an image (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  const { data, info } = decoded;
  if (info.channels !== 1) throw new ApiError('internal', `Image preparation produced ${info.channels} channels, not 1.`);
  const result: DecodedImage = { data, width: info.width, height: info.height };
  if (density !== undefined && density >= PLAUSIBLE_DPI.min && density <= PLAUSIBLE_DPI.max) {
    result.dpi = Math.round(density);
  }
  return result;
}
