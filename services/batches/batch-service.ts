import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BatchRecord, BatchState, BatchVerification } from '../../common/api/contract';
import type { AuditLog } from '../audit/audit-log';
import type { Signer } from '../signing/keystore';
import type { TrustStore } from '../signing/trust-store';
import type { BatchContentSource } from './batch-contents';
import type { BatchStore } from './batch-store';
import { sealBag } from './seal-bag';
import { sha256Hex } from '../bagit/hash-files';
import { rejectionStatementFile, writeRejection, writeSignature } from './signatures';
import { clerkStatementSha256, verifyBatch } from './verify-batch';

export class BatchStateError extends Error {
  override readonly name: string = 'BatchStateError';
}

/** Nobody reviews their own work: the one who sealed a batch can neither countersign nor reject it. */
export class OwnSealError extends BatchStateError {
  override readonly name = 'OwnSealError';
}

export interface BatchServiceDeps {
  readonly store: BatchStore;
  readonly contents: BatchContentSource;
  readonly trust: () => Promise<TrustStore>;
  readonly institution: string;
  readonly workstation: string;
  readonly audit?: AuditLog;
  readonly onChange?: (batch: BatchRecord) => void;
}

/**
 * The batch lifecycle:
 *
 *   open ──seal (clerk)──► sealed ──countersign (supervisor)──► verified ──► queued ──► synced
 *                            └──reject (supervisor, reason)──► rejected ──reopen──► open
 *
 * A sealed bag is never modified: a reopened batch is sealed again into a new bag (seal-2, ...)
 * that names the one it replaces, and every step stays in the history. Only the supervisor's
 * countersignature is added to a sealed bag, as a detached file outside what the clerk signed.
 */
