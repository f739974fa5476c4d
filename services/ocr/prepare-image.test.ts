import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../common/api/errors';
import { prepareImage, type PreparedImage } from './prepare-image';
import { readFixture } from './test-fixtures';

/** The pixels after the PGM header, checking the header on the way. */
function pixelsOf(prepared: PreparedImage): Buffer {
  const header = `P5\n${prepared.width} ${prepared.height}\n255\n`;
  expect(prepared.pgm.subarray(0, header.length).toString('ascii')).toBe(header);
  const pixels = prepared.pgm.subarray(header.length);
  expect(pixels.length).toBe(prepared.width * prepared.height);
  return pixels;
}

async function expectUnsupported(bytes: Buffer) {
  const error = await prepareImage(bytes).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ApiError);
  expect(error).toMatchObject({ code: 'unsupported-file' });
}

describe('prepareImage', () => {
  it('keeps the size of a scan, as one 8-bit channel, and keeps its resolution', async () => {
    const scan = readFixture('phototest.tif');
    const original = await sharp(scan).metadata();
    const prepared = await prepareImage(scan);
    expect([prepared.width, prepared.height]).toEqual([original.width, original.height]);
    expect(prepared.dpi).toBe(Math.round(original.density ?? Number.NaN));
    const { data: expected } = await sharp(scan).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    expect(pixelsOf(prepared).equals(expected)).toBe(true);
  });

  it('turns colour into grey and transparency into white paper', async () => {
    // Left half transparent, right half opaque red.
    const rgba = Buffer.alloc(4 * 2 * 4);
    for (let x = 2; x < 4; x += 1) for (const y of [0, 1]) rgba.set([255, 0, 0, 255], (y * 4 + x) * 4);
    const png = await sharp(rgba, { raw: { width: 4, height: 2, channels: 4 } }).png().toBuffer();
    const pixels = pixelsOf(await prepareImage(png));
    expect([...pixels.subarray(0, 2)]).toEqual([255, 255]);
    // Red is a mid grey: neither dropped to black nor taken from the red channel alone (white).
    const red = pixels[2] ?? 0;
    expect(red).toBeGreaterThan(40);
    expect(red).toBeLessThan(200);
  });

  it('scales 16-bit images down to 8 bits rather than cutting them off', async () => {
    const midGrey = new Uint16Array(3 * 3).fill(0x8000);
    const png16 = await sharp(midGrey, { raw: { width: 3, height: 3, channels: 1 } }).toColourspace('grey16').png().toBuffer();
    expect((await sharp(png16).metadata()).depth).toBe('ushort');
    for (const value of pixelsOf(await prepareImage(png16))) expect(Math.abs(value - 128)).toBeLessThanOrEqual(1);
  });

  it('turns a photo upright as its orientation tag says, so boxes match what viewers show', async () => {
    const sideways = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#808080' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const prepared = await prepareImage(sideways);
    expect([prepared.width, prepared.height]).toEqual([20, 40]);
  });

  it('refuses empty input, bytes that are no image, and a cut-off file as unsupported files', async () => {
    await expectUnsupported(Buffer.alloc(0));
    await expectUnsupported(Buffer.from('%PDF-1.7 not an image at all'));
    const tiff = readFixture('phototest.tif');
    await expectUnsupported(tiff.subarray(0, Math.floor(tiff.length * 0.6)));
  });
});
