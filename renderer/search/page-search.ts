import type { IndexedPage, PageHit, SearchOptions } from './indexed-page';
import type { SearchRequest, SearchResponse } from './protocol';

/** A connection to an index: a worker, or the UI thread when no worker can run. */
export interface SearchPort {
  send(request: SearchRequest): void;
  close(): void;
}

export type OpenSearchPort = (
  receive: (response: SearchResponse) => void,
  /** The index behind the port is gone (a worker that failed to load or died). */
  crashed: (error: Error) => void,
) => SearchPort;

/** The search index as the UI and the sync see it. */
export interface PageSearch {
  upsert(pages: readonly IndexedPage[]): void;
  search(query: string, options?: number | SearchOptions): Promise<PageHit[]>;
  /** Drops every page not listed (after a full listing of the archive). */
  retain(ids: readonly string[]): void;
  /** Called after what can be found has changed, so a shown result list can be refreshed. */
  onChange(listener: () => void): () => void;
  close(): void;
}

export interface PageSearchOptions {
  open: OpenSearchPort;
  /** Used when `open` fails to start an index, or when its index crashes. */
  fallback: OpenSearchPort;
  onError: (error: Error) => void;
  /** The index was replaced by an empty one and must be filled again (from the catalog). */
  onReset: () => void;
  /** Default number of results. */
  limit?: number;
}

const DEFAULT_LIMIT = 50;

type SearchRequestOf<K extends SearchRequest['kind']> = Extract<SearchRequest, { kind: K }>;

interface PendingSearch {
  readonly request: SearchRequestOf<'search'>;
  readonly resolve: (hits: PageHit[]) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The index runs in a worker where one can run. A worker that cannot start (a policy that
 * forbids it, say) only costs speed, so the index moves to the UI thread quietly; a worker that
 * dies after it was running is reported, since pages may be missing until it is rebuilt. Either
 * way the new index is refilled through `onReset`, and searches in flight are asked again.
 */
export function createPageSearch(options: PageSearchOptions): PageSearch {
  const pending = new Map<number, PendingSearch>();
  const changeListeners = new Set<() => void>();
  let nextId = 1;
  let closed = false;
  let onFallback = false;
  let ready = false;
  /** Messages from a port that has been replaced are ignored. */
  let generation = 0;

  const notifyChange = () => {
    for (const listener of changeListeners) listener();
  };

  const receive = (response: SearchResponse) => {
    switch (response.kind) {
      case 'ready':
        ready = true;
        return;
      case 'changed':
        notifyChange();
        return;
      case 'results': {
        const call = pending.get(response.id);
        pending.delete(response.id);
        call?.resolve([...response.hits]);
        return;
      }
      case 'failed': {
        if (response.id === null) {
          options.onError(new Error(`The search index could not take in pages: ${response.message}`));
          return;
        }
        const call = pending.get(response.id);
        pending.delete(response.id);
        call?.reject(new Error(`Search failed: ${response.message}`));
      }
    }
  };

  const crashed = (error: Error) => {
    if (closed) return;
    port.close();
    if (onFallback) {
      closed = true;
      for (const call of pending.values()) call.reject(new Error(`Search stopped: ${error.message}`));
      pending.clear();
      options.onError(new Error(`The search index stopped and cannot be restarted: ${error.message}`));
      return;
    }
    if (ready) {
      options.onError(new Error(`The search index stopped (${error.message}); it is being rebuilt from the catalog.`));
    } else {
      console.warn('Search runs on the UI thread: the search worker did not start.', error);
    }
    port = connect(options.fallback, true);
    for (const call of pending.values()) port.send(call.request);
    options.onReset();
    notifyChange();
  };

  const connect = (open: OpenSearchPort, isFallback: boolean): SearchPort => {
    const mine = ++generation;
    onFallback = isFallback;
    ready = false;
    return open(
      (response) => mine === generation && receive(response),
      (error) => mine === generation && crashed(error),
    );
  };

  let port: SearchPort;
  try {
    port = connect(options.open, false);
  } catch (error) {
    console.warn('Search runs on the UI thread: the search worker could not be created.', error);
    port = connect(options.fallback, true);
  }

  return {
    upsert(pages) {
      if (closed || pages.length === 0) return;
      port.send({ kind: 'upsert', pages });
    },
    search(query, searchOptions = {}) {
      if (closed) return Promise.reject(new Error('The search index is closed.'));
      const asked = typeof searchOptions === 'number' ? { limit: searchOptions } : searchOptions;
      const request: SearchRequestOf<'search'> = {
        kind: 'search',
        id: nextId++,
        query,
        options: { ...asked, limit: asked.limit ?? options.limit ?? DEFAULT_LIMIT },
      };
      return new Promise<PageHit[]>((resolve, reject) => {
        pending.set(request.id, { request, resolve, reject });
        port.send(request);
      });
    },
    retain(ids) {
      if (closed) return;
      port.send({ kind: 'retain', ids });
    },
    onChange(listener) {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    close() {
      closed = true;
      port.close();
      for (const call of pending.values()) call.reject(new Error('The search index was closed.'));
      pending.clear();
    },
  };
}
