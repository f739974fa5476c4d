import { tmpdir } from 'node:os';
import type { Device, DeviceCapabilities } from '../../common/api/contract';
import { isScannerError, ScannerError } from '../scanner-errors';
import type { ScannedPage, ScannerDriver, ScanRequest } from '../scanner-driver';
import { runBatchScan } from './batch-scan';
import { readSaneCapabilities } from './sane-capabilities';
import { deviceListFormat, parseDeviceList, toDevices } from './device-list';
import { readScanOptions } from './device-options';
import type { SaneScanOptions } from './device-options';
import { toSaneName } from './sane-device-id';
import { deviceGoneError, scanimageError } from './scanimage-outcome';
import type { OutcomeContext } from './scanimage-outcome';
import { runScanimage } from './scanimage-process';
import type { ScanimageCommand } from './scanimage-process';
import { scanSettingArguments } from './scan-settings';

export interface SaneDriverOptions {
  /** Defaults to `scanimage` on the PATH. */
  readonly scanimagePath?: string;
  /** Added to the inherited environment of every scanimage run, e.g. `SANE_CONFIG_DIR`. */
  readonly env?: Readonly<Record<string, string>>;
  /** Where each job's private folder of pages is made; defaults to the OS temporary folder. */
  readonly tempDirectory?: string;
  /** How long scanimage gets to cancel cleanly after SIGTERM before it is killed. */
  readonly stopGraceMs?: number;
  /**
   * How long a device may send nothing in the middle of a scan before the scan is stopped
   * (default 2 minutes: lamps warm up, and a sheet's data can pause while the device buffers).
   */
  readonly stallTimeoutMs?: number;
  /**
   * Appended to every scan's scanimage arguments, after Arkiva's own settings. For tests (the
   * SANE test device's `--read-delay`, `--read-return-value`) and for tuning a particular
   * model at a site; never fill it from user input.
   */
  readonly extraScanArguments?: readonly string[];
}

/** Opening a device to see whether it is still there; a net device that is gone answers in about its connect timeout. */
const PROBE_TIMEOUT_MS = 10_000;

/** The SANE backend, driving the `scanimage` command of Debian's sane-utils. */
export class SaneDriver implements ScannerDriver {
  private readonly command: ScanimageCommand;
  private readonly tempDirectory: string;
  private readonly stopGraceMs: number;
  private readonly stallTimeoutMs: number;
  private readonly extraScanArguments: readonly string[];
  /** SANE names seen in a device list, to tell a device that went away from one that never was. */
  private readonly listedNames = new Set<string>();

  constructor(options: SaneDriverOptions = {}) {
    this.command = { path: options.scanimagePath ?? 'scanimage', env: { ...options.env } };
    this.tempDirectory = options.tempDirectory ?? tmpdir();
    this.stopGraceMs = options.stopGraceMs ?? 2000;
    this.stallTimeoutMs = options.stallTimeoutMs ?? 120_000;
    this.extraScanArguments = options.extraScanArguments ?? [];
  }

  async listDevices(): Promise<Device[]> {
    const result = await runScanimage(this.command, [`--formatted-device-list=${deviceListFormat}`]);
    const error = scanimageError(result, this.outcomeContext(''));
    if (error) throw error;
    const entries = parseDeviceList(result.stdout);
    for (const entry of entries) this.listedNames.add(entry.saneName);
    return toDevices(entries);
  }

  async getCapabilities(deviceId: string): Promise<DeviceCapabilities> {
    const saneName = this.saneNameOf(deviceId);
    return readSaneCapabilities(deviceId, async (optionArguments) => {
      const result = await runScanimage(this.command, [`--device-name=${saneName}`, ...optionArguments, '--all-options']);
      const error = scanimageError(result, this.outcomeContext(saneName));
      if (error) throw error;
      return result.stdout;
    });
  }

  scan(request: ScanRequest, signal?: AbortSignal): AsyncIterable<ScannedPage> {
    return this.scanPages(request, signal);
  }

  private saneNameOf(deviceId: string): string {
    const saneName = toSaneName(deviceId);
    if (saneName === undefined) throw new ScannerError('unknown-device', { detail: `${deviceId} is not a SANE device id` });
    return saneName;
  }

  private async *scanPages(request: ScanRequest, signal: AbortSignal | undefined): AsyncGenerator<ScannedPage, void, undefined> {
    const saneName = this.saneNameOf(request.deviceId);
    const options = await this.scanOptions(saneName);
    try {
      yield* runBatchScan({
        command: this.command,
        deviceArguments: [`--device-name=${saneName}`, ...scanSettingArguments(request, options), ...this.extraScanArguments],
        singlePage: request.source === 'flatbed',
        tempDirectory: this.tempDirectory,
        stopGraceMs: this.stopGraceMs,
        stallTimeoutMs: this.stallTimeoutMs,
        outcome: this.outcomeContext(saneName),
        signal,
      });
    } catch (error) {
      throw await this.explainFailure(saneName, error);
    }
  }

  /**
   * An I/O failure in the middle of a scan looks the same whether the cable is loose or the
   * device (or the machine sharing it through saned) is gone; opening it again tells them apart.
   */
  private async explainFailure(saneName: string, error: unknown): Promise<unknown> {
    if (!isScannerError(error, 'io-error')) return error;
    const probe = await runScanimage(this.command, [`--device-name=${saneName}`, '--all-options'], PROBE_TIMEOUT_MS);
    return deviceGoneError(error, probe) ?? error;
  }

  /** Asked anew for every job: a device's options can differ after a firmware or driver update, and a job costs seconds anyway. */
  private async scanOptions(saneName: string): Promise<SaneScanOptions> {
    const result = await runScanimage(this.command, [`--device-name=${saneName}`, '--all-options']);
    const error = scanimageError(result, this.outcomeContext(saneName));
    if (error) throw error;
    return readScanOptions(result.stdout);
  }

  private outcomeContext(saneName: string): OutcomeContext {
    return { scanimagePath: this.command.path, deviceWasListed: this.listedNames.has(saneName) };
  }
}
