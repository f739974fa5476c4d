import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ScannedPage, ScanRequest } from '../scanner-driver';
import type { ScannerErrorCode } from '../scanner-errors';
import { EsclDriver, toEsclDeviceId } from './escl-driver';
import type { EsclDriverOptions } from './escl-driver';
import { startEsclTestScanner } from './escl-test-server';
import { isBusy, parseScanImageInfo, parseStatus, scanSettingsXml } from './escl-xml';
import type { EsclStatus } from './escl-xml';
import type { EsclTestScanner, EsclTestScannerOptions } from './escl-test-server';
import { drainPages as drain } from '../test-support/drain-pages';

let scanner: EsclTestScanner | undefined;
afterEach(async () => {
  await scanner?.close();
  scanner = undefined;
});

async function start(options: EsclTestScannerOptions = {}): Promise<EsclTestScanner> {
  scanner = await startEsclTestScanner(options);
  return scanner;
}

const driver = (options: EsclDriverOptions = {}) => new EsclDriver({ browser: false, pollIntervalMs: 10, ...options });
const request = (server: EsclTestScanner, settings: Partial<ScanRequest> = {}): ScanRequest => ({
  deviceId: toEsclDeviceId(server.baseUrl),
  source: 'adf',
  resolution: 75,
  mode: 'gray',
  ...settings,
});

function expectCode(error: unknown, code: ScannerErrorCode) {
  expect(error).toMatchObject({ name: 'ScannerError', code });
}

