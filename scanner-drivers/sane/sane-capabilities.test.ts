import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SaneDriver } from './sane-driver';
import { createSaneTestDevice } from './sane-test-device';
import type { SaneTestDevice } from './sane-test-device';

// The real `scanimage` against SANE's `test` backend.
let device: SaneTestDevice;
beforeEach(async () => {
  device = await createSaneTestDevice();
});
afterEach(async () => {
  await device.dispose();
});

describe('SaneDriver.getCapabilities', () => {
  it('reads flatbed and feeder with their modes, standard resolutions, depths and scan area', async () => {
    const capabilities = await new SaneDriver({ env: device.env }).getCapabilities('sane:test:0');
    expect(capabilities.deviceId).toBe('sane:test:0');
    // The test device has no duplex source, so none is offered.
    expect(capabilities.sources.map((source) => source.source)).toEqual(['flatbed', 'adf']);
    for (const source of capabilities.sources) {
      // Its range is 1..1200 dpi; the standard values within it are offered.
      expect(source.resolutions).toEqual([75, 100, 150, 200, 240, 300, 400, 600, 1200]);
      // No Lineart mode, but gray at 1 bit is black and white: lineart is offered.
      expect(source.modes).toEqual(['color', 'gray', 'lineart']);
      expect(source.bitDepths).toEqual([1, 8, 16]);
      expect(source).toMatchObject({ maxWidthMm: 200, maxHeightMm: 200 });
    }
  });

  it('reports an unknown device as unknown-device', async () => {
    await expect(new SaneDriver({ env: device.env }).getCapabilities('sane:test:9')).rejects.toMatchObject({ code: 'unknown-device' });
  });

  it('refuses an id of another backend without running scanimage', async () => {
    await expect(new SaneDriver({ scanimagePath: '/nonexistent' }).getCapabilities('escl:x')).rejects.toMatchObject({
      code: 'unknown-device',
    });
  });
});
