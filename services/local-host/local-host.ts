import { createServer, type IncomingMessage } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { ApiError } from '../../common/api/errors';
import {
  CLOSE_UNAUTHORIZED,
  MAX_REQUEST_BYTES,
  TOKEN_PROTOCOL_PREFIX,
  wireRequestSchema,
  type WireResult,
  type WireServerMessage,
} from '../../common/api/wire';
import { failure, type Dispatch } from '../api/dispatcher';
import type { EventBus } from '../api/event-bus';
import { staticFiles } from './static-files';

export interface LocalHostOptions {
  dispatch: Dispatch;
  bus: EventBus;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  port?: number;
  /** Fixed token for tests; by default a fresh random one per launch. */
  token?: string;
}

export interface LocalHost {
  /** Address to open, token included in the fragment. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  close(): Promise<void>;
}

/**
 * Serves the renderer and the API on 127.0.0.1 only, for development, tests and machines without
 * Electron. The API needs the per-launch token; Host and Origin are checked too, so neither another
 * web page in the same browser nor a DNS-rebinding attack can reach the services.
 */
export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const server = createServer(staticFiles(options.staticDir));
  // The socket limit sits above the request limit so an oversized request still gets a typed answer.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_REQUEST_BYTES * 2,
    handleProtocols: (protocols) => [...protocols].find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX)) ?? false,
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = new Set([origin, `http://localhost:${port}`]);

  server.on('upgrade', (request, socket, head) => {
    const { pathname } = new URL(request.url ?? '/', origin);
    const origin_ = request.headers.origin;
    if (pathname !== '/api' || !allowedHosts.has(request.headers.host ?? '') || (origin_ !== undefined && !allowedOrigins.has(origin_))) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, request));
  });

  const authorized = new Set<WebSocket>();
  const unsubscribe = options.bus.subscribe((event, payload) => {
    const message = JSON.stringify({ type: 'event', event, payload } satisfies WireServerMessage);
    for (const ws of authorized) ws.send(message);
  });

  function accept(ws: WebSocket, request: IncomingMessage): void {
    if (!tokenMatches(presentedToken(request), token)) {
      send(ws, null, failure(new ApiError('unauthorized', 'Missing or wrong access token for the Arkiva local host.')));
      ws.close(CLOSE_UNAUTHORIZED, 'unauthorized');
      return;
    }
    authorized.add(ws);
    ws.on('close', () => authorized.delete(ws));
    ws.on('error', () => authorized.delete(ws));
    ws.on('message', (data, isBinary) => void handleMessage(ws, data, isBinary));
  }

  async function handleMessage(ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    const bytes = rawLength(data);
    if (bytes > MAX_REQUEST_BYTES) {
      // The caller waits for an answer with its id; without one its call would never finish.
      const id = isBinary ? null : leadingRequestId(rawPrefix(data, REQUEST_ID_PREFIX_BYTES));
      send(ws, id, failure(new ApiError('payload-too-large', `Request of ${bytes} bytes exceeds the limit of ${MAX_REQUEST_BYTES}.`)));
      return;
    }
    let json: unknown;
    try {
      if (isBinary) throw new Error('binary frame');
      json = JSON.parse(rawText(data));
    } catch {
      send(ws, null, failure(new ApiError('bad-request', 'Requests must be JSON text messages.')));
      return;
    }
    const request = wireRequestSchema.safeParse(json);
    if (!request.success) {
      const id = typeof json === 'object' && json !== null && 'id' in json && typeof json.id === 'number' ? json.id : null;
      send(ws, id, failure(new ApiError('bad-request', 'Malformed request envelope.', request.error.issues)));
      return;
    }
    send(ws, request.data.id, await options.dispatch(request.data.method, request.data.input));
  }

  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    async close() {
      unsubscribe();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(ws: WebSocket, id: number | null, result: WireResult): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'response', id, result } satisfies WireServerMessage));
}

function presentedToken(request: IncomingMessage): string {
  const header = request.headers['sec-websocket-protocol'] ?? '';
  const offered = header.split(',').map((p) => p.trim());
  return offered.find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX))?.slice(TOKEN_PROTOCOL_PREFIX.length) ?? '';
}

function tokenMatches(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function rawLength(data: RawData): number {
  return Array.isArray(data) ? data.reduce((sum, chunk) => sum + chunk.length, 0) : data.byteLength;
}

/** Enough of a request's start to hold its envelope's `type` and `id`, which the client writes first. */
const REQUEST_ID_PREFIX_BYTES = 256;
const LEADING_ID = /^\s*\{\s*(?:"type"\s*:\s*"request"\s*,\s*)?"id"\s*:\s*(\d{1,15})\s*[,}]/;

/**
 * The id of a request too large to parse, read from the start of its text when the envelope begins
 * with it (`{"type":"request","id":7,…`, as every client of ours writes it); null otherwise.
 */
export function leadingRequestId(prefix: string): number | null {
  const match = LEADING_ID.exec(prefix);
  return match?.[1] === undefined ? null : Number(match[1]);
}

function rawPrefix(data: RawData, bytes: number): string {
  const chunks = Array.isArray(data) ? data : [data instanceof ArrayBuffer ? Buffer.from(data) : data];
  const head: Buffer[] = [];
  let length = 0;
  for (const chunk of chunks) {
    if (length >= bytes) break;
    head.push(chunk.subarray(0, bytes - length));
    length += head[head.length - 1]!.length;
  }
  // A multi-byte character cut at the end decodes to U+FFFD, which the id pattern never needs.
  return Buffer.concat(head).toString('utf8');
}

function rawText(data: RawData): string {
  return Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString('utf8');
}
