import type { IndexedPage, PageHit, SearchOptions } from './indexed-page';
import type { PageIndex } from './page-index';

/** Messages to the index, wherever it runs (a worker, or the UI thread as a fallback). */
export type SearchRequest =
  | { readonly kind: 'upsert'; readonly pages: readonly IndexedPage[] }
  /** Drops every page not listed: after a full listing, what the archive no longer holds. */
  | { readonly kind: 'retain'; readonly ids: readonly string[] }
  | { readonly kind: 'search'; readonly id: number; readonly query: string; readonly options: SearchOptions };

export type SearchResponse =
  /** Sent once when the index is up, so a failure before it counts as "could not start". */
  | { readonly kind: 'ready'; readonly restored?: number }
  /** After an upsert that changed what can be found, so open searches can be run again. */
  | { readonly kind: 'changed'; readonly size: number }
  | { readonly kind: 'results'; readonly id: number; readonly hits: readonly PageHit[] }
  /** `id` is null when the failed request was an upsert. */
  | { readonly kind: 'failed'; readonly id: number | null; readonly message: string };

export function handleSearchRequest(index: PageIndex, request: SearchRequest): SearchResponse | null {
  if (request.kind === 'search') {
    try {
      return { kind: 'results', id: request.id, hits: index.search(request.query, request.options) };
    } catch (error) {
      return { kind: 'failed', id: request.id, message: messageOf(error) };
    }
  }
  try {
    let changed = false;
    if (request.kind === 'retain') {
      changed = index.retainOnly(new Set(request.ids)) > 0;
    } else {
      for (const page of request.pages) {
        const change = index.upsert(page);
        if (change !== 'unchanged' && change !== 'absent') changed = true;
      }
    }
    return changed ? { kind: 'changed', size: index.size } : null;
  } catch (error) {
    return { kind: 'failed', id: null, message: messageOf(error) };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
