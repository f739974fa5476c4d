import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OcrResult, PageRecord } from '../../common/api/contract';
import { ArchiveStore } from '../archive/archive-store';
import { EventBus } from '../api/event-bus';
import { createOcrEngine, type OcrEngine } from '../ocr/ocr-engine';
import { buildMisbehavingWorker, readFixture, requireBuiltWorker, whitePng } from '../ocr/test-fixtures';
import { CLERK_PRIORITY, PageRecognition, type PageRecognizer, type RecognizeRequest } from './page-recognition';

async function storePage(archive: ArchiveStore, data: Buffer, mimeType: string): Promise<PageRecord> {
  const { id } = await archive.putOriginal(data, mimeType);
  const page: PageRecord = {
    id,
    source: { kind: 'import', fileName: `${id.slice(0, 8)}.${mimeType.split('/')[1] ?? 'bin'}` },
    capturedAt: new Date().toISOString(),
    originalMimeType: mimeType,
    width: 1,
    height: 1,
    status: 'pending-ocr',
  };
  await archive.savePage(page);
  return page;
}

const withDpi = (image: Buffer, density: number) => sharp(image).withMetadata({ density }).png().toBuffer();

describe('a batch with pages that break OCR', () => {
  let scratch = '';
  let workerDir = '';
  let engine: OcrEngine;

  beforeAll(async () => {
    requireBuiltWorker();
    scratch = mkdtempSync(path.join(tmpdir(), 'arkiva-recognition-'));
    const worker = await buildMisbehavingWorker();
    workerDir = worker.dir;
    // One thread, so every page waits its turn behind the one that hangs it.
    engine = await createOcrEngine({ workers: 1, workerScript: worker.script, pageTimeoutMs: 6_000, detectOrientation: false });
  }, 60_000);

  afterAll(async () => {
    await engine?.close();
    rmSync(scratch, { recursive: true, force: true });
    rmSync(workerDir, { recursive: true, force: true });
  });

  it('marks a corrupt, a 20,000 × 20,000-pixel, a hanging and a crashing page failed with the reason, a blank page blank, and recognises the rest', async () => {
    const archive = await ArchiveStore.open(path.join(scratch, 'archive'));
    const bus = new EventBus();
    const events: string[] = [];
    bus.subscribe((event) => events.push(event));
    const phototest = readFixture('phototest.tif');
    const blankScan = await sharp({ create: { width: 1240, height: 1754, channels: 3, background: '#f2f2f2' } })
      .withMetadata({ density: 150 })
      .png()
      .toBuffer();

    const pages = {
      hangs: await storePage(archive, await withDpi(phototest, 123), 'image/png'),
      corrupt: await storePage(archive, phototest.subarray(0, Math.floor(phototest.length * 0.5)), 'image/tiff'),
      huge: await storePage(archive, whitePng(20_000, 20_000), 'image/png'),
      crashes: await storePage(archive, await withDpi(phototest, 124), 'image/png'),
      blank: await storePage(archive, blankScan, 'image/png'),
      good: await storePage(archive, phototest, 'image/tiff'),
    };
    const recognition = new PageRecognition(archive, bus, async () => engine, { maxInFlight: 3 });
    expect(await recognition.resumePending()).toBe(6);
    await recognition.idle();

    const outcome = async (page: PageRecord) => {
      const stored = await archive.getPage(page.id);
      if (!stored) throw new Error(`page ${page.id} lost`);
      return stored;
    };
    expect(await outcome(pages.hangs)).toMatchObject({ status: 'failed', failure: expect.stringMatching(/hung on this page.*failed again on a fresh worker/) });
    expect(await outcome(pages.corrupt)).toMatchObject({ status: 'failed', failure: expect.stringMatching(/cannot be read as an image/) });
    expect(await outcome(pages.huge)).toMatchObject({ status: 'failed', failure: expect.stringMatching(/20000 × 20000 pixels.*600 dpi or less/) });
    expect(await outcome(pages.crashes)).toMatchObject({ status: 'failed', failure: expect.stringMatching(/stopped unexpectedly.*failed again/) });
    const blank = await outcome(pages.blank);
    expect(blank).toMatchObject({ status: 'recognized', ocr: { blank: true, text: '' } });
    expect(blank.ocr?.blankReason).toMatch(/No text or marks/);
    const good = await outcome(pages.good);
    expect(good.status).toBe('recognized');
    expect(good.ocr?.text).toContain('quick brown dog');
    expect(good.ocr?.needsReview).toBe(false);

    expect(events.filter((event) => event === 'page.failed')).toHaveLength(4);
    expect(events.filter((event) => event === 'page.recognized')).toHaveLength(2);
    expect(events).toContain('ocr.progress');
  }, 120_000);
});

