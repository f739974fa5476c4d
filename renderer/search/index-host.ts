import { PageIndex, type IndexSnapshot } from './page-index';
import { handleSearchRequest, type SearchRequest, type SearchResponse } from './protocol';

/** Where the index is saved between sessions; IndexedDB in the app (snapshot-store.ts). */
export interface SnapshotStore {
  load(): Promise<IndexSnapshot | undefined>;
  save(snapshot: IndexSnapshot): Promise<void>;
  clear(): Promise<void>;
}

export interface IndexHostOptions {
  readonly store: SnapshotStore | null;
  readonly post: (response: SearchResponse) => void;
  /** Quiet time after the last change before the index is saved. */
  readonly saveDelayMs?: number;
  /** A save waits until no search came for this long: saving holds the index (about 1 s at 100,000 pages). */
  readonly searchQuietMs?: number;
  /** …but never longer than this after the first unsaved change, so a busy day still gets saved. */
  readonly maxSaveDeferMs?: number;
  readonly warn?: (message: string, error: unknown) => void;
}

export interface IndexHost {
  handle(request: SearchRequest): void;
  /** Resolves once a pending save has finished (for tests and orderly shutdown). */
  flush(): Promise<void>;
}

const SAVE_DELAY_MS = 5_000;
const SEARCH_QUIET_MS = 15_000;
const MAX_SAVE_DEFER_MS = 120_000;

/**
 * Runs the index where it lives (the search worker, or the UI thread as a fallback): opens the
 * saved snapshot at start so the app does not re-index the archive, answers requests, and saves
 * the index again once changes have settled. A snapshot that cannot be read or was built with
 * other folding is dropped and the index starts empty: the sync refills it from the catalog.
 */
export function startIndexHost(options: IndexHostOptions): IndexHost {
  const { store, post } = options;
  const warn = options.warn ?? ((message, error) => console.warn(message, error));
  let index: PageIndex | null = null;
  const waiting: SearchRequest[] = [];
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let saving: Promise<void> = Promise.resolve();
  const now = () => Date.now();
  const searchQuietMs = options.searchQuietMs ?? SEARCH_QUIET_MS;
  const maxSaveDeferMs = options.maxSaveDeferMs ?? MAX_SAVE_DEFER_MS;
  let lastSearchAt = Number.NEGATIVE_INFINITY;
  let unsavedSince: number | undefined;

  // Saving blocks this thread, and with it the searches: it waits for a pause in searching.
  const saveWhenQuiet = () => {
    saveTimer = undefined;
    const sinceSearch = now() - lastSearchAt;
    const deferredFor = now() - (unsavedSince ?? now());
    if (sinceSearch < searchQuietMs && deferredFor < maxSaveDeferMs) {
      saveTimer = setTimeout(saveWhenQuiet, Math.min(searchQuietMs - sinceSearch, maxSaveDeferMs - deferredFor));
      return;
    }
    save();
  };

  const save = () => {
    saveTimer = undefined;
    unsavedSince = undefined;
    const current = index;
    if (!store || !current) return;
    saving = saving
      .then(() => store.save(current.snapshot()))
      .catch((error: unknown) => warn('The search index could not be saved; it will be rebuilt at next start.', error));
  };

  const run = (request: SearchRequest) => {
    if (!index) return;
    if (request.kind === 'search') lastSearchAt = now();
    const response = handleSearchRequest(index, request);
    if (response) post(response);
    if (response?.kind === 'changed' && store) {
      unsavedSince ??= now();
      clearTimeout(saveTimer);
      saveTimer = setTimeout(saveWhenQuiet, options.saveDelayMs ?? SAVE_DELAY_MS);
    }
  };

  const open = async (): Promise<PageIndex> => {
    if (!store) return new PageIndex();
    try {
      const snapshot = await store.load();
      if (snapshot) return PageIndex.fromSnapshot(snapshot);
    } catch (error) {
      warn('The saved search index was dropped and is being rebuilt.', error);
      await store.clear().catch(() => undefined);
    }
    return new PageIndex();
  };

  void open().then((opened) => {
    index = opened;
    post({ kind: 'ready', restored: opened.size });
    for (const request of waiting.splice(0)) run(request);
  });

  return {
    handle(request) {
      if (index) run(request);
      else waiting.push(request);
    },
    async flush() {
      if (saveTimer !== undefined) {
        clearTimeout(saveTimer);
        save();
      }
      await saving;
    },
  };
}
