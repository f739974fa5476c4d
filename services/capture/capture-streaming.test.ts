import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../common/api/contract';
import { createSaneTestDevice } from '../../scanner-drivers/sane/sane-test-device';
import type { SaneTestDevice } from '../../scanner-drivers/sane/sane-test-device';
import { startAppServices } from '../app-services';
import type { AppServices } from '../app-services';
import { callMethod } from '../../test/support/call-method';

// A slow feeder job through the app's services: pages go on to OCR while the feeder still runs,
// and the API keeps answering. The real scanimage and SANE's test device, slowed down.

let services: AppServices;
let device: SaneTestDevice;
let archiveDir: string;
const events: { event: EventName; payload: unknown; at: number }[] = [];

beforeAll(async () => {
  process.env.ARKIVA_ESCL_DISCOVERY = 'off';
  device = await createSaneTestDevice({
    // 0.2 s after every 64 KiB: a 75 dpi sheet (about 70 KB) takes about half a second, ten of them five.
    settings: ['read-delay true', 'read-delay-duration 200000', 'test-picture "Grid"'],
  });
  archiveDir = await mkdtemp(path.join(tmpdir(), 'arkiva-capture-streaming-'));
  services = await startAppServices({ host: 'local', archiveDir, scannerEnv: device.env });
  services.bus.subscribe((event, payload) => events.push({ event, payload, at: Date.now() }));
}, 60_000);
afterAll(async () => {
  await services?.close();
  await device?.dispose();
  await rm(archiveDir, { recursive: true, force: true });
});

const call = (method: string, input: unknown) => callMethod(services.dispatch, method, input);

function eventsOf<T>(event: EventName, where: (payload: T) => boolean = () => true): { payload: T; at: number }[] {
  return events.filter((entry) => entry.event === event).map((entry) => ({ payload: entry.payload as T, at: entry.at })).filter((entry) => where(entry.payload));
}

async function until<T>(find: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('not in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a slow ten-sheet feeder job', () => {
  it('sends the first page to OCR before the feeder is through, and pages.list answers quickly meanwhile', async () => {
    const started = Date.now();
    const { jobId } = (await call('capture.scan', { deviceId: 'sane:test:0', source: 'adf', resolution: 75, mode: 'gray' })) as { jobId: string };
    // The call returns at once: the job runs in the background.
    expect(Date.now() - started).toBeLessThan(1000);

    type Progress = { jobId: string; pageId?: string };
    const first = await until(() => eventsOf<Progress>('capture.progress', (payload) => payload.jobId === jobId && payload.pageId !== undefined)[0], 20_000);
    const firstPageId = first.payload.pageId;
    // Asked while the feeder is still running, the archive answers at once and already has the page.
    const asked = Date.now();
    const listed = (await call('pages.list', {})) as { pages: { id: string }[] };
    const answeredIn = Date.now() - asked;
    expect(eventsOf<{ jobId: string }>('capture.finished', (payload) => payload.jobId === jobId)).toEqual([]);
    expect(answeredIn).toBeLessThan(500);
    expect(listed.pages.map((page) => page.id)).toContain(firstPageId);

    // OCR takes the first page up (cleaned up, or recognising) while later sheets are still being scanned.
    type OcrProgress = { pageId: string; stage: string };
    const ocrStarted = await until(
      () => eventsOf<OcrProgress>('ocr.progress', (payload) => payload.pageId === firstPageId && payload.stage !== 'queued')[0],
      30_000,
    );
    const finished = await until(() => eventsOf<{ jobId: string; pagesStored: number; error?: unknown }>('capture.finished', (payload) => payload.jobId === jobId)[0], 60_000);
    expect(finished.payload).toEqual({ jobId, pagesStored: 10 });
    expect(ocrStarted.at).toBeLessThan(finished.at);
  }, 90_000);
});
