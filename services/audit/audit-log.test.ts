import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir, testSigner } from '../batches/test-batches';
import { Keystore } from '../signing/keystore';
import { TrustStore } from '../signing/trust-store';
import { entryHash, type AuditEntry } from './audit-entry';
import { AuditLog } from './audit-log';
import { verifyAuditLog } from './verify-audit-log';

async function auditTrail(entries = 4) {
  const dir = await scratchDir('audit');
  const trust = TrustStore.empty();
  const workstation = await testSigner(new Keystore(path.join(dir, 'keys')), trust, 'ws-test-01', 'workstation');
  const file = path.join(dir, 'audit.log');
  const log = await AuditLog.open(file, workstation);
  const kinds = ['sign-in', 'scan', 'search', 'seal', 'view', 'export'] as const;
  for (let index = 0; index < entries; index += 1) {
    await log.record({ kind: kinds[index % kinds.length] ?? 'view', actor: 'arta.krasniqi', subject: `page-${index}`, details: { n: index } });
  }
  return { file, trust, workstation };
}

async function lines(file: string): Promise<AuditEntry[]> {
  return (await readFile(file, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as AuditEntry);
}

async function writeLines(file: string, entries: AuditEntry[]): Promise<void> {
  await writeFile(file, entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
}

describe('audit trail', () => {
  it('chains each entry to the one before and verifies as a whole', async () => {
    const { file, trust } = await auditTrail(4);
    const entries = await lines(file);
    expect(entries.map((entry) => entry.seq)).toEqual([1, 2, 3, 4]);
    expect(entries[1]?.prev).toBe(entries[0]?.hash);
    expect(await verifyAuditLog(file, trust)).toEqual({ ok: true, entries: 4, problems: [] });
  });

  it('continues the chain after reopening', async () => {
    const { file, trust, workstation } = await auditTrail(2);
    const log = await AuditLog.open(file, workstation);
    await log.record({ kind: 'verify', actor: 'milan.petrovic', subject: 'batch' });
    expect(await verifyAuditLog(file, trust)).toMatchObject({ ok: true, entries: 3 });
  });

  it('detects an edited entry', async () => {
    const { file, trust } = await auditTrail(4);
    const entries = await lines(file);
    const edited = entries.map((entry) => (entry.seq === 2 ? { ...entry, actor: 'someone.else' } : entry));
    await writeLines(file, edited);
    const result = await verifyAuditLog(file, trust);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([{ code: 'entry-edited', line: 2, message: expect.stringMatching(/^entry 2 \(line 2\) was edited/) }]);
  });

  it('detects an entry edited and re-hashed by someone without the workstation key', async () => {
    const { file, trust } = await auditTrail(3);
    const entries = await lines(file);
    const target = entries[2];
    if (!target) throw new Error('no entry 3');
    const forged = { ...target, kind: 'view' as const };
    const rehashed = { ...forged, hash: entryHash(forged) };
    await writeLines(file, [...entries.slice(0, 2), rehashed]);
    const result = await verifyAuditLog(file, trust);
    expect(result.problems.map((problem) => problem.code)).toEqual(['bad-signature', 'head-stale']);
  });

  it('detects a removed entry in the middle', async () => {
    const { file, trust } = await auditTrail(4);
    const entries = await lines(file);
    await writeLines(file, entries.filter((entry) => entry.seq !== 2));
    const result = await verifyAuditLog(file, trust);
    expect(result.problems).toEqual([
      { code: 'entry-missing', line: 2, message: 'entry 2 removed: line 2 is entry 3' },
      expect.objectContaining({ code: 'chain-broken', line: 2 }),
    ]);
  });

  it('detects entries cut off the end, and a missing head', async () => {
    const { file, trust } = await auditTrail(4);
    await writeLines(file, (await lines(file)).slice(0, 3));
    expect((await verifyAuditLog(file, trust)).problems).toEqual([
      { code: 'entries-truncated', message: 'the signed head names entry 4, but the log ends at entry 3: entries were removed from the end' },
    ]);
    await rm(`${file}.head`);
    expect((await verifyAuditLog(file, trust)).problems.map((problem) => problem.code)).toEqual(['head-missing']);
  });

  it('accepts a trail with no entries yet, but notices a deleted log by its head', async () => {
    const { file, trust } = await auditTrail(0);
    expect(await verifyAuditLog(file, trust)).toEqual({ ok: true, entries: 0, problems: [] });
    const written = await auditTrail(2);
    await rm(written.file);
    expect((await verifyAuditLog(written.file, written.trust)).problems).toEqual([
      { code: 'entries-truncated', message: 'the signed head names entry 2, but the log ends at entry 0: entries were removed from the end' },
    ]);
  });

  it('refuses entries signed by a key the trust store does not know', async () => {
    const { file } = await auditTrail(1);
    const result = await verifyAuditLog(file, TrustStore.empty());
    expect(result.problems.map((problem) => problem.code)).toEqual(['unknown-key', 'head-bad-signature']);
  });
});
