import { describe, expect, it } from 'vitest';
import type { PageRecord } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { fakeApi } from '../test-support/fake-api';
import { pendingPage } from '../test-support/pages';
import { runScan, type ScanProgress } from './run-scan';

const scanned = (deviceId: string): PageRecord =>
  pendingPage({ source: { kind: 'scan', deviceId, settings: { source: 'flatbed', resolution: 300, mode: 'gray' } } });

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('runScan', () => {
  it('starts the job with the defaults, counts its pages and ends when the job finishes', async () => {
    const progress: ScanProgress[] = [];
    const fake = fakeApi({ 'capture.scan': async () => ({ jobId: 'job-1' }) });
    const done = runScan(fake.api, 'sane:fujitsu', (p) => progress.push(p));
    await tick();
    fake.emit('page.stored', { page: scanned('sane:fujitsu') });
    fake.emit('page.stored', { page: scanned('sane:other') });
    fake.emit('page.stored', { page: pendingPage() });
    fake.emit('page.stored', { page: scanned('sane:fujitsu') });
    fake.emit('capture.finished', { jobId: 'job-1', pagesStored: 2 });

    await expect(done).resolves.toEqual({ phase: 'finished', jobId: 'job-1', pagesStored: 2 });
    expect(fake.calls).toEqual([{ method: 'capture.scan', input: { deviceId: 'sane:fujitsu' } }]);
    expect(progress).toEqual([
      { phase: 'starting' },
      { phase: 'scanning', jobId: 'job-1', pagesStored: 0 },
      { phase: 'scanning', jobId: 'job-1', pagesStored: 1 },
      { phase: 'scanning', jobId: 'job-1', pagesStored: 2 },
      { phase: 'finished', jobId: 'job-1', pagesStored: 2 },
    ]);
    expect(fake.listenerCount()).toBe(0);
  });

  it('ends even when the job finished before capture.scan answered', async () => {
    const fast = fakeApi({
      'capture.scan': async () => {
        fast.emit('capture.finished', { jobId: 'job-fast', pagesStored: 1 });
        return { jobId: 'job-fast' };
      },
    });
    await expect(runScan(fast.api, 'escl:hp', () => undefined)).resolves.toEqual({
      phase: 'finished',
      jobId: 'job-fast',
      pagesStored: 1,
    });
  });

  it('ignores the end of other jobs', async () => {
    const fake = fakeApi({ 'capture.scan': async () => ({ jobId: 'mine' }) });
    let outcome: unknown;
    const done = runScan(fake.api, 'd', () => undefined).then((o) => (outcome = o));
    await tick();
    fake.emit('capture.finished', { jobId: 'theirs', pagesStored: 5 });
    await tick();
    expect(outcome).toBeUndefined();
    fake.emit('capture.finished', { jobId: 'mine', pagesStored: 0 });
    await done;
    expect(outcome).toMatchObject({ phase: 'finished', pagesStored: 0 });
  });

  it('fails with the API error when the scanner refuses to start', async () => {
    const fake = fakeApi({
      'capture.scan': async () => {
        throw new ApiError('device-error', 'Cover open');
      },
    });
    const progress: ScanProgress[] = [];
    await expect(runScan(fake.api, 'd', (p) => progress.push(p))).resolves.toEqual({
      phase: 'failed',
      error: { code: 'device-error', message: 'Cover open' },
      pagesStored: 0,
    });
    expect(progress.at(-1)?.phase).toBe('failed');
    expect(fake.listenerCount()).toBe(0);
  });

  it('fails with the job’s error when the job ends in one, keeping the pages it stored', async () => {
    const fake = fakeApi({ 'capture.scan': async () => ({ jobId: 'j' }) });
    const done = runScan(fake.api, 'd', () => undefined);
    await tick();
    fake.emit('capture.finished', { jobId: 'j', pagesStored: 3, error: { code: 'device-error', message: 'Paper jam' } });
    await expect(done).resolves.toEqual({ phase: 'failed', error: { code: 'device-error', message: 'Paper jam' }, pagesStored: 3 });
  });

  it('shows a scanner-specific error code as a scanner problem, keeping the code', async () => {
    const fake = fakeApi({ 'capture.scan': async () => ({ jobId: 'j' }) });
    const done = runScan(fake.api, 'd', () => undefined);
    await tick();
    fake.emit('capture.finished', { jobId: 'j', pagesStored: 0, error: { code: 'SANE_STATUS_JAMMED', message: 'Jammed' } });
    await expect(done).resolves.toMatchObject({ error: { code: 'device-error', message: 'Jammed [SANE_STATUS_JAMMED]' } });
  });
});
