import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CombinedDriver } from '../combined-driver';
import type { ScannedPage, ScanRequest } from '../scanner-driver';
import type { ScannerErrorCode } from '../scanner-errors';
import type { PageLimits } from '../scanned-page-check';
import { helperError, TWCC_CODES, WIA_HRESULTS } from './helper-errors';
import { HelperConnection, TwainHelperDriver } from './twain-helper-driver';
import { drainPages as drain } from '../test-support/drain-pages';

// The adapter against fake-helper.mjs, a stand-in that speaks PROTOCOL.md. No real TWAIN or WIA driver is involved.

const FAKE_HELPER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fake-helper.mjs');

let temp: string;
let connection: HelperConnection | undefined;
beforeEach(async () => {
  temp = await mkdtemp(path.join(tmpdir(), 'arkiva-twain-test-'));
});
afterEach(async () => {
  await connection?.dispose();
  connection = undefined;
  await rm(temp, { recursive: true, force: true });
  await rm(`${temp}.log`, { force: true });
});

function helper(scenario = 'ok', command = process.execPath, pageLimits: PageLimits = {}) {
  const env = { FAKE_HELPER_SCENARIO: scenario, FAKE_HELPER_LOG: path.join(temp, '..', `${path.basename(temp)}.log`) };
  connection = new HelperConnection({ command, args: [FAKE_HELPER], env, requestTimeoutMs: 5000 });
  const options = { tempDirectory: temp, cancelGraceMs: 300, pageLimits };
  return { twain: new TwainHelperDriver(connection, 'twain', options), wia: new TwainHelperDriver(connection, 'wia', options), connection };
}

const twainFeeder: ScanRequest = { deviceId: 'twain:Canon DR-C225', source: 'adf', resolution: 300, mode: 'gray' };
const wiaFeeder: ScanRequest = { ...twainFeeder, deviceId: 'wia:{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\0001' };

function expectCode(error: unknown, code: ScannerErrorCode) {
  expect(error).toMatchObject({ name: 'ScannerError', code });
}

