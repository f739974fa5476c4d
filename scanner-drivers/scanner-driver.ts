import type { z } from 'zod';
import type { BackendStatus, Device, DeviceCapabilities, scanModeSchema, scanSourceSchema } from '../common/api/contract';

export type { BackendStatus, Device, DeviceCapabilities };
export type Backend = Device['backend'];

export type ScanSource = z.infer<typeof scanSourceSchema>;
export type ScanMode = z.infer<typeof scanModeSchema>;

export interface ScanRequest {
  /** A `Device.id` from `listDevices()`; ids carry their backend as a prefix (`sane:…`). */
  readonly deviceId: string;
  readonly source: ScanSource;
  /** Dots per inch. Must be one the device offers: a silently changed resolution would falsify the record. */
  readonly resolution: number;
  readonly mode: ScanMode;
}

export interface ScannedPage {
  /** 0-based position in this job, in the order the sheets left the scanner. */
  readonly index: number;
  readonly data: Buffer;
  /** SANE delivers PNG; network scanners (eSCL) and the TWAIN/WIA helper may deliver JPEG as the device made it. */
  readonly mimeType: 'image/png' | 'image/jpeg';
  readonly width: number;
  readonly height: number;
}

/**
 * What every scanner backend offers the capture service.
 *
 * `scan` yields pages as the device delivers them. Flatbed yields one page. A feeder yields
 * until it runs empty, which ends the job normally once at least one page came through; an
 * empty feeder before the first page is a `ScannerError('feeder-empty')`. Any failure is a
 * `ScannerError` thrown from the iterator after the pages already received were yielded, so
 * the caller keeps them. Aborting `signal`, or leaving the loop early, stops the device and
 * releases everything the job held; aborting makes the iterator throw `'cancelled'`.
 */
export interface ScannerDriver {
  listDevices(): Promise<Device[]>;
  /** What the device offers per source; asked of the device itself, so it is never stale. */
  getCapabilities(deviceId: string): Promise<DeviceCapabilities>;
  scan(request: ScanRequest, signal?: AbortSignal): AsyncIterable<ScannedPage>;
}

/** Devices of every backend, and which backends could be asked at all. */
export interface Discovery {
  readonly devices: Device[];
  readonly backends: BackendStatus[];
}

/** Standard resolutions offered from a device's continuous range: nobody scans an archive at 437 dpi. */
export const STANDARD_RESOLUTIONS: readonly number[] = [75, 100, 150, 200, 240, 300, 400, 600, 1200];
