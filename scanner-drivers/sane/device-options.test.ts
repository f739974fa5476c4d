import { describe, expect, it } from 'vitest';
import { parseOptionListing, readScanOptions } from './device-options';

// Shaped like `scanimage --all-options` of an HP all-in-one (hpaio) and an Epson (epson2):
// options indented by four spaces, help text by eight, notes in brackets at the end.
const hpListing = [
  "All options specific to device `hpaio:/net/Officejet?ip=192.0.2.7':",
  '  Scan mode:',
  '    --mode Lineart|Gray|Color [Lineart]',
  '        Selects the scan mode (e.g., lineart, monochrome, or color).',
  '    --resolution 75|100|200|300|600dpi [75]',
  '        Sets the resolution of the scanned image.',
  '    --source Flatbed|ADF|Duplex [Flatbed]',
  '        Selects the scan source (such as a document-feeder).',
  '  Advanced:',
  '    --brightness -1000..1000 [0]',
  '    --batch-scan[=(yes|no)] [no]',
  '    -x 0..215.9mm (in steps of 0.1) [215.9]',
].join('\n');

const epsonListing = [
  '    --mode Lineart|Gray|Color [Color]',
  '    --depth 8|12|14|16bit [inactive]',
  '    --source Flatbed|Automatic Document Feeder [Flatbed]',
  '    --resolution auto|50..1200dpi (in steps of 1) [300]',
  '    --gamma-table 0..255,... (in steps of 1) [advanced]',
].join('\n');

describe('parseOptionListing', () => {
  it('reads string lists, number lists with units, ranges with steps and booleans', () => {
    const options = parseOptionListing(hpListing);
    expect(options.get('mode')).toMatchObject({ constraint: { kind: 'strings', values: ['Lineart', 'Gray', 'Color'] }, notes: ['Lineart'] });
    expect(options.get('resolution')?.constraint).toEqual({ kind: 'numbers', values: [75, 100, 200, 300, 600] });
    expect(options.get('brightness')?.constraint).toEqual({ kind: 'range', min: -1000, max: 1000, step: undefined });
    expect(options.get('x')?.constraint).toEqual({ kind: 'range', min: 0, max: 215.9, step: 0.1 });
    expect(options.get('batch-scan')?.constraint).toEqual({ kind: 'strings', values: ['yes', 'no'] });
  });

  it('ignores help text and headings', () => {
    expect([...parseOptionListing(hpListing).keys()]).toEqual(['mode', 'resolution', 'source', 'brightness', 'batch-scan', 'x']);
  });

  it('marks inactive options, and reads array ranges and the auto choice', () => {
    const options = parseOptionListing(epsonListing);
    expect(options.get('depth')).toMatchObject({ active: false, constraint: { kind: 'numbers', values: [8, 12, 14, 16] } });
    expect(options.get('resolution')?.constraint).toEqual({ kind: 'range', min: 50, max: 1200, step: 1 });
    expect(options.get('gamma-table')).toMatchObject({ active: true, notes: ['advanced'], constraint: { kind: 'range', min: 0, max: 255 } });
  });
});

describe('readScanOptions', () => {
  it('collects what choosing scan settings needs, leaving out inactive options', () => {
    expect(readScanOptions(epsonListing)).toEqual({
      modes: ['Lineart', 'Gray', 'Color'],
      sources: ['Flatbed', 'Automatic Document Feeder'],
      depths: [],
      resolution: { kind: 'range', min: 50, max: 1200, step: 1 },
    });
  });

  it('reports no sources for a device without a source option', () => {
    expect(readScanOptions('    --mode Gray|Color [Gray]\n    --resolution 75|150dpi [75]').sources).toEqual([]);
  });
});
