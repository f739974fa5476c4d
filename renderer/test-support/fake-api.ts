import type {
  ArkivaApi,
  EventName,
  EventPayload,
  MethodInput,
  MethodName,
  MethodOutput,
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

  const api: ArkivaApi = {
    'app.getInfo': method('app.getInfo'),
    'capture.listDevices': method('capture.listDevices'),
    'capture.scan': method('capture.scan'),
    'import.files': method('import.files'),
    'pages.list': method('pages.list'),
    'pages.getImage': method('pages.getImage'),
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
