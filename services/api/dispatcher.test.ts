import { describe, expect, it } from 'vitest';
import { ApiError } from '../../common/api/errors';
import { stubHandlers } from '../../test/support/stub-handlers';
import { createDispatcher } from './dispatcher';

const silent = () => undefined;
const SHA = 'a'.repeat(64);

describe('dispatcher: the validated boundary both hosts share', () => {
  it('passes validated input, with defaults applied, to the handler', async () => {
    let received: unknown;
    const dispatch = createDispatcher(
      stubHandlers({ 'capture.scan': async (input) => ((received = input), { jobId: 'j1' }) }),
      silent,
    );
    expect(await dispatch('capture.scan', { deviceId: 'sane:test:0' })).toEqual({ ok: true, value: { jobId: 'j1' } });
    expect(received).toEqual({ deviceId: 'sane:test:0', source: 'flatbed', resolution: 300, mode: 'gray' });
  });

  it.each([
    ['a number for a string', 'pages.getImage', { pageId: 1 }],
    ['a malformed hash', 'pages.getImage', { pageId: 'abc' }],
    ['an out-of-range resolution', 'capture.scan', { deviceId: 'x', resolution: 99999 }],
    ['an unknown mode', 'capture.scan', { deviceId: 'x', mode: 'infrared' }],
    ['no files', 'import.files', { files: [] }],
    ['bytes that are not base64', 'import.files', { files: [{ name: 'a.png', dataBase64: '@@@' }] }],
    ['an array instead of an object', 'pages.list', []],
    ['a string instead of an object', 'pages.list', 'all'],
  ])('rejects %s with bad-request, before any handler runs', async (_label, method, input) => {
    let called = false;
    const dispatch = createDispatcher(
      stubHandlers({
        'pages.getImage': async () => ((called = true), { mimeType: 'image/png', dataBase64: '' }),
        'capture.scan': async () => ((called = true), { jobId: 'x' }),
        'import.files': async () => ((called = true), { pages: [], rejected: [] }),
        'pages.list': async () => ((called = true), { pages: [] }),
      }),
      silent,
    );
    const result = await dispatch(method, input);
    expect(result).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(called).toBe(false);
  });

  it.each([undefined, 42, 'constructor', '__proto__', 'toString', 'pages.list.extra'])(
    'rejects the method name %s as unknown-method',
    async (method) => {
      const result = await createDispatcher(stubHandlers(), silent)(method, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    },
  );

  it('passes a handler’s ApiError through with its code', async () => {
    const dispatch = createDispatcher(
      stubHandlers({ 'pages.getImage': async () => { throw new ApiError('not-found', 'No such page'); } }),
      silent,
    );
    expect(await dispatch('pages.getImage', { pageId: SHA })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'No such page' },
    });
  });

  it('turns any other exception into internal, logged, without throwing', async () => {
    const logged: string[] = [];
    const dispatch = createDispatcher(
      stubHandlers({ 'pages.list': async () => { throw new TypeError('boom'); } }),
      (message) => logged.push(message),
    );
    expect(await dispatch('pages.list', {})).toMatchObject({ ok: false, error: { code: 'internal', message: 'boom' } });
    expect(logged.join()).toContain('boom');
  });

  it('catches a service that breaks the contract in its output', async () => {
    const dispatch = createDispatcher(
      stubHandlers({
        // @ts-expect-error deliberately wrong output shape
        'app.getInfo': async () => ({ version: 1 }),
      }),
      silent,
    );
    expect(await dispatch('app.getInfo', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
