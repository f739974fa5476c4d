import { CombinedDriver } from '../../scanner-drivers/combined-driver';
import type { BackendDriver } from '../../scanner-drivers/combined-driver';
import { EsclDriver } from '../../scanner-drivers/escl/escl-driver';
import type { ManualEsclScanner } from '../../scanner-drivers/escl/escl-driver';
import { SaneDriver } from '../../scanner-drivers/sane/sane-driver';
import { HelperConnection, TwainHelperDriver } from '../../scanner-drivers/twain/twain-helper-driver';

export interface DefaultScannerOptions {
  /** Variables added to the scanner backends' inherited environment (e.g. SANE_CONFIG_DIR). */
  readonly env?: Readonly<Record<string, string>>;
  /** Network scanners entered by address; defaults to ARKIVA_ESCL_SCANNERS. */
  readonly esclScanners?: readonly ManualEsclScanner[];
  /** Certificate pins for network scanners by origin, discovered ones too; defaults to ARKIVA_ESCL_PINS. */
  readonly esclPins?: Readonly<Record<string, string>>;
  /** Search the network for eSCL scanners by multicast DNS (default: on, unless ARKIVA_ESCL_DISCOVERY=off). */
  readonly esclDiscovery?: boolean;
  /**
   * The TWAIN/WIA helper executable (scanner-drivers/twain/PROTOCOL.md); defaults to
   * ARKIVA_SCAN_HELPER, else `arkiva-scan-helper.exe` on the PATH. Windows only: elsewhere there
   * is no TWAIN or WIA, and SANE and eSCL cover the same devices.
   */
  readonly scanHelper?: string;
}

/**
 * `ARKIVA_ESCL_SCANNERS`: network scanners by address, separated by spaces, each a URL with an
 * optional certificate pin: `http://10.0.0.5/eSCL https://10.0.0.6/eSCL#sha256=AB:CD:…`.
 */
export function parseEsclScanners(value: string | undefined): ManualEsclScanner[] {
  const scanners: ManualEsclScanner[] = [];
  for (const entry of (value ?? '').split(/\s+/).filter(Boolean)) {
    const [url = '', pin] = entry.split('#sha256=');
    try {
      new URL(url);
    } catch {
      throw new Error(`ARKIVA_ESCL_SCANNERS: "${entry}" is not a URL such as http://10.0.0.5/eSCL`);
    }
    scanners.push(pin === undefined ? { url } : { url, pinnedSha256: pin });
  }
  return scanners;
}

/**
 * `ARKIVA_ESCL_PINS`: certificate pins for HTTPS scanners found on the network (`_uscans._tcp`),
 * which cannot carry a `#sha256=` like an address entered by hand. Separated by spaces, each the
 * address the scanner announces and the SHA-256 fingerprint of its certificate:
 * `10.0.0.7:443=AB:CD:… https://10.0.0.8:8443=EF:…`. Returns pins by origin (`https://10.0.0.7`).
 */
export function parseEsclPins(value: string | undefined): Record<string, string> {
  const pins: Record<string, string> = {};
  for (const entry of (value ?? '').split(/\s+/).filter(Boolean)) {
    const split = entry.lastIndexOf('=');
    const address = entry.slice(0, Math.max(0, split));
    const fingerprint = entry.slice(split + 1);
    const hex = fingerprint.replace(/:/g, '');
    if (split <= 0 || !/^[0-9a-f]{64}$/i.test(hex)) {
      throw new Error(`ARKIVA_ESCL_PINS: "${entry}" is not an address and a SHA-256 fingerprint such as 10.0.0.7:443=AB:CD:…`);
    }
    let origin: string;
    try {
      const url = new URL(/^[a-z]+:\/\//i.test(address) ? address : `https://${address}`);
      if (url.protocol !== 'https:') throw new Error('not https');
      origin = url.origin;
    } catch {
      throw new Error(`ARKIVA_ESCL_PINS: "${address}" is not an HTTPS scanner address such as 10.0.0.7:443`);
    }
    pins[origin] = fingerprint;
  }
  return pins;
}

/** Every scanner backend this workstation can use, behind one driver; the app and the CLI share it. */
export function createDefaultScanner(options: DefaultScannerOptions = {}): CombinedDriver {
  const backends: BackendDriver[] = [
    { backend: 'sane', driver: new SaneDriver(options.env ? { env: { ...options.env } } : {}) },
    {
      backend: 'escl',
      driver: new EsclDriver({
        manual: options.esclScanners ?? parseEsclScanners(process.env.ARKIVA_ESCL_SCANNERS),
        pins: options.esclPins ?? parseEsclPins(process.env.ARKIVA_ESCL_PINS),
        ...((options.esclDiscovery ?? process.env.ARKIVA_ESCL_DISCOVERY !== 'off') ? {} : { browser: false as const }),
      }),
    },
  ];
  if (process.platform === 'win32') {
    const connection = new HelperConnection({ command: options.scanHelper ?? process.env.ARKIVA_SCAN_HELPER ?? 'arkiva-scan-helper.exe' });
    backends.push({ backend: 'twain', driver: new TwainHelperDriver(connection, 'twain') }, { backend: 'wia', driver: new TwainHelperDriver(connection, 'wia') });
  }
  return new CombinedDriver(backends);
}