describe('TwainHelperDriver', () => {
  it('lists TWAIN and WIA devices each under its own backend, once, through one helper', async () => {
    const { twain, wia } = helper();
    const combined = new CombinedDriver([
      { backend: 'twain', driver: twain },
      { backend: 'wia', driver: wia },
    ]);
    const discovery = await combined.discover();
    expect(discovery.devices).toEqual([
      { id: 'twain:Canon DR-C225', name: 'Canon DR-C225', backend: 'twain' },
      { id: 'wia:{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\0001', name: 'HP ScanJet Pro 4500', backend: 'wia' },
    ]);
  });

  it('reads capabilities, validated against the API schema', async () => {
    await expect(helper().twain.getCapabilities('twain:Canon DR-C225')).resolves.toEqual({
      deviceId: 'twain:Canon DR-C225',
      sources: [{ source: 'adf', resolutions: [150, 300], modes: ['gray'], bitDepths: [8] }],
    });
  });

  it('yields the pages in order from files the helper wrote, and leaves none behind', async () => {
    const { pages, error } = await drain(helper().twain.scan(twainFeeder));
    expect(error).toBeUndefined();
    expect(pages.map((page) => [page.index, page.mimeType, page.width])).toEqual([
      [0, 'image/png', 1],
      [1, 'image/png', 1],
      [2, 'image/png', 1],
    ]);
    expect(await readdir(temp)).toEqual([]);
  });

  it('keeps the pages before a TWAIN paper jam (TWCC_PAPERJAM) and throws jammed', async () => {
    const { pages, error } = await drain(helper('jam-after-2').twain.scan(twainFeeder));
    expect(pages).toHaveLength(2);
    expectCode(error, 'jammed');
    expect((error as { detail: string }).detail).toContain('TWCC 20');
  });

  it('maps a WIA paper jam HRESULT to jammed', async () => {
    const { pages, error } = await drain(helper('wia-jam-after-1').wia.scan(wiaFeeder));
    expect(pages).toHaveLength(1);
    expectCode(error, 'jammed');
    expect((error as { detail: string }).detail).toContain('HRESULT 0x80210002');
  });

  it('takes an Arkiva code from the helper when it gives no native one', async () => {
    expectCode((await drain(helper('code-after-1').twain.scan(twainFeeder))).error, 'cover-open');
  });

  it('reports an empty feeder (TWCC_NOMEDIA) before the first page as feeder-empty', async () => {
    expectCode((await drain(helper('empty').twain.scan(twainFeeder))).error, 'feeder-empty');
  });

  it('survives garbage and partial lines on stdout', async () => {
    const { twain, connection: helperConnection } = helper('garbage');
    const { pages, error } = await drain(twain.scan(twainFeeder));
    expect(error).toBeUndefined();
    expect(pages).toHaveLength(3);
    expect(helperConnection.ignoredLines).toBe(9);
  });

  it('keeps the pages before a helper crash, reports it with the helper\'s last words, and starts a new helper after', async () => {
    const { twain } = helper('crash-after-1');
    const { pages, error } = await drain(twain.scan(twainFeeder));
    expect(pages).toHaveLength(1);
    expectCode(error, 'io-error');
    expect((error as Error).message).toContain('helper stopped unexpectedly');
    expect((error as { detail: string }).detail).toContain('driver fault in twain_32.dll');
    await expect(twain.listDevices()).resolves.toHaveLength(1);
  });

  it('cancels mid-scan through the protocol, keeping the pages received', async () => {
    const controller = new AbortController();
    const received: ScannedPage[] = [];
    let error: unknown;
    try {
      for await (const page of helper('slow').twain.scan(twainFeeder, controller.signal)) {
        received.push(page);
        controller.abort();
      }
    } catch (caught) {
      error = caught;
    }
    expect(received).toHaveLength(1);
    expectCode(error, 'cancelled');
    expect(await readdir(temp)).toEqual([]);
  });

  it('cancels the helper\'s scan when the consumer stops taking pages, so the feeder stops', async () => {
    for await (const page of helper('slow').twain.scan(twainFeeder)) {
      expect(page.index).toBe(0);
      break;
    }
    const asked = await readFile(path.join(temp, '..', `${path.basename(temp)}.log`), 'utf8');
    expect(asked.split('\n')).toEqual(['hello', 'scan', 'cancel', '']);
    expect(await readdir(temp)).toEqual([]);
  });

  it('stops a helper that ignores the cancel', async () => {
    const controller = new AbortController();
    const { twain } = helper('ignores-cancel');
    const started = Date.now();
    let error: unknown;
    try {
      for await (const _page of twain.scan(twainFeeder, controller.signal)) controller.abort();
    } catch (caught) {
      error = caught;
    }
    expectCode(error, 'cancelled');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses a page the helper says is outside the scan folder', async () => {
    const { error } = await drain(helper('outside-folder').twain.scan(twainFeeder));
    expectCode(error, 'io-error');
    expect((error as { detail: string }).detail).toContain('outside the scan folder');
  });

  it('reports a missing helper as unavailable, and a helper of another protocol version likewise', async () => {
    await expect(helper('ok', path.join(temp, 'no-such-helper.exe')).twain.listDevices()).rejects.toMatchObject({ code: 'unavailable' });
    await expect(helper('old-protocol').twain.listDevices()).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('judges a page by its own header, not the size the helper announced: refuses one claiming 100,000 × 100,000 and holds no memory for it', async () => {
    const before = process.memoryUsage().rss;
    const { pages, error } = await drain(helper('huge-after-1').twain.scan(twainFeeder));
    expect(pages.map((page) => [page.index, page.width, page.height])).toEqual([[0, 1, 1]]);
    expectCode(error, 'invalid');
    expect((error as Error).message).toContain('page 2 of 100000 × 100000 pixels');
    // Decoding would need 10 GB.
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
    expect(await readdir(temp)).toEqual([]);
  });

  it('refuses a page file over the byte limit without reading it', async () => {
    const { pages, error } = await drain(helper('ok', process.execPath, { maxBytes: 40 }).twain.scan(twainFeeder));
    expect(pages).toEqual([]);
    expectCode(error, 'invalid');
    expect((error as { detail: string }).detail).toMatch(/^\d+ bytes, limit 40$/);
    expect(await readdir(temp)).toEqual([]);
  });

  it('refuses ids of the other backend', async () => {
    expectCode((await drain(helper().twain.scan(wiaFeeder))).error, 'unknown-device');
  });
});

describe('helperError', () => {
  // Every row of PROTOCOL.md's two tables, written out from the table rather than from the code.
  const twccRows = [
    [2, 'no-memory'],
    [3, 'unknown-device'],
    [4, 'busy'],
    [6, 'unsupported'],
    [10, 'unsupported'],
    [13, 'unsupported'],
    [16, 'access-denied'],
    [20, 'jammed'],
    [21, 'jammed'],
    [23, 'device-gone'],
    [24, 'cover-open'],
    [29, 'feeder-empty'],
  ] as const;
  const hresultRows = [
    ['0x80210002', 'jammed'],
    ['0x80210003', 'feeder-empty'],
    ['0x80210004', 'jammed'],
    ['0x80210005', 'device-gone'],
    ['0x80210006', 'busy'],
    ['0x80210007', 'busy'],
    ['0x80210009', 'device-gone'],
    ['0x8021000A', 'io-error'],
    ['0x8021000D', 'busy'],
    ['0x80210015', 'device-gone'],
    ['0x80210016', 'cover-open'],
    ['0x80070005', 'access-denied'],
  ] as const;

  it.each(twccRows)('TWCC %i → %s', (twcc, code) => {
    expect(helperError({ twcc }).code).toBe(code);
  });

  it.each(hresultRows)('HRESULT %s → %s', (hresult, code) => {
    expect(helperError({ hresult }).code).toBe(code);
    // Helpers may send the HRESULT as a number (a negative int32 from C#) too.
    expect(helperError({ hresult: Number.parseInt(hresult, 16) | 0 }).code).toBe(code);
  });

  it('covers every code the mapping knows, and no other', () => {
    expect(Object.keys(TWCC_CODES).map(Number).sort((a, b) => a - b)).toEqual(twccRows.map(([twcc]) => twcc));
    expect(Object.keys(WIA_HRESULTS).sort()).toEqual(hresultRows.map(([hresult]) => hresult.toLowerCase()).sort());
  });

  it.each([
    [{ twcc: 1 }, 'io-error'],
    [{ hresult: '0x80004005' }, 'io-error'],
    [{ code: 'busy' }, 'busy'],
    [{ code: 'exploded' }, 'io-error'],
    [{ twcc: 20, code: 'busy' }, 'jammed'],
  ] as const)('%j → %s', (payload, code) => {
    expect(helperError(payload).code).toBe(code);
  });
});
