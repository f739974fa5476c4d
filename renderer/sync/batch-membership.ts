import type { BatchRecord } from '../../common/api/contract';

/** Which batch each page is filed in, for indexing pages with their batch and its state. */
export interface BatchMembership {
  batchOf(pageId: string): BatchRecord | undefined;
  /** Records a batch's current state; returns the ids of pages whose batch (or its state) may have changed. */
  set(batch: BatchRecord): string[];
  remove(batchId: string): string[];
}

interface Filing {
  readonly batch: BatchRecord;
  readonly addedAt: string;
}

/**
 * A page is normally in one batch, but nothing stops a clerk filing it into a second one (a
 * re-scan of a folder, say); it then counts as in the batch it was added to last. Kept in
 * memory: every page indexed asks for its batch.
 */
export function createBatchMembership(): BatchMembership {
  const batches = new Map<string, BatchRecord>();
  const byPage = new Map<string, Map<string, Filing>>();

  const release = (batchId: string, touched: Set<string>) => {
    const held = batches.get(batchId);
    if (!held) return;
    batches.delete(batchId);
    for (const { pageId } of held.pages) {
      const filings = byPage.get(pageId);
      filings?.delete(batchId);
      if (filings?.size === 0) byPage.delete(pageId);
      touched.add(pageId);
    }
  };

  return {
    batchOf(pageId) {
      const filings = byPage.get(pageId);
      if (!filings) return undefined;
      let latest: Filing | undefined;
      for (const filing of filings.values()) {
        if (!latest || later(filing, latest)) latest = filing;
      }
      return latest?.batch;
    },
    set(batch) {
      const touched = new Set<string>();
      release(batch.id, touched);
      batches.set(batch.id, batch);
      for (const { pageId, addedAt } of batch.pages) {
        let filings = byPage.get(pageId);
        if (!filings) byPage.set(pageId, (filings = new Map()));
        filings.set(batch.id, { batch, addedAt });
        touched.add(pageId);
      }
      return [...touched];
    },
    remove(batchId) {
      const touched = new Set<string>();
      release(batchId, touched);
      return [...touched];
    },
  };
}

function later(a: Filing, b: Filing): boolean {
  if (a.addedAt !== b.addedAt) return a.addedAt > b.addedAt;
  if (a.batch.createdAt !== b.batch.createdAt) return a.batch.createdAt > b.batch.createdAt;
  return a.batch.id > b.batch.id;
}
