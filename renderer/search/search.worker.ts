import { startIndexHost } from './index-host';
import type { SearchRequest, SearchResponse } from './protocol';
import { createSnapshotStore } from './snapshot-store';

/** The part of a dedicated worker's global scope used here (the renderer is typed with the DOM library only). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<SearchRequest>) => void) | null;
  postMessage(message: SearchResponse): void;
}

// Indexing thousands of OCR'd pages takes long enough to freeze the UI, so the index lives here,
// and is saved to IndexedDB (reachable from workers) so the next start need not rebuild it.
const scope = self as unknown as WorkerScope;
const host = startIndexHost({ store: createSnapshotStore(), post: (response) => scope.postMessage(response) });
scope.onmessage = (event) => host.handle(event.data);
