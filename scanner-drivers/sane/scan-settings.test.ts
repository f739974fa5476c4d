import { describe, expect, it } from 'vitest';
import type { ScanRequest } from '../scanner-driver';
import { ScannerError } from '../scanner-errors';
import type { SaneScanOptions } from './device-options';
import { scanSettingArguments } from './scan-settings';

const request: ScanRequest = { deviceId: 'sane:x', source: 'flatbed', resolution: 300, mode: 'gray' };
const hp: SaneScanOptions = {
  modes: ['Lineart', 'Gray', 'Color'],
  sources: ['Flatbed', 'ADF', 'Duplex'],
  depths: [],
  resolution: { kind: 'numbers', values: [75, 150, 300, 600] },
};
const fujitsu: SaneScanOptions = {
  modes: ['Lineart', 'Halftone', 'Gray', 'Color'],
  sources: ['ADF Front', 'ADF Back', 'ADF Duplex'],
  depths: [],
  resolution: { kind: 'range', min: 50, max: 600, step: 1 },
};
const brother: SaneScanOptions = {
  modes: ['Black & White', 'Gray[Error Diffusion]', 'True Gray', '24bit Color'],
  sources: ['FlatBed', 'Automatic Document Feeder(left aligned)', 'Automatic Document Feeder(left aligned,Duplex)'],
  depths: [],
  resolution: { kind: 'numbers', values: [100, 150, 200, 300, 400, 600, 1200] },
};
const testDevice: SaneScanOptions = {
  modes: ['Gray', 'Color'],
  sources: ['Flatbed', 'Automatic Document Feeder'],
  depths: [1, 8, 16],
  resolution: { kind: 'range', min: 1, max: 1200, step: 1 },
};

function errorOf(action: () => unknown): ScannerError {
  try {
    action();
  } catch (error) {
    if (error instanceof ScannerError) return error;
    throw error;
  }
  throw new Error('expected a ScannerError');
}

describe('scanSettingArguments', () => {
  it('sets source first, then mode and resolution, with the values the device spells', () => {
    expect(scanSettingArguments({ ...request, source: 'adf', mode: 'color' }, hp)).toEqual([
      '--source=ADF',
      '--mode=Color',
      '--resolution=300',
    ]);
  });

  it.each([
    ['adf', fujitsu, '--source=ADF Front'],
    ['duplex', fujitsu, '--source=ADF Duplex'],
    ['flatbed', brother, '--source=FlatBed'],
    ['adf', brother, '--source=Automatic Document Feeder(left aligned)'],
    ['duplex', brother, '--source=Automatic Document Feeder(left aligned,Duplex)'],
    ['duplex', hp, '--source=Duplex'],
  ] as const)('maps %s to the vendor source name', (source, options, expected) => {
    expect(scanSettingArguments({ ...request, source, resolution: 300 }, options)[0]).toBe(expected);
  });

  it.each([
    ['lineart', brother, '--mode=Black & White'],
    ['gray', brother, '--mode=True Gray'],
    ['color', brother, '--mode=24bit Color'],
    ['lineart', fujitsu, '--mode=Lineart'],
  ] as const)('maps %s to the vendor mode name', (mode, options, expected) => {
    expect(scanSettingArguments({ ...request, source: 'adf', mode }, options)).toContain(expected);
  });

  it('asks for 8 bits per sample in gray and colour where the depth can be chosen', () => {
    expect(scanSettingArguments(request, testDevice)).toEqual(['--source=Flatbed', '--mode=Gray', '--depth=8', '--resolution=300']);
  });

  it('scans lineart as 1-bit gray on a device without a lineart mode', () => {
    expect(scanSettingArguments({ ...request, mode: 'lineart' }, testDevice)).toEqual([
      '--source=Flatbed',
      '--mode=Gray',
      '--depth=1',
      '--resolution=300',
    ]);
  });

  it('refuses lineart when the device has neither a lineart mode nor 1-bit gray', () => {
    expect(errorOf(() => scanSettingArguments({ ...request, mode: 'lineart' }, { ...testDevice, depths: [8] })).code).toBe('unsupported');
  });

  it('refuses a source the device does not have', () => {
    expect(errorOf(() => scanSettingArguments({ ...request, source: 'duplex' }, testDevice)).code).toBe('unsupported');
    expect(errorOf(() => scanSettingArguments({ ...request, source: 'flatbed' }, fujitsu)).code).toBe('unsupported');
  });

  it('scans a device without a source option from its flatbed only', () => {
    const flatbedOnly = { ...hp, sources: [] };
    expect(scanSettingArguments(request, flatbedOnly)).not.toContainEqual(expect.stringMatching(/^--source/));
    expect(errorOf(() => scanSettingArguments({ ...request, source: 'adf' }, flatbedOnly)).code).toBe('unsupported');
  });

  it('refuses resolutions the device does not offer and names those it does', () => {
    const error = errorOf(() => scanSettingArguments({ ...request, resolution: 200 }, hp));
    expect(error.code).toBe('invalid');
    expect(error.message).toContain('75, 150, 300, 600 dpi');
    const feeder = { ...request, source: 'adf' } as const;
    expect(errorOf(() => scanSettingArguments({ ...feeder, resolution: 601 }, fujitsu)).code).toBe('invalid');
    expect(errorOf(() => scanSettingArguments({ ...feeder, resolution: 0 }, fujitsu)).code).toBe('invalid');
    const stepped = { ...fujitsu, resolution: { kind: 'range', min: 50, max: 600, step: 50 } as const };
    expect(errorOf(() => scanSettingArguments({ ...feeder, resolution: 275 }, stepped)).code).toBe('invalid');
    expect(scanSettingArguments({ ...request, source: 'adf', resolution: 250 }, stepped)).toContain('--resolution=250');
  });
});
