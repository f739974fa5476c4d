import { PageIndex } from './page-index';
import { handleSearchRequest, type SearchRequest, type SearchResponse } from './protocol';

/** The part of a dedicated worker's global scope used here (the renderer is typed with the DOM library only). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<SearchRequest>) => void) | null;
  postMessage(message: SearchResponse): void;
}

// Indexing thousands of OCR'd pages takes long enough to freeze the UI, so the index lives here.
const scope = self as unknown as WorkerScope;
const index = new PageIndex();

scope.onmessage = (event) => {
  const response = handleSearchRequest(index, event.data);
  if (response) scope.postMessage(response);
};
scope.postMessage({ kind: 'ready' });
