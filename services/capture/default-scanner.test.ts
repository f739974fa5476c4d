import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EsclDriver } from '../../scanner-drivers/escl/escl-driver';
import type { MdnsBrowser } from '../../scanner-drivers/escl/escl-discovery';
import { startEsclTestScanner } from '../../scanner-drivers/escl/escl-test-server';
import type { EsclTestScanner } from '../../scanner-drivers/escl/escl-test-server';
import { drainPages } from '../../scanner-drivers/test-support/drain-pages';
import { parseEsclPins, parseEsclScanners } from './default-scanner';

const PIN = 'AB:'.repeat(31) + 'AB';

describe('parseEsclScanners (ARKIVA_ESCL_SCANNERS)', () => {
  it('reads addresses with and without a pin, and refuses what is not a URL', () => {
    expect(parseEsclScanners(`http://10.0.0.5/eSCL  https://10.0.0.6/eSCL#sha256=${PIN}`)).toEqual([
      { url: 'http://10.0.0.5/eSCL' },
      { url: 'https://10.0.0.6/eSCL', pinnedSha256: PIN },
    ]);
    expect(() => parseEsclScanners('10.0.0.5')).toThrow(/not a URL/);
  });
});

describe('parseEsclPins (ARKIVA_ESCL_PINS)', () => {
  it('keys each pin by the origin the scanner announces, with or without https://', () => {
    expect(parseEsclPins(`10.0.0.7:8443=${PIN} https://HPCB4F69.local=${PIN.replace(/:/g, '').toLowerCase()}`)).toEqual({
      'https://10.0.0.7:8443': PIN,
      'https://hpcb4f69.local': 'ab'.repeat(32),
    });
    // The default HTTPS port is no part of an origin.
    expect(Object.keys(parseEsclPins(`10.0.0.7:443=${PIN}`))).toEqual(['https://10.0.0.7']);
    expect(parseEsclPins(undefined)).toEqual({});
  });

  it.each([
    ['10.0.0.7:443', /address and a SHA-256 fingerprint/],
    ['10.0.0.7:443=AB:CD', /address and a SHA-256 fingerprint/],
    [`=${PIN}`, /address and a SHA-256 fingerprint/],
    [`http://10.0.0.7=${PIN}`, /not an HTTPS scanner address/],
  ])('refuses %s', (value, message) => {
    expect(() => parseEsclPins(value)).toThrow(message);
  });
});

describe('a pin from ARKIVA_ESCL_PINS for a scanner found on the network', () => {
  let folder = '';
  let tls: { key: string; cert: string };
  let fingerprint = '';
  let server: EsclTestScanner | undefined;
  beforeAll(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'arkiva-pins-'));
    const key = path.join(folder, 'key.pem');
    const cert = path.join(folder, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=HPCB4F69.local'], { stdio: 'ignore' });
    tls = { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
    fingerprint = new X509Certificate(tls.cert).fingerprint256;
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  /** What the scanner announces on `_uscans._tcp`: its address and port, nothing about its certificate. */
  const announcing = (port: number): MdnsBrowser => ({
    browse: async () => {
      const instance = 'HP ScanJet Pro 4500 fn1 [CB4F69]._uscans._tcp.local';
      return [
        { name: '_uscans._tcp.local', type: 'PTR', data: instance },
        { name: instance, type: 'SRV', data: { priority: 0, weight: 0, port, target: 'HPCB4F69.local' } },
        { name: instance, type: 'TXT', data: [Buffer.from('rs=eSCL'), Buffer.from('ty=HP ScanJet Pro 4500 fn1')] },
        { name: 'HPCB4F69.local', type: 'A', data: '127.0.0.1' },
      ];
    },
  });

  it('lets the clerk scan from the discovered scanner over HTTPS, and only with the right certificate', async () => {
    server = await startEsclTestScanner({ tls, sheets: 2 });
    const port = Number(new URL(server.baseUrl).port);
    const discovered = async (pins: Record<string, string>) => {
      const driver = new EsclDriver({ browser: announcing(port), browseMs: 10, pollIntervalMs: 10, pins });
      const [device] = await driver.listDevices();
      expect(device?.id).toBe(`escl:https://127.0.0.1:${port}/eSCL`);
      return drainPages(driver.scan({ deviceId: device?.id ?? '', source: 'adf', resolution: 75, mode: 'gray' }));
    };
    expect((await discovered({})).error).toMatchObject({ code: 'access-denied' });
    expect((await discovered(parseEsclPins(`127.0.0.1:${port}=${PIN}`))).error).toMatchObject({ code: 'access-denied' });
    const pinned = await discovered(parseEsclPins(`127.0.0.1:${port}=${fingerprint}`));
    expect(pinned.error).toBeUndefined();
    expect(pinned.pages).toHaveLength(2);
  });
});
