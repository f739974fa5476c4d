import sharp, { type Sharp } from 'sharp';
import { findPaper, measureInk, measureSkew, removeSpecks, type Box, type GreyImage } from './page-analysis';
import { identityGeometry, type PageGeometry } from './page-geometry';
import { decodeGrey, toPgm, DEFAULT_MAX_PIXELS, type DecodedImage, type PreparedImage } from './prepare-image';

export interface Orientation {
  /** Clockwise turn that makes the page upright: 0, 90, 180 or 270. */
  degrees: 0 | 90 | 180 | 270;
  /** Tesseract's script name, e.g. `Latin`, `Cyrillic`; undefined when unsure. */
  script?: string;
}

export interface CleanupOptions {
  /**
   * The resolution Tesseract gets. Pages scanned finer are scaled down to it, but never so far
   * that the text lines come closer than `minLinePitchPx`, and never below 300 dpi when the line
   * pitch cannot be measured (small print must keep its pixels). Default 150: measured on
   * 10-12 pt pages, as accurate as 300 dpi and a third less CPU (bench/ocr/README.md).
   */
  targetDpi?: number;
  /** Smallest distance between text lines, in pixels of the cleaned image, we scale down to. Default 40. */
  minLinePitchPx?: number;
  /** Runs orientation and script detection (Tesseract OSD) on a 150-dpi copy of the page (a TIFF that records its resolution). */
  detectOrientation?: ((image: Buffer) => Promise<Orientation | undefined>) | undefined;
  maxPixels?: number;
  /** Remove dust specks before OCR (see removeSpecks), which Tesseract reads as `_ | ~ .`. Default true. */
  despeckle?: boolean;
  /** False: hand Tesseract the decoded page as it is (no crop, turn, scaling or blank check). Default true. */
  enabled?: boolean;
}

export interface CleanedPage {
  /** What Tesseract reads; undefined for a blank page. */
  image: PreparedImage | undefined;
  geometry: PageGeometry;
  /** Why the page counts as blank, if it does. */
  blank?: string;
  orientation: 0 | 90 | 180 | 270;
  script?: string;
  skewDegrees: number;
  /** True when a dark scanner border was cut off. */
  borderCropped: boolean;
}

/** A page with less ink than this share of its area (after removing specks) is blank. */
export const BLANK_INK_RATIO = 0.0004;
/**
 * OSD runs on a copy at this resolution. At 100 dpi it was 20% cheaper but turned 6 of 24 bench
 * pages upside down (some with confidence above 10) and misread the script of 3; 150 got all right.
 */
const OSD_DPI = 150;
/** Measurements run on a copy at about this resolution. */
const ANALYSIS_DPI = 100;
/** Assumed when a file records no resolution: what office scanners deliver by default. */
const ASSUMED_DPI = 300;
export const DEFAULT_TARGET_DPI = 150;
export const DEFAULT_MIN_LINE_PITCH_PX = 40;
/** What Tesseract is documented to work best at; pages are only scaled below it when their lines are measured. */
const SAFE_DPI = 300;
/** Tilts smaller than this are left alone: turning the page costs time and softens the glyphs. */
const MIN_DESKEW_DEGREES = 0.15;

/**
 * Cleans one page up for OCR, leaving the original untouched: grey, dark scanner borders cut
 * off, blank pages recognised as such, turned upright (OSD), deskewed, scaled to the target
 * resolution, and the contrast stretched. Returns where every pixel came from, so that word
 * boxes can be mapped back onto the original.
 */