describe('EsclDriver against a scanner answering with real HP captures', () => {
  it('lists a scanner entered by address', async () => {
    const server = await start();
    await expect(driver({ manual: [{ url: server.baseUrl, name: 'Archive room HP' }] }).listDevices()).resolves.toEqual([
      { id: toEsclDeviceId(server.baseUrl), backend: 'escl', name: 'Archive room HP' },
    ]);
  });

  it('reads its capabilities', async () => {
    const server = await start();
    const caps = await driver().getCapabilities(toEsclDeviceId(server.baseUrl));
    expect(caps.sources.map((source) => source.source)).toEqual(['flatbed', 'adf', 'duplex']);
  });

  it('runs a feeder job: status, POST ScanJobs → 201 + Location, NextDocument until 404, then DELETE', async () => {
    const server = await start({ sheets: 4, busyPolls: 1 });
    const { pages, error } = await drain(driver().scan(request(server, { resolution: 150, mode: 'color' })));
    expect(error).toBeUndefined();
    expect(pages.map((page) => [page.index, page.mimeType])).toEqual([0, 1, 2, 3].map((index) => [index, 'image/jpeg']));
    // A 1 × 1.4 inch test sheet at 150 dpi.
    expect(pages[0]).toMatchObject({ width: 150, height: 210 });
    expect((await sharp(pages[3]?.data).metadata()).format).toBe('jpeg');
    expect(server.jobsPosted).toEqual([{ inputSource: 'Feeder', resolution: 150, colorMode: 'RGB24', duplex: false, format: 'image/jpeg' }]);
    const flow = server.requests;
    expect(flow.slice(0, 3)).toEqual(['GET /eSCL/ScannerCapabilities', 'GET /eSCL/ScannerStatus', 'POST /eSCL/ScanJobs']);
    // 503 while each page is still being scanned, then the page; 404 once the feeder is empty.
    expect(flow.filter((line) => line === 'GET /eSCL/ScanJobs/1/NextDocument')).toHaveLength(4 * 2 + 1);
    expect(flow.at(-1)).toBe('DELETE /eSCL/ScanJobs/1');
  });

  it('asks duplex of a duplex feeder and gray or lineart by their eSCL names', async () => {
    const server = await start({ sheets: 1 });
    await drain(driver().scan(request(server, { source: 'duplex' })));
    server.sheets = 1;
    await drain(driver().scan(request(server, { mode: 'lineart', resolution: 300 })));
    expect(server.jobsPosted.map((job) => [job.duplex, job.colorMode, job.resolution])).toEqual([
      [true, 'Grayscale8', 75],
      [false, 'BlackAndWhite1', 300],
    ]);
  });

  it('scans one page from the flatbed', async () => {
    const server = await start();
    const { pages, error } = await drain(driver().scan(request(server, { source: 'flatbed' })));
    expect(error).toBeUndefined();
    expect(pages).toHaveLength(1);
    expect(server.jobsPosted[0]?.inputSource).toBe('Platen');
  });

  it('keeps the pages before a jam, reports jammed from ScannerStatus, and a new job goes on from the next sheet', async () => {
    const server = await start({ sheets: 5, jamAt: 2 });
    const first = await drain(driver().scan(request(server)));
    expect(first.pages).toHaveLength(2);
    expectCode(first.error, 'jammed');
    expect(server.requests).toContain('DELETE /eSCL/ScanJobs/1');
    server.clearJam();
    const second = await drain(driver().scan(request(server)));
    expect(second.error).toBeUndefined();
    expect(second.pages).toHaveLength(3);
  });

  it.each([
    { adfState: 'ScannerAdfEmpty', code: 'feeder-empty' },
    { adfState: 'ScannerAdfJam', code: 'jammed' },
    { adfState: 'ScannerAdfHatchOpen', code: 'cover-open' },
  ] as const)('refuses to start on $adfState with $code, posting no job', async ({ adfState, code }) => {
    const server = await start({ sheets: 3, adfState });
    const { pages, error } = await drain(driver().scan(request(server)));
    expect(pages).toEqual([]);
    expectCode(error, code);
    expect(server.jobsPosted).toEqual([]);
  });

  it('reports a scanner busy with another job as busy', async () => {
    const server = await start({ sheets: 3, state: 'Processing' });
    expectCode((await drain(driver().scan(request(server)))).error, 'busy');
  });

  it('reports an empty feeder when the job yields no page', async () => {
    const server = await start({ sheets: 0, adfState: 'ScannerAdfLoaded' });
    const { error } = await drain(driver().scan(request(server)));
    expectCode(error, 'feeder-empty');
    expect(server.requests.at(-1)).toBe('DELETE /eSCL/ScanJobs/1');
  });

  it('refuses settings the device does not offer before posting a job', async () => {
    const server = await start({ model: 'simplex', sheets: 2 });
    expectCode((await drain(driver().scan(request(server, { source: 'duplex' })))).error, 'unsupported');
    expectCode((await drain(driver().scan(request(server, { resolution: 123 })))).error, 'invalid');
    expect(server.jobsPosted).toEqual([]);
  });

  it('cancelled mid-page: stops waiting and deletes the job', async () => {
    const server = await start({ sheets: 3, pageDelayMs: 5000 });
    const controller = new AbortController();
    const running = drain(driver().scan(request(server), controller.signal));
    while (!server.requests.includes('GET /eSCL/ScanJobs/1/NextDocument')) await new Promise((resolve) => setTimeout(resolve, 5));
    const abortedAt = Date.now();
    controller.abort();
    const { pages, error } = await running;
    expect(Date.now() - abortedAt).toBeLessThan(1000);
    expect(pages).toEqual([]);
    expectCode(error, 'cancelled');
    expect(server.requests.at(-1)).toBe('DELETE /eSCL/ScanJobs/1');
  });

  it('keeps the pages received when the scanner goes away mid-job, and reports device-gone', async () => {
    const server = await start({ sheets: 3, pageDelayMs: 300 });
    const received: ScannedPage[] = [];
    let error: unknown;
    try {
      for await (const page of driver().scan(request(server))) {
        received.push(page);
        // Unplugged while the second sheet is being scanned.
        await server.close();
        scanner = undefined;
      }
    } catch (caught) {
      error = caught;
    }
    expect(received).toHaveLength(1);
    expectCode(error, 'device-gone');
  });

  it('reports a scanner that went away as device-gone, and a bad id as unknown-device', async () => {
    const server = await start();
    const id = toEsclDeviceId(server.baseUrl);
    await server.close();
    scanner = undefined;
    expectCode((await drain(driver().scan({ ...request(server), deviceId: id }))).error, 'device-gone');
    expectCode((await drain(driver().scan({ ...request(server), deviceId: 'escl:not a url' }))).error, 'unknown-device');
    expectCode((await drain(driver().scan({ ...request(server), deviceId: 'sane:test:0' }))).error, 'unknown-device');
  });
});

