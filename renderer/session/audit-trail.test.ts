import { describe, expect, it } from 'vitest';
import { ApiError } from '../../common/api/errors';
import { createErrorStore } from '../errors/error-store';
import { fakeApi } from '../test-support/fake-api';
import { createSettledSearchRecorder, recordAudit, searchToRecord, type Timers } from './audit-trail';

/** Timers that run only when the test says time has passed. */
function manualTimers() {
  let now = 0;
  const due = new Map<number, { at: number; run: () => void }>();
  let next = 1;
  const timers: Timers = {
    setTimeout: (run, ms) => {
      due.set(next, { at: now + ms, run });
      return next++;
    },
    clearTimeout: (handle) => void due.delete(handle as number),
  };
  const advance = (ms: number) => {
    now += ms;
    for (const [handle, timer] of [...due]) {
      if (timer.at <= now) {
        due.delete(handle);
        timer.run();
      }
    }
  };
  return { timers, advance };
}

describe('recording searches in the audit trail', () => {
  it('records the query once it has settled, not each keystroke on the way to it', () => {
    const recorded: string[] = [];
    const { timers, advance } = manualTimers();
    const recorder = createSettledSearchRecorder((subject) => recorded.push(subject), 1000, timers);
    for (const typed of ['P', 'Pr', 'Pri', 'Prishtin', 'Prishtinë']) {
      recorder.change(typed);
      advance(150);
    }
    expect(recorded).toEqual([]);
    advance(1000);
    expect(recorded).toEqual(['Prishtinë']);
  });

  it('records the same query once, even when it is searched again or typed back to', () => {
    const recorded: string[] = [];
    const { timers, advance } = manualTimers();
    const recorder = createSettledSearchRecorder((subject) => recorded.push(subject), 1000, timers);
    recorder.change('Rasti 2004');
    advance(1000);
    recorder.change('Rasti 2004 ');
    recorder.change('Rasti 200');
    recorder.change('Rasti 2004');
    advance(1000);
    recorder.change('Pejë');
    advance(1000);
    expect(recorded).toEqual(['Rasti 2004', 'Pejë']);
  });

  it('records nothing for an empty box, or a query left before it settled', () => {
    const recorded: string[] = [];
    const { timers, advance } = manualTimers();
    const recorder = createSettledSearchRecorder((subject) => recorded.push(subject), 1000, timers);
    recorder.change('   ');
    advance(2000);
    recorder.change('Gjakovë');
    recorder.stop();
    advance(2000);
    expect(recorded).toEqual([]);
    expect(searchToRecord('  "Dragan Živković" ')).toBe('"Dragan Živković"');
  });
});

describe('recordAudit', () => {
  it('sends what the window witnessed, and shows a failure instead of swallowing it', async () => {
    const fake = fakeApi({ 'audit.record': async () => Promise.reject(new ApiError('unauthenticated', 'Sign in first: recording an export needs to know who you are.')) });
    const errors = createErrorStore();
    recordAudit(fake.api, errors, { kind: 'view', subject: 'a'.repeat(64) });
    expect(fake.calls).toEqual([{ method: 'audit.record', input: { kind: 'view', subject: 'a'.repeat(64) } }]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(errors.getSnapshot()).toEqual([expect.objectContaining({ context: 'errors.context.audit-record', code: 'unauthenticated' })]);
  });
});
