import { createHash } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName, PageRecord, PageSource } from '../../common/api/contract';
import { CombinedDriver } from '../../scanner-drivers/combined-driver';
import { SaneDriver } from '../../scanner-drivers/sane/sane-driver';
import type { SaneDriverOptions } from '../../scanner-drivers/sane/sane-driver';
import { createSaneTestDevice, processesMentioning } from '../../scanner-drivers/sane/sane-test-device';
import type { SaneTestDevice } from '../../scanner-drivers/sane/sane-test-device';
import type { ScanRequest } from '../../scanner-drivers/scanner-driver';
import { EventBus } from '../api/event-bus';
import { CaptureJobs } from './capture-jobs';
import type { PageSink } from './capture-jobs';

// Capture jobs driving the real `scanimage` against SANE's `test` backend, through the combined driver.

let device: SaneTestDevice;
beforeEach(async () => {
  device = await createSaneTestDevice();
});
afterEach(async () => {
  await device.dispose();
});

/** Records what was stored, in order, the way the archive's intake would receive it. */
function recordingSink(): PageSink & { stored: { id: string; source: PageSource }[] } {
  const stored: { id: string; source: PageSource }[] = [];
  return {
    stored,
    async ingest(data, image, source): Promise<PageRecord> {
      // Each sheet of the test device is identical; the job index makes each page its own.
      const id = createHash('sha256').update(data).update(JSON.stringify(source)).digest('hex');
      stored.push({ id, source });
      return { id, source, capturedAt: new Date().toISOString(), originalMimeType: image.mimeType, width: 1, height: 1, status: 'pending-ocr' };
    },
  };
}

function setup(options: SaneDriverOptions = {}, operator?: () => string) {
  const bus = new EventBus();
  const events: { event: EventName; payload: unknown }[] = [];
  bus.subscribe((event, payload) => events.push({ event, payload }));
  const sink = recordingSink();
  const driver = new CombinedDriver([
    { backend: 'sane', driver: new SaneDriver({ env: device.env, tempDirectory: device.tempDirectory, stopGraceMs: 500, ...options }) },
  ]);
  const jobs = new CaptureJobs({ driver, sink, bus, ...(operator ? { operator } : {}) });
  const ofKind = (kind: EventName) => events.filter((entry) => entry.event === kind).map((entry) => entry.payload);
  return { jobs, sink, events, ofKind };
}

const feeder: ScanRequest = { deviceId: 'sane:test:0', source: 'adf', resolution: 50, mode: 'gray' };
const flatbed: ScanRequest = { ...feeder, source: 'flatbed' };

async function writeScript(name: string, lines: readonly string[]): Promise<string> {
  const path = join(dirname(device.tempDirectory), name);
  await writeFile(path, ['#!/bin/sh', ...lines, ''].join('\n'));
  await chmod(path, 0o755);
  return path;
}

