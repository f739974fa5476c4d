import { describe, expect, it, vi } from 'vitest';
import type { IndexedPage } from './indexed-page';
import { openInThreadPort } from './in-thread-port';
import { createPageSearch, type OpenSearchPort, type PageSearchOptions } from './page-search';
import type { SearchRequest, SearchResponse } from './protocol';
import { pageId } from '../test-support/pages';

function page(id: number, text: string): IndexedPage {
  return { id: pageId(id), text, fileName: `p${id}.png`, deviceId: '', capturedAt: '2025-03-01T09:00:00.000Z' };
}

/** A port whose far end the test plays by hand. */
function manualPort() {
  const sent: SearchRequest[] = [];
  let receive: (response: SearchResponse) => void = () => undefined;
  let crash: (error: Error) => void = () => undefined;
  const closed = vi.fn();
  const open: OpenSearchPort = (onResponse, onCrash) => {
    receive = onResponse;
    crash = onCrash;
    return { send: (request) => sent.push(request), close: closed };
  };
  return { open, sent, closed, reply: (response: SearchResponse) => receive(response), crash: (error: Error) => crash(error) };
}

function options(overrides: Partial<PageSearchOptions>): PageSearchOptions {
  return { open: openInThreadPort, fallback: openInThreadPort, onError: vi.fn(), onReset: vi.fn(), ...overrides };
}

describe('createPageSearch', () => {
  it('indexes and searches through a port', async () => {
    const search = createPageSearch(options({}));
    search.upsert([page(1, 'Raport nga Prishtinë'), page(2, 'Deklaratë')]);
    const hits = await search.search('prishtine');
    expect(hits.map((hit) => hit.pageId)).toEqual([pageId(1)]);
    search.close();
  });

  it('tells listeners when what can be found changed, and not for repeats', async () => {
    const search = createPageSearch(options({}));
    const changed = vi.fn();
    search.onChange(changed);
    search.upsert([page(1, 'raport')]);
    await search.search('x');
    expect(changed).toHaveBeenCalledTimes(1);
    search.upsert([page(1, 'raport')]);
    await search.search('x');
    expect(changed).toHaveBeenCalledTimes(1);
    search.close();
  });

  it('pairs answers with their questions even when they come back out of order', async () => {
    const port = manualPort();
    const search = createPageSearch(options({ open: port.open }));
    const first = search.search('one');
    const second = search.search('two');
    const [a, b] = port.sent.filter((request) => request.kind === 'search');
    if (a?.kind !== 'search' || b?.kind !== 'search') throw new Error('expected two search requests');
    port.reply({ kind: 'results', id: b.id, hits: [] });
    port.reply({ kind: 'failed', id: a.id, message: 'boom' });
    await expect(second).resolves.toEqual([]);
    await expect(first).rejects.toThrow('Search failed: boom');
  });

  it('reports an upsert the index could not take', () => {
    const port = manualPort();
    const onError = vi.fn();
    createPageSearch(options({ open: port.open, onError }));
    port.reply({ kind: 'failed', id: null, message: 'out of memory' });
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining('out of memory') }));
  });

  it('falls back to the UI thread, quietly, when the worker cannot be constructed', async () => {
    const onError = vi.fn();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const search = createPageSearch(
      options({
        open: () => {
          throw new Error('blocked');
        },
        onError,
      }),
    );
    search.upsert([page(1, 'Mitrovicë')]);
    expect((await search.search('mitrovice')).map((hit) => hit.pageId)).toEqual([pageId(1)]);
    expect(onError).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
    search.close();
  });

  it('moves to the UI thread quietly when the worker fails before it started, asking open searches again', async () => {
    const port = manualPort();
    const onError = vi.fn();
    const onReset = vi.fn();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const search = createPageSearch(options({ open: port.open, onError, onReset }));
    const inFlight = search.search('raport');

    port.crash(new Error('worker script blocked'));

    await expect(inFlight).resolves.toEqual([]);
    expect(onError).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalled();
    expect(port.closed).toHaveBeenCalled();
    expect(onReset).toHaveBeenCalledTimes(1);
    search.upsert([page(1, 'raport')]);
    expect((await search.search('raport')).map((hit) => hit.pageId)).toEqual([pageId(1)]);
    warn.mockRestore();
    search.close();
  });

  it('tells the clerk when a running worker dies, rebuilds on the UI thread and answers open searches', async () => {
    const port = manualPort();
    const onError = vi.fn();
    const onReset = vi.fn();
    const changed = vi.fn();
    const search = createPageSearch(options({ open: port.open, onError, onReset }));
    search.onChange(changed);
    port.reply({ kind: 'ready' });
    const inFlight = search.search('raport');

    port.crash(new Error('out of memory'));

    await expect(inFlight).resolves.toEqual([]);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining('rebuilt') }));
    expect(onReset).toHaveBeenCalledTimes(1);
    expect(changed).toHaveBeenCalled();
    search.close();
  });

  it('ignores whatever a replaced worker still sends', async () => {
    const port = manualPort();
    const onReset = vi.fn();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const search = createPageSearch(options({ open: port.open, onReset }));
    port.crash(new Error('first'));
    port.crash(new Error('second'));
    port.reply({ kind: 'results', id: 1, hits: [] });
    expect(onReset).toHaveBeenCalledTimes(1);
    search.upsert([page(1, 'raport')]);
    expect((await search.search('raport')).map((hit) => hit.pageId)).toEqual([pageId(1)]);
    warn.mockRestore();
    search.close();
  });

  it('gives up, and says so, when the fallback index fails too', async () => {
    const primary = manualPort();
    const fallback = manualPort();
    const onError = vi.fn();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const search = createPageSearch(options({ open: primary.open, fallback: fallback.open, onError }));
    primary.crash(new Error('blocked'));
    const inFlight = search.search('raport');
    fallback.crash(new Error('broken'));
    await expect(inFlight).rejects.toThrow('broken');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining('cannot be restarted') }));
    await expect(search.search('x')).rejects.toThrow('closed');
    warn.mockRestore();
  });

  it('rejects searches after close', async () => {
    const search = createPageSearch(options({}));
    search.close();
    await expect(search.search('x')).rejects.toThrow('closed');
  });
});
