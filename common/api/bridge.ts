import { eventNames, methodNames, type EventName, type MethodName } from './contract';
import type { WireResult } from './wire';

/**
 * What the Electron preload puts on `window.arkivaBridge` through contextBridge: one function per
 * operation and one subscription per event, generated from the contract, and nothing else.
 * (A generic `send(channel)` would let a compromised page reach any IPC channel.)
 */
export type ArkivaBridge = {
  readonly invoke: { readonly [M in MethodName]: (input: unknown) => Promise<WireResult> };
  readonly events: { readonly [E in EventName]: (listener: (payload: unknown) => void) => () => void };
};

export const BRIDGE_GLOBAL = 'arkivaBridge';

/** IPC channel names: one per method and event, prefixed so they cannot collide with Electron's own. */
export const ipcMethodChannel = (method: MethodName): string => `arkiva:call:${method}`;
export const ipcEventChannel = (event: EventName): string => `arkiva:event:${event}`;

/** The slice of Electron's ipcRenderer the bridge uses; named here so the bridge can be tested without Electron. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * Builds the bridge from the contract: every method becomes a function bound to its own channel,
 * every event a subscription to its own channel. The renderer validates what comes back.
 */
export function createBridge(ipc: IpcRendererLike): ArkivaBridge {
  const invoke = mapNames(methodNames, (method) => (input: unknown): Promise<WireResult> =>
    // The renderer's client validates this result against the schema before anything uses it.
    ipc.invoke(ipcMethodChannel(method), input) as Promise<WireResult>,
  );
  const events = mapNames(eventNames, (event) => (listener: (payload: unknown) => void) => {
    const forward = (_event: unknown, payload: unknown) => listener(payload);
    ipc.on(ipcEventChannel(event), forward);
    return () => void ipc.removeListener(ipcEventChannel(event), forward);
  });
  return Object.freeze({ invoke: Object.freeze(invoke), events: Object.freeze(events) });
}

function mapNames<K extends string, V>(names: readonly K[], make: (name: K) => V): Record<K, V> {
  const result: Partial<Record<K, V>> = {};
  for (const name of names) result[name] = make(name);
  return result as Record<K, V>;
}
