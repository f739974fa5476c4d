import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { deviceCapabilitiesSchema, deviceSchema } from '../../common/api/contract';
import type { Device, DeviceCapabilities } from '../../common/api/contract';
import { checkScannedPage, DEFAULT_MAX_PAGE_BYTES, pageTooLargeError } from '../scanned-page-check';
import type { PageLimits } from '../scanned-page-check';
import { ScannerError } from '../scanner-errors';
import type { ScannedPage, ScannerDriver, ScanRequest } from '../scanner-driver';
import { helperError } from './helper-errors';

/** The protocol this adapter speaks (PROTOCOL.md). */
export const HELPER_PROTOCOL = 1;

const errorSchema = z.object({
  code: z.string().optional(),
  message: z.string().optional(),
  detail: z.string().optional(),
  twcc: z.number().int().optional(),
  hresult: z.union([z.string(), z.number()]).optional(),
});
const pageSchema = z.object({
  index: z.number().int().nonnegative(),
  path: z.string().min(1),
  mimeType: z.enum(['image/png', 'image/jpeg']),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
const messageSchema = z.union([
  z.object({ id: z.number().int(), event: z.literal('page'), page: pageSchema }),
  z.object({ id: z.number().int(), result: z.unknown() }),
  z.object({ id: z.number().int(), error: errorSchema }),
]);
type HelperMessage = z.infer<typeof messageSchema>;

const helloSchema = z.object({ protocol: z.number().int(), helper: z.string().optional() });
const devicesSchema = z.object({ devices: z.array(deviceSchema.pick({ id: true, name: true })) });

export interface TwainHelperOptions {
  /** The helper executable (on Windows, the 32-bit arkiva scan helper). */
  readonly command: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Where each scan's page folder is made. */
  readonly tempDirectory?: string;
  /** How long a request other than scan may take. */
  readonly requestTimeoutMs?: number;
  /** How long a cancelled scan may take to end before the helper is killed. */
  readonly cancelGraceMs?: number;
}

interface Pending {
  onMessage(message: HelperMessage): void;
  onExit(error: ScannerError): void;
}

const STDERR_LIMIT = 64 * 1024;

/**
 * One helper process, started on first use and again after it died, with requests matched to
 * answers by id. Lines that are not protocol messages are counted and ignored.
 */
export class HelperConnection {
  #child: ChildProcessWithoutNullStreams | undefined;
  #ready: Promise<void> | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  #stderr = '';
  /** Lines on stdout that were not protocol messages (a chatty driver), for diagnostics. */
  ignoredLines = 0;

  constructor(private readonly options: TwainHelperOptions) {}

  /** Sends a request; `onMessage` gets every message for it until it is settled by the caller. */
  async open(method: string, params: Record<string, unknown>, pending: Pending): Promise<number> {
    await this.#start();
    return this.#send(method, params, pending);
  }

  #send(method: string, params: Record<string, unknown>, pending: Pending): number {
    const id = this.#nextId++;
    this.#pending.set(id, pending);
    this.#child?.stdin.write(`${JSON.stringify({ id, method, params })}\n`);
    return id;
  }

  close(id: number): void {
    this.#pending.delete(id);
  }

  /** A request with one answer. */
  async call(method: string, params: Record<string, unknown>): Promise<unknown> {
    await this.#start();
    return this.#call(method, params);
  }

  #call(method: string, params: Record<string, unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let id = 0;
      const timer = setTimeout(() => {
        this.close(id);
        reject(new ScannerError('io-error', { message: 'The scanner helper did not answer.', detail: `${method}: no answer in time` }));
      }, this.options.requestTimeoutMs ?? 30_000);
      const settle = () => {
        clearTimeout(timer);
        this.close(id);
      };
      id = this.#send(method, params, {
        onMessage: (message) => {
          if ('event' in message) return;
          settle();
          if ('error' in message) reject(helperError(message.error));
          else resolve(message.result);
        },
        onExit: (error) => {
          settle();
          reject(error);
        },
      });
    });
  }

  kill(): void {
    this.#child?.kill('SIGKILL');
  }

  async dispose(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  }

  #start(): Promise<void> {
    this.#ready ??= this.#spawn().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async #spawn(): Promise<void> {
    const child = spawn(this.options.command, [...(this.options.args ?? [])], {
      env: { ...process.env, ...this.options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
    });
    this.#child = child;
    this.#stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-STDERR_LIMIT);
    });
    // Writing to a helper that died is reported by its exit, not as an unhandled stream error.
    child.stdin.on('error', () => undefined);
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    lines.on('line', (line) => this.#dispatch(line));
    const started = new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          new ScannerError('unavailable', {
            message: 'The TWAIN/WIA scanner helper is not installed on this workstation.',
            detail: `${this.options.command}: ${error.message}`,
            cause: error,
          }),
        );
      });
    });
    child.once('exit', (code, signal) => {
      if (this.#child === child) {
        this.#child = undefined;
        this.#ready = undefined;
      }
      const error = new ScannerError('io-error', {
        message: 'The scanner helper stopped unexpectedly. Scan again; if it keeps happening, restart the scanner.',
        detail: `helper ended with ${signal ?? `exit code ${String(code)}`}${this.#stderr ? `: ${this.#stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`,
      });
      for (const [id, pending] of [...this.#pending]) {
        this.#pending.delete(id);
        pending.onExit(error);
      }
    });
    await started;
    const hello = helloSchema.safeParse(await this.#call('hello', { protocol: HELPER_PROTOCOL }));
    if (!hello.success || hello.data.protocol !== HELPER_PROTOCOL) {
      child.kill('SIGKILL');
      throw new ScannerError('unavailable', {
        message: 'The installed scanner helper does not match this version of Arkiva. Reinstall Arkiva.',
        detail: hello.success ? `helper speaks protocol ${hello.data.protocol}` : 'bad hello',
      });
    }
  }

  #dispatch(line: string): void {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      this.ignoredLines += 1;
      return;
    }
    const parsed = messageSchema.safeParse(json);
    if (!parsed.success) {
      this.ignoredLines += 1;
      return;
    }
    const pending = this.#pending.get(parsed.data.id);
    if (pending) pending.onMessage(parsed.data);
    else this.ignoredLines += 1;
  }
}

