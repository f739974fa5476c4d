import type { Transport } from '../../common/api/client';
import { eventNames } from '../../common/api/contract';
import type { ArkivaBridge } from '../../common/api/bridge';

/** Carries the API over the preload's contextBridge when the page runs inside Electron. */
export function electronTransport(bridge: ArkivaBridge): Transport {
  return {
    invoke: (method, input) => bridge.invoke[method](input),
    subscribe(listener) {
      const unsubscribers = eventNames.map((event) => bridge.events[event]((payload) => listener(event, payload)));
      return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
    },
  };
}
