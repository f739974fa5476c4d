import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import sharp from 'sharp';
import type { Metadata } from 'sharp';
import { DEFAULT_MAX_PIXELS } from '../file-import/inspect-image';
import { ScannerError } from '../scanner-errors';
import type { ScannedPage } from '../scanner-driver';
import { scanJobError, UNREADABLE_PAGE_MESSAGE } from './scanimage-outcome';
import type { OutcomeContext } from './scanimage-outcome';
import { collectTail, isRunning, processEnd, spawnScanimage, stopScanimage } from './scanimage-process';
import type { ScanimageChild, ScanimageCommand } from './scanimage-process';

export interface BatchScanJob {
  readonly command: ScanimageCommand;
  /** Device name and settings; the batch arguments are added here. */
  readonly deviceArguments: readonly string[];
  /** Flatbed: stop after one sheet (the glass never runs empty). */
  readonly singlePage: boolean;
  readonly tempDirectory: string;
  readonly stopGraceMs: number;
  /** How long the device may send nothing (no page data, no message) before the scan is stopped as stalled. */
  readonly stallTimeoutMs: number;
  readonly outcome: OutcomeContext;
  readonly signal: AbortSignal | undefined;
}

/** Bytes of image data a page of this size and format needs (rows are padded to whole bytes). */
function imageBytes(width: number, height: number, channels: number, bitsPerSample: number): number {
  return Math.ceil((width * channels * bitsPerSample) / 8) * height;
}

/**
 * Reads one page scanimage wrote as uncompressed TIFF and turns it into the PNG the archive
 * keeps. TIFF (unlike scanimage's PNG writer) copes with pages whose height the device does not
 * know until the sheet is through (SANE's `lines = -1`): hand scanners, and any device that
 * reports its page height as unknown.
 * Black and white stays 1 bit per pixel and gray one channel.
 */
async function readPage(file: string, index: number): Promise<ScannedPage> {
  const unreadable = (reason: string, cause?: unknown) =>
    new ScannerError('io-error', { message: UNREADABLE_PAGE_MESSAGE, detail: `page ${index + 1} (${file}): ${reason}`, cause });
  let metadata: Metadata;
  let size: number;
  try {
    [metadata, { size }] = await Promise.all([sharp(file, { limitInputPixels: false }).metadata(), stat(file)]);
  } catch (error) {
    throw unreadable(error instanceof Error ? error.message : String(error), error);
  }
  const { width, height, format, channels, bitsPerSample = 8 } = metadata;
  if (format !== 'tiff') throw unreadable(`expected TIFF, got ${format}`);
  // A backend that ends a page early (SANE_STATUS_EOF before the data, a short read) leaves a
  // header promising rows that never came: say so, rather than store a blank or cut page.
  const expected = imageBytes(width, height, channels, bitsPerSample);
  if (size < expected) {
    throw new ScannerError('io-error', {
      message: `The scanner ended page ${index + 1} before the whole image came (an empty or cut-off page). Scan the sheet again.`,
      detail: `page ${index + 1} (${file}): ${width} × ${height} × ${channels} × ${bitsPerSample} bit needs ${expected} bytes of image data; the file has ${size}`,
    });
  }
  if (width * height > DEFAULT_MAX_PIXELS) {
    throw new ScannerError('invalid', {
      message: `The scanner delivered page ${index + 1} of ${width} × ${height} pixels, more than the ${DEFAULT_MAX_PIXELS / 1e6} megapixels Arkiva accepts for one page. Scan it at a lower resolution.`,
      detail: `page ${index + 1} (${file})`,
    });
  }
  try {
    let image = sharp(file, { failOn: 'error', sequentialRead: true, limitInputPixels: DEFAULT_MAX_PIXELS });
    if (channels === 1) image = image.toColourspace(bitsPerSample === 16 ? 'grey16' : 'b-w');
    // colours: 2 without a palette makes sharp write a 1-bit grayscale PNG.
    const data = await image.png(bitsPerSample === 1 ? { palette: false, colours: 2 } : {}).toBuffer();
    return { index, data, mimeType: 'image/png', width, height };
  } catch (error) {
    throw unreadable(error instanceof Error ? error.message : String(error), error);
  }
}

/**
 * scanimage prints "Batch terminated" once every page is written and the failure, if any, is
 * on stderr; only sane_cancel and sane_close remain. Backends can hang there (SANE's own test
 * backend deadlocks now and then after a failed read), so a process that does not exit soon
 * after is stopped, and its stderr alone decides the outcome.
 */
function watchForBatchEnd(child: ScanimageChild, stderr: () => string, onEnd: () => void): { ended: boolean } {
  const state = { ended: false };
  const check = () => {
    if (state.ended || !/^Batch terminated/m.test(stderr())) return;
    state.ended = true;
    child.stderr.off('data', check);
    onEnd();
  };
  child.stderr.on('data', check);
  return state;
}

