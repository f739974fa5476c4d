import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../api/event-bus';
import { ArchiveStore } from '../archive/archive-store';
import { verifyAuditLog } from '../audit/verify-audit-log';
import { osKeychainProtector } from '../signing/os-keychain-protector';
import { fakeKeychain } from '../signing/test-keychain';
import { startBatchServices } from './batch-services';
import { scratchDir } from './test-batches';

describe('startBatchServices: the workstation key', () => {
  it('starts with the OS keychain although the key was made under the fallback, and the audit trail goes on under the same key', async () => {
    const archiveDir = path.join(await scratchDir('batch-services'), 'archive');
    const archive = await ArchiveStore.open(archiveDir);
    const start = (workstationProtector?: ReturnType<typeof osKeychainProtector>) =>
      startBatchServices({ archiveDir, archive, bus: new EventBus(), workstation: 'ws-9', scryptCost: { N: 2 ** 10, r: 8, p: 1 }, ...(workstationProtector ? { workstationProtector } : {}) });

    const before = await start();
    await before.audit.record({ kind: 'search', actor: 'workstation', subject: 'Mitrovicë' });
    const keychain = fakeKeychain();
    const after = await start(osKeychainProtector(keychain));
    await after.audit.record({ kind: 'view', actor: 'workstation', subject: 'page 1' });
    const keys = await after.keystore.list();
    expect(keys.map((key) => key.role)).toEqual(['workstation']);
    expect((await after.keystore.get(keys[0]?.keyId ?? '')).privateKey.protector).toBe('os-keychain');
    expect(await verifyAuditLog(after.auditFile, await after.trust())).toEqual({ ok: true, entries: 2, problems: [] });
    // And again with the keychain: nothing left to re-seal.
    await start(osKeychainProtector(keychain));
  });

  it('retires a workstation key its keychain can no longer open, and trusts the new one from then on', async () => {
    const archiveDir = path.join(await scratchDir('batch-services-gone'), 'archive');
    const archive = await ArchiveStore.open(archiveDir);
    const options = { archiveDir, archive, bus: new EventBus(), workstation: 'ws-9', scryptCost: { N: 2 ** 10, r: 8, p: 1 } };
    const before = await startBatchServices({ ...options, workstationProtector: osKeychainProtector(fakeKeychain()) });
    await before.audit.record({ kind: 'search', actor: 'workstation', subject: 'Gjakovë' });
    // The keyring is gone (or refused): the fallback protects a new key.
    const after = await startBatchServices(options);
    await after.audit.record({ kind: 'view', actor: 'workstation', subject: 'page 2' });
    const trust = await after.trust();
    const [old, fresh] = trust.list();
    expect(old).toMatchObject({ roles: ['workstation'], retiredAt: expect.any(String), replacedBy: fresh?.keyId });
    expect(await verifyAuditLog(after.auditFile, trust)).toEqual({ ok: true, entries: 2, problems: [] });
  });
});
