import {
  events,
  isEventName,
  methodNames,
  methods,
  type ArkivaApi,
  type EventName,
  type EventPayload,
  type MethodName,
} from './contract';
import { ApiError } from './errors';
import { wireResultSchema, type WireResult } from './wire';

/** What a host must carry: one call, one stream of events. Implemented over Electron IPC and over WebSocket. */
export interface Transport {
  invoke(method: MethodName, input: unknown): Promise<WireResult>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
  /** For transports that can drop: called each time the connection is re-established. */
  onReconnect?(listener: () => void): () => void;
}

/**
 * The typed API over any transport. Responses and events are validated here too, so the
 * renderer never trusts what arrives over the wire.
 */
export function createApiClient(transport: Transport): ArkivaApi {
  const on = <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): (() => void) =>
    transport.subscribe((name, payload) => {
      if (name !== event || !isEventName(name)) return;
      const parsed = events[event].safeParse(payload);
      if (parsed.success) listener(parsed.data as EventPayload<E>);
      else console.error(`Dropped malformed ${event} event`, parsed.error.issues);
    });
  const onReconnect = (listener: () => void) => transport.onReconnect?.(listener) ?? (() => undefined);
  const api: Record<string, unknown> = { on, onReconnect };
  for (const name of methodNames) api[name] = (input: unknown) => call(transport, name, input);
  // The loop gives every method name its caller; TypeScript cannot follow that through a mapped type.
  return api as ArkivaApi;
}

async function call(transport: Transport, method: MethodName, input: unknown): Promise<unknown> {
  const result = wireResultSchema.safeParse(await transport.invoke(method, input));
  if (!result.success) throw new ApiError('internal', `Malformed response to ${method}`, result.error.issues);
  if (!result.data.ok) throw ApiError.fromShape(result.data.error);
  const value = methods[method].output.safeParse(result.data.value);
  if (!value.success) throw new ApiError('internal', `Response to ${method} breaks the contract`, value.error.issues);
  return value.data;
}
