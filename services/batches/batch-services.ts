import { hostname } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { events } from '../../common/api/contract';
import type { ArchiveStore } from '../archive/archive-store';
import type { EventBus } from '../api/event-bus';
import type { DocumentStore } from '../documents/document-store';
import { AuditLog } from '../audit/audit-log';
import { Keystore } from '../signing/keystore';
import { DEFAULT_SCRYPT, passphraseProtector, type SecretProtector } from '../signing/protect-secret';
import { TrustStore } from '../signing/trust-store';
import { openWorkstationKey } from '../signing/workstation-key';
import { archiveContentSource } from './batch-contents';
import { BatchService } from './batch-service';
import { BatchStore } from './batch-store';

export interface BatchServicesOptions {
  readonly archiveDir: string;
  readonly archive: ArchiveStore;
  readonly bus: EventBus;
  /** Documents of the archive: a batch seals those made of its pages, with their PDF/A. */
  readonly documents?: DocumentStore;
  /** Defaults: $ARKIVA_INSTITUTION, $ARKIVA_WORKSTATION (or the host name), $ARKIVA_TRUST_STORE. */
  readonly institution?: string;
  readonly workstation?: string;
  readonly trustStoreFile?: string;
  /**
   * Protects the workstation's audit key at rest. The Electron shell passes one backed by the OS
   * keychain (safeStorage); without it, $ARKIVA_WORKSTATION_PASSPHRASE, else a random secret in a
   * file readable only by this user (weaker: anyone who can read the archive's signing/ folder can sign the audit trail).
   */
  readonly workstationProtector?: SecretProtector;
  /** scrypt cost for passphrase-protected keys; tests lower it, production keeps DEFAULT_SCRYPT. */
  readonly scryptCost?: { N: number; r: number; p: number };
  /** Who document edits are attributed to (the signed-in user); "workstation" without it. */
  readonly actor?: () => string;
}

export interface BatchServices {
  readonly batches: BatchService;
  readonly keystore: Keystore;
  readonly trust: () => Promise<TrustStore>;
  readonly trustStoreFile: string;
  readonly audit: AuditLog;
  readonly auditFile: string;
  /** How a user's passphrase protects (and unlocks) their key. */
  readonly protectorFor: (passphrase: string) => SecretProtector;
}

/**
 * Wires batches, keys, the trust store and the audit trail for the app, all beside the archive:
 *   <archive>/batches/<id>/          batch state and its sealed bags
 *   <archive>/signing/keys/          per-user keys, private halves encrypted
 *   <archive>/signing/trust-store.json
 *   <archive>/audit/audit.log        the audit trail (and audit.log.head)
 */
export async function startBatchServices(options: BatchServicesOptions): Promise<BatchServices> {
  const keystore = new Keystore(path.join(options.archiveDir, 'signing', 'keys'));
  const trustStoreFile = options.trustStoreFile ?? process.env.ARKIVA_TRUST_STORE ?? path.join(options.archiveDir, 'signing', 'trust-store.json');
  const workstation = options.workstation ?? process.env.ARKIVA_WORKSTATION ?? hostname();
  const trust = () => TrustStore.open(trustStoreFile);
  const protectorFor = (passphrase: string) => passphraseProtector(passphrase, options.scryptCost ?? DEFAULT_SCRYPT);

  // The key may have been sealed by the fallback before the keychain was there (or the other way
  // round): openWorkstationKey re-seals it under the current protector rather than failing.
  const fallback = () => fallbackProtector(options.archiveDir, protectorFor);
  const opened = await openWorkstationKey(keystore, workstation, {
    current: options.workstationProtector ?? (await fallback()),
    others: async () => (options.workstationProtector ? [await fallback()] : []),
  });
  const workstationKey = opened.signer;
  // The workstation trusts its own audit key; other machines trust it once the institution registers it.
  const store = await trust();
  if (!store.get(workstationKey.keyId)) {
    const old = opened.replaces === undefined ? undefined : store.get(opened.replaces);
    if (old && !old.revokedAt && !old.retiredAt) store.rotate(old.keyId, { publicKeyPem: workstationKey.publicKeyPem });
    else store.add({ publicKeyPem: workstationKey.publicKeyPem, userId: workstation, displayName: `workstation ${workstation}`, roles: ['workstation'] });
    await store.save();
  }
  const auditDir = path.join(options.archiveDir, 'audit');
  await mkdir(auditDir, { recursive: true });
  const auditFile = path.join(auditDir, 'audit.log');
  const audit = await AuditLog.open(auditFile, workstationKey);

  const batchStore = new BatchStore(path.join(options.archiveDir, 'batches'));
  for (const leftover of await batchStore.removeInterruptedSeals()) console.error(`batches: removed the half-written bag ${leftover} of an interrupted seal`);
  const batches = new BatchService({
    store: batchStore,
    contents: archiveContentSource(options.archive, options.documents),
    trust,
    institution: options.institution ?? process.env.ARKIVA_INSTITUTION ?? 'Institution not configured (set ARKIVA_INSTITUTION)',
    workstation,
    audit,
    onChange: (batch) => options.bus.emit('batch.changed', { batch }),
  });

  // Captures and document edits are recorded as they reach the archive, whoever started them.
  const record = (event: Parameters<AuditLog['record']>[0]) =>
    void audit.record(event).catch((error: unknown) => console.error(`audit: cannot record ${event.kind}`, error));
  options.bus.subscribe((event, payload) => {
    if (event === 'page.stored') {
      const parsed = events['page.stored'].safeParse(payload);
      if (parsed.success) record({ kind: 'scan', actor: parsed.data.page.source.operator ?? 'workstation', subject: parsed.data.page.id, details: { source: parsed.data.page.source.kind } });
    } else if (event === 'document.changed') {
      const parsed = events['document.changed'].safeParse(payload);
      if (parsed.success) {
        const { document } = parsed.data;
        record({ kind: 'edit', actor: options.actor?.() ?? 'workstation', subject: document.id, details: { revision: document.revision, deleted: document.deleted, pages: document.pages.length } });
      }
    }
  });

  return { batches, keystore, trust, trustStoreFile, audit, auditFile, protectorFor };
}

/** Also how `arkiva export` opens the workstation key to record exports in the archive's audit trail. */
export async function fallbackProtector(archiveDir: string, protectorFor: (passphrase: string) => SecretProtector): Promise<SecretProtector> {
  const passphrase = process.env.ARKIVA_WORKSTATION_PASSPHRASE;
  if (passphrase) return protectorFor(passphrase);
  const file = path.join(archiveDir, 'signing', 'workstation.secret');
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  let secret = await readFile(file, 'utf8').catch(() => undefined);
  if (secret === undefined) {
    secret = randomBytes(32).toString('base64');
    await writeFile(file, secret, { mode: 0o600, flag: 'wx' });
  }
  // A random 256-bit secret needs no costly key stretching, unlike a passphrase a person chose.
  return passphraseProtector(secret.trim(), { N: 2 ** 12, r: 8, p: 1 });
}
