import type { ArkivaApi } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { clearAuditEvents, storeAuditEvents } from '../catalog/audit-events';
import type { ArkivaCatalog } from '../catalog/catalog-db';

/** Entries per `audit.list` call: the contract's maximum, one catalog transaction each. */
export const AUDIT_PAGE = 1000;

export interface AuditSyncOptions {
  api: ArkivaApi;
  catalog: ArkivaCatalog;
  onError: (error: unknown) => void;
  pageSize?: number;
}

export interface AuditSync {
  /** Resolves once the catalog holds the trail as it stood at start. */
  readonly loaded: Promise<void>;
  /** Reads what was recorded since (the services announce no audit events): e.g. when the audit screen opens. */
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * Copies the audit trail into the catalog, a page at a time from the newest entry it holds, at
 * start, after a reconnect and on request. The trail is append-only and chained, so what the
 * catalog holds never changes; only when the services' entry at the catalog's newest number is
 * missing or hashes differently (another archive) does it start over. Services without `audit.list` leave the table empty.
 */
export function startAuditSync(options: AuditSyncOptions): AuditSync {
  const { api, catalog, onError } = options;
  const pageSize = options.pageSize ?? AUDIT_PAGE;
  let stopped = false;

  const readNewEntries = async (): Promise<void> => {
    const newest = await catalog.auditEvents.orderBy('seq').last();
    // The page starts at the newest entry held, so its hash shows whether this is still the same trail.
    let after = newest ? newest.seq - 1 : 0;
    let checking = newest !== undefined;
    for (;;) {
      let page;
      try {
        page = await api['audit.list']({ after, limit: pageSize });
      } catch (error) {
        if (error instanceof ApiError && error.code === 'unknown-method') return;
        throw error;
      }
      if (stopped) return;
      let entries = page.entries;
      if (checking && newest) {
        checking = false;
        if (entries[0]?.seq !== newest.seq || entries[0].hash !== newest.hash) {
          await clearAuditEvents(catalog);
          after = 0;
          continue;
        }
        entries = entries.slice(1);
      }
      await storeAuditEvents(catalog, entries);
      const last = page.entries.at(-1);
      if (!last || last.seq >= page.lastSeq) return;
      after = last.seq;
    }
  };

  // One reader at a time; a request while one runs waits for it, then reads on from where it ended.
  let chain: Promise<void> = Promise.resolve();
  const refresh = (): Promise<void> => {
    const next = chain.then(readNewEntries);
    chain = next.catch(() => undefined);
    return next;
  };

  const loaded = refresh().catch((error: unknown) => {
    if (!stopped) onError(error);
  });
  const unsubscribe = api.onReconnect(() => {
    refresh().catch(onError);
  });

  return {
    loaded,
    refresh,
    stop() {
      stopped = true;
      unsubscribe();
    },
  };
}
