import { describe, expect, it } from 'vitest';
import type { Device, DeviceCapabilities } from '../common/api/contract';
import { backendOf, CombinedDriver } from './combined-driver';
import type { ScannedPage, ScannerDriver, ScanRequest } from './scanner-driver';
import { ScannerError } from './scanner-errors';
import { drainPages as drain } from './test-support/drain-pages';

/** A backend that answers from a script and records what it was asked. */
function fakeBackend(devices: Device[] | Error) {
  const scanned: ScanRequest[] = [];
  const driver: ScannerDriver = {
    listDevices: async () => {
      if (devices instanceof Error) throw devices;
      return devices;
    },
    getCapabilities: async (deviceId): Promise<DeviceCapabilities> => ({ deviceId, sources: [] }),
    async *scan(request): AsyncGenerator<ScannedPage> {
      scanned.push(request);
      yield { index: 0, data: Buffer.from(request.deviceId), mimeType: 'image/png', width: 1, height: 1 };
    },
  };
  return { driver, scanned };
}

const request = (deviceId: string): ScanRequest => ({ deviceId, source: 'flatbed', resolution: 300, mode: 'gray' });

describe('backendOf', () => {
  it.each([
    ['sane:test:0', 'sane'],
    ['escl:http://10.0.0.5:80/eSCL', 'escl'],
    ['twain:Canon DR-C225', 'twain'],
    ['wia:{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\0000', 'wia'],
    ['sane:', undefined],
    ['usb:001', undefined],
    ['test:0', undefined],
  ])('%s → %s', (id, backend) => {
    expect(backendOf(id)).toBe(backend);
  });
});

describe('CombinedDriver', () => {
  const sane = fakeBackend([{ id: 'sane:test:0', backend: 'sane', name: 'Test' }]);
  const escl = fakeBackend([{ id: 'escl:https://10.0.0.5:443/eSCL', backend: 'escl', name: 'HP ScanJet' }]);
  const twainMissing = fakeBackend(new ScannerError('unavailable', { message: 'The TWAIN helper is not installed.' }));

  it('merges the devices of every backend and says which backends answered', async () => {
    const driver = new CombinedDriver([
      { backend: 'sane', driver: sane.driver },
      { backend: 'twain', driver: twainMissing.driver },
      { backend: 'escl', driver: escl.driver },
    ]);
    const discovery = await driver.discover();
    expect(discovery.devices.map((device) => device.id)).toEqual(['sane:test:0', 'escl:https://10.0.0.5:443/eSCL']);
    expect(discovery.backends).toEqual([
      { backend: 'sane', available: true },
      { backend: 'twain', available: false, message: 'The TWAIN helper is not installed.' },
      { backend: 'escl', available: true },
    ]);
    await expect(driver.listDevices()).resolves.toHaveLength(2);
  });

  it('sends each scan and capability request to the backend its id names', async () => {
    const driver = new CombinedDriver([
      { backend: 'sane', driver: sane.driver },
      { backend: 'escl', driver: escl.driver },
    ]);
    const { pages: received } = await drain(driver.scan(request('escl:https://10.0.0.5:443/eSCL')));
    expect(received.map((page) => page.data.toString())).toEqual(['escl:https://10.0.0.5:443/eSCL']);
    expect(escl.scanned).toHaveLength(1);
    await expect(driver.getCapabilities('sane:test:0')).resolves.toEqual({ deviceId: 'sane:test:0', sources: [] });
  });

  it('refuses an id of no known backend as unknown-device, inside the scan loop', async () => {
    const driver = new CombinedDriver([{ backend: 'sane', driver: sane.driver }]);
    const { error } = await drain(driver.scan(request('usb:001')));
    expect(error).toMatchObject({ name: 'ScannerError', code: 'unknown-device' });
    await expect(driver.getCapabilities('nonsense')).rejects.toMatchObject({ code: 'unknown-device' });
  });

  it('reports a known backend that is not installed here as unavailable', async () => {
    const driver = new CombinedDriver([{ backend: 'sane', driver: sane.driver }]);
    const { error } = await drain(driver.scan(request('wia:{6BDD1FC6}\\0000')));
    expect(error).toMatchObject({ code: 'unavailable' });
    expect((error as Error).message).toContain('WIA');
  });
});