export async function cleanUpPage(input: Buffer, options: CleanupOptions = {}): Promise<CleanedPage> {
  const decoded = await decodeGrey(input, options.maxPixels ?? DEFAULT_MAX_PIXELS);
  if (options.enabled === false) {
    return { image: toPgm(decoded), geometry: identityGeometry(decoded.width, decoded.height), orientation: 0, skewDegrees: 0, borderCropped: false };
  }
  const dpi = decoded.dpi ?? ASSUMED_DPI;
  const analysisScale = Math.min(1, ANALYSIS_DPI / dpi);
  const small = await resizeGrey(decoded, analysisScale);

  const paperSmall = findPaper(small);
  const crop = toFullBox(paperSmall, analysisScale, decoded);
  const borderCropped = crop.width < decoded.width || crop.height < decoded.height;
  const geometry = identityGeometry(decoded.width, decoded.height);
  geometry.crop = crop;
  geometry.rotated = { width: crop.width, height: crop.height };

  const paper = await despeckle(await extractGrey(small, paperSmall));
  const ink = measureInk(paper);
  if (ink.inkRatio < BLANK_INK_RATIO) {
    return {
      image: undefined,
      geometry,
      blank: `No text or marks found: ${(ink.inkRatio * 100).toFixed(3)}% of the page is darker than the paper.`,
      orientation: 0,
      skewDegrees: 0,
      borderCropped,
    };
  }

  const cropped = await extractGrey(decoded, crop);
  let orientation: Orientation = { degrees: 0 };
  if (options.detectOrientation) {
    const osdScale = Math.min(1, OSD_DPI / dpi);
    const osdCopy = await resizeGrey(cropped, osdScale);
    const osdDpi = Math.round(dpi * osdScale);
    // A TIFF, because OSD ignores Tesseract's user_defined_dpi and warns on stderr about an image
    // without a resolution (a PGM has none); uncompressed, so it costs next to nothing to write.
    const osdImage = await load(osdCopy)
      .tiff({ compression: 'none', xres: osdDpi / 25.4, yres: osdDpi / 25.4 })
      .toBuffer();
    orientation = (await options.detectOrientation(osdImage)) ?? orientation;
  }
  const upright = orientation.degrees === 0 ? paper : await rotateGrey(paper, orientation.degrees);
  const skewDegrees = measureSkew(upright, ink.paper);
  const pitch = measureLinePitch(upright, ink.paper, skewDegrees);

  const turn = orientation.degrees - (Math.abs(skewDegrees) >= MIN_DESKEW_DEGREES ? skewDegrees : 0);
  // Line pitch measured at the analysis resolution, converted to the page's own pixels.
  const pitchAtDpi = pitch === undefined ? undefined : pitch / analysisScale;
  const scale = outputScale(dpi, options.targetDpi ?? DEFAULT_TARGET_DPI, pitchAtDpi, options.minLinePitchPx ?? DEFAULT_MIN_LINE_PITCH_PX);
  // Specks are judged at full resolution, where a speck is still a few isolated pixels.
  if (options.despeckle ?? true) removeSpecks(cropped, ink.paper);
  // Scaled before it is turned: turning a 200-dpi copy costs under half of turning the 300-dpi page,
  // and a uniform scale commutes with a turn about the centre, so the geometry is the same.
  const scaled = scale === 1 ? cropped : await resizeGrey(cropped, scale, 'linear');
  const actualScale = scaled.width / cropped.width;
  let pipeline = load(scaled);
  if (turn !== 0) pipeline = pipeline.rotate(turn, { background: '#ffffff' });
  // Contrast stretched from the darkest ink to the paper, by levels measured on the small copy:
  // sharp's normalise() measures its own histogram on the full page and costs about 0.6 s.
  const span = Math.max(1, ink.paper - ink.darkest);
  if (span < 250) pipeline = pipeline.linear(255 / span, (-255 * ink.darkest) / span);
  const { data, info } = await pipeline.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  geometry.degrees = turn;
  geometry.scale = actualScale;
  geometry.rotated = { width: info.width / actualScale, height: info.height / actualScale };

  const cleaned: CleanedPage = {
    image: toPgm({ data, width: info.width, height: info.height, dpi: Math.round(dpi * geometry.scale) }),
    geometry,
    orientation: orientation.degrees,
    skewDegrees,
    borderCropped,
  };
  if (orientation.script) cleaned.script = orientation.script;
  return cleaned;
}

/** Scale from the page's pixels to the cleaned image's: towards targetDpi, never below the line-pitch floor, never up. */
export function outputScale(dpi: number, targetDpi: number, linePitchPx: number | undefined, minLinePitchPx: number): number {
  // Without a measured pitch, nothing says the print is large enough to lose pixels.
  let scale = Math.min(1, (linePitchPx === undefined ? Math.max(targetDpi, SAFE_DPI) : targetDpi) / dpi);
  if (linePitchPx !== undefined && linePitchPx * scale < minLinePitchPx) scale = Math.min(1, minLinePitchPx / linePitchPx);
  return scale;
}

