import { copyFileSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Worker as NodeWorker } from 'node:worker_threads';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../common/api/errors';
import { characterErrorRate } from './character-error-rate';
import { createOcrEngine, type OcrEngine } from './ocr-engine';
import { findTessdataDir } from './tessdata';
import { groundTruth, readFixture, requireBuiltWorker } from './test-fixtures';

const LATIN_LANGUAGES = 'srp_latn+sqi+eng';

async function apiErrorOf(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => new Error('expected the call to fail, but it succeeded'),
    (caught: unknown) => caught,
  );
  if (error instanceof ApiError) return error;
  throw error;
}

async function greyLevels(image: Sharp): Promise<{ min: number; mean: number }> {
  const pixels = await image.toColourspace('b-w').raw().toBuffer();
  let sum = 0;
  let min = 255;
  for (const value of pixels) {
    sum += value;
    min = Math.min(min, value);
  }
  return { min, mean: sum / pixels.length };
}

/** Collects the worker threads this process starts while `run` runs. */
async function threadsStartedBy<T>(run: () => Promise<T>): Promise<{ result: T; threads: NodeWorker[] }> {
  const threads: NodeWorker[] = [];
  const track = (thread: NodeWorker) => void threads.push(thread);
  process.on('worker', track);
  try {
    const result = await run();
    // The 'worker' event follows the thread's creation asynchronously.
    await new Promise((resolve) => setImmediate(resolve));
    return { result, threads };
  } finally {
    process.off('worker', track);
  }
}

