import { randomUUID } from 'node:crypto';
import type { CaptureJobState, PageRecord, PageSource } from '../../common/api/contract';
import type { ScannedPage, ScannerDriver, ScanRequest } from '../../scanner-drivers/scanner-driver';
import { ScannerError } from '../../scanner-drivers/scanner-errors';
import type { ScannerErrorCode } from '../../scanner-drivers/scanner-errors';
import type { EventBus } from '../api/event-bus';

/** Where scanned pages go: the archive's page intake (stores, emits `page.stored`, queues OCR). */
export interface PageSink {
  ingest(data: Buffer, image: { mimeType: string }, source: PageSource): Promise<PageRecord>;
}

/** The clerk can fix these at the device and go on; the others need other settings or another device. */
const RESUMABLE: ReadonlySet<ScannerErrorCode> = new Set<ScannerErrorCode>([
  'jammed',
  'feeder-empty',
  'cover-open',
  'busy',
  'io-error',
  'device-gone',
  'no-memory',
]);

export interface JobError {
  readonly code: string;
  readonly message: string;
}

export interface CaptureJobSnapshot {
  readonly jobId: string;
  readonly request: ScanRequest;
  readonly state: CaptureJobState;
  readonly pagesStored: number;
  readonly pageIds: readonly string[];
  readonly error: JobError | undefined;
}

interface Job {
  readonly jobId: string;
  readonly request: ScanRequest;
  /** Who started the scan; every page of the job (resumed runs too) is theirs. */
  readonly operator: string | undefined;
  state: CaptureJobState;
  pageIds: string[];
  error: JobError | undefined;
  controller: AbortController | undefined;
  run: Promise<void> | undefined;
}

export class CaptureJobError extends Error {
  override readonly name = 'CaptureJobError';
  constructor(
    readonly code: 'not-found' | 'not-resumable',
    message: string,
  ) {
    super(message);
  }
}

export interface CaptureJobsOptions {
  readonly driver: ScannerDriver;
  readonly sink: PageSink;
  readonly bus: EventBus;
  /** Ended jobs kept for `get`; older ones are forgotten (their pages are in the archive). */
  readonly keepEnded?: number;
  /** Who is scanning (the signed-in user, else "workstation"), asked when a job starts. */
  readonly operator?: () => string;
}

/**
 * Runs scan jobs: one place that drives a scanner, streams each page into the archive as it
 * arrives, reports progress, cancels, and goes on after a jam. A job runs in the background;
 * the call that starts it returns at once, so neither the UI nor the API waits for paper.
 *
 * Pages are stored one at a time while the device scans on: the driver yields a page, the
 * sink stores it, and only then is the next page taken, so a long feeder run never sits in
 * memory. A run that fails keeps every page stored before the failure; if the failure is one
 * the clerk can clear (a jam, an empty feeder, an open cover), the job is `interrupted` and
 * `resume` scans what is now in the device with the same settings, numbering pages on.
 */
export class CaptureJobs {
  readonly #jobs = new Map<string, Job>();
  readonly #driver: ScannerDriver;
  readonly #sink: PageSink;
  readonly #bus: EventBus;
  readonly #keepEnded: number;
  readonly #operator: (() => string) | undefined;

  constructor(options: CaptureJobsOptions) {
    this.#driver = options.driver;
    this.#sink = options.sink;
    this.#bus = options.bus;
    this.#keepEnded = options.keepEnded ?? 100;
    this.#operator = options.operator;
  }

  start(request: ScanRequest): string {
    const job: Job = {
      jobId: randomUUID(),
      request: { ...request },
      operator: this.#operator?.(),
      state: 'scanning',
      pageIds: [],
      error: undefined,
      controller: undefined,
      run: undefined,
    };
    this.#jobs.set(job.jobId, job);
    this.#startRun(job);
    return job.jobId;
  }

  resume(jobId: string): void {
    const job = this.#job(jobId);
    if (job.state !== 'interrupted') {
      throw new CaptureJobError('not-resumable', `The scan job is ${job.state}; only an interrupted job can go on.`);
    }
    job.state = 'scanning';
    job.error = undefined;
    this.#startRun(job);
  }

