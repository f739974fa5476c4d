import { readdir } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanRequest } from '../scanner-driver';
import { SaneDriver } from './sane-driver';
import type { SaneDriverOptions } from './sane-driver';
import { startSanedLoopback } from './saned-loopback';
import type { SanedLoopback } from './saned-loopback';
import { drainPages as drain } from '../test-support/drain-pages';

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
});