describe('OCR engine', () => {
  let engine: OcrEngine;

  beforeAll(async () => {
    requireBuiltWorker();
    engine = await createOcrEngine({ languages: 'eng', workers: 2 });
  });

  afterAll(() => engine?.close());

  it('recognises a clean English page almost without errors', async () => {
    const result = await engine.recognize(readFixture('phototest.tif'));
    // Measured: 0% with tessdata_fast eng; the bound leaves room for other model builds.
    expect(characterErrorRate(result.text, groundTruth('phototest.tif'))).toBeLessThan(0.02);
    expect(result.languages).toBe('eng');
    expect(result.confidence).toBeGreaterThan(80);
    expect(result.confidence).toBeLessThanOrEqual(100);
  });

  it('gives every word, in reading order, with a box on that word in the pixels of the original', async () => {
    const image = readFixture('phototest.tif');
    const { width = 0, height = 0 } = await sharp(image).metadata();
    const result = await engine.recognize(image);

    const truthWords = groundTruth('phototest.tif').split(/\s+/).filter(Boolean);
    expect(result.words.map((word) => word.text)).toEqual(truthWords);
    for (const { bbox } of result.words) {
      expect(bbox.x0).toBeGreaterThanOrEqual(0);
      expect(bbox.y0).toBeGreaterThanOrEqual(0);
      expect(bbox.x1).toBeLessThanOrEqual(width);
      expect(bbox.y1).toBeLessThanOrEqual(height);
    }

    const quick = result.words.find((word) => word.text === 'quick');
    if (!quick) throw new Error('"quick" was not recognised');
    const { x0, y0, x1, y1 } = quick.bbox;
    expect(y1 - y0).toBeGreaterThan(10);
    expect(y1 - y0).toBeLessThan(60);
    expect(x1 - x0).toBeGreaterThan(y1 - y0);
    expect(quick.confidence).toBeGreaterThan(50);

    // The box must hold ink: a box scaled or shifted off the word lands on white paper.
    const word = await greyLevels(sharp(image).extract({ left: x0, top: y0, width: x1 - x0, height: y1 - y0 }));
    const page = await greyLevels(sharp(image));
    expect(word.min).toBeLessThan(100);
    expect(word.mean).toBeLessThan(page.mean - 20);
  });

  it('finds the diacritics of a Latin-script page with a multi-language string', async () => {
    const result = await engine.recognize(readFixture('eurotext.tif'), { languages: LATIN_LANGUAGES });
    expect(groundTruth('eurotext.tif')).toContain('preguiçoso');
    expect(result.text).toContain('preguiçoso');
    expect(result.words.map((word) => word.text)).toContain('preguiçoso.');
    expect(result.languages).toBe(LATIN_LANGUAGES);
    // Measured: 1.5% (Tesseract has no German or Portuguese here, so "über" and "cão" suffer).
    expect(characterErrorRate(result.text, groundTruth('eurotext.tif'))).toBeLessThan(0.05);
  });

  it('gives concurrent jobs, in different languages, each their own result', async () => {
    const [photo, euro, photoAgain] = await Promise.all([
      engine.recognize(readFixture('phototest.tif')),
      engine.recognize(readFixture('eurotext.tif'), { languages: LATIN_LANGUAGES }),
      engine.recognize(readFixture('phototest.tif'), { languages: 'eng' }),
    ]);
    expect(photo.text).toContain('lazy fox');
    expect(euro.text).toContain('braune Fuchs');
    expect(euro.languages).toBe(LATIN_LANGUAGES);
    expect(photoAgain.text).toBe(photo.text);
  });

  it('refuses bytes that are not an image, and an empty file, and carries on', async () => {
    const notImage = await apiErrorOf(engine.recognize(Buffer.from('GIF89a but not really')));
    expect(notImage.code).toBe('unsupported-file');
    expect(notImage.message).toMatch(/cannot be read as an image/);
    const empty = await apiErrorOf(engine.recognize(Buffer.alloc(0)));
    expect(empty.code).toBe('unsupported-file');
    expect(empty.message).toMatch(/empty/);

    expect((await engine.recognize(readFixture('phototest.tif'))).text).toContain('quick brown dog');
  });

  it('names a language without a model and how to install it', async () => {
    const error = await apiErrorOf(engine.recognize(readFixture('phototest.tif'), { languages: 'eng+ukr' }));
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain('"ukr"');
    expect(error.message).toContain('apt-get install tesseract-ocr-ukr');
  });

  it('refuses a malformed language string as a bad request', async () => {
    expect((await apiErrorOf(engine.recognize(readFixture('phototest.tif'), { languages: '../../etc/eng' }))).code).toBe('bad-request');
  });

  it('lists the languages it has models for', () => {
    expect(engine.availableLanguages()).toContain('eng');
    expect(engine.availableLanguages()).not.toContain('osd');
  });
});

