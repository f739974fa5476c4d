import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, open, rm } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker as NodeWorker } from 'node:worker_threads';
import Tesseract from 'tesseract.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

/**
 * The built worker entry, started the way the OCR engine starts it: by tesseract.js, as
 * `workerPath`. These tests need `npm run build` (as `npm test` does before the unit tests).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ourScript = path.join(root, 'dist/workers/tesseract.worker.mjs');
const tesseractScript = createRequire(import.meta.url).resolve('tesseract.js/src/worker-script/node/index.js');
const tessdata = process.env.ARKIVA_TESSDATA ?? '/usr/share/tesseract-ocr/5/tessdata';

/** Worker threads started while a test runs, so none outlives it (a failed start leaves tesseract.js no handle). */
const threads: { thread: NodeWorker; exited: Promise<number> }[] = [];
const track = (thread: NodeWorker) =>
  void threads.push({ thread, exited: new Promise((resolve) => thread.once('exit', resolve)) });

/** Starts a tesseract.js worker and reports how the start ended, without waiting forever. */
async function start(workerPath: string, langPath: string): Promise<{ started?: Tesseract.Worker; failure?: string }> {
  let reportFailure: (reason: unknown) => void = () => {};
  const failed = new Promise<{ failure: string }>((resolve) => {
    reportFailure = (reason) => resolve({ failure: String(reason) });
  });
  const started = Tesseract.createWorker('eng', Tesseract.OEM.LSTM_ONLY, {
    workerPath,
    langPath,
    gzip: false,
    cacheMethod: 'none',
    errorHandler: reportFailure,
  }).then((worker) => ({ started: worker }));
  const timeout = new Promise<{ failure: string }>((resolve) => setTimeout(() => resolve({ failure: 'no answer within 20 s' }), 20_000));
  return Promise.race([started, failed, timeout]);
}

function exitOfOnlyThread(): Promise<number> {
  const [only, ...others] = threads;
  if (!only || others.length > 0) throw new Error(`expected one worker thread, got ${threads.length}`);
  return only.exited;
}

describe('tesseract.worker (built)', () => {
  let tripwire: http.Server;
  let tripwireUrl = '';
  const requests: string[] = [];

  beforeAll(async () => {
    if (!existsSync(ourScript)) {
      throw new Error(`${path.relative(root, ourScript)} is missing: run \`npm run build\` before these tests.`);
    }
    tripwire = http.createServer((request, response) => {
      requests.push(request.url ?? '');
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => tripwire.listen(0, '127.0.0.1', resolve));
    const address = tripwire.address();
    if (address === null || typeof address === 'string') throw new Error('tripwire has no port');
    tripwireUrl = `http://127.0.0.1:${address.port}/tessdata`;
    process.on('worker', track);
  });

  afterEach(async () => {
    await Promise.all(threads.splice(0).map(({ thread }) => thread.terminate()));
    requests.length = 0;
  });

  afterAll(() => {
    process.off('worker', track);
    tripwire.close();
  });

  it('(control) tesseract.js on its own fetches language data from a URL it is given', async () => {
    const outcome = await start(tesseractScript, tripwireUrl);
    expect(outcome.failure).toMatch(/Network error/);
    expect(requests).toEqual(['/tessdata/eng.traineddata']);
  });

  it('refuses to fetch anything, fails the start with the reason, and ends its thread', async () => {
    const outcome = await start(ourScript, tripwireUrl);
    expect(outcome.failure).toMatch(/network access is disabled in the OCR worker/);
    expect(requests).toEqual([]);
    expect(await exitOfOnlyThread()).not.toBe(0);
  });

  describe('with a damaged model', () => {
    let damaged = '';

    beforeAll(async () => {
      damaged = await mkdtemp(path.join(tmpdir(), 'arkiva-tessdata-'));
      // Large enough to pass a size check, cut off long before the end.
      await copyFile(path.join(tessdata, 'eng.traineddata'), path.join(damaged, 'eng.traineddata'));
      const file = await open(path.join(damaged, 'eng.traineddata'), 'r+');
      await file.truncate(300 * 1024);
      await file.close();
    });

    afterAll(() => rm(damaged, { recursive: true, force: true }));

    it('reports the failed start instead of crashing this process, and ends its thread', async () => {
      const outcome = await start(ourScript, damaged);
      expect(outcome.failure).toMatch(/initialization failed/);
      expect(await exitOfOnlyThread()).not.toBe(0);
    });
  });

  it('recognises text once started from a local folder', async () => {
    const { started, failure } = await start(ourScript, tessdata);
    if (!started) throw new Error(`the worker did not start: ${failure}`);
    const { data } = await started.recognize(path.resolve(root, '../shared/fixtures/ocr/phototest.tif'));
    expect(data.text).toContain('quick brown dog');
    await started.terminate();
  });
});
