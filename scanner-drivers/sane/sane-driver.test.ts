import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScannedPage, ScanRequest } from '../scanner-driver';
import { ScannerError } from '../scanner-errors';
import type { ScannerErrorCode } from '../scanner-errors';
import { SaneDriver } from './sane-driver';
import type { SaneDriverOptions } from './sane-driver';
import { createSaneTestDevice, processesMentioning } from './sane-test-device';
import type { SaneTestDevice } from './sane-test-device';
import { drainPages as drain } from '../test-support/drain-pages';

// These run the real `scanimage` (Debian's sane-utils) against SANE's `test` backend.

let device: SaneTestDevice;
beforeEach(async () => {
  device = await createSaneTestDevice();
});
afterEach(async () => {
  await device.dispose();
});

function driver(options: SaneDriverOptions = {}): SaneDriver {
  return new SaneDriver({ env: device.env, tempDirectory: device.tempDirectory, stopGraceMs: 500, ...options });
}

const testDevice = 'sane:test:0';
const flatbedGray: ScanRequest = { deviceId: testDevice, source: 'flatbed', resolution: 150, mode: 'gray' };
const feederGray: ScanRequest = { deviceId: testDevice, source: 'adf', resolution: 50, mode: 'gray' };
/** The test device pauses this long after each pipe buffer (64 KiB) it hands over. */
const slowly = (microseconds: number) => ['--read-delay=yes', `--read-delay-duration=${microseconds}`];
const returning = (status: string) => [`--read-return-value=${status}`];

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const scanimageRunning = async () => (await processesMentioning(device.tempDirectory)).length > 0;

async function expectNothingLeftBehind(): Promise<void> {
  expect(await processesMentioning(device.tempDirectory)).toEqual([]);
  expect(await readdir(device.tempDirectory)).toEqual([]);
}

function expectScannerError(error: unknown, code: ScannerErrorCode): ScannerError {
  expect(error).toBeInstanceOf(ScannerError);
  expect(error).toMatchObject({ code });
  return error as ScannerError;
}

