import type { Transport } from '../../common/api/client';
import type { MethodName } from '../../common/api/contract';
import type { ApiErrorCode } from '../../common/api/errors';
import {
  CLOSE_UNAUTHORIZED,
  MAX_REQUEST_BYTES,
  TOKEN_PROTOCOL_PREFIX,
  wireServerMessageSchema,
  type WireResult,
} from '../../common/api/wire';

const TOKEN_KEY = 'arkiva.localHostToken';
const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 5000];
const UNREACHABLE = 'Cannot reach the Arkiva services; retrying.';
const DROPPED = 'The connection to the Arkiva services was lost; the request may not have completed.';
const TOO_LARGE = `This request is over the services' limit of ${MAX_REQUEST_BYTES} bytes; it was not sent.`;
const FRAME_TOO_LARGE =
  'A message exceeded the size the Arkiva services accept, so they closed the connection; the request may not have completed. Reconnecting.';
const UNSERIALISABLE = 'This request cannot be sent: its input is not plain JSON data (a BigInt or a cycle).';
/** WebSocket close code for a frame larger than the receiver accepts (RFC 6455, 7.4.1). */
const CLOSE_MESSAGE_TOO_BIG = 1009;
const REFUSED =
  'The Arkiva local host refused this page’s access token. Open the address it printed at start (it changes at every launch).';

type Connection =
  | { state: 'connecting'; ready: Promise<WebSocket | undefined> }
  | { state: 'open'; ws: WebSocket }
  | { state: 'waiting' } // dropped; a reconnect is scheduled
  | { state: 'refused' }; // wrong token: retrying cannot help

/**
 * Carries the API over a WebSocket to the local host (development, tests, machines without
 * Electron). The per-launch token arrives in the address fragment (`#token=…`, which browsers never
 * send to a server) and is presented as a WebSocket subprotocol, the one header a page may set.
 * A dropped connection fails the calls in flight with `unavailable`, is re-established with backoff,
 * and announces itself through `onReconnect` so mirrors of the archive can list it again. A refused
 * token ends the attempts: every call then answers `unauthorized`.
 */
/** The parts of the page's address the transport reads (`window.location`, or a URL in tests). */
type PageAddress = Pick<Location, 'protocol' | 'host' | 'hash'>;

export function localHostTransport(location: PageAddress = window.location): Transport {
  const token = readToken(location);
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`;
  const pending = new Map<number, (result: WireResult) => void>();
  const listeners = new Set<(event: string, payload: unknown) => void>();
  const reconnectListeners = new Set<() => void>();
  let nextId = 1;
  let failedAttempts = 0;
  let everOpened = false;
  let connection: Connection = connect();

  function connect(): Connection {
    const ready = new Promise<WebSocket | undefined>((resolve) => {
      const ws = new WebSocket(url, [`${TOKEN_PROTOCOL_PREFIX}${token}`]);
      ws.onopen = () => {
        failedAttempts = 0;
        connection = { state: 'open', ws };
        resolve(ws);
        if (everOpened) reconnectListeners.forEach((listener) => listener());
        everOpened = true;
      };
      ws.onmessage = (message) => receive(message.data);
      // An error is always followed by close, which decides what happens next.
      ws.onerror = () => undefined;
      ws.onclose = (event) => {
        resolve(undefined);
        settleAll(event.code === CLOSE_MESSAGE_TOO_BIG ? failure('payload-too-large', FRAME_TOO_LARGE) : failure('unavailable', DROPPED));
        if (event.code === CLOSE_UNAUTHORIZED) {
          connection = { state: 'refused' };
          return;
        }
        connection = { state: 'waiting' };
        const delay = RECONNECT_DELAYS_MS[Math.min(failedAttempts++, RECONNECT_DELAYS_MS.length - 1)];
        setTimeout(() => (connection = connect()), delay);
      };
    });
    return { state: 'connecting', ready };
  }

  async function currentSocket(): Promise<WebSocket | undefined> {
    if (connection.state === 'open') return connection.ws;
    if (connection.state === 'connecting') return connection.ready;
    return undefined;
  }

  function settleAll(result: WireResult): void {
    for (const [id, settle] of pending) {
      pending.delete(id);
      settle(result);
    }
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
      const ws = await currentSocket();
      if (connection.state === 'refused') return failure('unauthorized', REFUSED);
      if (!ws || ws.readyState !== WebSocket.OPEN) return failure('unavailable', UNREACHABLE);
      const id = nextId++;
      // Checked here because the host can answer an oversized request only when it finds its id,
      // and a frame over the socket's limit closes the connection for every call on it.
      let text: string;
      try {
        text = JSON.stringify({ type: 'request', id, method, input });
      } catch {
        return failure('bad-request', UNSERIALISABLE);
      }
      if (overRequestLimit(text)) return failure('payload-too-large', TOO_LARGE);
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(text);
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
  };
}

function readToken(location: PageAddress): string {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function failure(code: ApiErrorCode, message: string): WireResult {
  return { ok: false, error: { code, message } };
}

/** True when the UTF-8 text is over the request limit; encodes only when the length alone cannot tell (1 to 3 bytes per UTF-16 unit). */
function overRequestLimit(text: string): boolean {
  if (text.length > MAX_REQUEST_BYTES) return true;
  if (text.length * 3 <= MAX_REQUEST_BYTES) return false;
  return new TextEncoder().encode(text).byteLength > MAX_REQUEST_BYTES;
}
