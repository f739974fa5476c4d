import { describe, expect, it } from 'vitest';
import { batchStateSchema, type BatchVerification } from '../../common/api/contract';
import { toCatalogBatch } from '../catalog/batches';
import { batchOf } from '../test-support/batches';
import { pageId, pendingPage } from '../test-support/pages';
import { batchActions, batchActionsFor, canCountersign, currentReport, pageCounts, unbatchedPages } from './batch-actions';

const report = (ok: boolean, seal = 1): BatchVerification => ({ ok, seal, pages: { received: 2, blank: [] }, files: { count: 6, octets: 1000 }, signatures: [], errors: [], warnings: [] });

describe('what a batch offers the person signed in', () => {
  it('lets the clerk seal an open batch and reopen a rejected one, the supervisor verify, countersign or reject a sealed one', () => {
    const offered = Object.fromEntries(
      batchStateSchema.options.map((state) => [state, { clerk: batchActions(state, 'clerk'), supervisor: batchActions(state, 'supervisor'), nobody: batchActions(state, undefined) }]),
    );
    expect(offered).toEqual({
      open: { clerk: ['seal'], supervisor: [], nobody: [] },
      sealed: { clerk: [], supervisor: ['verify', 'countersign', 'reject'], nobody: [] },
      verified: { clerk: ['queue'], supervisor: ['queue'], nobody: [] },
      rejected: { clerk: ['reopen'], supervisor: [], nobody: [] },
      queued: { clerk: [], supervisor: [], nobody: [] },
      synced: { clerk: [], supervisor: [], nobody: [] },
    });
  });

  it('never lets a supervisor countersign or reject the seal they made themselves', () => {
    const seal = { n: 1, bag: 'seal-1', sealedAt: '2026-12-01T08:00:00.000Z', sealedBy: 'milan', keyId: 'a'.repeat(64), tagmanifestSha256: 'b'.repeat(64), payloadOxum: '10.2' };
    const sealed = batchOf([pageId()], { state: 'sealed', seals: [{ ...seal, sealedBy: 'arta' }, seal] });
    expect(batchActionsFor(sealed, { userId: 'milan', role: 'supervisor' })).toEqual(['verify']);
    expect(batchActionsFor(sealed, { userId: 'vesna', role: 'supervisor' })).toEqual(['verify', 'countersign', 'reject']);
    expect(batchActionsFor({ ...sealed, seals: [seal, { ...seal, n: 2, sealedBy: 'arta' }] }, { userId: 'milan', role: 'supervisor' })).toEqual(['verify', 'countersign', 'reject']);
    expect(batchActionsFor(sealed, null)).toEqual([]);
  });

  it('lets the supervisor countersign only after a clean verification of the current seal', () => {
    const sealed = batchOf([pageId()], { state: 'sealed', seals: [{ n: 2, bag: 'seal-2', sealedAt: '2026-12-01T08:00:00.000Z', sealedBy: 'arta', keyId: 'a'.repeat(64), tagmanifestSha256: 'b'.repeat(64), payloadOxum: '10.2' }] });
    expect(canCountersign(sealed, undefined)).toBe(false);
    expect(canCountersign(sealed, report(false, 2))).toBe(false);
    expect(canCountersign(sealed, report(true, 1))).toBe(false); // a report about the rejected seal before
    expect(canCountersign(sealed, report(true, 2))).toBe(true);
  });

  it('shows a verification only beside the seal it was made of, not once the batch is reopened or sealed again', () => {
    const seal = { n: 1, bag: 'seal-1', sealedAt: '2026-12-01T08:00:00.000Z', sealedBy: 'arta', keyId: 'a'.repeat(64), tagmanifestSha256: 'b'.repeat(64), payloadOxum: '10.2' };
    const rejected = batchOf([pageId()], { state: 'rejected', seals: [seal] });
    expect(currentReport(rejected, report(false, 1))).toEqual(report(false, 1));
    expect(currentReport({ ...rejected, state: 'open' }, report(false, 1))).toBeUndefined();
    expect(currentReport({ ...rejected, state: 'sealed', seals: [seal, { ...seal, n: 2, bag: 'seal-2' }] }, report(false, 1))).toBeUndefined();
  });

  it('compares the pages counted on paper with the pages received', () => {
    expect(pageCounts(batchOf([pageId(), pageId()], { expectedPages: 3 }))).toEqual({ expected: 3, received: 2, matches: false });
    expect(pageCounts(batchOf([pageId()], { expectedPages: 1 }))).toEqual({ expected: 1, received: 1, matches: true });
    expect(pageCounts(batchOf([pageId()]))).toEqual({ expected: undefined, received: 1, matches: undefined });
  });

  it('offers for a new batch only the pages no batch holds yet', () => {
    const [a, b, c] = [pendingPage(), pendingPage(), pendingPage()];
    const batches = [toCatalogBatch(batchOf([a.id])), toCatalogBatch(batchOf([c.id], { state: 'rejected' }))];
    expect(unbatchedPages([a, b, c], batches).map((page) => page.id)).toEqual([b.id]);
  });
});
