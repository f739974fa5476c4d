import {
  methodNames,
  type ArkivaApi,
  type EventName,
  type EventPayload,
  type MethodInput,
  type MethodName,
  type MethodOutput,
} from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';

export type FakeHandlers = { [M in MethodName]?: (input: MethodInput<M>) => Promise<MethodOutput<M>> };

/** An ArkivaApi whose methods are the given handlers and whose events the test emits by hand. */
export function fakeApi(handlers: FakeHandlers = {}) {
  const listeners = new Set<{ event: EventName; listener: (payload: unknown) => void }>();
  const calls: { method: MethodName; input: unknown }[] = [];
  const reconnectListeners = new Set<() => void>();

  const method =
    <M extends MethodName>(name: M) =>
    (input: MethodInput<M>): Promise<MethodOutput<M>> => {
      calls.push({ method: name, input });
      const handler = handlers[name];
      return handler ? handler(input) : Promise.reject(new ApiError('unknown-method', `${name} is not faked`));
    };

  const methodsByName: Record<string, unknown> = {};
  for (const name of methodNames) methodsByName[name] = method(name);

  const api: ArkivaApi = {
    // Every contract method, so a method added to the contract needs no change here.
    ...(methodsByName as { [M in MethodName]: (input: MethodInput<M>) => Promise<MethodOutput<M>> }),
    on(event, listener) {
      const entry = { event, listener: listener as (payload: unknown) => void };
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
  };

  return {
    api,
    calls,
    emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
      for (const entry of [...listeners]) if (entry.event === event) entry.listener(payload);
    },
    /** As the transport does when a dropped connection comes back. */
    reconnect: () => [...reconnectListeners].forEach((listener) => listener()),
    listenerCount: (event?: EventName) => [...listeners].filter((entry) => !event || entry.event === event).length,
  };
}
