import { describe, expect, it } from 'vitest';
import { deviceListFormat, parseDeviceList, toDevices } from './device-list';
import { toDeviceId, toSaneName } from './sane-device-id';

/** What scanimage prints for `deviceListFormat`, for the given devices. */
function listing(...devices: readonly (readonly [string, string, string, string])[]): string {
  return devices
    .map(([name, vendor, model, type]) =>
      deviceListFormat.replace('%d', name).replace('%v', vendor).replace('%m', model).replace('%t', type),
    )
    .join('');
}

describe('parseDeviceList', () => {
  it('keeps names with colons, spaces, quotes and query strings intact', () => {
    const name = "hpaio:/net/HP_LaserJet_MFP?ip=192.0.2.7&queue='x'";
    expect(parseDeviceList(listing([name, 'Hewlett-Packard', 'LaserJet MFP M127fw', 'all-in-one']))).toEqual([
      { saneName: name, vendor: 'Hewlett-Packard', model: 'LaserJet MFP M127fw', type: 'all-in-one' },
    ]);
  });

  it('reads nothing from an empty listing', () => {
    expect(parseDeviceList('')).toEqual([]);
  });
});

describe('toDevices', () => {
  it('names devices by vendor and model, with backend-prefixed ids', () => {
    expect(toDevices(parseDeviceList(listing(['epson2:libusb:001:004', 'Epson', 'DS-530', 'sheetfed scanner'])))).toEqual([
      { id: 'sane:epson2:libusb:001:004', backend: 'sane', name: 'Epson DS-530' },
    ]);
  });

  it('tells identical models apart by their SANE names', () => {
    const devices = toDevices(parseDeviceList(listing(['fujitsu:a', 'Fujitsu', 'fi-7160', 's'], ['fujitsu:b', 'Fujitsu', 'fi-7160', 's'])));
    expect(devices.map((device) => device.name)).toEqual(['Fujitsu fi-7160 (fujitsu:a)', 'Fujitsu fi-7160 (fujitsu:b)']);
  });
});

describe('device ids', () => {
  it('round-trip a SANE name and reject ids of other backends', () => {
    expect(toSaneName(toDeviceId('test:0'))).toBe('test:0');
    expect(toSaneName('escl:https://192.0.2.7/eSCL')).toBeUndefined();
    expect(toSaneName('sane:')).toBeUndefined();
  });
});
