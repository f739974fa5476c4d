import type { Transport } from '../../common/api/client';
import type { MethodName } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { TOKEN_PROTOCOL_PREFIX, wireServerMessageSchema, type WireResult } from '../../common/api/wire';

const TOKEN_KEY = 'arkiva.localHostToken';
const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 5000];

/**
 * Carries the API over a WebSocket to the local host (development, tests, machines without
 * Electron). The per-launch token arrives in the address fragment (`#token=…`, which browsers never
 * send to a server) and is presented as a WebSocket subprotocol, the one header a page may set.
 * A dropped connection fails the calls in flight with `unavailable` and is re-established.
 */
export function localHostTransport(location: Location = window.location): Transport {
  const token = readToken(location);
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`;
  const pending = new Map<number, (result: WireResult) => void>();
  const listeners = new Set<(event: string, payload: unknown) => void>();
  let nextId = 1;
  let attempt = 0;
  let socket: Promise<WebSocket> = open();

  function open(): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, [`${TOKEN_PROTOCOL_PREFIX}${token}`]);
      ws.onopen = () => {
        attempt = 0;
        resolve(ws);
      };
      ws.onmessage = (message) => receive(message.data);
      ws.onclose = () => {
        for (const [id, settle] of pending) {
          pending.delete(id);
          settle(unavailable('The connection to the Arkiva services was lost; the request may not have completed.'));
        }
        reject(new ApiError('unavailable', 'Cannot reach the Arkiva services.'));
        const delay = RECONNECT_DELAYS_MS[Math.min(attempt++, RECONNECT_DELAYS_MS.length - 1)];
        setTimeout(() => {
          socket = open();
          socket.catch(() => undefined);
        }, delay);
      };
    });
  }

  function receive(data: unknown): void {
    let json: unknown;
    try {
      json = JSON.parse(String(data));
    } catch {
      console.error('Dropped a message from the services that is not JSON');
      return;
    }
    const message = wireServerMessageSchema.safeParse(json);
    if (!message.success) {
      console.error('Dropped a malformed message from the services', message.error.issues);
      return;
    }
    if (message.data.type === 'event') {
      for (const listener of listeners) listener(message.data.event, message.data.payload);
    } else if (message.data.id !== null) {
      pending.get(message.data.id)?.(message.data.result);
      pending.delete(message.data.id);
    }
  }

  return {
    async invoke(method: MethodName, input: unknown): Promise<WireResult> {
      let ws: WebSocket;
      try {
        ws = await socket;
      } catch {
        return unavailable('Cannot reach the Arkiva services.');
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ type: 'request', id, method, input }));
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function readToken(location: Location): string {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function unavailable(message: string): WireResult {
  return { ok: false, error: { code: 'unavailable', message } };
}