type ScanStep = { kind: 'page'; page: z.infer<typeof pageSchema> } | { kind: 'end' } | { kind: 'error'; error: ScannerError };

/**
 * TWAIN or WIA devices through the helper process. One connection serves both; each backend
 * is a driver of its own over it so that discovery lists every device once.
 */
export class TwainHelperDriver implements ScannerDriver {
  constructor(
    private readonly connection: HelperConnection,
    private readonly backend: 'twain' | 'wia',
    private readonly options: Pick<TwainHelperOptions, 'tempDirectory' | 'cancelGraceMs'> & { readonly pageLimits?: PageLimits } = {},
  ) {}

  async listDevices(): Promise<Device[]> {
    const parsed = devicesSchema.safeParse(await this.connection.call('listDevices', {}));
    if (!parsed.success) throw new ScannerError('io-error', { detail: `listDevices: ${parsed.error.message}` });
    return parsed.data.devices
      .filter((device) => device.id.startsWith(`${this.backend}:`))
      .map((device) => ({ id: device.id, name: device.name, backend: this.backend }));
  }

  async getCapabilities(deviceId: string): Promise<DeviceCapabilities> {
    this.#checkId(deviceId);
    const parsed = deviceCapabilitiesSchema.safeParse(await this.connection.call('getCapabilities', { deviceId }));
    if (!parsed.success) throw new ScannerError('io-error', { detail: `getCapabilities: ${parsed.error.message}` });
    return parsed.data;
  }

  scan(request: ScanRequest, signal?: AbortSignal): AsyncIterable<ScannedPage> {
    return this.#scan(request, signal);
  }

