import { describe, expect, it } from 'vitest';
import type { ScanimageEnd } from './scanimage-outcome';
import { scanimageError, scanJobError } from './scanimage-outcome';

const context = { scanimagePath: 'scanimage', deviceWasListed: false };
const end = (fields: Partial<ScanimageEnd>): ScanimageEnd => ({
  exitCode: 0,
  signal: null,
  spawnError: undefined,
  stderr: '',
  ...fields,
});

// The SANE test device cannot produce these cases; real backends and scanimage versions can.
describe('scanimageError', () => {
  it('falls back to the exit status, which scanimage sets to the SANE status, for unrecognised text', () => {
    expect(scanimageError(end({ exitCode: 6, stderr: 'scanimage: sane_read: Papierstau' }), context)?.code).toBe('jammed');
    // What scanimage says when the connection to saned breaks between pages.
    expect(scanimageError(end({ exitCode: null, signal: 'SIGPIPE', stderr: 'scanimage: sane_get_parameters: Unknown SANE status code -385675536' }), context)?.code).toBe('io-error');
    expect(scanimageError(end({ exitCode: 6, stderr: 'something unexpected' }), context)?.code).toBe('jammed');
    expect(scanimageError(end({ exitCode: 11, stderr: '' }), context)?.code).toBe('access-denied');
  });

  it('treats an unknown exit status or a kill by signal as an I/O error and keeps what happened as detail', () => {
    const error = scanimageError(end({ exitCode: null, signal: 'SIGSEGV' }), context);
    expect(error).toMatchObject({ code: 'io-error', detail: expect.stringContaining('SIGSEGV') });
    expect(scanimageError(end({ exitCode: 77 }), context)?.code).toBe('io-error');
  });

  it('reports an image writer that aborted (libpng on a page of unknown height) as an unreadable page, not a cable problem', () => {
    const aborted = scanimageError(end({ exitCode: null, signal: 'SIGABRT', stderr: 'libpng error: No IDATs written into file' }), context);
    expect(aborted).toMatchObject({ code: 'io-error', detail: expect.stringContaining('libpng error') });
    expect(aborted?.message).toContain('could not be read');
    // The same through a shell, which reports the abort as exit status 128 + 6.
    expect(scanimageError(end({ exitCode: 134 }), context)?.message).toContain('could not be read');
  });

  it('maps a failed open by its status: busy and access-denied as such, an unknown name by whether it was listed', () => {
    const open = (status: string) => end({ exitCode: 1, stderr: `scanimage: open of device fujitsu:x failed: ${status}` });
    expect(scanimageError(open('Device busy'), context)?.code).toBe('busy');
    expect(scanimageError(open('Access to resource has been denied'), context)?.code).toBe('access-denied');
    expect(scanimageError(open('Invalid argument'), context)?.code).toBe('unknown-device');
    expect(scanimageError(open('Invalid argument'), { ...context, deviceWasListed: true })?.code).toBe('device-gone');
  });

  it('reports options scanimage refused as invalid', () => {
    expect(scanimageError(end({ exitCode: 1, stderr: "scanimage: unrecognized option '--bogus'" }), context)?.code).toBe('invalid');
    expect(
      scanimageError(end({ exitCode: 1, stderr: 'scanimage: setting of option --source failed (Invalid argument)' }), context)?.code,
    ).toBe('invalid');
  });

  it('decides by the last failure scanimage reported', () => {
    const stderr = 'scanimage: sane_read: Device busy\nscanimage: sane_start: Scanner cover is open\n';
    expect(scanimageError(end({ exitCode: 8, stderr }), context)?.code).toBe('cover-open');
  });
});

describe('scanJobError', () => {
  const feederEmpty = end({ exitCode: 0, stderr: 'scanimage: sane_start: Document feeder out of documents\nBatch terminated, 3 pages scanned' });

  it('ends a feeder job normally when the feeder runs empty after pages came through', () => {
    expect(scanJobError(feederEmpty, { ...context, pagesDelivered: 3 })).toBeUndefined();
  });

  it('reports an empty feeder before the first page', () => {
    expect(scanJobError(feederEmpty, { ...context, pagesDelivered: 0 })?.code).toBe('feeder-empty');
  });

  it('does not take a run that delivered nothing for a success', () => {
    expect(scanJobError(end({ exitCode: 0, stderr: 'Batch terminated, 0 pages scanned' }), { ...context, pagesDelivered: 0 })?.code).toBe(
      'io-error',
    );
  });
});
