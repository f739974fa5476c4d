import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScannedPage, ScanRequest } from '../scanner-driver';
import { SaneDriver } from './sane-driver';
import type { SaneDriverOptions } from './sane-driver';
import { startSanedLoopback } from './saned-loopback';
import type { SanedLoopback } from './saned-loopback';
import { drainPages as drain } from '../test-support/drain-pages';

/** Waits until a page file in the job's folder has data in it. */
async function pageDataArriving(): Promise<void> {
  for (let tries = 0; tries < 200; tries += 1) {
    for (const job of await readdir(network.tempDirectory)) {
      const files = await readdir(path.join(network.tempDirectory, job)).catch(() => []);
      for (const file of files.filter((name) => name.endsWith('.part'))) {
        if ((await stat(path.join(network.tempDirectory, job, file)).catch(() => undefined))?.size) return;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no page data arrived');
}

// The real saned serving SANE's test device on 127.0.0.1, reached through the net backend.

let network: SanedLoopback;
beforeAll(async () => {
  network = await startSanedLoopback();
}, 40_000);
afterAll(async () => {
  await network?.dispose();
});

const remote = 'sane:net:127.0.0.1:test:0';
const feeder: ScanRequest = { deviceId: remote, source: 'adf', resolution: 50, mode: 'gray' };
const driver = (options: SaneDriverOptions = {}) => new SaneDriver({ env: network.clientEnv, tempDirectory: network.tempDirectory, stopGraceMs: 1000, ...options });

describe('SaneDriver over the network (saned on loopback, net backend)', () => {
  it('lists the test devices as network devices', async () => {
    const ids = (await driver().listDevices()).map((device) => device.id);
    expect(ids).toEqual(expect.arrayContaining([remote, 'sane:net:127.0.0.1:test:1']));
  });

  it('reads capabilities across the network', async () => {
    const capabilities = await driver().getCapabilities(remote);
    expect(capabilities.sources.map((source) => source.source)).toEqual(['flatbed', 'adf']);
  });

  it('scans the ten feeder sheets, then ends normally', async () => {
    const { pages, error } = await drain(driver().scan(feeder));
    expect(error).toBeUndefined();
    expect(pages.map((page) => page.index)).toEqual([...Array(10).keys()]);
    expect((await sharp(pages[9]?.data).metadata()).format).toBe('png');
    expect(await readdir(network.tempDirectory)).toEqual([]);
  });

  it('carries the backend\'s jam status across the network', async () => {
    const { pages, error } = await drain(driver({ extraScanArguments: ['--read-return-value=SANE_STATUS_JAMMED'] }).scan(feeder));
    expect(pages).toEqual([]);
    expect(error).toMatchObject({ code: 'jammed' });
  });

  it('cancels mid-page across the network', async () => {
    const controller = new AbortController();
    const running = drain(
      driver({ extraScanArguments: ['--read-delay=yes', '--read-delay-duration=200000'] }).scan({ ...feeder, source: 'flatbed', resolution: 300 }, controller.signal),
    );
    setTimeout(() => controller.abort(), 500);
    const { pages, error } = await running;
    expect(pages).toEqual([]);
    expect(error).toMatchObject({ code: 'cancelled' });
    expect(await readdir(network.tempDirectory)).toEqual([]);
  });

  // Last in this file: it takes the server down.
  it('keeps the pages scanned before saned went away mid-feed, and reports device-gone', async () => {
    const received: ScannedPage[] = [];
    let error: unknown;
    const started = Date.now();
    try {
      // At 150 dpi and 0.1 s per 64 KiB a sheet takes about half a second.
      const slowFeeder = driver({ stallTimeoutMs: 1500, extraScanArguments: ['--read-delay=yes', '--read-delay-duration=100000'] });
      for await (const page of slowFeeder.scan({ ...feeder, resolution: 150 })) {
        received.push(page);
        if (received.length === 2) {
          // The machine sharing the scanner goes down while the third sheet's data is arriving.
          await pageDataArriving();
          await network.killServer();
        }
      }
    } catch (caught) {
      error = caught;
    }
    expect(received.map((page) => page.index)).toEqual([0, 1]);
    for (const page of received) expect((await sharp(page.data).metadata()).height).toBeGreaterThan(0);
    expect(error).toMatchObject({ name: 'ScannerError', code: 'device-gone' });
    expect((error as Error).message).toContain('no longer connected');
    // Neither a hang nor a long wait: the stall timeout and one attempt to open the device.
    expect(Date.now() - started).toBeLessThan(15_000);
    // scanimage itself did not notice (the net backend's read returns nothing for ever): the stall did.
    expect((error as { detail: string }).detail).toMatch(/no data for 1500 ms after 2 page\(s\)[\s\S]*opened again: .*open of device net:127\.0\.0\.1:test:0 failed/);
    expect(await readdir(network.tempDirectory)).toEqual([]);
  }, 30_000);
});
