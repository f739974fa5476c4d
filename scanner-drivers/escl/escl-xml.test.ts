import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { esclFixture as readFixture } from './escl-test-server';
import { isBusy, parseCapabilities, parseScanImageInfo, parseScanSettings, parseStatus, scanSettingsXml, statusError, toDeviceCapabilities } from './escl-xml';

const FIXTURE_FOLDER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/escl/hp-node-hp-scan-to');
/** Every capture these specs read, so the last spec can tell whether one was left out. */
const read = new Set<string>();
function esclFixture(name: string): string {
  read.add(name);
  return readFixture(name);
}

// The real responses of HP scanners, captured by hp-node-hp-scan-to (../shared/fixtures/escl).

describe('parseCapabilities', () => {
  it('reads the ADF-duplex ScanJet Pro 4500: flatbed to 1200 dpi, feeder and duplex to 600 dpi', () => {
    const caps = parseCapabilities(esclFixture('eSCL_ScannerCapabilities_Duplex.xml'));
    expect(caps.makeAndModel).toBe('HP ScanJet Pro 4500 fn1');
    expect(caps.version).toBe('2.62');
    expect(Object.keys(caps.inputs)).toEqual(['flatbed', 'adf', 'duplex']);
    expect(caps.inputs.flatbed?.resolutions).toEqual([75, 150, 200, 240, 300, 400, 500, 600, 1200]);
    expect(caps.inputs.adf?.resolutions).toEqual([75, 150, 200, 240, 300, 400, 500, 600]);
    expect(caps.inputs.adf?.colorModes).toEqual(['Grayscale8', 'RGB24', 'BlackAndWhite1', 'scan:AutoColorDetection']);
    expect(caps.inputs.flatbed?.documentFormats).toEqual(expect.arrayContaining(['image/jpeg', 'application/pdf']));
    expect(caps.inputs.adf).toMatchObject({ maxWidth: 2550, maxHeight: 36600 });
  });

  it('reads the Smart Tank Plus 570, a simplex feeder', () => {
    const caps = parseCapabilities(esclFixture('eSCL_ScannerCapabilities_Simplex.xml'));
    expect(caps.makeAndModel).toBe('Smart Tank Plus 570 series');
    expect(Object.keys(caps.inputs)).toEqual(['flatbed', 'adf']);
    expect(caps.inputs.flatbed?.colorModes).toEqual(['BlackAndWhite1', 'Grayscale8', 'RGB24']);
  });

  it('turns them into the capabilities the clerk chooses from, in millimetres', () => {
    const caps = toDeviceCapabilities('escl:http://x/eSCL', parseCapabilities(esclFixture('eSCL_ScannerCapabilities_Duplex.xml')));
    expect(caps.sources.map((source) => source.source)).toEqual(['flatbed', 'adf', 'duplex']);
    expect(caps.sources[0]).toMatchObject({ modes: ['color', 'gray', 'lineart'], bitDepths: [1, 8], maxWidthMm: 215.9, maxHeightMm: 355.6 });
  });

  it('refuses what is not a capabilities document', () => {
    expect(() => parseCapabilities('<html>login</html>')).toThrow(expect.objectContaining({ code: 'io-error' }));
    expect(() => parseCapabilities('not xml <<<')).toThrow(expect.objectContaining({ code: 'io-error' }));
  });
});

