import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fixturePath, PROJECT_ROOT, requireBuiltWorker } from '../ocr/test-fixtures';

const bboxSchema = z.object({ x0: z.number(), y0: z.number(), x1: z.number(), y1: z.number() });

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `arkiva ARGS...` from source, as a separate process, the way a clerk's script would. */
function arkiva(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'services/cli/arkiva.ts'), ...args],
      { cwd: PROJECT_ROOT, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('arkiva (command line)', () => {
  const phototest = fixturePath('phototest.tif');
  const eurotext = fixturePath('eurotext.tif');
  let scratch = '';

  beforeAll(() => {
    requireBuiltWorker();
    scratch = mkdtempSync(path.join(tmpdir(), 'arkiva-cli-'));
  });

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('ocr prints the recognised text of a file', async () => {
    const run = await arkiva('ocr', phototest);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('This is a lot of 12 point text to test the\nocr code');
    expect(run.stdout).not.toContain('==>');
  });

  it('ocr --json prints one JSON object per file per line, in the order given', async () => {
    const run = await arkiva('ocr', '--json', '--lang', 'sqi+eng', eurotext, phototest);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const [euro, photo] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(euro?.file).toBe(eurotext);
    // Only the Albanian model knows "ç"; English alone reads "preguicoso".
    expect(euro?.text).toContain('preguiçoso');
    expect(photo?.file).toBe(phototest);
    expect(Object.keys(photo ?? {}).sort()).toEqual([
      'confidence',
      'file',
      'languages',
      'lines',
      'needsReview',
      'orientation',
      'scripts',
      'skewDegrees',
      'text',
      'words',
    ]);
    expect(photo).toMatchObject({ languages: 'sqi+eng', needsReview: false, orientation: 0, scripts: ['Latin'] });
    expect(photo?.text).toContain('lazy fox');
    expect(photo?.confidence).toEqual(expect.any(Number));

    const words = photo?.words;
    if (!Array.isArray(words)) throw new Error('words is not an array');
    expect(words.length).toBeGreaterThan(50);
    expect(words[0]).toEqual({
      text: 'This',
      confidence: expect.any(Number),
      bbox: { x0: expect.any(Number), y0: expect.any(Number), x1: expect.any(Number), y1: expect.any(Number) },
    });

    // Boxes are in the original image's pixels (whatever clean-up scaled, cut or turned), so every
    // one lies inside it, with its corners in order.
    for (const [file, result] of [[eurotext, euro], [phototest, photo]] as const) {
      const { width, height } = await sharp(file).metadata();
      const boxes = z.object({ words: z.array(z.object({ text: z.string(), bbox: bboxSchema })).min(1) }).parse(result).words;
      for (const { text, bbox } of boxes) {
        const where = `${path.basename(file)} "${text}" ${JSON.stringify(bbox)} in ${width}x${height}`;
        expect(bbox.x0, where).toBeGreaterThanOrEqual(0);
        expect(bbox.y0, where).toBeGreaterThanOrEqual(0);
        expect(bbox.x1, where).toBeLessThanOrEqual(width);
        expect(bbox.y1, where).toBeLessThanOrEqual(height);
        expect(bbox.x0, where).toBeLessThan(bbox.x1);
        expect(bbox.y0, where).toBeLessThan(bbox.y1);
      }
    }
  });

  it('ocr reports each bad file on stderr, still prints the others, and exits 1', async () => {
    const garbage = path.join(scratch, 'not-an-image.tif');
    writeFileSync(garbage, 'II*\0 this is not really a TIFF');
    const missing = path.join(scratch, 'missing.png');

    const run = await arkiva('ocr', garbage, phototest, missing);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`==> ${phototest} <==\nThis is a lot of 12 point text`);
    expect(run.stdout).not.toContain(garbage);
    const errors = run.stderr.trimEnd().split('\n');
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(new RegExp(`^arkiva ocr: ${garbage}: .*cannot be read as an image`));
    expect(errors[1]).toBe(`arkiva ocr: ${missing}: no such file`);
  });

  it('ocr says a blank page is blank, prints no text for it, and exits 0', async () => {
    const blank = path.join(scratch, 'blank.png');
    writeFileSync(blank, await sharp({ create: { width: 1240, height: 1754, channels: 3, background: '#f5f5f5' } }).png().toBuffer());
    const run = await arkiva('ocr', blank);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^arkiva ocr: ${blank}: blank page \\(No text or marks found`));
  });

  it('ocr names a language that is not installed and exits 1', async () => {
    const run = await arkiva('ocr', '--lang', 'eng+ukr', phototest);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('"ukr"');
    expect(run.stderr).toContain('apt-get install tesseract-ocr-ukr');
  });

  it.concurrent.each([
    ['no command', [], /no command given/],
    ['an unknown option', ['ocr', '--fast', 'x.tif'], /--fast/],
  ])('exits 2 with a usage message on stderr for %s', async (_, args, message) => {
    const run = await arkiva(...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    const run = await arkiva('--version');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`arkiva ${version}\n`);
  });
});
