import { describe, expect, it } from 'vitest';
import { createBridge, ipcEventChannel, ipcMethodChannel, type IpcRendererLike } from './bridge';
import { eventNames, methodNames } from './contract';

function fakeIpc() {
  const invoked: Array<[string, unknown]> = [];
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const ipc: IpcRendererLike = {
    invoke: async (channel, input) => {
      invoked.push([channel, input]);
      return { ok: true, value: null };
    },
    on: (channel, listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  };
  const emit = (channel: string, payload: unknown) => listeners.get(channel)?.forEach((l) => l({}, payload));
  return { ipc, invoked, emit, listeners };
}

describe('the preload bridge', () => {
  it('exposes exactly one function per contract method, and no generic send', () => {
    const bridge = createBridge(fakeIpc().ipc);
    expect(Object.keys(bridge).sort()).toEqual(['events', 'invoke']);
    expect(Object.keys(bridge.invoke).sort()).toEqual([...methodNames].sort());
    expect(Object.keys(bridge.events).sort()).toEqual([...eventNames].sort());
    expect(Object.values(bridge.invoke).every((f) => typeof f === 'function')).toBe(true);
  });

  it('sends each method on its own channel', async () => {
    const { ipc, invoked } = fakeIpc();
    await createBridge(ipc).invoke['pages.list']({});
    expect(invoked).toEqual([[ipcMethodChannel('pages.list'), {}]]);
  });

  it('delivers an event to its subscriber until it unsubscribes', () => {
    const { ipc, emit } = fakeIpc();
    const received: unknown[] = [];
    const unsubscribe = createBridge(ipc).events['page.recognized']((payload) => received.push(payload));
    emit(ipcEventChannel('page.recognized'), { n: 1 });
    emit(ipcEventChannel('page.stored'), { n: 2 });
    unsubscribe();
    emit(ipcEventChannel('page.recognized'), { n: 3 });
    expect(received).toEqual([{ n: 1 }]);
  });

  it('cannot be modified by the page', () => {
    const bridge = createBridge(fakeIpc().ipc);
    expect(Object.isFrozen(bridge) && Object.isFrozen(bridge.invoke) && Object.isFrozen(bridge.events)).toBe(true);
  });
});
