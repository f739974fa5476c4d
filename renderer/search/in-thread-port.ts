import { PageIndex } from './page-index';
import type { OpenSearchPort } from './page-search';
import { handleSearchRequest } from './protocol';

/**
 * The index on the UI thread, for when no worker can run. Each request runs in its own task,
 * in order, so the UI gets to paint between batches of indexing.
 */
export const openInThreadPort: OpenSearchPort = (receive) => {
  const index = new PageIndex();
  let open = true;
  setTimeout(() => open && receive({ kind: 'ready' }), 0);
  return {
    send(request) {
      setTimeout(() => {
        if (!open) return;
        const response = handleSearchRequest(index, request);
        if (response) receive(response);
      }, 0);
    },
    close() {
      open = false;
    },
  };
};