describe('starting the OCR engine', () => {
  let scratch = '';

  beforeAll(() => {
    requireBuiltWorker();
    scratch = mkdtempSync(path.join(tmpdir(), 'arkiva-ocr-'));
  });

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('fails with the missing language named when its default language has no model', async () => {
    const error = await apiErrorOf(createOcrEngine({ languages: 'sqi+deu' }));
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain('"deu"');
  });

  it('reports a damaged model as unavailable instead of crashing or hanging', async () => {
    const tessdata = path.join(scratch, 'damaged');
    const model = path.join(tessdata, 'eng.traineddata');
    mkdirSync(tessdata);
    copyFileSync(path.join(findTessdataDir(), 'eng.traineddata'), model);
    truncateSync(model, 300 * 1024);

    const error = await apiErrorOf(createOcrEngine({ tessdataDir: tessdata, workers: 1, startTimeoutMs: 20_000 }));
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain('"eng"');
    expect(error.message).toContain(tessdata);
  });

  it('gives up on a worker that does not start in time', async () => {
    const silent = path.join(scratch, 'silent.worker.mjs');
    writeFileSync(silent, '// Never answers, then ends by itself.\nsetTimeout(() => {}, 3000);\n');
    const started = Date.now();
    const error = await apiErrorOf(createOcrEngine({ workerScript: silent, workers: 1, startTimeoutMs: 300 }));
    expect(error.code).toBe('unavailable');
    expect(error.message).toMatch(/did not start within 300 ms/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('says to build when the worker script is missing', async () => {
    const error = await apiErrorOf(createOcrEngine({ workerScript: path.join(scratch, 'missing.mjs') }));
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain('npm run build');
  });

  it('never fetches language data: a URL is not a folder of models', async () => {
    const requests: string[] = [];
    const tripwire = http.createServer((request, response) => {
      requests.push(request.url ?? '');
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => tripwire.listen(0, '127.0.0.1', resolve));
    const address = tripwire.address();
    if (address === null || typeof address === 'string') throw new Error('tripwire has no port');
    try {
      const error = await apiErrorOf(createOcrEngine({ tessdataDir: `http://127.0.0.1:${address.port}/tessdata`, workers: 1 }));
      expect(error.code).toBe('unavailable');
      expect(requests).toEqual([]);
    } finally {
      tripwire.close();
    }
  });

  it('gives the page of a thread that dies one more try on a fresh thread', async () => {
    const { result: engine, threads } = await threadsStartedBy(() => createOcrEngine({ workers: 1, detectOrientation: false }));
    try {
      const [thread] = threads;
      if (!thread) throw new Error('no thread was started');
      // Killed as soon as it reports progress on the page, i.e. in the middle of the job.
      thread.on('message', (message: { action?: string }) => {
        if (message.action === 'recognize') void thread.terminate();
      });
      const { result, threads: replacements } = await threadsStartedBy(() => engine.recognize(readFixture('phototest.tif')));
      expect(result.text).toContain('quick brown dog');
      expect(thread.threadId).toBe(-1);
      expect(replacements).toHaveLength(1);
    } finally {
      await engine.close();
    }
  });

  it('ends all its threads on close, and refuses work afterwards', async () => {
    const { result: engine, threads } = await threadsStartedBy(() => createOcrEngine({ workers: 2 }));
    // Two recognising threads and one for orientation and script detection.
    expect(threads).toHaveLength(3);
    await engine.close();
    await engine.close();
    for (const thread of threads) expect(thread.threadId).toBe(-1);
    expect((await apiErrorOf(engine.recognize(readFixture('phototest.tif')))).code).toBe('unavailable');
  });

  it('when retired for new settings, finishes every page it was given, queued ones too, then ends its threads', async () => {
    const { result: engine, threads } = await threadsStartedBy(() => createOcrEngine({ workers: 1, detectOrientation: false }));
    // One thread: the second page waits in the queue while the first is recognised.
    const given = [engine.recognize(readFixture('phototest.tif')), engine.recognize(readFixture('phototest.tif'))];
    const retired = engine.retire();
    expect((await apiErrorOf(engine.recognize(readFixture('phototest.tif')))).code).toBe('unavailable');
    for (const page of await Promise.all(given)) expect(page.text).toContain('quick brown dog');
    await retired;
    for (const thread of threads) expect(thread.threadId).toBe(-1);
  });
});

/** A 300-dpi page of Serbian Cyrillic text, drawn by librsvg with DejaVu Serif. */
async function cyrillicPage(): Promise<{ image: Buffer; truth: string }> {
  const lines = [
    'полиција је поднела извештај истог дана',
    'сведок је рекао да је видео два мушкарца',
    'вештачење тела показало је повреде главе',
    'случај остаје отворен и спис је послат тужиоцу',
    'љубазно њихов ђак ћерка џеп јутро',
  ];
  const text = lines.map((line, row) => `<text x="120" y="${200 + row * 90}">${line}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="700"><rect width="100%" height="100%" fill="#fff"/><g font-family="DejaVu Serif" font-size="50" fill="#111">${text}</g></svg>`;
  const image = await sharp(Buffer.from(svg), { density: 72 }).flatten({ background: '#ffffff' }).withMetadata({ density: 300 }).png().toBuffer();
  return { image, truth: lines.join('\n') };
}

describe('OCR engine: clean-up, models by script, and the life of its threads', () => {
  let engine: OcrEngine;

  beforeAll(async () => {
    requireBuiltWorker();
    engine = await createOcrEngine({ languages: 'eng', cyrillicLanguages: 'srp', workers: 1 });
  });

  afterAll(() => engine?.close());

  it('reads a Serbian Cyrillic page with the Serbian model, chosen by the script OSD finds', async () => {
    const { image, truth } = await cyrillicPage();
    const result = await engine.recognize(image);
    expect(result.scripts).toEqual(['Cyrillic']);
    expect(result.languages).toBe('srp');
    expect(characterErrorRate(result.text, truth)).toBeLessThan(0.03);
    expect(result.lines).toHaveLength(5);
  });

  it('turns a sideways page upright and maps its word boxes back onto the sideways original', async () => {
    const sideways = await sharp(readFixture('phototest.tif')).rotate(90).png().toBuffer();
    const result = await engine.recognize(sideways);
    expect(result.orientation).toBe(270);
    expect(result.scripts).toEqual(['Latin']);
    expect(result.text).toContain('quick brown dog');
    const quick = result.words.find((word) => word.text === 'quick');
    if (!quick) throw new Error('"quick" was not recognised');
    const { x0, y0, x1, y1 } = quick.bbox;
    // Sideways, a word is taller than wide, and its box holds ink.
    expect(y1 - y0).toBeGreaterThan(x1 - x0);
    const word = await greyLevels(sharp(sideways).extract({ left: x0, top: y0, width: x1 - x0, height: y1 - y0 }));
    expect(word.min).toBeLessThan(100);
  });

  it('reports progress through a page, and cancels a page while it is recognised without losing the thread', async () => {
    const stages: string[] = [];
    const controller = new AbortController();
    const cancelledPage = engine.recognize(readFixture('eurotext.tif'), {
      signal: controller.signal,
      onProgress: (stage) => {
        stages.push(stage);
        if (stage === 'recognizing') controller.abort(new Error('clerk cancelled'));
      },
    });
    await expect(cancelledPage).rejects.toThrow('clerk cancelled');
    expect(stages.slice(0, 3)).toEqual(['cleaning', 'queued', 'recognizing']);
    expect((await engine.recognize(readFixture('phototest.tif'))).text).toContain('quick brown dog');
  });
});

describe('OCR engine: recycling and review', () => {
  it('replaces a thread after its page quota, and flags pages below the review threshold', async () => {
    const engine = await createOcrEngine({ workers: 1, detectOrientation: false, recycleAfterPages: 1, reviewBelowConfidence: 99, cyrillicLanguages: 'eng' });
    try {
      const { result, threads } = await threadsStartedBy(async () => {
        const first = await engine.recognize(readFixture('phototest.tif'));
        const second = await engine.recognize(readFixture('phototest.tif'));
        return [first, second];
      });
      // The warm thread served one page and was replaced; so was its successor, started for the second page.
      expect(threads).toHaveLength(1);
      for (const page of result) {
        expect(page.text).toContain('quick brown dog');
        expect(page.confidence).toBeLessThan(99);
        expect(page.needsReview).toBe(true);
      }
    } finally {
      await engine.close();
    }
  });

  it('replaces the orientation thread after the same page quota, since it sees every page', async () => {
    const engine = await createOcrEngine({ workers: 1, recycleAfterPages: 2 });
    try {
      const { result, threads } = await threadsStartedBy(async () => {
        const pages = [];
        for (let page = 0; page < 3; page += 1) pages.push(await engine.recognize(readFixture('phototest.tif')));
        return pages;
      });
      // After two pages both the recognising and the OSD thread were replaced, each by one fresh thread.
      expect(threads).toHaveLength(2);
      for (const page of result) expect(page.text).toContain('quick brown dog');
    } finally {
      await engine.close();
    }
  });
});
