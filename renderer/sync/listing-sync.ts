import type { ArkivaApi } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { createSerialBatches } from './serial-batches';

/** A kind of record followed into the catalog and the index. */
export interface ListingSync {
  /** Resolves once the services' listing has been taken in (or the services have none of these records). */
  readonly loaded: Promise<void>;
  stop(): void;
}

/** What following one kind of record (documents, batches) needs to know about it. */
export interface ListingSource<R extends { readonly id: string }> {
  readonly api: ArkivaApi;
  /** The records the catalog holds already. */
  known(): Promise<R[]>;
  /** The services' full listing; an older host without these records answers `unknown-method`. */
  list(): Promise<R[]>;
  /** Follows the services' change event for one record; returns the unsubscribe. */
  follow(onChange: (record: R) => void): () => void;
  /** Takes in a record the catalog already had, before the listing lands. */
  remember(record: R): void;
  /** Writes records to the catalog and takes them in; returns the pages whose index entries change. */
  take(records: readonly R[]): Promise<Iterable<string>>;
  /** Drops what the listing no longer holds; returns the pages those records had. */
  dropAllBut(ids: ReadonlySet<string>): Promise<Iterable<string>>;
  pagesOf(record: R): Iterable<string>;
  reindex(pageIds: ReadonlySet<string>): Promise<void>;
  onError(error: unknown): void;
}

/**
 * Keeps one kind of record in the catalog and its fields in the index: follows the change event,
 * lists the records at start and after a reconnect, and re-indexes exactly the pages whose record
 * changed. Pages are indexed with what the catalog knew before the listing lands.
 */
export function followListing<R extends { readonly id: string }>(source: ListingSource<R>): ListingSync {
  let stopped = false;
  const queue = createSerialBatches<R>(async (records) => {
    await source.reindex(new Set(await source.take(records)));
  });
  const unsubscribers = [
    source.follow((record) => {
      queue.enqueue([record]).catch((error: unknown) => source.onError(error));
    }),
  ];

  const takeListing = async (): Promise<void> => {
    for (const record of await source.known()) source.remember(record);
    let listed: R[];
    try {
      listed = await source.list();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'unknown-method') return;
      throw error;
    }
    if (stopped) return;
    await queue.enqueue(listed);
    const touched = new Set(await source.dropAllBut(new Set(listed.map((record) => record.id))));
    // Pages of unchanged records too: the index may hold them without their fields (first run).
    for (const record of listed) for (const pageId of source.pagesOf(record)) touched.add(pageId);
    await source.reindex(touched);
  };

  const loaded = takeListing().catch((error: unknown) => {
    if (!stopped) source.onError(error);
  });
  unsubscribers.push(
    source.api.onReconnect(() => {
      takeListing().catch((error: unknown) => source.onError(error));
    }),
  );

  return {
    loaded,
    stop() {
      stopped = true;
      for (const unsubscribe of unsubscribers) unsubscribe();
    },
  };
}
