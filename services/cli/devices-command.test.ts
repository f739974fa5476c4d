import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CombinedDriver } from '../../scanner-drivers/combined-driver';
import { SaneDriver } from '../../scanner-drivers/sane/sane-driver';
import { createSaneTestDevice } from '../../scanner-drivers/sane/sane-test-device';
import type { SaneTestDevice } from '../../scanner-drivers/sane/sane-test-device';
import type { ScannerDriver } from '../../scanner-drivers/scanner-driver';
import { ScannerError } from '../../scanner-drivers/scanner-errors';
import type { CliIo } from './command';
import { createDevicesCommand } from './devices-command';
import { runCli } from './run-cli';

// `arkiva devices` against the real `scanimage` and SANE's `test` backend.

let device: SaneTestDevice;
beforeEach(async () => {
  device = await createSaneTestDevice();
});
afterEach(async () => {
  await device.dispose();
});

const missingTwain: ScannerDriver = {
  listDevices: () => Promise.reject(new ScannerError('unavailable', { message: 'The TWAIN helper is not installed.' })),
  getCapabilities: () => Promise.reject(new ScannerError('unavailable')),
  // eslint-disable-next-line require-yield
  scan: async function* () {
    throw new ScannerError('unavailable');
  },
};

async function devices(args: string[], withTwain = false) {
  const command = createDevicesCommand({
    scanner: () =>
      new CombinedDriver([
        { backend: 'sane', driver: new SaneDriver({ env: device.env }) },
        ...(withTwain ? [{ backend: 'twain' as const, driver: missingTwain }] : []),
      ]),
  });
  const io = { out: '', err: '', stdout: (text: string) => void (io.out += text), stderr: (text: string) => void (io.err += text) } satisfies CliIo & {
    out: string;
    err: string;
  };
  const code = await runCli(['devices', ...args], io, [command]);
  return { code, out: io.out, err: io.err };
}

describe('arkiva devices', () => {
  it('prints one "id<TAB>name" line per device', async () => {
    const run = await devices([]);
    expect(run.code).toBe(0);
    const lines = run.out.trimEnd().split('\n');
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^sane:test:0\t.+/), expect.stringMatching(/^sane:test:1\t.+/)]));
  });

  it('--capabilities shows what each source offers', async () => {
    const run = await devices(['--capabilities']);
    expect(run.out).toContain('    flatbed: color/gray/lineart, 75, 100, 150, 200, 240, 300, 400, 600, 1200 dpi, up to 200 × 200 mm');
    expect(run.out).toContain('    adf: color/gray/lineart');
  });

  it('--json prints devices and backends, a missing backend among them, without hiding the others', async () => {
    const run = await devices(['--json'], true);
    expect(run.code).toBe(0);
    const parsed = JSON.parse(run.out) as { devices: { id: string }[]; backends: unknown[] };
    expect(parsed.devices.map((listed) => listed.id)).toEqual(expect.arrayContaining(['sane:test:0']));
    expect(parsed.backends).toEqual([
      { backend: 'sane', available: true },
      { backend: 'twain', available: false, message: 'The TWAIN helper is not installed.' },
    ]);
    expect(run.err).toContain('twain unavailable: The TWAIN helper is not installed.');
  });

  it('rejects arguments it does not know', async () => {
    expect((await devices(['--bogus'])).code).toBe(2);
    expect((await devices(['sane:test:0'])).code).toBe(2);
  });
});
