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

/** Every scanner backend this workstation can use, behind one driver; the app and the CLI share it. */
export function createDefaultScanner(options: DefaultScannerOptions = {}): CombinedDriver {
  const backends: BackendDriver[] = [
    { backend: 'sane', driver: new SaneDriver(options.env ? { env: { ...options.env } } : {}) },
    {
      backend: 'escl',
      driver: new EsclDriver({
        manual: options.esclScanners ?? parseEsclScanners(process.env.ARKIVA_ESCL_SCANNERS),
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
