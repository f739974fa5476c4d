import { methodNames } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import type { Handlers } from '../../services/api/dispatcher';

/** Handlers for tests of the hosts: every method answers `not-found` unless the test supplies it. */
export function stubHandlers(overrides: Partial<Handlers> = {}): Handlers {
  const handlers: Record<string, unknown> = {};
  for (const name of methodNames) {
    handlers[name] = overrides[name] ?? (async () => { throw new ApiError('not-found', `stub: ${name}`); });
  }
  return handlers as Handlers;
}
