import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  CLOSE_UNAUTHORIZED,
  MAX_REQUEST_BYTES,
  TOKEN_PROTOCOL_PREFIX,
  wireServerMessageSchema,
  type WireServerMessage,
} from '../../common/api/wire';
import { createDispatcher } from '../api/dispatcher';
import { EventBus } from '../api/event-bus';
import { stubHandlers } from '../../test/support/stub-handlers';
import { leadingRequestId, startLocalHost, type LocalHost } from './local-host';

const TOKEN = 'test-token-0123456789';
let host: LocalHost;
let staticDir: string;
const bus = new EventBus();

beforeAll(async () => {
  staticDir = await mkdtemp(path.join(tmpdir(), 'arkiva-static-'));
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Arkiva</title>');
  const dispatch = createDispatcher(
    stubHandlers({ 'app.getInfo': async () => ({ version: '1.0.0', host: 'local', ocrLanguages: ['eng'] }) }),
    () => undefined,
  );
  host = await startLocalHost({ dispatch, bus, staticDir, token: TOKEN });
});

afterAll(async () => {
  await host.close();
  await rm(staticDir, { recursive: true, force: true });
});

function connect(options: { token?: string | null; origin?: string; host?: string } = {}) {
  const token = options.token === undefined ? TOKEN : options.token;
  const protocols = token === null ? [] : [`${TOKEN_PROTOCOL_PREFIX}${token}`];
  const headers: Record<string, string> = { Origin: options.origin ?? host.origin };
  if (options.host) headers.Host = options.host;
  const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/api`, protocols, { headers });
  const messages: WireServerMessage[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    messages.push(wireServerMessageSchema.parse(JSON.parse(String(data))));
    waiters.splice(0).forEach((wake) => wake());
  });
  const nextMessage = async (): Promise<WireServerMessage> => {
    while (messages.length === 0) await new Promise<void>((resolve) => waiters.push(resolve));
    return messages.shift()!;
  };
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  return { ws, nextMessage, opened, closed };
}

async function call(method: unknown, input: unknown, id = 1) {
  const client = connect();
  await client.opened;
  client.ws.send(JSON.stringify({ type: 'request', id, method, input }));
  const reply = await client.nextMessage();
  client.ws.close();
  return reply;
}

describe('local host API boundary', () => {
  it('answers a valid call', async () => {
    expect(await call('app.getInfo', {})).toEqual({
      type: 'response',
      id: 1,
      result: { ok: true, value: { version: '1.0.0', host: 'local', ocrLanguages: ['eng'] } },
    });
  });

  it.each([
    ['missing', null],
    ['wrong', 'not-the-token'],
    ['prefix of the real', TOKEN.slice(0, -1)],
  ])('refuses a %s token with a typed unauthorized error and closes', async (_label, token) => {
    const client = connect({ token });
    const reply = await client.nextMessage();
    expect(reply).toMatchObject({ type: 'response', id: null, result: { ok: false, error: { code: 'unauthorized' } } });
    expect(await client.closed).toBe(CLOSE_UNAUTHORIZED);
  });

  it('refuses connections from another web origin (cross-site WebSocket hijacking)', async () => {
    const client = connect({ origin: 'https://evil.example' });
    await expect(client.opened).rejects.toThrow(/403/);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const client = connect({ host: 'attacker.example:80' });
    await expect(client.opened).rejects.toThrow(/403/);
  });

  it('answers an unknown method with unknown-method', async () => {
    const reply = await call('archive.deleteEverything', {});
    expect(reply).toMatchObject({ id: 1, result: { ok: false, error: { code: 'unknown-method' } } });
  });

  it('answers input of the wrong type with bad-request naming the field', async () => {
    const reply = await call('pages.getImage', { pageId: 42 });
    expect(reply).toMatchObject({ id: 1, result: { ok: false, error: { code: 'bad-request' } } });
    expect(JSON.stringify(reply)).toContain('pageId');
  });

  it('answers unexpected extra fields with bad-request', async () => {
    const reply = await call('app.getInfo', { sneaky: true });
    expect(reply).toMatchObject({ result: { ok: false, error: { code: 'bad-request' } } });
  });

  it('answers text that is not JSON, and a bad envelope, with bad-request', async () => {
    const client = connect();
    await client.opened;
    client.ws.send('{not json');
    expect(await client.nextMessage()).toMatchObject({ id: null, result: { ok: false, error: { code: 'bad-request' } } });
    client.ws.send(JSON.stringify({ type: 'request', id: 7, method: 12 }));
    expect(await client.nextMessage()).toMatchObject({ id: 7, result: { ok: false, error: { code: 'bad-request' } } });
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await client.nextMessage()).toMatchObject({ id: null, result: { ok: false, error: { code: 'bad-request' } } });
    client.ws.close();
  });

  it('answers an oversized request with payload-too-large and keeps the connection', async () => {
    const client = connect();
    await client.opened;
    const huge = JSON.stringify({ type: 'request', id: 3, method: 'app.getInfo', input: { pad: 'x'.repeat(MAX_REQUEST_BYTES) } });
    client.ws.send(huge);
    // With the caller's id, or its call would wait for ever.
    expect(await client.nextMessage()).toMatchObject({ id: 3, result: { ok: false, error: { code: 'payload-too-large' } } });
    client.ws.send(JSON.stringify({ type: 'request', id: 4, method: 'app.getInfo', input: {} }));
    expect(await client.nextMessage()).toMatchObject({ id: 4, result: { ok: true } });
    client.ws.close();
  });

  it('keeps serving after all of the above', async () => {
    expect(await call('app.getInfo', {}, 99)).toMatchObject({ id: 99, result: { ok: true } });
  });

  it('forwards service events to authorised clients only', async () => {
    const authorised = connect();
    const intruder = connect({ token: 'wrong' });
    await authorised.opened;
    await intruder.nextMessage(); // its unauthorized error
    bus.emit('capture.finished', { jobId: 'job-1', pagesStored: 3 });
    expect(await authorised.nextMessage()).toEqual({
      type: 'event',
      event: 'capture.finished',
      payload: { jobId: 'job-1', pagesStored: 3 },
    });
    authorised.ws.close();
  });
});

describe('the id of a request too large to parse', () => {
  it.each([
    ['{"type":"request","id":17,"method":"pages.list","input":{"pad":"', 17],
    ['{ "id" : 5 , "type":"request"', 5],
    ['{"type":"request","id":0}', 0],
  ])('is read from the start of %j', (prefix, id) => {
    expect(leadingRequestId(prefix)).toBe(id);
  });

  it.each([
    ['{"type":"request","input":{"id":3},"id":4'],
    ['{"type":"request","id":-1,'],
    ['{"type":"request","id":"7",'],
    ['{"type":"request","id":1e3,'],
    ['not json'],
  ])('is not guessed from %j', (prefix) => {
    expect(leadingRequestId(prefix)).toBeNull();
  });
});

describe('the per-launch token', () => {
  it('is random at every launch and carries at least 32 bytes', async () => {
    const launches = await Promise.all([0, 1].map(() => startLocalHost({ dispatch: createDispatcher(stubHandlers({}), () => undefined), bus, staticDir })));
    try {
      const [first, second] = launches.map((launch) => launch.token);
      expect(first).not.toBe(second);
      for (const token of [first!, second!]) {
        expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(32);
        expect(launches.find((launch) => launch.token === token)?.url).toContain(`#token=${token}`);
      }
    } finally {
      await Promise.all(launches.map((launch) => launch.close()));
    }
  });
});

describe('local host static files', () => {
  it('serves the renderer with a strict content security policy', async () => {
    const response = await fetch(`${host.origin}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Arkiva</title>');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it.each(['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/nope.js'])('never serves %s', async (p) => {
    const response = await fetch(`${host.origin}${p}`);
    expect(response.status).toBe(404);
  });

  it('listens on loopback only', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