  /**
   * Stops a scanning job, once the device has let go (its pages stay), or closes an interrupted
   * one. Ended jobs stay as they are. Returns the state the job ended in.
   */
  async cancel(jobId: string): Promise<CaptureJobState> {
    const job = this.#job(jobId);
    if (job.state === 'scanning') {
      job.controller?.abort();
      await job.run;
    } else if (job.state === 'interrupted') {
      job.state = 'cancelled';
      this.#progress(job);
      this.#prune();
    }
    return job.state;
  }

  get(jobId: string): CaptureJobSnapshot {
    const job = this.#job(jobId);
    return {
      jobId: job.jobId,
      request: job.request,
      state: job.state,
      pagesStored: job.pageIds.length,
      pageIds: [...job.pageIds],
      error: job.error,
    };
  }

  /** Resolves once the job's current run has ended (for the CLI, shutdown and tests). */
  async settled(jobId: string): Promise<CaptureJobSnapshot> {
    await this.#job(jobId).run;
    return this.get(jobId);
  }

  /** Cancels every running job and waits for them to release their devices. */
  async close(): Promise<void> {
    const runs = [...this.#jobs.values()].map((job) => {
      job.controller?.abort();
      return job.run;
    });
    await Promise.allSettled(runs);
  }

  #job(jobId: string): Job {
    const job = this.#jobs.get(jobId);
    if (!job) throw new CaptureJobError('not-found', 'There is no such scan job (it may have ended long ago).');
    return job;
  }

  #startRun(job: Job): void {
    const controller = new AbortController();
    job.controller = controller;
    this.#progress(job);
    job.run = this.#run(job, controller.signal).finally(() => {
      if (job.controller === controller) job.controller = undefined;
      this.#prune();
    });
  }

  async #run(job: Job, signal: AbortSignal): Promise<void> {
    try {
      for await (const page of this.#driver.scan(job.request, signal)) {
        await this.#store(job, page);
        // A page that arrived as the clerk cancelled is stored (it was scanned), then we stop.
        if (signal.aborted) throw new ScannerError('cancelled');
      }
      job.state = 'finished';
    } catch (error) {
      const scannerError =
        error instanceof ScannerError
          ? error
          : new ScannerError('io-error', {
              message: `The scan stopped: ${error instanceof Error ? error.message : String(error)}`,
              cause: error,
            });
      job.error = { code: scannerError.code, message: scannerError.message };
      job.state = scannerError.code === 'cancelled' ? 'cancelled' : RESUMABLE.has(scannerError.code) ? 'interrupted' : 'failed';
    }
    this.#progress(job);
    this.#bus.emit('capture.finished', {
      jobId: job.jobId,
      pagesStored: job.pageIds.length,
      ...(job.error ? { error: job.error } : {}),
      ...(job.state === 'interrupted' ? { resumable: true } : {}),
    });
  }

  async #store(job: Job, page: ScannedPage): Promise<void> {
    const { request } = job;
    const record = await this.#sink.ingest(
      page.data,
      { mimeType: page.mimeType },
      {
        kind: 'scan',
        deviceId: request.deviceId,
        settings: { source: request.source, resolution: request.resolution, mode: request.mode },
        jobId: job.jobId,
        pageIndex: job.pageIds.length,
        ...(job.operator === undefined ? {} : { operator: job.operator }),
      },
    );
    job.pageIds.push(record.id);
    this.#progress(job, record.id);
  }

  #progress(job: Job, pageId?: string): void {
    this.#bus.emit('capture.progress', {
      jobId: job.jobId,
      state: job.state,
      pagesStored: job.pageIds.length,
      ...(pageId === undefined ? {} : { pageId }),
      ...(job.error ? { error: job.error } : {}),
    });
  }

  /** Interrupted jobs are kept whatever their age: a clerk may come back from clearing a jam. */
  #prune(): void {
    const ended = [...this.#jobs.values()].filter((job) => job.state === 'finished' || job.state === 'failed' || job.state === 'cancelled');
    for (const job of ended.slice(0, Math.max(0, ended.length - this.#keepEnded))) this.#jobs.delete(job.jobId);
  }
}
