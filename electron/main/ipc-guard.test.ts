import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { MAX_REQUEST_BYTES, type WireResult } from '../../common/api/wire';
import type { Dispatch } from '../../services/api/dispatcher';
import { guardedIpcHandler, rendererUrlPrefix, type IpcCall } from './ipc-guard';

const rendererDir = path.resolve('/opt/arkiva/dist/renderer');
const prefix = rendererUrlPrefix(rendererDir);
const fromPage = (file: string): IpcCall => ({ senderFrame: { url: pathToFileURL(path.join(rendererDir, file)).href } });
const answered: WireResult = { ok: true, value: { pages: [] } };

function handler(dispatch: Dispatch = vi.fn(async () => answered)) {
  return { call: guardedIpcHandler('pages.list', prefix, dispatch), dispatch };
}

describe('IPC guard of the Electron main process', () => {
  it('passes a call from our page to the services', async () => {
    const { call, dispatch } = handler();
    expect(await call(fromPage('index.html'), { limit: 5 })).toEqual(answered);
    expect(dispatch).toHaveBeenCalledWith('pages.list', { limit: 5 });
  });

  it.each([
    ['another web page', { senderFrame: { url: 'https://evil.example/index.html' } }],
    ['a sibling folder whose name starts the same', { senderFrame: { url: pathToFileURL(`${rendererDir}-x/index.html`).href } }],
    ['the renderer folder itself, not a file in it', { senderFrame: { url: pathToFileURL(rendererDir).href } }],
    ['a frame that is gone', { senderFrame: null }],
  ])('refuses %s with unauthorized, without calling the services', async (_label, event: IpcCall) => {
    const { call, dispatch } = handler();
    expect(await call(event, {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('ends the allowed prefix with a slash', () => {
    expect(prefix.endsWith('/dist/renderer/')).toBe(true);
    expect(rendererUrlPrefix(`${rendererDir}/`)).toBe(prefix);
  });

  it('refuses an oversized request with payload-too-large, counting bytes of UTF-8', async () => {
    const { call, dispatch } = handler();
    expect(await call(fromPage('index.html'), { pad: 'ë'.repeat(MAX_REQUEST_BYTES / 2) })).toMatchObject({
      ok: false,
      error: { code: 'payload-too-large' },
    });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it.each([
    ['a BigInt', { count: 10n }],
    ['a cycle', (() => { const cycle: Record<string, unknown> = {}; cycle.self = cycle; return cycle; })()],
  ])('answers input holding %s with bad-request instead of throwing', async (_label, input) => {
    const { call, dispatch } = handler();
    expect(await call(fromPage('index.html'), input)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('turns a dispatcher that throws into a typed internal error', async () => {
    const { call } = handler(async () => {
      throw new Error('disk on fire');
    });
    expect(await call(fromPage('index.html'), {})).toEqual({ ok: false, error: { code: 'internal', message: 'disk on fire' } });
  });
});
