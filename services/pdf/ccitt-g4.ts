import type { Sharp } from 'sharp';

/** A bilevel page image as one CCITT Group 4 stream, ready for a PDF /CCITTFaxDecode image. */
export interface G4Image {
  data: Buffer;
  /** Columns and rows of the coded image: the page padded up to a multiple of 16 (white). */
  columns: number;
  rows: number;
  /**
   * The PDF /BlackIs1 decode parameter. G4 codes 1 bits as "black" runs; in a TIFF written
   * MinIsBlack (as libvips does) 1 bits are white pixels, so the PDF decoder must emit 1 for them.
   */
  blackIs1: boolean;
}

const TILE = 16;

/**
 * Encodes a bilevel image as CCITT G4. pdf-lib has no G4 encoder and no maintained npm package
 * provides one, but libvips (through sharp) writes G4-compressed TIFF. A TIFF stores G4 per
 * strip or tile and each restarts its coding, so the image is padded to a multiple of 16 and
 * written as a single tile: that tile's bytes are exactly one G4 stream a PDF reader decodes.
 */
export async function encodeG4(upright: Sharp, width: number, height: number): Promise<G4Image> {
  const columns = Math.ceil(width / TILE) * TILE;
  const rows = Math.ceil(height / TILE) * TILE;
  const tiff = await upright
    .extend({ right: columns - width, bottom: rows - height, background: { r: 255, g: 255, b: 255 } })
    .toColourspace('b-w')
    .tiff({ compression: 'ccittfax4', bitdepth: 1, tile: true, tileWidth: columns, tileHeight: rows })
    .toBuffer();
  const tags = readFirstIfd(tiff);
  const compression = tags.get(TAG.compression)?.[0];
  if (compression !== 4) throw new Error(`libvips wrote TIFF compression ${compression}, not CCITT G4`);
  const offsets = tags.get(TAG.tileOffsets) ?? tags.get(TAG.stripOffsets);
  const counts = tags.get(TAG.tileByteCounts) ?? tags.get(TAG.stripByteCounts);
  if (!offsets || !counts || offsets.length !== 1 || counts.length !== 1) {
    throw new Error(`expected the G4 image as one tile, got ${offsets?.length ?? 0}`);
  }
  if ((tags.get(TAG.fillOrder)?.[0] ?? 1) !== 1) throw new Error('G4 data with reversed bit order is not supported');
  const offset = offsets[0] as number;
  const count = counts[0] as number;
  return {
    data: tiff.subarray(offset, offset + count),
    columns,
    rows,
    blackIs1: (tags.get(TAG.photometric)?.[0] ?? 0) === 1,
  };
}

const TAG = {
  compression: 259,
  photometric: 262,
  fillOrder: 266,
  stripOffsets: 273,
  stripByteCounts: 279,
  tileOffsets: 324,
  tileByteCounts: 325,
} as const;

/** The numeric tags of a TIFF's first IFD (SHORT and LONG values only: all this needs). */
function readFirstIfd(tiff: Buffer): Map<number, number[]> {
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') throw new Error('not a TIFF');
  const little = order === 'II';
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd = u32(4);
  const tags = new Map<number, number[]>();
  for (let index = 0; index < u16(ifd); index += 1) {
    const entry = ifd + 2 + index * 12;
    const type = u16(entry + 2);
    const count = u32(entry + 4);
    const size = type === 3 ? 2 : type === 4 ? 4 : 0;
    if (size === 0) continue;
    const at = size * count <= 4 ? entry + 8 : u32(entry + 8);
    tags.set(
      u16(entry),
      Array.from({ length: count }, (_, i) => (size === 2 ? u16(at + i * 2) : u32(at + i * 4))),
    );
  }
  return tags;
}