describe('EsclDriver with devices that differ from HP', () => {
  it.each([
    { location: 'path', example: '/eSCL/ScanJobs/1' },
    { location: 'relative', example: 'ScanJobs/1' },
  ] as const)('follows a Location given as $location ($example) on 201 Created', async ({ location }) => {
    const server = await start({ sheets: 2, location });
    const { pages, error } = await drain(driver().scan(request(server)));
    expect(error).toBeUndefined();
    expect(pages).toHaveLength(2);
    expect(server.requests.filter((line) => line.startsWith('GET /eSCL/ScanJobs/1/NextDocument'))).toHaveLength(3);
    expect(server.requests.at(-1)).toBe('DELETE /eSCL/ScanJobs/1');
  });
});

describe('the eSCL test scanner answers as the captured devices do', () => {
  const get = async (server: EsclTestScanner, resource: string) => {
    const response = await fetch(`${server.baseUrl}/${resource}`);
    return { status: response.status, text: await response.text() };
  };

  it('reports its state and jobs in the captured status documents, and ScanImageInfo for the last page', async () => {
    const server = await start({ sheets: 2, pageDelayMs: 50 });
    // Idle with paper in the feeder: the "loaded" capture.
    expect(parseStatus((await get(server, 'ScannerStatus')).text)).toEqual({ state: 'Idle', adfState: 'ScannerAdfLoaded', jobs: [] });
    let during: EsclStatus | undefined;
    let info: ReturnType<typeof parseScanImageInfo> | undefined;
    for await (const page of driver().scan(request(server, { resolution: 150 }))) {
      if (page.index !== 0) continue;
      // Mid-job: the "processing" capture, with this job in it.
      during = parseStatus((await get(server, 'ScannerStatus')).text);
      info = parseScanImageInfo((await get(server, 'ScanJobs/1/ScanImageInfo')).text);
      expect(info).toMatchObject({ jobUri: '/eSCL/ScanJobs/1', width: page.width, height: page.height });
    }
    expect(during).toEqual({ state: 'Processing', adfState: 'ScannerAdfLoaded', jobs: [{ uri: '/eSCL/ScanJobs/1', state: 'Processing', reasons: ['JobScanning'], imagesCompleted: 1 }] });
    expect(info).toBeDefined();
    // Idle again, the finished job still listed, as HP devices keep it.
    const after = parseStatus((await get(server, 'ScannerStatus')).text);
    expect(after).toEqual({ state: 'Idle', adfState: 'ScannerAdfEmpty', jobs: [{ uri: '/eSCL/ScanJobs/1', state: 'Completed', reasons: ['JobCompletedSuccessfully'], imagesCompleted: 2 }] });
    expect(isBusy(after)).toBe(false);
    expect((await get(server, 'ScanJobs/9/ScanImageInfo')).status).toBe(404);
  });

  it('says Processing with the completed job just after a job ends, as the "completed" capture does', async () => {
    const server = await start({ sheets: 1 });
    const job = await fetch(`${server.baseUrl}/ScanJobs`, {
      method: 'POST',
      body: scanSettingsXml({ source: 'adf', resolution: 75, colorMode: 'Grayscale8', documentFormat: 'image/jpeg', width: 2550, height: 3300, version: '2.62' }),
    });
    const location = job.headers.get('location') ?? '';
    expect((await fetch(`${location}/NextDocument`)).status).toBe(200);
    expect((await fetch(`${location}/NextDocument`)).status).toBe(404);
    const settling = parseStatus((await get(server, 'ScannerStatus')).text);
    expect(settling).toMatchObject({ state: 'Processing', jobs: [{ state: 'Completed', imagesCompleted: 1 }] });
    expect(isBusy(settling)).toBe(false);
    expect(parseStatus((await get(server, 'ScannerStatus')).text).state).toBe('Idle');
  });
});

