import type { Device, DeviceCapabilities } from '../../common/api/contract';
import { checkScannedPage, DEFAULT_MAX_PAGE_BYTES } from '../scanned-page-check';
import type { PageLimits } from '../scanned-page-check';
import { ScannerError } from '../scanner-errors';
import type { ScannedPage, ScannerDriver, ScanRequest } from '../scanner-driver';
import { ESCL_SERVICE_TYPES, multicastDnsBrowser, resolveEsclServices } from './escl-discovery';
import type { MdnsBrowser } from './escl-discovery';
import { esclRequest } from './escl-http';
import type { EsclHttpOptions, EsclResponse } from './escl-http';
import { ESCL_COLOR_MODES, isBusy, parseCapabilities, parseStatus, scanSettingsXml, statusError, toDeviceCapabilities } from './escl-xml';
import type { EsclCapabilities, EsclStatus } from './escl-xml';

const PREFIX = 'escl:';

/** A scanner the clerk (or IT) entered by address, for networks where multicast does not reach. */
export interface ManualEsclScanner {
  /** e.g. `http://192.168.1.20/eSCL` or `https://scanner.example:443/eSCL`. */
  readonly url: string;
  readonly name?: string;
  /** SHA-256 fingerprint of its TLS certificate (see EsclHttpOptions.pinnedSha256). */
  readonly pinnedSha256?: string;
}

export interface EsclDriverOptions {
  readonly manual?: readonly ManualEsclScanner[];
  /** Multicast browsing; `false` turns discovery off (manual addresses only). */
  readonly browser?: MdnsBrowser | false;
  readonly browseMs?: number;
  /** Certificate pins by origin (`https://host:port`), for discovered scanners too. */
  readonly pins?: Readonly<Record<string, string>>;
  /** How long to wait between polls while the device prepares a page (503 answers). */
  readonly pollIntervalMs?: number;
  /** How long a page may take to come before the device is taken to be stuck. */
  readonly pageTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** Limits for each delivered page (pixels from its header, bytes as it downloads); defaults as for import. */
  readonly pageLimits?: PageLimits;
}

export function toEsclDeviceId(baseUrl: string): string {
  return PREFIX + baseUrl.replace(/\/+$/, '');
}

