import { startIndexHost, type SnapshotStore } from './index-host';
import type { OpenSearchPort } from './page-search';

/**
 * The index on the UI thread, for when no worker can run. Each request runs in its own task,
 * in order, so the UI gets to paint between batches of indexing. Without a store it keeps
 * nothing between sessions.
 */
export function createInThreadPort(store: SnapshotStore | null = null): OpenSearchPort {
  return (receive) => {
    let open = true;
    const host = startIndexHost({ store, post: (response) => setTimeout(() => open && receive(response), 0) });
    return {
      send(request) {
        setTimeout(() => open && host.handle(request), 0);
      },
      close() {
        open = false;
      },
    };
  };
}

export const openInThreadPort: OpenSearchPort = createInThreadPort();
