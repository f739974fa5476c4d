import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import sharp from 'sharp';
import { ScannerError } from '../scanner-errors';
import type { ScannedPage } from '../scanner-driver';
import { scanJobError } from './scanimage-outcome';
import type { OutcomeContext } from './scanimage-outcome';
import { collectTail, processEnd, spawnScanimage, stopScanimage } from './scanimage-process';
import type { ScanimageChild, ScanimageCommand } from './scanimage-process';

export interface BatchScanJob {
  readonly command: ScanimageCommand;
  /** Device name and settings; the batch arguments are added here. */
  readonly deviceArguments: readonly string[];
  /** Flatbed: stop after one sheet (the glass never runs empty). */
  readonly singlePage: boolean;
  readonly tempDirectory: string;
  readonly stopGraceMs: number;
  readonly outcome: OutcomeContext;
  readonly signal: AbortSignal | undefined;
}

async function readPage(file: string, index: number): Promise<ScannedPage> {
  const data = await readFile(file);
  try {
    const { width, height, format } = await sharp(data).metadata();
    if (format !== 'png') throw new Error(`expected PNG, got ${format}`);
    return { index, data, mimeType: 'image/png', width, height };
  } catch (error) {
    throw new ScannerError('io-error', {
      message: 'The scanner delivered a page that cannot be read. Scan the sheet again.',
      detail: `${file}: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
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
    '--format=png',
    `--batch=${join(folder, 'p%04d.png')}`,
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
    // Stopped by us after the batch was over: the kill says nothing about the scan.
    const outcome = batchOutcome.ended && end.signal !== null ? { ...end, exitCode: 0, signal: null } : end;
    const error = scanJobError(outcome, { ...job.outcome, pagesDelivered: delivered });
    if (error) throw error;
  } finally {
    job.signal?.removeEventListener('abort', stop);
    clearTimeout(hangTimer);
    // Reached also when the consumer leaves the loop early: the device must stop feeding.
    await stopScanimage(child, ended, job.stopGraceMs);
    await rm(folder, { recursive: true, force: true });
  }
}