describe('parseStatus', () => {
  it.each([
    ['eSCL_ScannerStatus_loaded.xml', 'Idle', 'ScannerAdfLoaded', 1],
    ['eSCL_ScannerStatus_empty.xml', 'Idle', 'ScannerAdfEmpty', 0],
    ['eSCL_ScannerStatus_empty_570.xml', 'Idle', 'ScannerAdfEmpty', 2],
    ['eSCL_ScannerStatus_processing.xml', 'Processing', 'ScannerAdfEmpty', 2],
    ['eSCL_ScannerStatus_completed.xml', 'Processing', 'ScannerAdfEmpty', 2],
  ])('%s: %s, %s, %i jobs', (file, state, adfState, jobs) => {
    const status = parseStatus(esclFixture(file));
    expect(status).toMatchObject({ state, adfState });
    expect(status.jobs).toHaveLength(jobs);
  });

  it('reads a job\'s state and progress', () => {
    const [current] = parseStatus(esclFixture('eSCL_ScannerStatus_processing.xml')).jobs;
    expect(current).toEqual({ uri: '/eSCL/ScanJobs/2', state: 'Processing', reasons: ['JobScanning'], imagesCompleted: 1 });
  });

  it.each([
    ['eSCL_ScannerStatus_processing.xml', true],
    // Still "Processing", but every job is completed: HP's way of settling after a job.
    ['eSCL_ScannerStatus_completed.xml', false],
    ['eSCL_ScannerStatus_loaded.xml', false],
  ])('%s: busy with another job is %s', (file, busy) => {
    expect(isBusy(parseStatus(esclFixture(file)))).toBe(busy);
  });

  it('maps feeder states to errors for feeder scans only', () => {
    const withAdf = (adfState: string) => ({ state: 'Idle', adfState, jobs: [] });
    expect(statusError(withAdf('ScannerAdfJam'), 'adf')?.code).toBe('jammed');
    expect(statusError(withAdf('ScannerAdfMultipickDetected'), 'duplex')?.code).toBe('jammed');
    expect(statusError(withAdf('ScannerAdfHatchOpen'), 'adf')?.code).toBe('cover-open');
    expect(statusError(withAdf('ScannerAdfEmpty'), 'adf')?.code).toBe('feeder-empty');
    expect(statusError(withAdf('ScannerAdfEmpty'), 'flatbed')).toBeUndefined();
    expect(statusError(withAdf('ScannerAdfLoaded'), 'adf')).toBeUndefined();
    expect(statusError({ state: 'Down', adfState: undefined, jobs: [] }, 'flatbed')?.code).toBe('io-error');
  });
});

describe('scanSettingsXml', () => {
  it('writes what the captured clients post, and reads back the same', () => {
    const xml = scanSettingsXml({ source: 'duplex', resolution: 200, colorMode: 'RGB24', documentFormat: 'image/jpeg', width: 2550, height: 4200, version: '2.62' });
    expect(parseScanSettings(xml)).toEqual(parseScanSettings(esclFixture('eSCL_ScanJob_post.xml')));
    expect(parseScanSettings(esclFixture('eSCL_ScanJob_platen.xml'))).toEqual({ inputSource: 'Platen', resolution: 600, colorMode: 'RGB24', duplex: false, format: 'image/jpeg' });
  });

  it('reads the duplex feeder job HP Scan posts (default namespaces, HP extensions), as Arkiva would ask for it', () => {
    const posted = parseScanSettings(esclFixture('eSCL_ScanJob_adf_duplex_job.xml'));
    expect(posted).toEqual({ inputSource: 'Feeder', resolution: 200, colorMode: 'RGB24', duplex: true, format: 'image/jpeg' });
    const ours = scanSettingsXml({ source: 'duplex', resolution: 200, colorMode: 'RGB24', documentFormat: 'image/jpeg', width: 2550, height: 4200, version: '2.62' });
    expect(parseScanSettings(ours)).toEqual(posted);
  });

  it('reads a platen job for a PDF that Arkiva never posts (it asks for images only)', () => {
    expect(parseScanSettings(esclFixture('eSCL_ScanJob_platen_other_not_used.xml'))).toEqual({
      inputSource: 'Platen',
      resolution: 600,
      colorMode: 'RGB24',
      duplex: false,
      format: 'application/pdf',
    });
  });
});

describe('parseScanImageInfo', () => {
  it('reads what the device says about the page it delivered', () => {
    expect(parseScanImageInfo(esclFixture('eSCL_ScanImageInfo.xml'))).toEqual({
      jobUri: '/eSCL/ScanJobs/2',
      width: 1700,
      height: 2420,
      bytesPerLine: 5248,
      blankPageDetected: false,
      colorDetected: true,
    });
  });

  it('refuses another document', () => {
    expect(() => parseScanImageInfo(esclFixture('eSCL_ScannerStatus_empty.xml'))).toThrow(expect.objectContaining({ code: 'io-error' }));
  });
});

// Kept last: it checks what the specs above read.
describe('the captured responses', () => {
  it('are every one read by a spec above', () => {
    const captured = readdirSync(FIXTURE_FOLDER).filter((name) => name.endsWith('.xml'));
    expect(captured.length).toBeGreaterThan(10);
    expect(captured.filter((name) => !read.has(name))).toEqual([]);
  });
});
