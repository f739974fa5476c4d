import type { OpenSearchPort } from './page-search';
import type { SearchResponse } from './protocol';
import SearchWorker from './search.worker?worker';

export const openWorkerPort: OpenSearchPort = (receive, crashed) => {
  const worker = new SearchWorker({ name: 'arkiva-search' });
  worker.onmessage = (event: MessageEvent<SearchResponse>) => receive(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    crashed(new Error(event.message || 'the search worker could not be loaded'));
  };
  worker.onmessageerror = () => crashed(new Error('the search worker sent a message that could not be read'));
  return {
    send: (request) => worker.postMessage(request),
    close: () => worker.terminate(),
  };
};
