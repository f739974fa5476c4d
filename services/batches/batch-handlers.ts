import type { BatchRecord } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import type { Handlers } from '../api/dispatcher';
import { verifyAuditLog } from '../audit/verify-audit-log';
import type { WorkstationSession } from '../session/workstation-session';
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
  | 'signing.importCertificate'
  | 'audit.record'
  | 'audit.verify';

/**
 * The supervisor's and clerk's side of batches. Whoever acts is the person signed in at the
 * workstation (`session`), never a name the caller supplies. Sealing, countersigning and rejecting
 * also unlock that person's own key with their passphrase for the one operation: the signature
 * (or the unlock, for a rejection) is what proves who acted.
 */
export function createBatchHandlers(services: BatchServices, session: WorkstationSession): Pick<Handlers, BatchMethod> {
  const { batches, keystore } = services;
  const unlock = (keyId: string, passphrase: string, what: string) => session.unlockOwnKey(keyId, passphrase, what);
  const actor = (what: string) => session.require(what).userId;
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
    'batches.open': ({ title, expectedPages, pageIds }) =>
      guard(async () => one(await batches.open({ title, actor: actor('opening a batch'), ...(expectedPages === undefined ? {} : { expectedPages }), pageIds }))),
    'batches.addPages': ({ batchId, pageIds }) => guard(async () => one(await batches.addPages(batchId, pageIds, actor('adding pages to a batch')))),
    'batches.removePages': ({ batchId, pageIds }) => guard(async () => one(await batches.removePages(batchId, pageIds, actor('removing pages from a batch')))),
    'batches.seal': ({ batchId, keyId, passphrase }) => guard(async () => one(await batches.seal(batchId, await unlock(keyId, passphrase, 'sealing a batch')))),
    'batches.verify': ({ batchId, requireCountersignature }) =>
      guard(async () => ({ report: await batches.verify(batchId, actor('verifying a batch'), { requireCountersignature }) })),
    'batches.countersign': ({ batchId, keyId, passphrase }) =>
      guard(async () => one(await batches.countersign(batchId, await unlock(keyId, passphrase, 'countersigning a batch')))),
    'batches.reject': ({ batchId, reason, keyId, passphrase }) =>
      guard(async () => {
        const supervisor = await unlock(keyId, passphrase, 'rejecting a batch');
        if (supervisor.role !== 'supervisor') throw new ApiError('bad-request', 'Only a supervisor can reject a batch.');
        return one(await batches.reject(batchId, reason, supervisor));
      }),
    'batches.reopen': ({ batchId }) => guard(async () => one(await batches.reopen(batchId, actor('reopening a batch')))),
    'batches.queueForSync': ({ batchId }) => guard(async () => one(await batches.queueForSync(batchId, actor('queueing a batch for sync')))),

    'signing.listKeys': async () => {
      const trust = await services.trust();
      return { keys: (await keystore.list()).map(({ keyId, userId, displayName, role, createdAt }) => ({ keyId, userId, displayName, role, createdAt, trusted: trust.judge(keyId, undefined, role, new Date().toISOString()).status === 'trusted' })) };
    },
    'signing.createKey': async ({ userId, displayName, role, passphrase }) => {
      const key = await keystore.create({ userId, displayName, role }, services.protectorFor(passphrase));
      return { key: { keyId: key.keyId, userId, displayName, role, createdAt: key.createdAt, trusted: false }, publicKeyPem: key.publicKeyPem };
    },
    'signing.importCertificate': async ({ userId, displayName, role, certificatePem, privateKeyPem, chainPems, passphrase }) => {
      let key;
      try {
        key = await keystore.importCertificate({ userId, displayName, role }, { certificatePem, privateKeyPem, ...(chainPems ? { chainPems } : {}) }, services.protectorFor(passphrase));
      } catch (error) {
        // Node's parsers say what is wrong with the PEM (or that the key is not the certificate's).
        throw new ApiError('bad-request', `The certificate and key could not be imported: ${error instanceof Error ? error.message : String(error)}`);
      }
      const trusted = (await services.trust()).judge(key.keyId, undefined, role, new Date().toISOString()).status === 'trusted';
      return { key: { keyId: key.keyId, userId, displayName, role, createdAt: key.createdAt, trusted } };
    },

    'audit.record': async ({ kind, subject, details }) => {
      // As for the methods that do these things (pages.getImage, documents.*), no sign-in is needed:
      // what nobody signed in for is the workstation's, and the trail says so.
      const who = session.actor();
      const entry = await services.audit.record({ kind, actor: who, ...(subject === undefined ? {} : { subject }), ...(details === undefined ? {} : { details }) });
      return { seq: entry.seq, hash: entry.hash };
    },
    'audit.verify': async () => {
      const result = await verifyAuditLog(services.auditFile, await services.trust());
      return { ok: result.ok, entries: result.entries, problems: [...result.problems] };
    },
  };
}