describe('EsclDriver refuses pages beyond the limits', () => {
  it.each([
    // A JPEG header cannot claim 100,000 × 100,000 (16-bit sides; libjpeg reads up to 65,500).
    { format: 'jpeg', claimed: '65500 × 65500' },
    { format: 'png', claimed: '100000 × 100000' },
  ] as const)('keeps the pages before a $format claiming $claimed pixels, refuses it from its header, and holds no memory for it', async ({ format, claimed }) => {
    const server = await start({ sheets: 3, hostilePage: { at: 1, format } });
    const before = process.memoryUsage().rss;
    const { pages, error } = await drain(driver().scan(request(server)));
    expect(pages.map((page) => page.index)).toEqual([0]);
    expectCode(error, 'invalid');
    expect((error as Error).message).toContain(`page 2 of ${claimed} pixels`);
    // Decoding would need gigabytes; the header check needs next to nothing.
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
    expect(server.requests.at(-1)).toBe('DELETE /eSCL/ScanJobs/1');
  });

  it('refuses a page larger than the byte limit before holding it', async () => {
    const server = await start({ sheets: 2 });
    const { pages, error } = await drain(driver({ pageLimits: { maxBytes: 200 } }).scan(request(server)));
    expect(pages).toEqual([]);
    expectCode(error, 'no-memory');
    expect((error as Error).message).toContain('larger than Arkiva accepts');
  });

  it('refuses a page over the pixel limit it is given', async () => {
    const server = await start({ sheets: 1 });
    const { error } = await drain(driver({ pageLimits: { maxPixels: 75 * 75 } }).scan(request(server)));
    expectCode(error, 'invalid');
    expect((error as Error).message).toContain('75 × 105 pixels');
  });
});

describe('EsclDriver over HTTPS', () => {
  let folder = '';
  let tls: { key: string; cert: string };
  let fingerprint = '';
  beforeAll(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'arkiva-escl-tls-'));
    const key = path.join(folder, 'key.pem');
    const cert = path.join(folder, 'cert.pem');
    // A self-signed certificate, as network scanners make for themselves.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=HPCB4F69.local'], { stdio: 'ignore' });
    tls = { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
    fingerprint = new X509Certificate(tls.cert).fingerprint256;
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('scans from a scanner whose certificate is pinned', async () => {
    const server = await start({ tls, sheets: 2 });
    const { pages, error } = await drain(driver({ manual: [{ url: server.baseUrl, pinnedSha256: fingerprint }] }).scan(request(server)));
    expect(error).toBeUndefined();
    expect(pages).toHaveLength(2);
  });

  it('accepts a pin written in lower case without colons', async () => {
    const server = await start({ tls, sheets: 1 });
    const pin = fingerprint.replace(/:/g, '').toLowerCase();
    const { error } = await drain(driver({ pins: { [new URL(server.baseUrl).origin]: pin } }).scan(request(server)));
    expect(error).toBeUndefined();
  });

  it('refuses a certificate other than the pinned one and sends it nothing', async () => {
    const server = await start({ tls, sheets: 1 });
    const wrongPin = 'AB:'.repeat(31) + 'AB';
    const { error } = await drain(driver({ manual: [{ url: server.baseUrl, pinnedSha256: wrongPin }] }).scan(request(server)));
    expectCode(error, 'access-denied');
    expect((error as Error).message).toContain('pinned');
    expect(server.requests).toEqual([]);
  });

  it('refuses an unpinned self-signed certificate, saying how to pin it', async () => {
    const server = await start({ tls, sheets: 1 });
    const { error } = await drain(driver().scan(request(server)));
    expectCode(error, 'access-denied');
    expect((error as Error).message).toContain('fingerprint');
    expect(server.requests).toEqual([]);
  });
});
