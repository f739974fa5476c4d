import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../common/api/contract';
import { createSaneTestDevice } from '../../scanner-drivers/sane/sane-test-device';
import type { SaneTestDevice } from '../../scanner-drivers/sane/sane-test-device';
import { startAppServices } from '../app-services';
import type { AppServices } from '../app-services';
import { callMethod } from '../../test/support/call-method';

// The capture and import methods through the app's dispatcher, as either host calls them.

let services: AppServices;
let device: SaneTestDevice;
let archiveDir: string;
const events: { event: EventName; payload: unknown }[] = [];

beforeAll(async () => {
  process.env.ARKIVA_ESCL_DISCOVERY = 'off';
  device = await createSaneTestDevice();
  archiveDir = await mkdtemp(path.join(tmpdir(), 'arkiva-capture-api-'));
  services = await startAppServices({ host: 'local', archiveDir, scannerEnv: device.env });
  services.bus.subscribe((event, payload) => events.push({ event, payload }));
});
afterAll(async () => {
  await services?.close();
  await device?.dispose();
  await rm(archiveDir, { recursive: true, force: true });
});

const call = (method: string, input: unknown) => callMethod(services.dispatch, method, input);

async function finished(jobId: string) {
  for (let i = 0; i < 600; i += 1) {
    const end = events.filter((entry) => entry.event === 'capture.finished').map((entry) => entry.payload as { jobId: string }).find((payload) => payload.jobId === jobId);
    if (end) return end;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`job ${jobId} did not finish`);
}

describe('capture methods', () => {
  it('capture.listDevices lists the SANE devices and says which backends answered', async () => {
    const result = (await call('capture.listDevices', {})) as { devices: { id: string }[]; backends: { backend: string; available: boolean }[] };
    expect(result.devices.map((listed) => listed.id)).toEqual(expect.arrayContaining(['sane:test:0']));
    expect(result.backends).toEqual(expect.arrayContaining([{ backend: 'sane', available: true }, { backend: 'escl', available: true }]));
  });

  it('capture.getCapabilities answers for a device and refuses an unknown one', async () => {
    const caps = (await call('capture.getCapabilities', { deviceId: 'sane:test:0' })) as { sources: { source: string }[] };
    expect(caps.sources.map((source) => source.source)).toEqual(['flatbed', 'adf']);
    await expect(call('capture.getCapabilities', { deviceId: 'sane:test:7' })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('capture.scan with its old shape starts a job whose page arrives as page.stored and capture.progress', async () => {
    const { jobId } = (await call('capture.scan', { deviceId: 'sane:test:0', resolution: 75 })) as { jobId: string };
    expect(await finished(jobId)).toEqual({ jobId, pagesStored: 1 });
    const progress = events.filter((entry) => entry.event === 'capture.progress').map((entry) => entry.payload as { jobId: string; state: string; pageId?: string });
    expect(progress.filter((payload) => payload.jobId === jobId).map((payload) => payload.state)).toEqual(['scanning', 'scanning', 'finished']);
    expect(events.some((entry) => entry.event === 'page.stored')).toBe(true);
  });

  it('capture.resume refuses a finished job, capture.cancel an unknown one', async () => {
    const { jobId } = (await call('capture.scan', { deviceId: 'sane:test:0', resolution: 75 })) as { jobId: string };
    await finished(jobId);
    await expect(call('capture.resume', { jobId })).rejects.toMatchObject({ code: 'conflict', details: { reason: 'not-resumable' } });
    await expect(call('capture.cancel', { jobId })).resolves.toEqual({ state: 'finished' });
    await expect(call('capture.cancel', { jobId: 'nope' })).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('import.files', () => {
  it('imports every page of a multi-page TIFF and a born-digital PDF, and rejects a bad file without losing the others', async () => {
    const sheets = await Promise.all(
      [1, 2].map((n) => sharp({ create: { width: 40 + n, height: 30, channels: 3, background: { r: 250, g: 250, b: 250 } } }).png().toBuffer()),
    );
    const tiff = await sharp(sheets, { join: { animated: true } }).tiff().toBuffer();
    const doc = await PDFDocument.create();
    doc.addPage([200, 100]).drawText('Born digital', { x: 10, y: 50, size: 12, font: await doc.embedFont(StandardFonts.Helvetica) });
    const pdf = Buffer.from(await doc.save());
    const result = (await call('import.files', {
      files: [
        { name: 'two.tif', dataBase64: tiff.toString('base64') },
        { name: 'empty.pdf', dataBase64: '' },
        { name: 'letter.pdf', dataBase64: pdf.toString('base64') },
      ],
    })) as { pages: { source: { fileName: string; pageNumber?: number }; textSource?: string }[]; rejected: { name: string; code: string; message: string }[] };
    expect(result.pages.map((page) => [page.source.fileName, page.source.pageNumber])).toEqual([
      ['two.tif', 1],
      ['two.tif', 2],
      ['letter.pdf', 1],
    ]);
    expect(result.pages[2]?.textSource).toBe('pdf-text-layer');
    expect(result.rejected).toEqual([{ name: 'empty.pdf', code: 'unsupported-file', message: '"empty.pdf" is empty (0 bytes).' }]);
  });
});
