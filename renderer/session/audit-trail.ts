import { useEffect, useState } from 'react';
import type { ArkivaApi, MethodInput } from '../../common/api/contract';
import type { ErrorStore } from '../errors/error-store';
import { queryWords } from '../search/query';

/** A query unchanged this long counts as searched for (not each keystroke on the way to it). */
export const SEARCH_SETTLE_MS = 1000;

/**
 * Records what the window witnesses (a page opened, a search made) in the audit trail. The
 * services name the signed-in user, or the workstation; a failure is shown, never swallowed.
 */
export function recordAudit(api: ArkivaApi, errors: Pick<ErrorStore, 'report'>, event: MethodInput<'audit.record'>): void {
  api['audit.record'](event).catch((error: unknown) => errors.report('errors.context.audit-record', error));
}

/** The query as it is recorded: trimmed, and only when it holds words to search for. */
export function searchToRecord(query: string): string | null {
  const trimmed = query.trim();
  return queryWords(trimmed).length === 0 ? null : trimmed.slice(0, 2000);
}

/** Timers, injectable so the settling can be specified without waiting. */
export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
const realTimers: Timers = {
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

/**
 * Records a search once the query has settled, and never the same query twice in a row: typing "Prishtinë"
 * is one search, not nine, and the same query searched again because new pages arrived (or
 * typed away from and back to before it settled) is not a new search.
 */
export function createSettledSearchRecorder(record: (subject: string) => void, settleMs = SEARCH_SETTLE_MS, timers: Timers = realTimers) {
  let lastRecorded: string | null = null;
  let pending: unknown;
  return {
    /** The query as it now stands in the search box. */
    change(query: string): void {
      timers.clearTimeout(pending);
      pending = undefined;
      const subject = searchToRecord(query);
      if (subject === null || subject === lastRecorded) return;
      pending = timers.setTimeout(() => {
        pending = undefined;
        lastRecorded = subject;
        record(subject);
      }, settleMs);
    },
    /** The panel is gone: a query still settling is dropped, as it was never searched for long. */
    stop(): void {
      timers.clearTimeout(pending);
      pending = undefined;
    },
  };
}

export function useSettledSearchAudit(api: ArkivaApi, errors: Pick<ErrorStore, 'report'>, query: string): void {
  const [recorder] = useState(() => createSettledSearchRecorder((subject) => recordAudit(api, errors, { kind: 'search', subject })));
  useEffect(() => recorder.change(query), [recorder, query]);
  useEffect(() => () => recorder.stop(), [recorder]);
}
