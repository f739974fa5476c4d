import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { cleanUpPage, measureLinePitch, outputScale } from './page-cleanup';
import { toOriginalBox } from './page-geometry';

const LINE = 'The forensic report was filed on the same day by the officer on duty';

/** A page of text lines drawn by librsvg (DejaVu), grey paper, at `dpi`, optionally tilted and with a dark band on the left. */
async function textPage(options: { dpi?: number; degrees?: number; darkBand?: number; lines?: number; width?: number; height?: number } = {}) {
  const { dpi = 300, degrees = 0, darkBand = 0, lines = 12 } = options;
  const width = options.width ?? Math.round(dpi * 5);
  const height = options.height ?? Math.round(dpi * 4);
  const fontPx = (11 / 72) * dpi;
  const text = Array.from({ length: lines }, (_, row) => `<text x="${dpi * 0.5}" y="${dpi * 0.6 + row * fontPx * 1.5}">${LINE}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#f4f4f4"/><g font-family="DejaVu Serif" font-size="${fontPx}" fill="#202020">${text}</g></svg>`;
  let image = sharp(Buffer.from(svg), { density: 72 }).flatten({ background: '#f4f4f4' });
  if (degrees) image = sharp(await image.png().toBuffer()).rotate(degrees, { background: '#f4f4f4' });
  let png = await image.png().toBuffer();
  if (darkBand) {
    const { width: w = 0, height: h = 0 } = await sharp(png).metadata();
    png = await sharp(png)
      .composite([{ input: { create: { width: darkBand, height: h, channels: 3, background: '#1e1e1e' } }, left: 0, top: 0 }])
      .png()
      .toBuffer();
    expect(w).toBeGreaterThan(darkBand);
  }
  return sharp(png).withMetadata({ density: dpi }).png().toBuffer();
}

describe('cleanUpPage', () => {
  it('measures the tilt of the text lines and turns the page back by it', async () => {
    for (const degrees of [-2, 1.2]) {
      const cleaned = await cleanUpPage(await textPage({ degrees }));
      expect(Math.abs(cleaned.skewDegrees - degrees)).toBeLessThanOrEqual(0.15);
      expect(cleaned.geometry.degrees).toBeCloseTo(-cleaned.skewDegrees, 5);
    }
    const level = await cleanUpPage(await textPage());
    expect(Math.abs(level.skewDegrees)).toBeLessThan(0.15);
    expect(level.geometry.degrees).toBe(0);
  });

  it('cuts off a dark scanner border, and leaves a page without one whole', async () => {
    const bordered = await cleanUpPage(await textPage({ darkBand: 90 }));
    expect(bordered.borderCropped).toBe(true);
    expect(bordered.geometry.crop.left).toBeGreaterThanOrEqual(90);
    expect(bordered.geometry.crop.left).toBeLessThan(130);
    const plain = await cleanUpPage(await textPage());
    expect(plain.borderCropped).toBe(false);
    expect(plain.geometry.crop).toEqual({ left: 0, top: 0, width: 1500, height: 1200 });
  });

  it('reports a blank page, even with scanner noise and dust, and not a page with one short line', async () => {
    const noise = Buffer.alloc(1240 * 1754);
    for (let i = 0; i < noise.length; i += 1) noise[i] = 235 + ((i * 7919) % 13);
    for (let i = 0; i < 300; i += 1) noise[(i * 104_729) % noise.length] = 30; // isolated dust specks
    const blankScan = await sharp(noise, { raw: { width: 1240, height: 1754, channels: 1 } }).withMetadata({ density: 150 }).png().toBuffer();
    const blank = await cleanUpPage(blankScan);
    expect(blank.image).toBeUndefined();
    expect(blank.blank).toMatch(/No text or marks found: 0\.\d+% of the page/);

    const oneLine = await cleanUpPage(await textPage({ lines: 1 }));
    expect(oneLine.blank).toBeUndefined();
    expect(oneLine.image).toBeDefined();
  });

  it('gives Tesseract one grey channel at the target resolution, never below the line-pitch floor', async () => {
    const fine = await cleanUpPage(await textPage({ dpi: 600 }), { targetDpi: 300 });
    expect(fine.image?.dpi).toBe(300);
    expect(fine.image?.width).toBe(1500);
    const header = `P5\n${fine.image?.width} ${fine.image?.height}\n255\n`;
    expect(fine.image?.pgm.subarray(0, header.length).toString('ascii')).toBe(header);
    expect(fine.image?.pgm.length).toBe(header.length + (fine.image?.width ?? 0) * (fine.image?.height ?? 0));

    // 11-pt lines at 1.5 spacing are 69 px apart at 300 dpi: 150 dpi would bring them to 34 px.
    const floored = await cleanUpPage(await textPage({ dpi: 300 }), { targetDpi: 150, minLinePitchPx: 40 });
    expect(floored.image?.dpi).toBeGreaterThanOrEqual(170);
    expect(floored.image?.dpi).toBeLessThan(300);
  });

  it('maps boxes in the cleaned image back onto the original', async () => {
    const cleaned = await cleanUpPage(await textPage({ dpi: 600, degrees: 2, darkBand: 150 }), { targetDpi: 300 });
    const { geometry } = cleaned;
    // The centre of the cleaned image is the centre of the crop in the original.
    const centre = toOriginalBox(geometry, {
      x0: (cleaned.image?.width ?? 0) / 2,
      y0: (cleaned.image?.height ?? 0) / 2,
      x1: (cleaned.image?.width ?? 0) / 2,
      y1: (cleaned.image?.height ?? 0) / 2,
    });
    expect(Math.abs(centre.x0 - (geometry.crop.left + geometry.crop.width / 2))).toBeLessThanOrEqual(2);
    expect(Math.abs(centre.y0 - (geometry.crop.top + geometry.crop.height / 2))).toBeLessThanOrEqual(2);
    // A box of 100 cleaned pixels is about 200 original pixels at half the resolution.
    const box = toOriginalBox(geometry, { x0: 400, y0: 400, x1: 500, y1: 420 });
    expect(box.x1 - box.x0).toBeGreaterThan(195);
    expect(box.x1 - box.x0).toBeLessThan(230);
  });
});

describe('outputScale and measureLinePitch', () => {
  it('scales down towards the target, never up, and keeps lines apart', () => {
    expect(outputScale(600, 300, undefined, 40)).toBe(0.5);
    expect(outputScale(200, 300, undefined, 40)).toBe(1);
    expect(outputScale(300, 150, 60, 40)).toBeCloseTo(40 / 60, 5);
    expect(outputScale(300, 150, 100, 40)).toBe(0.5);
    // Lines not measured: no lower than 300 dpi, whatever the target.
    expect(outputScale(300, 150, undefined, 30)).toBe(1);
    expect(outputScale(600, 150, undefined, 30)).toBe(0.5);
  });

  it('finds the distance between text lines', async () => {
    const { data, info } = await sharp(await textPage({ dpi: 100 })).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    const pitch = measureLinePitch({ data, width: info.width, height: info.height }, 244, 0);
    // 11 pt × 1.5 at 100 dpi = 22.9 px.
    expect(pitch).toBeGreaterThanOrEqual(21);
    expect(pitch).toBeLessThanOrEqual(25);
  });
});
