import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startIndexHost, type SnapshotStore } from './index-host';
import type { IndexSnapshot } from './page-index';
import type { SearchResponse } from './protocol';
import { createSnapshotStore } from './snapshot-store';
import { pageId } from '../test-support/pages';

const page = (id: number, text: string) => ({ id: pageId(id), text, fileName: '', deviceId: '', capturedAt: '2025-03-01T09:00:00.000Z' });

function collect() {
  const responses: SearchResponse[] = [];
  const next = (kind: SearchResponse['kind']) =>
    vi.waitFor(() => {
      const found = responses.find((response) => response.kind === kind);
      if (!found) throw new Error(`no ${kind} yet`);
      responses.splice(responses.indexOf(found), 1);
      return found;
    });
  return { post: (response: SearchResponse) => responses.push(response), next };
}

const stores: Array<ReturnType<typeof createSnapshotStore>> = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.delete();
});

describe('startIndexHost', () => {
  it('saves the index to IndexedDB once changes settle, and the next start opens it instead of re-indexing', async () => {
    const store = createSnapshotStore('index-host-test-save');
    stores.push(store);
    const first = collect();
    const host = startIndexHost({ store, post: first.post, saveDelayMs: 10 });
    expect(await first.next('ready')).toEqual({ kind: 'ready', restored: 0 });
    host.handle({ kind: 'upsert', pages: [page(1, 'Raport nga Prishtinë'), page(2, 'Deklaratë')] });
    await first.next('changed');
    await host.flush();

    const second = collect();
    const reopened = startIndexHost({ store, post: second.post });
    expect(await second.next('ready')).toEqual({ kind: 'ready', restored: 2 });
    reopened.handle({ kind: 'search', id: 1, query: 'Приштина', options: {} });
    const results = await second.next('results');
    expect(results.kind === 'results' && results.hits.map((hit) => hit.pageId)).toEqual([pageId(1)]);
  });

  it('answers requests sent while the snapshot is still being read, in order', async () => {
    let release: (snapshot: IndexSnapshot | undefined) => void = () => undefined;
    const slow: SnapshotStore = {
      load: () => new Promise((resolve) => (release = resolve)),
      save: vi.fn(async () => undefined),
      clear: vi.fn(async () => undefined),
    };
    const { post, next } = collect();
    const host = startIndexHost({ store: slow, post });
    host.handle({ kind: 'upsert', pages: [page(1, 'raport')] });
    host.handle({ kind: 'search', id: 7, query: 'raport', options: {} });
    release(undefined);
    const results = await next('results');
    expect(results.kind === 'results' && results.hits.map((hit) => hit.pageId)).toEqual([pageId(1)]);
  });

  it('saves only once searching pauses, since saving holds the index, but never later than the longest deferral', async () => {
    vi.useFakeTimers();
    try {
      const start = Date.now();
      const saved: number[] = [];
      const store: SnapshotStore = { load: async () => undefined, save: vi.fn(async () => void saved.push(Date.now() - start)), clear: vi.fn(async () => undefined) };
      const { post } = collect();
      const host = startIndexHost({ store, post, saveDelayMs: 1_000, searchQuietMs: 5_000, maxSaveDeferMs: 20_000 });
      await vi.advanceTimersByTimeAsync(0);
      const tick = (ms: number) => vi.advanceTimersByTimeAsync(ms);

      host.handle({ kind: 'upsert', pages: [page(1, 'raport')] });
      host.handle({ kind: 'search', id: 1, query: 'raport', options: {} });
      await tick(1_000);
      expect(saved).toEqual([]); // searched a second ago: not now
      await tick(4_000);
      expect(saved).toEqual([5_000]); // five quiet seconds after the search

      // An investigator searching every 3 s keeps postponing it, up to 20 s after the change.
      host.handle({ kind: 'upsert', pages: [page(2, 'deklaratë')] });
      const changedAt = Date.now() - start;
      for (let second = 0; second < 30; second += 3) {
        host.handle({ kind: 'search', id: 2 + second, query: 'raport', options: {} });
        await tick(3_000);
      }
      expect(saved).toHaveLength(2);
      expect((saved[1] ?? 0) - changedAt).toBe(20_000);
      await host.flush();
    } finally {
      vi.useRealTimers();
    }
  });

  it('drops a snapshot it cannot open and starts empty, for the sync to refill', async () => {
    const broken: SnapshotStore = {
      load: async () => ({ format: 1, fingerprint: 'other folding' }) as unknown as IndexSnapshot,
      save: vi.fn(async () => undefined),
      clear: vi.fn(async () => undefined),
    };
    const warn = vi.fn();
    const { post, next } = collect();
    startIndexHost({ store: broken, post, warn });
    expect(await next('ready')).toEqual({ kind: 'ready', restored: 0 });
    expect(broken.clear).toHaveBeenCalled();
    expect(warn).toHaveBeenCalled();
  });
});
