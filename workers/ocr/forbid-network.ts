import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { syncBuiltinESMExports } from 'node:module';

/**
 * Makes every way out of this thread throw, so that nothing it runs (tesseract.js falls back to
 * fetching language data from a CDN whenever it is not given a local path) can reach the network
 * or wait on it. Arkiva runs offline: a fetch attempt is a bug, and it must fail loudly and at once.
 */
export function forbidNetwork(where: string): void {
  const refuse = (what: string) =>
    function refused(): never {
      throw new Error(`${what} is not allowed: network access is disabled in ${where} (Arkiva works offline).`);
    };

  seal(globalThis, 'fetch', refuse('fetch'));
  if ('WebSocket' in globalThis) seal(globalThis, 'WebSocket', refuse('WebSocket'));
  for (const [name, module] of [['http', http], ['https', https]] as const) {
    seal(module, 'request', refuse(`${name}.request`));
    seal(module, 'get', refuse(`${name}.get`));
  }
  seal(net, 'connect', refuse('net.connect'));
  seal(net, 'createConnection', refuse('net.createConnection'));
  seal(tls, 'connect', refuse('tls.connect'));
  // ESM named imports of built-ins (`import { request } from 'node:http'`) are separate bindings.
  syncBuiltinESMExports();
}

/** Non-writable, so that code loaded later cannot quietly put the original back. */
function seal(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: false, configurable: false, enumerable: true });
}