describe('SaneDriver.listDevices', () => {
  it('lists the test backend devices as SANE devices with backend-prefixed ids', async () => {
    const devices = await driver().listDevices();
    const ids = devices.map((listed) => listed.id);
    expect(ids).toEqual(expect.arrayContaining(['sane:test:0', 'sane:test:1']));
    for (const listed of devices) expect(listed.backend).toBe('sane');
    // test:0 and test:1 are the same model, so the clerk needs their SANE names to tell them apart.
    const names = devices.filter((listed) => listed.id.startsWith('sane:test:')).map((listed) => listed.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('lists nothing when SANE has no backend that finds a device', async () => {
    const emptyConfig = join(dirname(device.tempDirectory), 'empty');
    await mkdir(emptyConfig);
    await writeFile(join(emptyConfig, 'dll.conf'), '');
    // No trailing colon: only this folder is read, so the machine's real scanners stay out of it.
    await expect(driver({ env: { SANE_CONFIG_DIR: emptyConfig } }).listDevices()).resolves.toEqual([]);
  });

  it('reports a missing scanimage as unavailable, with the install hint', async () => {
    const error = await driver({ scanimagePath: join(device.tempDirectory, 'no-such-scanimage') })
      .listDevices()
      .catch((caught: unknown) => caught);
    expect(expectScannerError(error, 'unavailable').message).toContain('apt-get install sane-utils');
  });
});

describe('SaneDriver.scan from the flatbed', () => {
  it('yields one decodable PNG whose size follows from the scan area and resolution', async () => {
    const widthMm = 50;
    const heightMm = 60;
    const { pages, error } = await drain(
      driver({ extraScanArguments: ['-x', String(widthMm), '-y', String(heightMm)] }).scan(flatbedGray),
    );
    expect(error).toBeUndefined();
    expect(pages).toHaveLength(1);
    const [page] = pages as [ScannedPage];
    const pixels = (mm: number) => Math.floor((mm / 25.4) * flatbedGray.resolution);
    expect(page).toMatchObject({ index: 0, mimeType: 'image/png', width: pixels(widthMm), height: pixels(heightMm) });
    expect(await sharp(page.data).metadata()).toMatchObject({ format: 'png', width: page.width, height: page.height, channels: 1 });
    // Decodes to the last row, not just a valid header.
    const decoded = await sharp(page.data, { failOn: 'error' }).raw().toBuffer({ resolveWithObject: true });
    expect(decoded.info).toMatchObject({ width: page.width, height: page.height });
    await expectNothingLeftBehind();
  });

  // A 10 × 12 mm window keeps even 600 dpi colour quick; the size must follow the resolution exactly.
  const modes = [
    { mode: 'gray', channels: 1, bitsPerSample: 8 },
    { mode: 'color', channels: 3, bitsPerSample: 8 },
    // The test device has no Lineart mode: lineart is scanned as 1-bit gray.
    { mode: 'lineart', channels: 1, bitsPerSample: 1 },
  ] as const;
  it.each(modes.flatMap((entry) => [150, 300, 600].map((resolution) => ({ ...entry, resolution }))))(
    'scans $mode at $resolution dpi as $channels channel(s) of $bitsPerSample bit(s), sized by the resolution',
    async ({ mode, channels, bitsPerSample, resolution }) => {
      const { pages, error } = await drain(driver({ extraScanArguments: ['-x', '10', '-y', '12'] }).scan({ ...flatbedGray, resolution, mode }));
      expect(error).toBeUndefined();
      const [page] = pages as [ScannedPage];
      const pixels = (mm: number) => Math.floor((mm / 25.4) * resolution);
      expect(page).toMatchObject({ mimeType: 'image/png', width: pixels(10), height: pixels(12) });
      expect(await sharp(page.data).metadata()).toMatchObject({ format: 'png', width: page.width, height: page.height, channels, bitsPerSample });
    },
  );

  it('scans in hand-scanner mode, where the device learns the page height only at its end', async () => {
    // scanimage's PNG writer aborts on such a page ("libpng error: No IDATs written into file").
    const { pages, error } = await drain(driver({ extraScanArguments: ['--hand-scanner=yes'] }).scan({ ...flatbedGray, resolution: 50 }));
    expect(error).toBeUndefined();
    const [page] = pages as [ScannedPage];
    // The test device's hand scanner is 11 cm wide.
    expect(page).toMatchObject({ index: 0, mimeType: 'image/png', width: Math.floor((110 / 25.4) * 50) });
    expect(page.height).toBeGreaterThan(0);
    expect(await sharp(page.data).metadata()).toMatchObject({ format: 'png', width: page.width, height: page.height, channels: 1 });
    const decoded = await sharp(page.data, { failOn: 'error' }).raw().toBuffer({ resolveWithObject: true });
    expect(decoded.info).toMatchObject({ width: page.width, height: page.height });
    await expectNothingLeftBehind();
  });

  it('reports a page scanimage could not write as unreadable, not as a cable problem', async () => {
    // What scanimage does when its image writer fails, as it did with PNG for hand scanners.
    const wrapper = await writeWrapper('libpng-aborts', [
      'case "$*" in',
      '  *--batch-print*)',
      '    echo "Scanning page 1" >&2',
      '    echo "libpng error: No IDATs written into file" >&2',
      '    kill -ABRT $$ ;;',
      'esac',
      'exec scanimage "$@"',
    ]);
    const { pages, error } = await drain(driver({ scanimagePath: wrapper }).scan(flatbedGray));
    expect(pages).toEqual([]);
    const scannerError = expectScannerError(error, 'io-error');
    expect(scannerError.message).toContain('could not be read');
    expect(scannerError.message).not.toContain('cable');
    expect(scannerError.detail).toContain('libpng error');
    await expectNothingLeftBehind();
  });

  it('refuses a resolution the device does not offer rather than letting scanimage round it', async () => {
    const { error } = await drain(driver().scan({ ...flatbedGray, resolution: 2400 }));
    expect(expectScannerError(error, 'invalid').message).toContain('1 to 1200 dpi');
  });

  it('refuses duplex on a device without a duplex source', async () => {
    const { error } = await drain(driver().scan({ ...feederGray, source: 'duplex' }));
    expectScannerError(error, 'unsupported');
  });
});

describe('SaneDriver.scan from the document feeder', () => {
  it('yields the ten sheets of the test feeder in order, then ends normally', async () => {
    const { pages, error } = await drain(driver().scan(feederGray));
    expect(error).toBeUndefined();
    expect(pages.map((page) => page.index)).toEqual([...Array(10).keys()]);
    for (const page of pages) {
      expect((await sharp(page.data).metadata()).format).toBe('png');
    }
    await expectNothingLeftBehind();
  });

  it('yields a page as soon as it is complete, while later sheets are still being scanned', async () => {
    const pages = driver({ extraScanArguments: slowly(100_000) }).scan(feederGray);
    for await (const page of pages) {
      expect(page.index).toBe(0);
      expect(await scanimageRunning()).toBe(true);
      break;
    }
    // Leaving the loop stops the feeder and cleans up.
    await expectNothingLeftBehind();
  });

  it('keeps the pages scanned before a jam and then throws jammed', async () => {
    // The real test device fails every sheet or none; this wrapper lets three sheets through first.
    const wrapper = await writeWrapper('jams-after-three', [
      'case "$*" in',
      '  *--batch-print*)',
      '    scanimage "$@" --batch-count=3 || exit $?',
      '    echo "scanimage: sane_read: Document feeder jammed" >&2',
      '    exit 6 ;;',
      'esac',
      'exec scanimage "$@"',
    ]);
    const { pages, error } = await drain(driver({ scanimagePath: wrapper }).scan(feederGray));
    expect(pages.map((page) => page.index)).toEqual([0, 1, 2]);
    expectScannerError(error, 'jammed');
    await expectNothingLeftBehind();
  });
});

async function writeWrapper(name: string, lines: readonly string[]): Promise<string> {
  const path = join(dirname(device.tempDirectory), name);
  await writeFile(path, ['#!/bin/sh', ...lines, ''].join('\n'));
  await chmod(path, 0o755);
  return path;
}

async function isAlive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Field 3 is the state; a zombie has ended even if nobody reaped it yet.
  return stat !== '' && stat.split(') ')[1]?.[0] !== 'Z';
}

describe('SaneDriver.scan when scanimage hangs after the batch', () => {
  it('stops a scanimage that never exits after reporting the outcome, and reports that outcome', async () => {
    // SANE's test backend sometimes deadlocks in sane_cancel after a failed read; this
    // wrapper does so every time.
    const pidFile = join(dirname(device.tempDirectory), 'hung.pid');
    const wrapper = await writeWrapper('hangs-after-batch', [
      'case "$*" in',
      '  *--batch-print*)',
      `    echo $$ > '${pidFile}'`,
      '    echo "scanimage: sane_read: Scanner cover is open" >&2',
      '    echo "Batch terminated, 0 pages scanned" >&2',
      '    exec sleep 30 ;;',
      'esac',
      'exec scanimage "$@"',
    ]);
    const started = Date.now();
    const { pages, error } = await drain(driver({ scanimagePath: wrapper }).scan(feederGray));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(pages).toEqual([]);
    expectScannerError(error, 'cover-open');
    expect(await isAlive(Number(await readFile(pidFile, 'utf8')))).toBe(false);
    await expectNothingLeftBehind();
  });
});

describe('SaneDriver.scan maps each SANE status to its error', () => {
  const statuses: readonly { status: string; code: ScannerErrorCode; text: string }[] = [
    { status: 'SANE_STATUS_JAMMED', code: 'jammed', text: 'Document feeder jammed' },
    { status: 'SANE_STATUS_NO_DOCS', code: 'feeder-empty', text: 'Document feeder out of documents' },
    { status: 'SANE_STATUS_COVER_OPEN', code: 'cover-open', text: 'Scanner cover is open' },
    { status: 'SANE_STATUS_IO_ERROR', code: 'io-error', text: 'Error during device I/O' },
    { status: 'SANE_STATUS_DEVICE_BUSY', code: 'busy', text: 'Device busy' },
    { status: 'SANE_STATUS_ACCESS_DENIED', code: 'access-denied', text: 'Access to resource has been denied' },
    { status: 'SANE_STATUS_NO_MEM', code: 'no-memory', text: 'Out of memory' },
    { status: 'SANE_STATUS_CANCELLED', code: 'cancelled', text: 'Operation was canceled' },
    { status: 'SANE_STATUS_INVAL', code: 'invalid', text: 'Invalid argument' },
    { status: 'SANE_STATUS_UNSUPPORTED', code: 'unsupported', text: 'Operation not supported' },
  ];

  it.each(statuses.flatMap((entry) => (['adf', 'flatbed'] as const).map((source) => ({ ...entry, source }))))(
    '$status on the $source → $code, with no page and no leftovers',
    async ({ status, code, text, source }) => {
      const { pages, error } = await drain(driver({ extraScanArguments: returning(status) }).scan({ ...feederGray, source }));
      expect(pages).toEqual([]);
      // The backend's own words stay with the error for support staff.
      expect(expectScannerError(error, code).detail).toContain(text);
      await expectNothingLeftBehind();
    },
  );

  // SANE_STATUS_EOF from the first sane_read ends the page before any of it came: scanimage
  // reports no failure and writes a page header with no image behind it.
  it.each(['adf', 'flatbed'] as const)('SANE_STATUS_EOF on the %s → an empty page, reported as such and not stored', async (source) => {
    const { pages, error } = await drain(driver({ extraScanArguments: returning('SANE_STATUS_EOF') }).scan({ ...feederGray, source }));
    expect(pages).toEqual([]);
    const scannerError = expectScannerError(error, 'io-error');
    expect(scannerError.message).toMatch(/ended page 1 before the whole image came \(an empty or cut-off page\)/);
    expect(scannerError.message).not.toContain('cable');
    expect(scannerError.detail).toMatch(/needs \d+ bytes of image data; the file has \d+/);
    await expectNothingLeftBehind();
  });
});

describe('SaneDriver.scan cancellation', () => {
  it('stops scanimage mid-page, leaves no file behind and throws cancelled', async () => {
    const controller = new AbortController();
    // At 300 dpi the slowed test device takes seconds for one page.
    const scanning = drain(driver({ extraScanArguments: slowly(200_000) }).scan({ ...flatbedGray, resolution: 300 }, controller.signal));
    await waitUntil(scanimageRunning);
    const abortedAt = Date.now();
    controller.abort();
    const { pages, error } = await scanning;
    expect(Date.now() - abortedAt).toBeLessThan(1500);
    expect(pages).toEqual([]);
    expectScannerError(error, 'cancelled');
    await expectNothingLeftBehind();
  });

  it('keeps the pages received before the feeder job was cancelled', async () => {
    const controller = new AbortController();
    const received: ScannedPage[] = [];
    let error: unknown;
    let abortedAt = 0;
    try {
      // About 0.2 s a sheet, so the ten sheets would take two seconds.
      for await (const page of driver({ extraScanArguments: slowly(200_000) }).scan(feederGray, controller.signal)) {
        received.push(page);
        abortedAt = Date.now();
        controller.abort();
      }
    } catch (caught) {
      error = caught;
    }
    expect(Date.now() - abortedAt).toBeLessThan(1000);
    expect(received.map((page) => page.index)).toEqual([0]);
    expectScannerError(error, 'cancelled');
    await expectNothingLeftBehind();
  });

  it('does not start the device when the signal is already aborted', async () => {
    const { error } = await drain(driver().scan(flatbedGray, AbortSignal.abort()));
    expectScannerError(error, 'cancelled');
    expect(await readdir(device.tempDirectory)).toEqual([]);
  });
});

describe('SaneDriver.scan device problems', () => {
  it('reports a SANE device that does not exist as unknown-device', async () => {
    const { error } = await drain(driver().scan({ ...flatbedGray, deviceId: 'sane:test:7' }));
    expectScannerError(error, 'unknown-device');
  });

  it("reports another backend's device id as unknown-device without running scanimage", async () => {
    const { error } = await drain(driver({ scanimagePath: '/nonexistent' }).scan({ ...flatbedGray, deviceId: 'escl:printer' }));
    expectScannerError(error, 'unknown-device');
  });

  it('reports a listed device that has disappeared as device-gone', async () => {
    const sane = driver();
    expect((await sane.listDevices()).map((listed) => listed.id)).toContain('sane:test:1');
    await device.unplugSecondDevice();
    const { error } = await drain(sane.scan({ ...flatbedGray, deviceId: 'sane:test:1' }));
    expectScannerError(error, 'device-gone');
  });

  it('reports a missing scanimage as unavailable when scanning', async () => {
    const { error } = await drain(driver({ scanimagePath: join(device.tempDirectory, 'no-such-scanimage') }).scan(flatbedGray));
    expect(expectScannerError(error, 'unavailable').message).toContain('apt-get install sane-utils');
  });
});
