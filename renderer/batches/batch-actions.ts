import type { BatchRecord, BatchState, BatchVerification, PageRecord } from '../../common/api/contract';

export type BatchAction = 'seal' | 'verify' | 'countersign' | 'reject' | 'reopen' | 'queue';
export type Role = 'clerk' | 'supervisor';

/**
 * What the signed-in person may do with a batch in its state: the clerk seals an open batch and
 * reopens a rejected one; the supervisor verifies a sealed one, then countersigns or rejects it;
 * a verified batch can be queued for sync by either. Nobody signed in: nothing.
 */
export function batchActions(state: BatchState, role: Role | undefined): BatchAction[] {
  if (role === undefined) return [];
  switch (state) {
    case 'open':
      return role === 'clerk' ? ['seal'] : [];
    case 'sealed':
      return role === 'supervisor' ? ['verify', 'countersign', 'reject'] : [];
    case 'rejected':
      return role === 'clerk' ? ['reopen'] : [];
    case 'verified':
      return ['queue'];
    case 'queued':
    case 'synced':
      return [];
  }
}

/**
 * What this person may do with this batch: as batchActions, except that nobody countersigns or
 * rejects a seal they made themselves (the services refuse it; four eyes see every batch).
 */
export function batchActionsFor(batch: BatchRecord, user: { readonly userId: string; readonly role: Role } | null): BatchAction[] {
  const actions = batchActions(batch.state, user?.role);
  const sealer = batch.seals.at(-1)?.sealedBy;
  if (user === null || sealer !== user.userId) return actions;
  return actions.filter((action) => action !== 'countersign' && action !== 'reject');
}

/** Countersigning waits for a verification of the current seal that found nothing wrong. */
export function canCountersign(batch: BatchRecord, report: BatchVerification | undefined): boolean {
  return report !== undefined && report.ok && report.seal === batch.seals.at(-1)?.n;
}

/**
 * The verification to show beside a batch: only one of the seal it now stands on. A batch reopened
 * after a rejection shows none until it is sealed (as a new bag) and verified again.
 */
export function currentReport(batch: BatchRecord, report: BatchVerification | undefined): BatchVerification | undefined {
  if (report === undefined || batch.state === 'open') return undefined;
  return report.seal === batch.seals.at(-1)?.n ? report : undefined;
}

/** Expected (as the clerk counted the paper) against received (pages in the batch). */
export function pageCounts(batch: BatchRecord): { expected: number | undefined; received: number; matches: boolean | undefined } {
  const received = batch.pages.length;
  return { expected: batch.expectedPages, received, matches: batch.expectedPages === undefined ? undefined : batch.expectedPages === received };
}

/** Pages no batch holds yet, newest first: what a clerk puts into a new batch. */
export function unbatchedPages(pages: readonly PageRecord[], batches: readonly { pageIds: readonly string[] }[]): PageRecord[] {
  const taken = new Set(batches.flatMap((batch) => batch.pageIds));
  return pages.filter((page) => !taken.has(page.id));
}
