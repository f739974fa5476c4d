import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ImportError } from './import-errors';
import type { ImportErrorCode } from './import-errors';
import { pngClaiming } from '../test-support/png-claiming';
import { DEFAULT_MAX_PIXELS, inspectImage } from './inspect-image';

/** A page-like image with real detail, so its compressed data is not trivially short. */
function noisyPixels(width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height);
  let seed = 7;
  for (let i = 0; i < pixels.length; i += 1) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    pixels[i] = seed & 0xff;
  }
  return pixels;
}

function encode(width: number, height: number) {
  return sharp(noisyPixels(width, height), { raw: { width, height, channels: 1 } });
}

async function importError(data: Buffer, fileName: string, options = {}): Promise<ImportError> {
  const error = await inspectImage(data, fileName, options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
}

async function expectRejected(data: Buffer, fileName: string, code: ImportErrorCode, options = {}): Promise<ImportError> {
  const error = await importError(data, fileName, options);
  expect(error.code).toBe(code);
  expect(error.fileName).toBe(fileName);
  // The clerk must see which of the files offered is the problem.
  expect(error.message).toContain(fileName);
  return error;
}

describe('inspectImage accepts', () => {
  it('a PNG, with its size', async () => {
    const png = await encode(120, 80).png().toBuffer();
    await expect(inspectImage(png, 'page.png')).resolves.toEqual({ mimeType: 'image/png', width: 120, height: 80, pages: 1 });
  });

  it('a JPEG, with its size', async () => {
    const jpeg = await encode(90, 140).jpeg().toBuffer();
    await expect(inspectImage(jpeg, 'page.jpg')).resolves.toEqual({ mimeType: 'image/jpeg', width: 90, height: 140, pages: 1 });
  });

  it('a TIFF from a real scan (Tesseract\'s 640 × 480 "phototest" page)', async () => {
    const tiff = await readFile('/work/shared/fixtures/ocr/phototest.tif');
    await expect(inspectImage(tiff, 'phototest.tif')).resolves.toEqual({ mimeType: 'image/tiff', width: 640, height: 480, pages: 1 });
  });

  it('a multi-page TIFF, counting its pages', async () => {
    const pages = await Promise.all([encode(100, 60).png().toBuffer(), encode(100, 60).png().toBuffer(), encode(100, 60).png().toBuffer()]);
    const tiff = await sharp(pages, { join: { animated: true } }).tiff().toBuffer();
    await expect(inspectImage(tiff, 'file.tif')).resolves.toEqual({ mimeType: 'image/tiff', width: 100, height: 60, pages: 3 });
  });

  it('by content, whatever the file is called', async () => {
    const png = await encode(20, 10).png().toBuffer();
    await expect(inspectImage(png, 'scan.jpg')).resolves.toMatchObject({ mimeType: 'image/png' });
  });
});

describe('inspectImage rejects', () => {
  it('an empty file', async () => {
    await expectRejected(Buffer.alloc(0), 'empty.png', 'empty-file');
  });

  it('bytes that are no image', async () => {
    await expectRejected(Buffer.from('%PDF-1.7 this is not a picture at all'), 'notes.png', 'unsupported-format');
  });

  it('images in other formats, before any decoder sees them', async () => {
    await expectRejected(await encode(20, 10).webp().toBuffer(), 'photo.webp', 'unsupported-format');
    await expectRejected(await encode(20, 10).gif().toBuffer(), 'anim.gif', 'unsupported-format');
    await expectRejected(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'), 'logo.svg', 'unsupported-format');
  });

  it('a truncated PNG whose header is intact', async () => {
    const png = await encode(300, 200).png().toBuffer();
    const error = await expectRejected(png.subarray(0, Math.floor(png.length / 2)), 'cut.png', 'corrupt');
    expect(error.detail).toBeTruthy();
  });

  it('a truncated JPEG', async () => {
    const jpeg = await encode(300, 200).jpeg().toBuffer();
    await expectRejected(jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'cut.jpg', 'corrupt');
  });

  it('a PNG signature followed by garbage', async () => {
    const garbage = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('garbage '.repeat(20))]);
    await expectRejected(garbage, 'broken.png', 'corrupt');
  });

  it('a page larger than the configured limit', async () => {
    const png = await encode(100, 80).png().toBuffer();
    const error = await expectRejected(png, 'big.png', 'too-large', { maxPixels: 100 * 80 - 1 });
    expect(error.message).toContain('100 × 80');
    await expect(inspectImage(png, 'big.png', { maxPixels: 100 * 80 })).resolves.toMatchObject({ width: 100 });
  });
});

describe('inspectImage on hostile headers', () => {
  function rssGrowth(before: number): number {
    return process.memoryUsage().rss - before;
  }

  it('refuses a tiny PNG that claims 100,000 × 100,000 pixels from its header alone', async () => {
    const huge = pngClaiming(100_000, 100_000);
    expect(huge.length).toBeLessThan(1024);
    const before = process.memoryUsage().rss;
    const error = await expectRejected(huge, 'huge.png', 'too-large');
    expect(error.message).toContain('100000 × 100000');
    // Decoding would need 10 GB; a header read needs next to nothing.
    expect(rssGrowth(before)).toBeLessThan(64 * 1024 * 1024);
  });

  it('checks every row of a within-limit page while holding only a few rows in memory', async () => {
    // 14,000 × 14,000 = 196 MP, just within the default limit: decoded whole, 196 MB of gray.
    const side = 14_000;
    expect(side * side).toBeLessThanOrEqual(DEFAULT_MAX_PIXELS);
    const blank = pngClaiming(side, side, side);
    const before = process.memoryUsage().rss;
    await expect(inspectImage(blank, 'large-blank.png')).resolves.toMatchObject({ width: side, height: side });
    expect(rssGrowth(before)).toBeLessThan(64 * 1024 * 1024);
  });
});
