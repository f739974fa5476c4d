import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forbidNetwork } from './forbid-network';

// Vitest runs each test file in its own process, so sealing this one affects no other file.
describe('forbidNetwork', () => {
  let tripwire: net.Server;
  let port = 0;
  let connections = 0;
  const refused = /network access is disabled in the test thread/;

  beforeAll(async () => {
    tripwire = net.createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => tripwire.listen(0, '127.0.0.1', resolve));
    const address = tripwire.address();
    if (address === null || typeof address === 'string') throw new Error('tripwire has no port');
    port = address.port;
    forbidNetwork('the test thread');
  });

  afterAll(() => {
    expect(connections, 'connections that reached the tripwire server').toBe(0);
    tripwire.close();
  });

  it('makes fetch throw at once, naming the reason', () => {
    expect(() => fetch(`http://127.0.0.1:${port}/eng.traineddata`)).toThrow(refused);
  });

  it('makes the http and https clients throw', () => {
    expect(() => http.get(`http://127.0.0.1:${port}/`)).toThrow(refused);
    expect(() => http.request({ host: '127.0.0.1', port })).toThrow(refused);
    expect(() => https.get(`https://127.0.0.1:${port}/`)).toThrow(refused);
    expect(() => https.request({ host: '127.0.0.1', port })).toThrow(refused);
  });

  it('makes raw sockets throw', () => {
    expect(() => net.connect(port, '127.0.0.1')).toThrow(refused);
    expect(() => net.createConnection({ port, host: '127.0.0.1' })).toThrow(refused);
    expect(() => tls.connect(port, '127.0.0.1')).toThrow(refused);
  });

  it('also covers named imports of the built-in modules', async () => {
    const { request, get } = await import('node:http');
    expect(() => request(`http://127.0.0.1:${port}/`)).toThrow(refused);
    expect(() => get(`http://127.0.0.1:${port}/`)).toThrow(refused);
  });

  it('cannot be undone by code that runs later', () => {
    const original = fetch;
    expect(() => Object.assign(globalThis, { fetch: () => Promise.resolve(new Response('')) })).toThrow(TypeError);
    expect(() => Object.assign(http, { get: () => undefined })).toThrow(TypeError);
    expect(fetch).toBe(original);
  });
});