  /** Cancels a scan through the protocol and waits for it to end; a helper that does not end it in time is killed. */
  async #stopHelperScan(scanId: number, whenDone: (done: () => void) => void): Promise<void> {
    void this.connection.call('cancel', { scanId }).catch(() => undefined);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.connection.kill();
        resolve();
      }, this.options.cancelGraceMs ?? 2000);
      whenDone(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  #checkId(deviceId: string): void {
    if (!deviceId.startsWith(`${this.backend}:`) || deviceId.length === this.backend.length + 1) {
      throw new ScannerError('unknown-device', { detail: `${deviceId} is not a ${this.backend.toUpperCase()} device id` });
    }
  }

  async *#scan(request: ScanRequest, signal: AbortSignal | undefined): AsyncGenerator<ScannedPage, void, undefined> {
    this.#checkId(request.deviceId);
    if (signal?.aborted) throw new ScannerError('cancelled');
    const folder = await mkdtemp(path.join(this.options.tempDirectory ?? tmpdir(), 'arkiva-twain-'));
    // Steps arrive from the helper faster or slower than the consumer takes pages: queue them.
    const steps: ScanStep[] = [];
    let wake: (() => void) | undefined;
    /** Whether the helper's scan has ended (its result or error came, or the helper died). */
    let helperDone = false;
    let onHelperDone: (() => void) | undefined;
    const push = (step: ScanStep) => {
      if (step.kind !== 'page') {
        helperDone = true;
        onHelperDone?.();
      }
      steps.push(step);
      wake?.();
    };
    let scanId = 0;
    let ended = false;
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      if (ended) return;
      void this.connection.call('cancel', { scanId }).catch(() => undefined);
      killTimer = setTimeout(() => {
        // The helper did not stop the device in time: stopping the helper stops it.
        this.connection.kill();
        push({ kind: 'error', error: new ScannerError('cancelled', { detail: 'the helper did not end the scan; it was stopped' }) });
      }, this.options.cancelGraceMs ?? 2000);
    };
    try {
      scanId = await this.connection.open(
        'scan',
        { deviceId: request.deviceId, source: request.source, resolution: request.resolution, mode: request.mode, pageDirectory: folder },
        {
          onMessage: (message) => {
            if ('event' in message) push({ kind: 'page', page: message.page });
            else if ('error' in message) push({ kind: 'error', error: helperError(message.error) });
            else push({ kind: 'end' });
          },
          onExit: (error) => push({ kind: 'error', error }),
        },
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      let delivered = 0;
      for (;;) {
        const step = steps.shift();
        if (step === undefined) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
          continue;
        }
        if (step.kind === 'end') break;
        if (step.kind === 'error') throw signal?.aborted ? new ScannerError('cancelled', { detail: step.error.detail }) : step.error;
        const file = path.resolve(step.page.path);
        if (path.dirname(file) !== path.resolve(folder)) {
          throw new ScannerError('io-error', { message: 'The scanner helper misbehaved.', detail: `page outside the scan folder: ${step.page.path}` });
        }
        const missing = (error: unknown) =>
          new ScannerError('io-error', { message: 'A scanned page went missing before Arkiva could read it. Scan the sheet again.', detail: String(error) });
        // The size is judged before the file is read, and the image by its own header, not by what the helper said.
        const { size } = await stat(file).catch((error: unknown) => {
          throw missing(error);
        });
        const maxBytes = this.options.pageLimits?.maxBytes ?? DEFAULT_MAX_PAGE_BYTES;
        if (size > maxBytes) throw pageTooLargeError(delivered + 1, size, maxBytes);
        const data = await readFile(file).catch((error: unknown) => {
          throw missing(error);
        });
        await rm(file, { force: true });
        yield await checkScannedPage(data, delivered, this.options.pageLimits);
        delivered += 1;
      }
      if (signal?.aborted) throw new ScannerError('cancelled');
    } finally {
      ended = true;
      clearTimeout(killTimer);
      signal?.removeEventListener('abort', onAbort);
      // Left early (a page refused, the consumer stopped, an abort): the device must stop
      // feeding and the helper stop writing into the folder before it is removed.
      if (scanId !== 0 && !helperDone) await this.#stopHelperScan(scanId, (done) => (onHelperDone = done));
      this.connection.close(scanId);
      await rm(folder, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
    }
  }
}