/**
 * The typical distance between text lines, in pixels: the rows of a deskewed profile that hold
 * ink come in runs, one per line; their median spacing is the pitch. Undefined without lines.
 */
export function measureLinePitch(image: GreyImage, paper: number, skewDegrees: number): number | undefined {
  const threshold = Math.max(0, paper - 70);
  const radians = (skewDegrees * Math.PI) / 180;
  const sin = Math.sin(radians);
  const cos = Math.cos(radians);
  const rows = new Float64Array(image.height + image.width);
  const offset = image.width;
  for (let y = 0; y < image.height; y += 1) {
    for (let x = 0; x < image.width; x += 1) {
      if ((image.data[y * image.width + x] ?? 255) < threshold) {
        const row = Math.round(-(x - image.width / 2) * sin + (y - image.height / 2) * cos + image.height / 2 + offset);
        rows[row] = (rows[row] ?? 0) + 1;
      }
    }
  }
  // Text lines repeat down the page: the lag at which the row profile best matches itself is the pitch.
  const used = rows.filter((_, row) => row >= offset && row < offset + image.height);
  const mean = used.reduce((sum, value) => sum + value, 0) / Math.max(1, used.length);
  if (mean === 0) return undefined;
  const centred = used.map((value) => value - mean);
  const correlation = (lag: number) => {
    let sum = 0;
    for (let row = 0; row + lag < centred.length; row += 1) sum += (centred[row] ?? 0) * (centred[row + lag] ?? 0);
    return sum / (centred.length - lag);
  };
  const maxLag = Math.min(200, Math.floor(centred.length / 3));
  let bestLag: number | undefined;
  let best = 0;
  const scores = new Map<number, number>();
  for (let lag = 4; lag <= maxLag; lag += 1) {
    const score = correlation(lag);
    scores.set(lag, score);
    if (score > best) {
      best = score;
      bestLag = lag;
    }
  }
  if (bestLag === undefined) return undefined;
  // Twice the pitch matches nearly as well as the pitch itself: prefer the shorter one.
  const half = Math.round(bestLag / 2);
  for (const lag of [half - 1, half, half + 1]) {
    if ((scores.get(lag) ?? 0) >= best * 0.8) return lag;
  }
  return bestLag;
}

function toFullBox(box: Box, scale: number, image: DecodedImage): Box {
  const left = Math.min(image.width - 1, Math.ceil(box.left / scale));
  const top = Math.min(image.height - 1, Math.ceil(box.top / scale));
  const right = box.left + box.width >= Math.round(image.width * scale) ? image.width : Math.floor((box.left + box.width) / scale);
  const bottom = box.top + box.height >= Math.round(image.height * scale) ? image.height : Math.floor((box.top + box.height) / scale);
  return { left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) };
}

interface RawGrey {
  data: Buffer;
  width: number;
  height: number;
}

async function toRaw(pipeline: Sharp): Promise<RawGrey> {
  const { data, info } = await pipeline.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

const load = (image: RawGrey) => sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } });

function resizeGrey(image: RawGrey, scale: number, kernel?: 'linear'): Promise<RawGrey> {
  if (scale === 1) return Promise.resolve(image);
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  return toRaw(load(image).resize(width, height, kernel ? { kernel } : {}));
}

function extractGrey(image: RawGrey, box: Box): Promise<RawGrey> {
  if (box.left === 0 && box.top === 0 && box.width === image.width && box.height === image.height) return Promise.resolve(image);
  return toRaw(load(image).extract(box));
}

function rotateGrey(image: RawGrey, degrees: number): Promise<RawGrey> {
  return toRaw(load(image).rotate(degrees, { background: '#ffffff' }));
}

/** A 3×3 median: removes dust specks and sensor noise, keeps strokes. */
function despeckle(image: RawGrey): Promise<RawGrey> {
  return toRaw(load(image).median(3));
}