/** A recognizer that finishes each page when the test says so, recording the order it got them in. */
function manualRecognizer() {
  const started: { image: string; request: RecognizeRequest; finish: (result?: OcrResult) => void; fail: (error: Error) => void }[] = [];
  const recognizer: PageRecognizer = {
    recognize: (image, request = {}) =>
      new Promise<OcrResult>((resolve, reject) => {
        const finish = (result: OcrResult = { text: image.toString(), confidence: 90, languages: 'eng', words: [] }) => resolve(result);
        request.signal?.addEventListener('abort', () => reject(new Error('cancelled')));
        started.push({ image: image.toString(), request, finish, fail: reject });
      }),
  };
  return { recognizer, started };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Waits (polling) until `condition` holds: the queue's steps go through the disk, so their timing varies. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 5_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('PageRecognition queue', () => {
  let scratch = '';
  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'arkiva-queue-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('reads only as many pages from disk as it may have in flight, and takes a re-OCR before the batch', async () => {
    const archive = await ArchiveStore.open(path.join(scratch, 'order'));
    const { recognizer, started } = manualRecognizer();
    const recognition = new PageRecognition(archive, new EventBus(), async () => recognizer, { maxInFlight: 2 });
    const batch = await Promise.all(['b1', 'b2', 'b3', 'b4'].map((name) => storePage(archive, Buffer.from(name), 'image/png')));
    const urgent = await storePage(archive, Buffer.from('clerk'), 'image/png');
    for (const page of batch) void recognition.enqueue(page);
    void recognition.enqueue(urgent, { priority: CLERK_PRIORITY });
    await until(() => started.length === 2, 'two pages to start');
    await settle();
    // The first two are read from disk at the same time, so either may reach the engine first.
    expect(started.map((job) => job.image).sort()).toEqual(['b1', 'b2']);
    expect(recognition.pending).toBe(5);

    started[0]?.finish();
    await until(() => started.length === 3, 'the next page to start');
    expect(started[2]?.image).toBe('clerk');
    expect(started[2]?.request.priority).toBe(CLERK_PRIORITY);
    for (let index = 1; index < 5; index += 1) {
      started[index]?.finish();
      await until(() => started.length >= Math.min(5, index + 3) || index === 4, 'the next page to start');
    }
    await recognition.idle();
    expect(started.slice(2).map((job) => job.image)).toEqual(['clerk', 'b3', 'b4']);
    expect((await archive.listPages()).every((page) => page.status === 'recognized')).toBe(true);
  });

  it("re-recognises a clerk's page ahead of the batch, in the clerk's languages, and refuses one being recognised", async () => {
    const archive = await ArchiveStore.open(path.join(scratch, 'again'));
    const { recognizer, started } = manualRecognizer();
    const recognition = new PageRecognition(archive, new EventBus(), async () => recognizer, { maxInFlight: 1 });
    const stored = await storePage(archive, Buffer.from('misread'), 'image/png');
    const earlier: PageRecord = { ...stored, status: 'recognized', ocr: { text: 'read as Albanian', confidence: 41, languages: 'sqi', words: [] } };
    await archive.savePage(earlier);
    const batch = await Promise.all(['b1', 'b2'].map((name) => storePage(archive, Buffer.from(name), 'image/png')));
    for (const page of batch) void recognition.enqueue(page);
    await until(() => started.length === 1, 'the batch to start');

    const queued = await recognition.recognizeAgain(earlier.id, { languages: 'srp_latn' });
    expect(queued.status).toBe('pending-ocr');
    // Pending on disk, so a crash now resumes it; the earlier reading stays until a new one replaces it.
    expect(await archive.getPage(earlier.id)).toMatchObject({ status: 'pending-ocr', ocr: { text: 'read as Albanian' } });
    const running = batch[0];
    if (!running) throw new Error('batch not stored');
    await expect(recognition.recognizeAgain(running.id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(recognition.recognizeAgain('0'.repeat(64))).rejects.toMatchObject({ code: 'not-found' });

    started[0]?.finish();
    await until(() => started.length === 2, 'the next page to start');
    expect(started[1]).toMatchObject({ image: 'misread', request: { languages: 'srp_latn', priority: CLERK_PRIORITY } });
    started[1]?.finish({ text: 'read as Serbian', confidence: 88, languages: 'srp_latn', words: [] });
    await until(() => started.length === 3, 'the batch to go on');
    started[2]?.finish();
    await recognition.idle();
    expect(await archive.getPage(earlier.id)).toMatchObject({ status: 'recognized', ocr: { text: 'read as Serbian', languages: 'srp_latn' } });
    expect(started.map((job) => job.image)).toEqual(['b1', 'misread', 'b2']);
  });

  it('refuses to recognise an original that changed on disk: the page fails with a clear reason, no text of the altered bytes is saved', async () => {
    const archive = await ArchiveStore.open(path.join(scratch, 'changed'));
    const seen: Buffer[] = [];
    const recognizer: PageRecognizer = {
      recognize: async (image) => {
        seen.push(image);
        return { text: 'forged words', confidence: 95, languages: 'eng', words: [] };
      },
    };
    const recognition = new PageRecognition(archive, new EventBus(), async () => recognizer);
    const page = await storePage(archive, Buffer.from('the archived scan'), 'image/png');
    await writeFile(archive.originalPath(page.id, 'image/png'), 'altered bytes');
    await recognition.enqueue(page);
    expect(seen).toEqual([]);
    const stored = await archive.getPage(page.id);
    expect(stored).toMatchObject({ status: 'failed', failure: expect.stringMatching(/^The original of page [0-9a-f]{64} has changed on disk/) });
    expect(stored?.ocr).toBeUndefined();
  });

  it('leaves a cancelled page pending on disk, waiting or running, and goes on with the others', async () => {
    const archive = await ArchiveStore.open(path.join(scratch, 'cancel'));
    const { recognizer, started } = manualRecognizer();
    const recognition = new PageRecognition(archive, new EventBus(), async () => recognizer, { maxInFlight: 1 });
    const [running, waiting, next] = await Promise.all(['r', 'w', 'n'].map((name) => storePage(archive, Buffer.from(name), 'image/png')));
    if (!running || !waiting || !next) throw new Error('pages not stored');
    const done = [running, waiting, next].map((page) => recognition.enqueue(page));
    await until(() => started.length === 1, 'the first page to start');
    expect(recognition.cancel(waiting.id)).toBe(true);
    expect(recognition.cancel(running.id)).toBe(true);
    expect(recognition.cancel('0'.repeat(64))).toBe(false);
    await until(() => started.length === 2, 'the page after the cancelled ones to start');
    started.find((job) => job.image === 'n')?.finish();
    await Promise.all(done);
    expect(started.map((job) => job.image)).toEqual(['r', 'n']);
    expect((await archive.getPage(running.id))?.status).toBe('pending-ocr');
    expect((await archive.getPage(waiting.id))?.status).toBe('pending-ocr');
    expect((await archive.getPage(next.id))?.status).toBe('recognized');
  });
});
