import type { BackendStatus, Device, DeviceCapabilities } from '../common/api/contract';
import { ScannerError } from './scanner-errors';
import type { Backend, Discovery, ScannedPage, ScannerDriver, ScanRequest } from './scanner-driver';

export interface BackendDriver {
  readonly backend: Backend;
  readonly driver: ScannerDriver;
}

/** The backend a device id names by its prefix (`sane:…`, `escl:…`, `twain:…`, `wia:…`). */
export function backendOf(deviceId: string): Backend | undefined {
  const prefix = /^([a-z]+):./.exec(deviceId)?.[1];
  return prefix === 'sane' || prefix === 'escl' || prefix === 'twain' || prefix === 'wia' ? prefix : undefined;
}

function statusOf(backend: Backend, outcome: PromiseSettledResult<Device[]>): BackendStatus {
  if (outcome.status === 'fulfilled') return { backend, available: true };
  const reason: unknown = outcome.reason;
  const message = reason instanceof Error ? reason.message : String(reason);
  return { backend, available: false, message };
}

/**
 * One driver over every backend installed on this machine: discovery asks them all at once
 * and a backend that fails (its stack missing, its helper crashed) is reported as unavailable
 * without hiding the devices of the others; every other call goes to the backend that the
 * device id names.
 */
export class CombinedDriver implements ScannerDriver {
  constructor(private readonly backends: readonly BackendDriver[]) {}

  async discover(): Promise<Discovery> {
    const outcomes = await Promise.allSettled(this.backends.map(({ driver }) => driver.listDevices()));
    const devices: Device[] = [];
    const backends: BackendStatus[] = [];
    outcomes.forEach((outcome, i) => {
      const { backend } = this.backends[i] as BackendDriver;
      if (outcome.status === 'fulfilled') devices.push(...outcome.value);
      backends.push(statusOf(backend, outcome));
    });
    return { devices, backends };
  }

  async listDevices(): Promise<Device[]> {
    return (await this.discover()).devices;
  }

  async getCapabilities(deviceId: string): Promise<DeviceCapabilities> {
    return this.route(deviceId).getCapabilities(deviceId);
  }

  /** Routed inside the generator so that an unknown id fails where every scan failure does: in the loop. */
  async *scan(request: ScanRequest, signal?: AbortSignal): AsyncGenerator<ScannedPage, void, undefined> {
    yield* this.route(request.deviceId).scan(request, signal);
  }

  private route(deviceId: string): ScannerDriver {
    const backend = backendOf(deviceId);
    const entry = this.backends.find((candidate) => candidate.backend === backend);
    if (entry) return entry.driver;
    throw new ScannerError(backend === undefined ? 'unknown-device' : 'unavailable', {
      message:
        backend === undefined
          ? undefined
          : `Scanners of this kind (${backend.toUpperCase()}) cannot be used on this workstation.`,
      detail: `no backend for device id ${deviceId}`,
    });
  }
}
