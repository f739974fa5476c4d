import type { MessageKey } from '../i18n/en';
import type { MessageParams } from '../i18n/translate';
import { describeError, type DescribedError } from './describe-error';

export type ErrorContextKey = Extract<MessageKey, `errors.context.${string}`>;

export interface ShownError extends DescribedError {
  readonly id: number;
  /** What the clerk was doing, as a message key and its parameters. */
  readonly context: ErrorContextKey;
  readonly params: MessageParams;
  /** How often the same failure happened since it was first shown. */
  readonly count: number;
}

/** Enough to show every distinct problem without an endless list when one repeats. */
const MAX_SHOWN = 20;

/**
 * The one place failures go to be shown. Nothing that fails is swallowed: it is reported here,
 * and the error banner shows it until the clerk dismisses it. The same failure repeating (a
 * listing retried while the services start) is counted, not listed again.
 * Shaped for React's useSyncExternalStore.
 */
export function createErrorStore() {
  let errors: readonly ShownError[] = [];
  let nextId = 1;
  const listeners = new Set<() => void>();
  const publish = (next: readonly ShownError[]) => {
    errors = next;
    for (const listener of listeners) listener();
  };

  return {
    report(context: ErrorContextKey, error: unknown, params: MessageParams = {}): void {
      this.reportDescribed(context, describeError(error), params);
    },
    reportDescribed(context: ErrorContextKey, described: DescribedError, params: MessageParams = {}): void {
      const same = errors.find(
        (shown) =>
          shown.context === context &&
          shown.code === described.code &&
          shown.message === described.message &&
          sameParams(shown.params, params),
      );
      if (same) {
        publish(errors.map((shown) => (shown === same ? { ...shown, count: shown.count + 1 } : shown)));
        return;
      }
      publish([...errors, { ...described, id: nextId++, context, params, count: 1 }].slice(-MAX_SHOWN));
    },
    dismiss(id: number): void {
      publish(errors.filter((shown) => shown.id !== id));
    },
    dismissAll(): void {
      publish([]);
    },
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot(): readonly ShownError[] {
      return errors;
    },
  };
}

export type ErrorStore = ReturnType<typeof createErrorStore>;

function sameParams(a: MessageParams, b: MessageParams): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
