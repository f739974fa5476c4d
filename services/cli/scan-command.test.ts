import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CombinedDriver } from '../../scanner-drivers/combined-driver';
import { SaneDriver } from '../../scanner-drivers/sane/sane-driver';
import type { SaneDriverOptions } from '../../scanner-drivers/sane/sane-driver';
import { createSaneTestDevice } from '../../scanner-drivers/sane/sane-test-device';
import type { SaneTestDevice } from '../../scanner-drivers/sane/sane-test-device';
import type { CliIo } from './command';
import { commands } from './commands';
import { runCli } from './run-cli';
import { createScanCommand } from './scan-command';

// `arkiva scan` against the real `scanimage` and SANE's `test` backend.

let device: SaneTestDevice;
let out: string;
beforeEach(async () => {
  device = await createSaneTestDevice();
  out = join(dirname(device.tempDirectory), 'out');
});
afterEach(async () => {
  await device.dispose();
});

function captureIo(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', stdout: (text: string) => void (io.out += text), stderr: (text: string) => void (io.err += text) };
  return io;
}

function scan(args: string[], options: SaneDriverOptions = {}, signal: AbortSignal = new AbortController().signal) {
  const command = createScanCommand({
    scanner: () =>
      new CombinedDriver([{ backend: 'sane', driver: new SaneDriver({ env: device.env, tempDirectory: device.tempDirectory, ...options }) }]),
    interrupt: () => signal,
  });
  const io = captureIo();
  return runCli(['scan', ...args], io, [command]).then((code) => ({ code, ...io }));
}

describe('arkiva scan', () => {
  it('is registered with the other commands', () => {
    expect(commands.map((command) => command.name)).toEqual(expect.arrayContaining(['scan', 'devices']));
  });

  it('writes the ten feeder sheets as PNG files into DIR, reporting each on stderr', async () => {
    const run = await scan(['--device', 'sane:test:0', '--source', 'adf', '--resolution', '75', '--mode', 'gray', '--out', out]);
    expect(run.code).toBe(0);
    const files = (await readdir(out)).sort();
    expect(files).toEqual([...Array(10).keys()].map((i) => `page-${String(i + 1).padStart(4, '0')}.png`));
    const metadata = await sharp(await readFile(join(out, 'page-0001.png'))).metadata();
    expect(metadata).toMatchObject({ format: 'png', channels: 1 });
    expect(run.err).toContain(`page 10 written: ${join(out, 'page-0010.png')}`);
    expect(run.err).toContain('done, 10 pages written');
    expect(run.out).toBe('');
  });

  it('scans the flatbed in colour by default settings it was given', async () => {
    const run = await scan(['-d', 'sane:test:0', '-m', 'color', '-r', '75', '-o', out]);
    expect(run.code).toBe(0);
    expect(await readdir(out)).toEqual(['page-0001.png']);
    expect((await sharp(await readFile(join(out, 'page-0001.png'))).metadata()).channels).toBe(3);
  });

  it('on a jam exits 1 with the typed error, keeps the pages written, and a rerun numbers on', async () => {
    const wrapper = join(dirname(device.tempDirectory), 'jams-after-two');
    await writeFile(
      wrapper,
      ['#!/bin/sh', 'case "$*" in', '  *--batch-print*)', '    scanimage "$@" --batch-count=2 || exit $?',
        '    echo "scanimage: sane_read: Document feeder jammed" >&2', '    exit 6 ;;', 'esac', 'exec scanimage "$@"', ''].join('\n'),
    );
    await chmod(wrapper, 0o755);
    const jammed = await scan(['-d', 'sane:test:0', '-s', 'adf', '-r', '75', '-o', out], { scanimagePath: wrapper });
    expect(jammed.code).toBe(1);
    expect(jammed.err).toContain('arkiva scan: jammed: The document feeder is jammed');
    expect(jammed.err).toContain('(2 pages written)');
    expect((await readdir(out)).sort()).toEqual(['page-0001.png', 'page-0002.png']);

    const resumed = await scan(['-d', 'sane:test:0', '-s', 'adf', '-r', '75', '-o', out]);
    expect(resumed.code).toBe(0);
    expect((await readdir(out)).sort().at(-1)).toBe('page-0012.png');
  });

  it.each([
    ['SANE_STATUS_COVER_OPEN', 'cover-open'],
    ['SANE_STATUS_NO_DOCS', 'feeder-empty'],
    ['SANE_STATUS_DEVICE_BUSY', 'busy'],
    ['SANE_STATUS_IO_ERROR', 'io-error'],
    ['SANE_STATUS_ACCESS_DENIED', 'access-denied'],
  ])('%s exits 1 naming %s', async (status, code) => {
    const run = await scan(['-d', 'sane:test:0', '-s', 'adf', '-r', '75', '-o', out], { extraScanArguments: [`--read-return-value=${status}`] });
    expect(run.code).toBe(1);
    expect(run.err).toContain(`arkiva scan: ${code}: `);
    expect(run.err).toContain('(0 pages written)');
  });

  it('an unknown device exits 1 with unknown-device', async () => {
    const run = await scan(['-d', 'sane:test:9', '-o', out]);
    expect(run.code).toBe(1);
    expect(run.err).toContain('unknown-device: The selected scanner was not found');
  });

  it('Ctrl-C mid-page stops the scanner and exits 1 with cancelled', async () => {
    const controller = new AbortController();
    const running = scan(['-d', 'sane:test:0', '-r', '300', '-o', out], { extraScanArguments: ['--read-delay=yes', '--read-delay-duration=200000'] }, controller.signal);
    setTimeout(() => controller.abort(), 300);
    const run = await running;
    expect(run.code).toBe(1);
    expect(run.err).toContain('cancelled: The scan was cancelled');
    expect(await readdir(out)).toEqual([]);
  });

  it('never overwrites a page already in DIR', async () => {
    await mkdir(out);
    await writeFile(join(out, 'page-0007.png'), 'kept');
    const run = await scan(['-d', 'sane:test:0', '-r', '75', '-o', out]);
    expect(run.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['page-0007.png', 'page-0008.png']);
    expect(await readFile(join(out, 'page-0007.png'), 'utf8')).toBe('kept');
  });

  it.each([
    [['-o', '/tmp/x'], '--device ID is required'],
    [['-d', 'sane:test:0'], '--out DIR is required'],
    [['-d', 'sane:test:0', '-o', '/tmp/x', '-s', 'glass'], '--source must be flatbed, adf or duplex'],
    [['-d', 'sane:test:0', '-o', '/tmp/x', '-m', 'sepia'], '--mode must be color, gray or lineart'],
    [['-d', 'sane:test:0', '-o', '/tmp/x', '-r', '300dpi'], '--resolution must be a whole number'],
    [['-d', 'sane:test:0', '-o', '/tmp/x', 'extra'], 'unexpected argument "extra"'],
  ])('%j is a usage error (exit 2): %s', async (args, message) => {
    const run = await scan(args);
    expect(run.code).toBe(2);
    expect(run.err).toContain(message);
  });
});