describe('CaptureJobs with a document feeder', () => {
  it('stores the ten sheets in order as they arrive, reporting progress, then finishes', async () => {
    const { jobs, sink, ofKind } = setup();
    const jobId = jobs.start(feeder);
    const job = await jobs.settled(jobId);
    expect(job).toMatchObject({ state: 'finished', pagesStored: 10, error: undefined });
    expect(sink.stored.map(({ source }) => source)).toEqual(
      [...Array(10).keys()].map((pageIndex) => ({
        kind: 'scan',
        deviceId: 'sane:test:0',
        settings: { source: 'adf', resolution: 50, mode: 'gray' },
        jobId,
        pageIndex,
      })),
    );
    const progress = ofKind('capture.progress');
    expect(progress[0]).toEqual({ jobId, state: 'scanning', pagesStored: 0 });
    expect(progress.filter((event) => (event as { pageId?: string }).pageId !== undefined).map((event) => (event as { pagesStored: number }).pagesStored)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    expect(progress.at(-1)).toEqual({ jobId, state: 'finished', pagesStored: 10 });
    expect(ofKind('capture.finished')).toEqual([{ jobId, pagesStored: 10 }]);
  });

  it('after a jam keeps the pages before it, and resumed goes on from the next sheet with the numbering continued', async () => {
    // Jams after three sheets once; after the clerk has cleared it, the feeder runs normally.
    const jamFlag = join(dirname(device.tempDirectory), 'jam-once');
    await writeFile(jamFlag, '');
    const wrapper = await writeScript('jams-once', [
      'case "$*" in',
      '  *--batch-print*)',
      `    if [ -e '${jamFlag}' ]; then rm '${jamFlag}'`,
      '      scanimage "$@" --batch-count=3 || exit $?',
      '      echo "scanimage: sane_read: Document feeder jammed" >&2',
      '      exit 6',
      '    fi ;;',
      'esac',
      'exec scanimage "$@"',
    ]);
    // Whoever started the job scanned its pages, even after they sign out to clear the jam.
    let signedIn = 'arta';
    const { jobs, sink, ofKind } = setup({ scanimagePath: wrapper }, () => signedIn);
    const jobId = jobs.start(feeder);
    signedIn = 'workstation';
    const interrupted = await jobs.settled(jobId);
    expect(interrupted).toMatchObject({ state: 'interrupted', pagesStored: 3, error: { code: 'jammed' } });
    expect(interrupted.error?.message).toContain('Clear the jam');
    expect(ofKind('capture.finished')).toEqual([{ jobId, pagesStored: 3, error: interrupted.error, resumable: true }]);

    jobs.resume(jobId);
    const resumed = await jobs.settled(jobId);
    expect(resumed).toMatchObject({ state: 'finished', pagesStored: 13, error: undefined });
    expect(sink.stored.map(({ source }) => (source.kind === 'scan' ? source.pageIndex : -1))).toEqual([...Array(13).keys()]);
    expect(new Set(sink.stored.map(({ source }) => source.operator))).toEqual(new Set(['arta']));
    expect(ofKind('capture.finished').at(-1)).toEqual({ jobId, pagesStored: 13 });
    // A finished job cannot be resumed again.
    expect(() => jobs.resume(jobId)).toThrow(/only an interrupted job/);
  });

  it('cancelled while a page is being scanned: stops the device, keeps the pages already stored', async () => {
    // About 0.2 s a sheet at this delay.
    const { jobs, sink } = setup({ extraScanArguments: ['--read-delay=yes', '--read-delay-duration=200000'] });
    const jobId = jobs.start(feeder);
    while (sink.stored.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    const state = await jobs.cancel(jobId);
    expect(state).toBe('cancelled');
    const job = jobs.get(jobId);
    expect(job.pagesStored).toBeGreaterThanOrEqual(2);
    expect(job.pagesStored).toBeLessThan(10);
    expect(job.error?.code).toBe('cancelled');
    expect(await processesMentioning(device.tempDirectory)).toEqual([]);
    expect(() => jobs.resume(jobId)).toThrow(/cancelled/);
  });

  it('cancelling an interrupted job closes it', async () => {
    const { jobs } = setup({ extraScanArguments: ['--read-return-value=SANE_STATUS_JAMMED'] });
    const jobId = jobs.start(feeder);
    expect((await jobs.settled(jobId)).state).toBe('interrupted');
    await expect(jobs.cancel(jobId)).resolves.toBe('cancelled');
  });
});

describe('CaptureJobs maps every SANE status to a job outcome', () => {
  it.each([
    { status: 'SANE_STATUS_JAMMED', code: 'jammed', state: 'interrupted' },
    { status: 'SANE_STATUS_NO_DOCS', code: 'feeder-empty', state: 'interrupted' },
    { status: 'SANE_STATUS_COVER_OPEN', code: 'cover-open', state: 'interrupted' },
    { status: 'SANE_STATUS_DEVICE_BUSY', code: 'busy', state: 'interrupted' },
    { status: 'SANE_STATUS_IO_ERROR', code: 'io-error', state: 'interrupted' },
    { status: 'SANE_STATUS_NO_MEM', code: 'no-memory', state: 'interrupted' },
    { status: 'SANE_STATUS_ACCESS_DENIED', code: 'access-denied', state: 'failed' },
    { status: 'SANE_STATUS_INVAL', code: 'invalid', state: 'failed' },
    { status: 'SANE_STATUS_UNSUPPORTED', code: 'unsupported', state: 'failed' },
    { status: 'SANE_STATUS_CANCELLED', code: 'cancelled', state: 'cancelled' },
  ])('$status → $state ($code)', async ({ status, code, state }) => {
    const { jobs, ofKind } = setup({ extraScanArguments: [`--read-return-value=${status}`] });
    const jobId = jobs.start(flatbed);
    const job = await jobs.settled(jobId);
    expect(job).toMatchObject({ state, pagesStored: 0, error: { code } });
    expect(ofKind('capture.finished')).toEqual([
      { jobId, pagesStored: 0, error: job.error, ...(state === 'interrupted' ? { resumable: true } : {}) },
    ]);
  });

  it('an unknown device fails the job as unknown-device', async () => {
    const { jobs } = setup();
    const job = await jobs.settled(jobs.start({ ...flatbed, deviceId: 'sane:test:9' }));
    expect(job).toMatchObject({ state: 'failed', error: { code: 'unknown-device' } });
  });

  it('an id of no backend fails the job as unknown-device', async () => {
    const { jobs } = setup();
    const job = await jobs.settled(jobs.start({ ...flatbed, deviceId: 'nonsense' }));
    expect(job).toMatchObject({ state: 'failed', error: { code: 'unknown-device' } });
  });

  it('reports an unknown job id', async () => {
    const { jobs } = setup();
    await expect(jobs.cancel('no-such-job')).rejects.toMatchObject({ code: 'not-found' });
    expect(() => jobs.resume('no-such-job')).toThrow(/no such scan job/);
  });
});

describe('CaptureJobs when the archive cannot store a page', () => {
  it('stops the device and interrupts the job (resumable) with the reason, keeping what was stored', async () => {
    const { sink } = setup();
    const failing: PageSink = {
      ingest: async (data, image, source) => {
        if (sink.stored.length === 2) throw new Error('disk full');
        return sink.ingest(data, image, source);
      },
    };
    const bus = new EventBus();
    const driver = new CombinedDriver([{ backend: 'sane', driver: new SaneDriver({ env: device.env, tempDirectory: device.tempDirectory }) }]);
    const failingJobs = new CaptureJobs({ driver, sink: failing, bus });
    const job = await failingJobs.settled(failingJobs.start(feeder));
    expect(job).toMatchObject({ pagesStored: 2, state: 'interrupted', error: { code: 'io-error' } });
    expect(job.error?.message).toContain('disk full');
    expect(await processesMentioning(device.tempDirectory)).toEqual([]);
  });
});