function baseUrlOf(deviceId: string): URL {
  if (!deviceId.startsWith(PREFIX)) throw new ScannerError('unknown-device', { detail: `${deviceId} is not an eSCL device id` });
  try {
    const url = new URL(deviceId.slice(PREFIX.length));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported protocol ${url.protocol}`);
    return url;
  } catch (error) {
    throw new ScannerError('unknown-device', { detail: `${deviceId}: ${error instanceof Error ? error.message : String(error)}` });
  }
}

function resource(base: URL, path: string): URL {
  const url = new URL(base.href.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, ''));
  return url;
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ScannerError('cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function httpError(response: EsclResponse, what: string): ScannerError {
  if (response.status === 503) return new ScannerError('busy', { detail: `${what}: HTTP 503` });
  if (response.status === 401 || response.status === 403) return new ScannerError('access-denied', { detail: `${what}: HTTP ${response.status}` });
  if (response.status === 409) return new ScannerError('busy', { detail: `${what}: HTTP 409 Conflict` });
  return new ScannerError('io-error', { detail: `${what}: HTTP ${response.status} ${response.body.toString('utf8', 0, 200)}` });
}

/**
 * The eSCL backend (AirScan, Mopria): network scanners without a driver, on every OS. A job is
 * `POST ScanJobs` (201 Created, its URL in `Location`), then `GET <job>/NextDocument` once per
 * page until the device answers 404: no more pages. Failures are read from ScannerStatus (a jam
 * shows in AdfState). The job is deleted at the end however it ended, so the device is free.
 */
export class EsclDriver implements ScannerDriver {
  private readonly options: EsclDriverOptions;

  constructor(options: EsclDriverOptions = {}) {
    this.options = options;
  }

  async listDevices(): Promise<Device[]> {
    const devices = new Map<string, Device>();
    for (const manual of this.options.manual ?? []) {
      const id = toEsclDeviceId(manual.url);
      devices.set(id, { id, backend: 'escl', name: manual.name ?? new URL(manual.url).host });
    }
    const browser = this.options.browser ?? multicastDnsBrowser;
    if (browser !== false) {
      const records = await browser.browse(ESCL_SERVICE_TYPES, this.options.browseMs ?? 1500).catch((error: unknown) => {
        throw new ScannerError('unavailable', {
          message: 'Network scanners cannot be searched for on this workstation (multicast DNS is blocked). Enter their addresses instead.',
          detail: error instanceof Error ? error.message : String(error),
        });
      });
      for (const service of resolveEsclServices(records)) {
        const id = toEsclDeviceId(service.baseUrl);
        if (!devices.has(id)) devices.set(id, { id, backend: 'escl', name: service.name });
      }
    }
    return [...devices.values()];
  }

  async getCapabilities(deviceId: string): Promise<DeviceCapabilities> {
    const base = baseUrlOf(deviceId);
    return toDeviceCapabilities(deviceId, await this.capabilities(base, undefined));
  }

  scan(request: ScanRequest, signal?: AbortSignal): AsyncIterable<ScannedPage> {
    return this.scanPages(request, signal);
  }

  private http(base: URL): EsclHttpOptions {
    const manual = this.options.manual?.find((entry) => toEsclDeviceId(entry.url) === toEsclDeviceId(base.href));
    const pin = manual?.pinnedSha256 ?? this.options.pins?.[base.origin];
    return { pinnedSha256: pin, timeoutMs: this.options.requestTimeoutMs ?? 30_000 };
  }

  private async get(base: URL, path: string, signal: AbortSignal | undefined): Promise<EsclResponse> {
    return esclRequest(resource(base, path), 'GET', { ...this.http(base), signal });
  }

  private async capabilities(base: URL, signal: AbortSignal | undefined): Promise<EsclCapabilities> {
    const response = await this.get(base, 'ScannerCapabilities', signal);
    if (response.status === 404) throw new ScannerError('unknown-device', { detail: `${base.href}: no eSCL service (HTTP 404)` });
    if (response.status !== 200) throw httpError(response, 'ScannerCapabilities');
    return parseCapabilities(response.body.toString('utf8'));
  }

  private async status(base: URL, signal: AbortSignal | undefined): Promise<EsclStatus> {
    const response = await this.get(base, 'ScannerStatus', signal);
    if (response.status !== 200) throw httpError(response, 'ScannerStatus');
    return parseStatus(response.body.toString('utf8'));
  }

  private async *scanPages(request: ScanRequest, signal: AbortSignal | undefined): AsyncGenerator<ScannedPage, void, undefined> {
    if (signal?.aborted) throw new ScannerError('cancelled');
    const base = baseUrlOf(request.deviceId);
    const capabilities = await this.capabilities(base, signal);
    const input = capabilities.inputs[request.source];
    if (!input) {
      throw new ScannerError('unsupported', {
        message: { flatbed: 'This scanner has no flatbed.', adf: 'This scanner has no document feeder.', duplex: 'This scanner cannot scan both sides (duplex).' }[request.source],
      });
    }
    if (!input.resolutions.includes(request.resolution)) {
      throw new ScannerError('invalid', { message: `This scanner cannot scan at ${request.resolution} dpi; it offers ${input.resolutions.join(', ')} dpi.` });
    }
    const colorMode = ESCL_COLOR_MODES[request.mode].find((mode) => input.colorModes.includes(mode));
    if (colorMode === undefined) throw new ScannerError('unsupported', { message: `This scanner cannot scan in ${request.mode}.` });
    // PNG where offered (lossless); otherwise JPEG, which every eSCL scanner offers, kept as the device made it.
    const documentFormat = input.documentFormats.includes('image/png') ? 'image/png' : 'image/jpeg';

    const before = await this.status(base, signal);
    // A scanner that is down or jammed says so more precisely than "busy".
    const problem = statusError(before, request.source);
    if (problem) throw problem;
    if (isBusy(before)) throw new ScannerError('busy', { detail: `State ${before.state ?? '?'}` });

    const created = await esclRequest(resource(base, 'ScanJobs'), 'POST', {
      ...this.http(base),
      signal,
      body: scanSettingsXml({
        source: request.source,
        resolution: request.resolution,
        colorMode,
        documentFormat,
        width: input.maxWidth ?? 2550,
        height: input.maxHeight ?? 3300,
        version: capabilities.version ?? '2.0',
      }),
    });
    if (created.status !== 201) throw httpError(created, 'POST ScanJobs');
    const location = created.headers.location;
    if (typeof location !== 'string' || location === '') {
      throw new ScannerError('io-error', { detail: 'POST ScanJobs: 201 without a Location header' });
    }
    // Relative to the eSCL root (`ScanJobs/1`) as well as from the server's (`/eSCL/ScanJobs/1`).
    const job = new URL(location, base.href.replace(/\/*$/, '/'));
    let index = 0;
    try {
      for (;;) {
        const page = await this.nextDocument(base, job, request, signal);
        if (page === undefined) break;
        yield await checkScannedPage(page.body, index, this.options.pageLimits);
        index += 1;
        // Platen jobs are one page; some devices would otherwise answer another NextDocument with the glass again.
        if (request.source === 'flatbed') break;
      }
      if (index === 0) throw new ScannerError(request.source === 'flatbed' ? 'io-error' : 'feeder-empty');
    } finally {
      // Cancelled, failed or done: the device must not keep the job (and the paper path) busy.
      await esclRequest(job, 'DELETE', { ...this.http(base), timeoutMs: 5000 }).catch(() => undefined);
    }
  }

  /** The next page of the job, or undefined when there is none (404). Polls while the device prepares it (503). */
  private async nextDocument(base: URL, job: URL, request: ScanRequest, signal: AbortSignal | undefined): Promise<EsclResponse | undefined> {
    const deadline = Date.now() + (this.options.pageTimeoutMs ?? 120_000);
    for (;;) {
      const response = await esclRequest(resource(job, 'NextDocument'), 'GET', {
        ...this.http(base),
        signal,
        maxBodyBytes: this.options.pageLimits?.maxBytes ?? DEFAULT_MAX_PAGE_BYTES,
      });
      if (response.status === 200) return response;
      if (response.status === 404 || response.status === 410 || response.status >= 500) {
        // The job ended, normally or not: the scanner's status says which.
        const status = await this.status(base, signal).catch(() => undefined);
        const problem = status === undefined ? undefined : statusError(status, request.source);
        const jobInfo = status?.jobs.find((info) => sameJob(info.uri, job));
        const aborted = jobInfo?.state === 'Aborted' || jobInfo?.state === 'Canceled';
        if (problem && problem.code !== 'feeder-empty') throw problem;
        if (response.status === 503 && Date.now() < deadline) {
          await delay(this.options.pollIntervalMs ?? 500, signal);
          continue;
        }
        if (aborted) throw new ScannerError('io-error', { detail: `job ${jobInfo?.state}: ${jobInfo?.reasons.join(', ')}` });
        if (response.status >= 500) throw httpError(response, 'NextDocument');
        return undefined;
      }
      throw httpError(response, 'NextDocument');
    }
  }
}

function sameJob(uri: string, job: URL): boolean {
  return uri !== '' && (job.pathname === uri || job.pathname.endsWith(uri) || uri.endsWith(job.pathname));
}