export class BatchService {
  // One operation at a time per batch, so two clicks cannot seal twice.
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: BatchServiceDeps) {}

  list(): Promise<BatchRecord[]> {
    return this.deps.store.list();
  }

  async get(id: string): Promise<BatchRecord> {
    const batch = await this.deps.store.get(id);
    if (!batch) throw new BatchStateError(`No batch ${id}.`);
    return batch;
  }

  async open(input: { title: string; actor: string; expectedPages?: number; pageIds?: readonly string[] }, at = new Date()): Promise<BatchRecord> {
    const batch: BatchRecord = {
      id: randomUUID(),
      title: input.title,
      institution: this.deps.institution,
      workstation: this.deps.workstation,
      createdAt: at.toISOString(),
      createdBy: input.actor,
      ...(input.expectedPages === undefined ? {} : { expectedPages: input.expectedPages }),
      pages: [],
      state: 'open',
      seals: [],
      history: [{ at: at.toISOString(), actor: input.actor, action: 'opened', state: 'open' }],
    };
    await this.deps.store.save(batch);
    this.deps.onChange?.(batch);
    return input.pageIds?.length ? this.addPages(batch.id, input.pageIds, input.actor, at) : batch;
  }

  addPages(id: string, pageIds: readonly string[], actor: string, at = new Date()): Promise<BatchRecord> {
    return this.change(id, ['open'], async (batch) => {
      const present = new Set(batch.pages.map((page) => page.pageId));
      const fresh = [...new Set(pageIds)].filter((pageId) => !present.has(pageId));
      for (const pageId of fresh) await this.deps.contents.page(pageId); // fails for a page not in the archive
      batch.pages.push(...fresh.map((pageId) => ({ pageId, addedAt: at.toISOString(), addedBy: actor })));
      batch.history.push({ at: at.toISOString(), actor, action: 'pages-added', state: 'open' });
    });
  }

  removePages(id: string, pageIds: readonly string[], actor: string, at = new Date()): Promise<BatchRecord> {
    return this.change(id, ['open'], async (batch) => {
      const drop = new Set(pageIds);
      batch.pages = batch.pages.filter((page) => !drop.has(page.pageId));
      batch.history.push({ at: at.toISOString(), actor, action: 'pages-removed', state: 'open' });
    });
  }

  seal(id: string, clerk: Signer, at = new Date()): Promise<BatchRecord> {
    return this.change(id, ['open'], async (batch) => {
      if (clerk.role !== 'clerk') throw new BatchStateError(`${clerk.displayName}'s key is a ${clerk.role} key; a batch is sealed with a clerk's key.`);
      if (batch.pages.length === 0) throw new BatchStateError('A batch without pages cannot be sealed.');
      const n = batch.seals.length + 1;
      const previous = batch.seals.at(-1);
      const sealed = await sealBag({
        batch,
        n,
        target: this.deps.store.bagDir(id, n),
        contents: this.deps.contents,
        clerk,
        at,
        ...(previous
          ? {
              previousSeal: {
                n: previous.n,
                tagmanifestSha256: previous.tagmanifestSha256,
                ...(batch.rejection ? { rejectedBecause: batch.rejection.reason } : {}),
                ...(await this.rejectionOf(id, previous.n)),
              },
            }
          : {}),
      });
      batch.seals.push({ n, bag: `seal-${n}`, sealedAt: at.toISOString(), sealedBy: clerk.userId, keyId: clerk.keyId, ...sealed });
      batch.state = 'sealed';
      delete batch.rejection;
      batch.history.push({ at: at.toISOString(), actor: clerk.userId, action: 'sealed', state: 'sealed', seal: n });
      await this.deps.audit?.record({ kind: 'seal', actor: clerk.userId, subject: id, details: { seal: n, tagmanifestSha256: sealed.tagmanifestSha256 } }, at);
    });
  }

  /** Re-hashes and checks the current seal; changes nothing. */
  async verify(id: string, actor: string, options: { requireCountersignature?: boolean } = {}): Promise<BatchVerification> {
    const batch = await this.get(id);
    const seal = batch.seals.at(-1);
    if (!seal) throw new BatchStateError('The batch has not been sealed yet.');
    const report = await verifyBatch(this.deps.store.bagDir(id, seal.n), await this.deps.trust(), options);
    await this.deps.audit?.record({ kind: 'verify', actor, subject: id, details: { seal: seal.n, ok: report.ok, errors: report.errors.length } });
    return report;
  }

  /** The supervisor countersigns only a batch that verifies, and never their own seal. */
  countersign(id: string, supervisor: Signer, at = new Date()): Promise<BatchRecord> {
    return this.change(id, ['sealed'], async (batch) => {
      if (supervisor.role !== 'supervisor') throw new BatchStateError(`${supervisor.displayName}'s key is a ${supervisor.role} key; countersigning needs a supervisor's key.`);
      const seal = batch.seals.at(-1);
      if (!seal) throw new BatchStateError('The batch has no seal.');
      refuseOwnSeal(seal, supervisor, 'countersign');
      const bagDir = this.deps.store.bagDir(id, seal.n);
      const report = await verifyBatch(bagDir, await this.deps.trust());
      if (!report.ok) {
        throw new BatchStateError(`The batch does not verify, so it cannot be countersigned: ${report.errors.map((problem) => `${problem.path ? `${problem.path}: ` : ''}${problem.message}`).join('; ')}`);
      }
      await writeSignature(bagDir, supervisor, { batchId: id, tagmanifestSha256: seal.tagmanifestSha256, countersignsSha256: await clerkStatementSha256(bagDir, report) }, at);
      seal.countersignedBy = supervisor.userId;
      seal.countersignedAt = at.toISOString();
      batch.state = 'verified';
      batch.history.push({ at: at.toISOString(), actor: supervisor.userId, action: 'countersigned', state: 'verified', seal: seal.n });
      await this.deps.audit?.record({ kind: 'countersign', actor: supervisor.userId, subject: id, details: { seal: seal.n } }, at);
    });
  }

  /**
   * The supervisor's refusal, with a reason the clerk can act on. It is signed like a
   * countersignature, but kept beside the bag (<batch>/rejections/seal-N.txt) so the sealed bag
   * never changes; the re-seal's batch.json then names it by its hash.
   */
  reject(id: string, reason: string, supervisor: Signer, at = new Date()): Promise<BatchRecord> {
    return this.change(id, ['sealed'], async (batch) => {
      const why = reason.trim();
      if (why === '') throw new BatchStateError('A rejection needs a reason the clerk can act on.');
      if (supervisor.role !== 'supervisor') throw new BatchStateError(`${supervisor.displayName}'s key is a ${supervisor.role} key; only a supervisor can reject a batch.`);
      const seal = batch.seals.at(-1);
      if (!seal) throw new BatchStateError('The batch has no seal.');
      refuseOwnSeal(seal, supervisor, 'reject');
      const statement = await writeRejection(this.deps.store.dir(id), seal.n, supervisor, { batchId: id, tagmanifestSha256: seal.tagmanifestSha256, reason: why }, at);
      batch.state = 'rejected';
      batch.rejection = { at: at.toISOString(), by: supervisor.userId, reason: why };
      batch.history.push({ at: at.toISOString(), actor: supervisor.userId, action: 'rejected', state: 'rejected', reason: why, seal: seal.n });
      await this.deps.audit?.record(
        { kind: 'reject', actor: supervisor.userId, subject: id, details: { seal: seal.n, reason: why, statement: statement.file, statementSha256: statement.statementSha256 } },
        at,
      );
    });
  }

  /** The signed rejection of seal `n`, as the re-seal's batch.json names it (none for batches rejected before they were signed). */
  private async rejectionOf(id: string, n: number): Promise<{ rejection?: { file: string; statementSha256: string } }> {
    const file = rejectionStatementFile(n);
    const bytes = await readFile(path.join(this.deps.store.dir(id), file)).catch(() => undefined);
    return bytes ? { rejection: { file, statementSha256: sha256Hex(bytes) } } : {};
  }

  /** After a rejection the clerk corrects the batch and seals it again; the rejected bag stays. */
  reopen(id: string, actor: string, at = new Date()): Promise<BatchRecord> {
    return this.change(id, ['rejected'], async (batch) => {
      batch.state = 'open';
      batch.history.push({ at: at.toISOString(), actor, action: 'reopened', state: 'open', ...(batch.rejection ? { reason: batch.rejection.reason } : {}) });
    });
  }

  queueForSync(id: string, actor: string, at = new Date()): Promise<BatchRecord> {
    return this.change(id, ['verified'], async (batch) => {
      batch.state = 'queued';
      batch.history.push({ at: at.toISOString(), actor, action: 'queued', state: 'queued' });
    });
  }

  markSynced(id: string, receipt: NonNullable<BatchRecord['receipt']>, at = new Date()): Promise<BatchRecord> {
    return this.change(id, ['queued'], async (batch) => {
      batch.state = 'synced';
      batch.receipt = receipt;
      batch.history.push({ at: at.toISOString(), actor: 'sync', action: 'synced', state: 'synced' });
      await this.deps.audit?.record({ kind: 'sync', actor: 'workstation', subject: id, details: { receiptId: receipt.receiptId, repository: receipt.repository } }, at);
    });
  }

  private change(id: string, from: readonly BatchState[], apply: (batch: BatchRecord) => Promise<void>): Promise<BatchRecord> {
    const run = (this.locks.get(id) ?? Promise.resolve()).catch(() => undefined).then(async () => {
      const batch = await this.get(id);
      if (!from.includes(batch.state)) {
        throw new BatchStateError(`The batch is ${batch.state}; this needs it to be ${from.join(' or ')}.`);
      }
      await apply(batch);
      await this.deps.store.save(batch);
      this.deps.onChange?.(batch);
      return batch;
    });
    this.locks.set(id, run);
    return run;
  }
}

function refuseOwnSeal(seal: BatchRecord['seals'][number], supervisor: Signer, verb: 'countersign' | 'reject'): void {
  if (seal.sealedBy === supervisor.userId || seal.keyId === supervisor.keyId) {
    throw new OwnSealError(`${supervisor.displayName} sealed this batch (seal ${seal.n}) and so cannot also ${verb} it; another supervisor must review it.`);
  }
}
