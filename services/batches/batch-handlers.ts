import type { BatchRecord } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import type { Handlers } from '../api/dispatcher';
import { verifyAuditLog } from '../audit/verify-audit-log';
import { WrongSecretError } from '../signing/protect-secret';
import { BatchStateError } from './batch-service';
import type { BatchServices } from './batch-services';

type BatchMethod =
  | 'batches.list'
  | 'batches.get'
  | 'batches.open'
  | 'batches.addPages'
  | 'batches.removePages'
  | 'batches.seal'
  | 'batches.verify'
  | 'batches.countersign'
  | 'batches.reject'
  | 'batches.reopen'
  | 'batches.queueForSync'
  | 'signing.listKeys'
  | 'signing.createKey'
  | 'audit.record'
  | 'audit.verify';

/**
 * The supervisor's and clerk's side of batches. Sealing, countersigning and rejecting unlock
 * the person's key with their passphrase for that one operation: the signature (or the unlock,
 * for a rejection) is what proves who acted, not a name typed into a form.
 */
export function createBatchHandlers(services: BatchServices): Pick<Handlers, BatchMethod> {
  const { batches, keystore } = services;
  const unlock = async (keyId: string, passphrase: string) => {
    try {
      return await keystore.unlock(keyId, services.protectorFor(passphrase));
    } catch (error) {
      if (error instanceof WrongSecretError) throw new ApiError('unauthorized', error.message);
      throw new ApiError('not-found', error instanceof Error ? error.message : String(error));
    }
  };
  const guard = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof BatchStateError) throw new ApiError('bad-request', error.message, { reason: 'batch-state' });
      throw error;
    }
  };
  const one = (batch: BatchRecord) => ({ batch });

  return {
    'batches.list': async () => ({ batches: await batches.list() }),
    'batches.get': ({ batchId }) => guard(async () => one(await batches.get(batchId))),
    'batches.open': ({ title, actor, expectedPages, pageIds }) =>
      guard(async () => one(await batches.open({ title, actor, ...(expectedPages === undefined ? {} : { expectedPages }), pageIds }))),
    'batches.addPages': ({ batchId, pageIds, actor }) => guard(async () => one(await batches.addPages(batchId, pageIds, actor))),
    'batches.removePages': ({ batchId, pageIds, actor }) => guard(async () => one(await batches.removePages(batchId, pageIds, actor))),
    'batches.seal': ({ batchId, keyId, passphrase }) => guard(async () => one(await batches.seal(batchId, await unlock(keyId, passphrase)))),
    'batches.verify': ({ batchId, actor, requireCountersignature }) => guard(async () => ({ report: await batches.verify(batchId, actor, { requireCountersignature }) })),
    'batches.countersign': ({ batchId, keyId, passphrase }) => guard(async () => one(await batches.countersign(batchId, await unlock(keyId, passphrase)))),
    'batches.reject': ({ batchId, reason, keyId, passphrase }) =>
      guard(async () => {
        const supervisor = await unlock(keyId, passphrase);
        if (supervisor.role !== 'supervisor') throw new ApiError('bad-request', 'Only a supervisor can reject a batch.');
        return one(await batches.reject(batchId, reason, supervisor.userId));
      }),
    'batches.reopen': ({ batchId, actor }) => guard(async () => one(await batches.reopen(batchId, actor))),
    'batches.queueForSync': ({ batchId, actor }) => guard(async () => one(await batches.queueForSync(batchId, actor))),

    'signing.listKeys': async () => {
      const trust = await services.trust();
      return { keys: (await keystore.list()).map(({ keyId, userId, displayName, role, createdAt }) => ({ keyId, userId, displayName, role, createdAt, trusted: trust.judge(keyId, undefined, role, new Date().toISOString()).status === 'trusted' })) };
    },
    'signing.createKey': async ({ userId, displayName, role, passphrase }) => {
      const key = await keystore.create({ userId, displayName, role }, services.protectorFor(passphrase));
      return { key: { keyId: key.keyId, userId, displayName, role, createdAt: key.createdAt, trusted: false }, publicKeyPem: key.publicKeyPem };
    },

    'audit.record': async ({ kind, actor, subject, details }) => {
      const entry = await services.audit.record({ kind, actor, ...(subject === undefined ? {} : { subject }), ...(details === undefined ? {} : { details }) });
      return { seq: entry.seq, hash: entry.hash };
    },
    'audit.verify': async () => {
      const result = await verifyAuditLog(services.auditFile, await services.trust());
      return { ok: result.ok, entries: result.entries, problems: [...result.problems] };
    },
  };
}