/** Bytes written so far to the job's folder: the page being scanned grows as data arrives. */
async function folderBytes(folder: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(folder).catch(() => [])) {
    // A page may be renamed or deleted between listing and stat.
    total += (await stat(join(folder, name)).catch(() => undefined))?.size ?? 0;
  }
  return total;
}

/**
 * A device that stops sending in the middle of a page does not always make scanimage fail:
 * when saned's host goes away mid-page the net backend's read keeps returning nothing and
 * scanimage spins for ever. Data reaching the page file, or anything scanimage prints, is
 * progress; `timeoutMs` without any stops the scan (once the batch is over, the hang timer
 * above handles a scanimage that does not exit). (A hand-scanner page is held in memory
 * until it ends, so such a page must not take longer than the timeout.)
 */
function watchForStall(
  child: ScanimageChild,
  folder: string,
  timeoutMs: number,
  batchOver: () => boolean,
  onStall: () => void,
): { stalled: boolean; dispose(): void } {
  let lastProgress = Date.now();
  let lastBytes = -1;
  const progressed = () => {
    lastProgress = Date.now();
  };
  child.stdout.on('data', progressed);
  child.stderr.on('data', progressed);
  const state = {
    stalled: false,
    dispose() {
      clearInterval(timer);
      child.stdout.off('data', progressed);
      child.stderr.off('data', progressed);
    },
  };
  let checking = false;
  const timer = setInterval(() => {
    if (checking || state.stalled) return;
    checking = true;
    void folderBytes(folder).then((bytes) => {
      checking = false;
      if (bytes !== lastBytes) {
        lastBytes = bytes;
        progressed();
      } else if (Date.now() - lastProgress >= timeoutMs && isRunning(child) && !batchOver()) {
        state.stalled = true;
        onStall();
      }
    });
  }, Math.max(50, Math.min(1000, timeoutMs / 4)));
  return state;
}

/**
 * Runs `scanimage --batch` into a private temporary folder and yields each page once
 * scanimage reports it finished (`--batch-print` names a file only after it is complete and
 * renamed from its `.part` name). Flatbed and feeder share this path so both get the same
 * error mapping, cancellation and cleanup.
 */
export async function* runBatchScan(job: BatchScanJob): AsyncGenerator<ScannedPage, void, undefined> {
  if (job.signal?.aborted) throw new ScannerError('cancelled');
  const folder = await mkdtemp(join(job.tempDirectory, 'arkiva-scan-'));
  const child = spawnScanimage(job.command, [
    ...job.deviceArguments,
    // Not PNG: scanimage's PNG writer aborts on a page of unknown height (hand scanners).
    '--format=tiff',
    `--batch=${join(folder, 'p%04d.tif')}`,
    '--batch-print',
    ...(job.singlePage ? ['--batch-count=1'] : []),
  ]);
  const stderr = collectTail(child.stderr);
  const ended = processEnd(child, stderr);
  const stop = () => void stopScanimage(child, ended, job.stopGraceMs);
  job.signal?.addEventListener('abort', stop, { once: true });
  let hangTimer: NodeJS.Timeout | undefined;
  const batchOutcome = watchForBatchEnd(child, stderr, () => {
    hangTimer = setTimeout(stop, job.stopGraceMs);
  });
  const stall = watchForStall(child, folder, job.stallTimeoutMs, () => batchOutcome.ended, stop);
  try {
    let delivered = 0;
    for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
      if (job.signal?.aborted) break;
      const file = line.trim();
      // Anything else scanimage prints on stdout is not a page of ours.
      if (dirname(file) !== folder) continue;
      const page = await readPage(file, delivered);
      // Long feeder runs must not pile up on disk while the consumer stores earlier pages.
      await rm(file, { force: true });
      yield page;
      delivered += 1;
    }
    const end = await ended;
    if (job.signal?.aborted) throw new ScannerError('cancelled', { detail: end.stderr.trim() });
    if (stall.stalled) {
      throw new ScannerError('io-error', {
        message: `The scanner stopped sending the page for ${Math.round(job.stallTimeoutMs / 1000)} seconds, so the scan was stopped. Check the cable, power and network, then scan again.`,
        detail: `no data for ${job.stallTimeoutMs} ms after ${delivered} page(s); scanimage said: ${end.stderr.trim().split('\n').slice(-3).join(' | ')}`,
      });
    }
    // Stopped by us after the batch was over: the kill says nothing about the scan.
    const outcome = batchOutcome.ended && end.signal !== null ? { ...end, exitCode: 0, signal: null } : end;
    const error = scanJobError(outcome, { ...job.outcome, pagesDelivered: delivered });
    if (error) throw error;
  } finally {
    job.signal?.removeEventListener('abort', stop);
    clearTimeout(hangTimer);
    stall.dispose();
    // Reached also when the consumer leaves the loop early: the device must stop feeding.
    await stopScanimage(child, ended, job.stopGraceMs);
    await rm(folder, { recursive: true, force: true });
  }
}
