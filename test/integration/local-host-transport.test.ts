// The renderer's WebSocket transport against a real local host: the token from the address
// fragment, a refused token, a host that goes away and comes back, and requests too large to carry.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { createApiClient } from '../../common/api/client';
import { createDispatcher } from '../../services/api/dispatcher';
import { EventBus } from '../../services/api/event-bus';
import { startLocalHost, type LocalHost } from '../../services/local-host/local-host';
import { localHostTransport } from '../../renderer/api/local-host-transport';
import { MAX_REQUEST_BYTES, TOKEN_PROTOCOL_PREFIX } from '../../common/api/wire';
import { stubHandlers } from '../support/stub-handlers';

const TOKEN = 'transport-test-token';
const info = { version: '9.9.9', host: 'local' as const, ocrLanguages: ['eng'] };
let staticDir: string;
const hosts: LocalHost[] = [];

beforeAll(async () => {
  staticDir = await mkdtemp(path.join(tmpdir(), 'arkiva-transport-'));
  // What the browser provides and Node 20 lacks.
  vi.stubGlobal('WebSocket', WebSocket);
  const storage = new Map<string, string>();
  vi.stubGlobal('sessionStorage', {
    getItem: (key: string) => storage.get(key) ?? null,
    setItem: (key: string, value: string) => void storage.set(key, value),
  });
  // The globals stay stubbed to the end of this file: transports of finished tests still retry
  // their closed hosts on timers, as a page would, and need WebSocket to do it.
  return () => rm(staticDir, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
});

async function startHost(options: { port?: number; handlers?: Parameters<typeof stubHandlers>[0] } = {}) {
  const bus = new EventBus();
  const dispatch = createDispatcher(stubHandlers({ 'app.getInfo': async () => info, ...options.handlers }), () => undefined);
  const host = await startLocalHost({ dispatch, bus, staticDir, token: TOKEN, ...(options.port ? { port: options.port } : {}) });
  hosts.push(host);
  return { host, bus };
}

function pageAt(host: LocalHost, token: string): URL {
  return new URL(`${host.origin}/#token=${token}`);
}

describe('local host transport', () => {
  it('presents the token from the address fragment and carries calls and events', async () => {
    const { host, bus } = await startHost();
    const api = createApiClient(localHostTransport(pageAt(host, TOKEN)));
    expect(await api['app.getInfo']({})).toEqual(info);
    const heard = new Promise((resolve) => api.on('capture.finished', resolve));
    bus.emit('capture.finished', { jobId: 'j', pagesStored: 1 });
    expect(await heard).toEqual({ jobId: 'j', pagesStored: 1 });
  });

  it('answers every call with unauthorized when the host refuses the token, and stops retrying', async () => {
    const { host } = await startHost();
    const api = createApiClient(localHostTransport(pageAt(host, 'stale-token-from-last-launch')));
    await expect(api['app.getInfo']({})).rejects.toMatchObject({ code: expect.stringMatching(/unauthorized|unavailable/) });
    await vi.waitFor(() => expect(api['app.getInfo']({})).rejects.toMatchObject({ code: 'unauthorized' }));
    await expect(api['app.getInfo']({})).rejects.toThrow(/address it printed/);
  });

  it('fails calls while the host is gone, quickly, then reconnects and says so', async () => {
    const first = await startHost();
    const port = Number(new URL(first.host.origin).port);
    const api = createApiClient(localHostTransport(pageAt(first.host, TOKEN)));
    expect(await api['app.getInfo']({})).toEqual(info);
    const reconnected = vi.fn();
    api.onReconnect(reconnected);

    await first.host.close();
    hosts.splice(hosts.indexOf(first.host), 1);
    const started = Date.now();
    await expect(api['app.getInfo']({})).rejects.toMatchObject({ code: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(2_000);

    await startHost({ port });
    await vi.waitFor(() => expect(reconnected).toHaveBeenCalledOnce(), { timeout: 10_000 });
    expect(await api['app.getInfo']({})).toEqual(info);
  });

  it('fails a call in flight when the connection drops, instead of leaving it hanging', async () => {
    let release: () => void = () => undefined;
    const { host } = await startHost({
      handlers: { 'pages.list': () => new Promise((resolve) => (release = () => resolve({ pages: [] }))) },
    });
    const api = createApiClient(localHostTransport(pageAt(host, TOKEN)));
    await api['app.getInfo']({});
    const inFlight = api['pages.list']({});
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = host.close();
    hosts.splice(hosts.indexOf(host), 1);
    await expect(inFlight).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/lost/) });
    release();
    await closing;
  });

  it('refuses a request over the size limit with payload-too-large before sending it, and keeps the connection', async () => {
    const { host } = await startHost();
    const transport = localHostTransport(pageAt(host, TOKEN));
    const api = createApiClient(transport);
    await api['app.getInfo']({});
    const tooLarge = { ok: false, error: { code: 'payload-too-large' } };
    expect(await transport.invoke('pages.list', { pad: 'x'.repeat(MAX_REQUEST_BYTES) })).toMatchObject(tooLarge);
    // Just over the limit in bytes though not in characters: two bytes each in UTF-8.
    expect(await transport.invoke('pages.list', { pad: 'ë'.repeat(MAX_REQUEST_BYTES / 2) })).toMatchObject(tooLarge);
    expect(await api['app.getInfo']({})).toEqual(info);
  });

  it('refuses input that is not JSON data (a BigInt, a cycle) with bad-request, and keeps the connection', async () => {
    const { host } = await startHost();
    const transport = localHostTransport(pageAt(host, TOKEN));
    const api = createApiClient(transport);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const badRequest = { ok: false, error: { code: 'bad-request' } };
    expect(await transport.invoke('pages.list', { count: 10n })).toMatchObject(badRequest);
    expect(await transport.invoke('pages.list', cycle)).toMatchObject(badRequest);
    expect(await api['app.getInfo']({})).toEqual(info);
  });

  it('fails the calls in flight with payload-too-large when a frame over the socket limit closes the connection (1009), then reconnects', async () => {
    // A host whose socket accepts 1 KiB frames, so a request under the API limit can still be too big for the line.
    const server = createServer();
    const wss = new WebSocketServer({
      server,
      path: '/api',
      maxPayload: 1024,
      handleProtocols: (protocols) => [...protocols].find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX)) ?? false,
    });
    wss.on('connection', (ws) => {
      // ws reports the oversized frame here, after it has closed the socket with 1009.
      ws.on('error', () => undefined);
      ws.on('message', (data) => {
        const { id } = JSON.parse(String(data)) as { id: number };
        ws.send(JSON.stringify({ type: 'response', id, result: { ok: true, value: info } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const transport = localHostTransport(new URL(`http://127.0.0.1:${port}/#token=${TOKEN}`));
      expect(await transport.invoke('app.getInfo', {})).toEqual({ ok: true, value: info });
      const reconnected = vi.fn();
      transport.onReconnect?.(reconnected);

      const result = await transport.invoke('pages.list', { pad: 'x'.repeat(4096) });
      expect(result).toMatchObject({ ok: false, error: { code: 'payload-too-large', message: expect.stringMatching(/closed the connection/) } });
      await vi.waitFor(() => expect(reconnected).toHaveBeenCalledOnce(), { timeout: 10_000 });
      expect(await transport.invoke('app.getInfo', {})).toEqual({ ok: true, value: info });
    } finally {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
