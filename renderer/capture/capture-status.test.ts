import { describe, expect, it } from 'vitest';
import { createTranslator } from '../i18n/translate';
import { captureStatus, type DeviceListState } from './capture-status';

const t = createTranslator('en');
const oneDevice: DeviceListState = { phase: 'loaded', devices: [{ id: 'sane:fi', backend: 'sane', name: 'Fujitsu fi-7160' }] };

describe('captureStatus', () => {
  it('says when scanners are being looked for, are missing, or could not be listed', () => {
    expect(captureStatus({ phase: 'loading' }, null, '', t)).toEqual({ text: 'Looking for scanners…', tone: 'busy' });
    expect(captureStatus({ phase: 'loaded', devices: [] }, null, '', t).text).toMatch(/No scanner available/);
    expect(
      captureStatus({ phase: 'failed', error: { code: 'unavailable', message: 'SANE is not installed' } }, null, '', t),
    ).toEqual({ text: 'Scanners could not be listed: A required component is not available — SANE is not installed', tone: 'error' });
  });

  it('is ready when a scanner is there and nothing runs', () => {
    expect(captureStatus(oneDevice, null, 'Fujitsu fi-7160', t)).toEqual({ text: 'Ready.', tone: 'neutral' });
  });

  it('follows a scan from start to end', () => {
    expect(captureStatus(oneDevice, { phase: 'starting' }, 'Fujitsu fi-7160', t).text).toBe('Starting scan on Fujitsu fi-7160…');
    expect(captureStatus(oneDevice, { phase: 'scanning', jobId: 'j', pagesStored: 1 }, '', t).text).toBe('Scanning… 1 page stored.');
    expect(captureStatus(oneDevice, { phase: 'finished', jobId: 'j', pagesStored: 3 }, '', t)).toEqual({
      text: 'Scan finished: 3 pages stored.',
      tone: 'success',
    });
  });

  it('shows a scanner failure with its kind and the scanner’s own words', () => {
    const status = captureStatus(
      oneDevice,
      { phase: 'failed', error: { code: 'device-error', message: 'Paper jam' }, pagesStored: 2 },
      '',
      t,
    );
    expect(status).toEqual({ text: 'Scan failed: The scanner reported a problem — Paper jam', tone: 'error' });
  });
});
