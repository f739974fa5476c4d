import { describe, expect, it, vi } from 'vitest';
import { createApiClient, type Transport } from './client';
import { ApiError } from './errors';
import type { WireResult } from './wire';

function transportAnswering(result: unknown) {
  const listeners = new Set<(event: string, payload: unknown) => void>();
  const sent: Array<[string, unknown]> = [];
  const transport: Transport = {
    invoke: async (method, input) => {
      sent.push([method, input]);
      return result as WireResult;
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const emit = (event: string, payload: unknown) => listeners.forEach((l) => l(event, payload));
  return { transport, sent, emit };
}

const info = { version: '1.0.0', host: 'local', ocrLanguages: ['eng'] };

describe('the API client the renderer uses', () => {
  it('calls each method by name and returns the validated value', async () => {
    const { transport, sent } = transportAnswering({ ok: true, value: info });
    expect(await createApiClient(transport)['app.getInfo']({})).toEqual(info);
    expect(sent).toEqual([['app.getInfo', {}]]);
  });

  it('throws the services’ typed error', async () => {
    const { transport } = transportAnswering({ ok: false, error: { code: 'not-found', message: 'No such page' } });
    const failure = createApiClient(transport)['pages.getImage']({ pageId: 'a'.repeat(64) });
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ code: 'not-found', message: 'No such page' });
  });

  it.each([
    ['a response that is not a result', { surprise: true }],
    ['a value that breaks the contract', { ok: true, value: { version: 2 } }],
    ['an error with an unknown code', { ok: false, error: { code: 'teapot', message: '' } }],
  ])('refuses %s with an internal error', async (_label, response) => {
    const { transport } = transportAnswering(response);
    await expect(createApiClient(transport)['app.getInfo']({})).rejects.toMatchObject({ code: 'internal' });
  });

  it('delivers valid events to their listeners only, and drops malformed ones', () => {
    const { transport, emit } = transportAnswering(null);
    const api = createApiClient(transport);
    const finished = vi.fn();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const unsubscribe = api.on('capture.finished', finished);
    emit('capture.finished', { jobId: 'j', pagesStored: 2 });
    emit('page.stored', { jobId: 'j', pagesStored: 2 });
    emit('capture.finished', { jobId: 'j', pagesStored: -1 });
    unsubscribe();
    emit('capture.finished', { jobId: 'k', pagesStored: 1 });
    expect(finished.mock.calls).toEqual([[{ jobId: 'j', pagesStored: 2 }]]);
    expect(errors).toHaveBeenCalledOnce();
    errors.mockRestore();
  });
});
