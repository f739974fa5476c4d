import { appendFile, copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir, testSigner } from '../batches/test-batches';
import { Keystore } from '../signing/keystore';
import { TrustStore } from '../signing/trust-store';
import { entryHash, type AuditEntry } from './audit-entry';
import { AuditLog, AuditTailError, headMessage } from './audit-log';
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
  return { file, trust, workstation, dir };
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

  it('keeps one chain when two processes (the app and the command line) append to the same trail', async () => {
    const { file, trust, workstation } = await auditTrail(1);
    const app = await AuditLog.open(file, workstation);
    const cli = await AuditLog.open(file, workstation);
    await Promise.all([
      ...[0, 1, 2].map((n) => app.record({ kind: 'view', actor: 'arta.krasniqi', subject: `page-${n}` })),
      ...[0, 1, 2].map((n) => cli.record({ kind: 'export', actor: 'root', subject: `document-${n}` })),
    ]);
    await app.record({ kind: 'search', actor: 'arta.krasniqi', subject: 'after both' });
    expect((await lines(file)).map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await verifyAuditLog(file, trust)).toEqual({ ok: true, entries: 8, problems: [] });
  });

  it('refuses to go on when entries it wrote were cut off the trail by someone else', async () => {
    const { file, workstation } = await auditTrail(3);
    const log = await AuditLog.open(file, workstation);
    await writeLines(file, (await lines(file)).slice(0, 1));
    await expect(log.record({ kind: 'view', actor: 'arta.krasniqi' })).rejects.toThrow(/now ends at entry 1, but this process wrote entry 3/);
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

  it('refuses a head signed by a trusted key that is not a workstation key', async () => {
    const { file, trust, dir } = await auditTrail(2);
    const clerk = await testSigner(new Keystore(path.join(dir, 'keys')), trust, 'arta.krasniqi', 'clerk');
    const last = (await lines(file)).at(-1);
    if (!last) throw new Error('no entries');
    await writeFile(`${file}.head`, `${JSON.stringify({ seq: last.seq, hash: last.hash, keyId: clerk.keyId, sig: clerk.sign(headMessage(last.seq, last.hash)).toString('base64') })}\n`);
    expect((await verifyAuditLog(file, trust)).problems).toEqual([
      { code: 'head-wrong-role', message: `${file}.head is signed by arta.krasniqi (clerk), whose key is trusted as clerk, not as a workstation` },
    ]);
  });

  it('refuses a head signed by a revoked workstation key', async () => {
    const { file, trust, dir } = await auditTrail(2);
    const stolen = await testSigner(new Keystore(path.join(dir, 'keys')), trust, 'ws-old', 'workstation');
    const last = (await lines(file)).at(-1);
    if (!last) throw new Error('no entries');
    await writeFile(`${file}.head`, `${JSON.stringify({ seq: last.seq, hash: last.hash, keyId: stolen.keyId, sig: stolen.sign(headMessage(last.seq, last.hash)).toString('base64') })}\n`);
    trust.revoke(stolen.keyId, 'disk stolen');
    expect((await verifyAuditLog(file, trust)).problems).toEqual([
      { code: 'head-revoked-key', message: expect.stringMatching(/\.head is signed by key [0-9a-f]{16}…, revoked on .* \(disk stolen\)$/) },
    ]);
  });

  it('will not continue a trail whose tail does not match its signed head: an entry removed or edited stays detected', async () => {
    const removed = await auditTrail(3);
    await writeLines(removed.file, (await lines(removed.file)).slice(0, 2));
    await expect(AuditLog.open(removed.file, removed.workstation)).rejects.toThrow(new AuditTailError(`${removed.file} ends at entry 2, but its signed head names entry 3: entries were removed or added (run arkiva audit verify).`));

    const edited = await auditTrail(3);
    const entries = await lines(edited.file);
    await writeLines(edited.file, entries.map((entry) => (entry.seq === 3 ? { ...entry, actor: 'someone.else' } : entry)));
    await expect(AuditLog.open(edited.file, edited.workstation)).rejects.toThrow(/the last entry \(3\) was edited/);
    // Nothing was appended to either: the evidence stays as found.
    expect(await lines(removed.file)).toHaveLength(2);
    expect((await verifyAuditLog(edited.file, edited.trust)).problems.map((problem) => problem.code)).toEqual(['entry-edited']);

    const headless = await auditTrail(3);
    await rm(`${headless.file}.head`);
    await expect(AuditLog.open(headless.file, headless.workstation)).rejects.toThrow(/the head was deleted/);
  });

  it('tells a crash between the append and the head write from tampering, and repairs it on open with a note', async () => {
    const { file, trust, workstation } = await auditTrail(2);
    await copyFile(`${file}.head`, `${file}.head.before`);
    const log = await AuditLog.open(file, workstation);
    await log.record({ kind: 'view', actor: 'arta.krasniqi', subject: 'page-9' });
    // The power went out after entry 3 reached the disk, before its head did.
    await copyFile(`${file}.head.before`, `${file}.head`);
    expect(await verifyAuditLog(file, trust)).toEqual({
      ok: false,
      entries: 3,
      problems: [{ code: 'interrupted-write', message: expect.stringMatching(/^interrupted write: entry 3 was written completely, but the signed head still names entry 2 \(a crash or power loss between the two writes, not an edit\)/) }],
    });

    await AuditLog.open(file, workstation);
    expect(await verifyAuditLog(file, trust)).toEqual({ ok: true, entries: 4, problems: [] });
    expect((await lines(file)).at(-1)).toMatchObject({ seq: 4, kind: 'repair', actor: 'workstation', details: { event: 'interrupted-write', seq: 3 } });
  });

  it('sets a torn last line aside on open, keeps its bytes, and notes the repair', async () => {
    const { file, trust, workstation } = await auditTrail(2);
    await appendFile(file, '{"seq":3,"at":"2026-');
    const log = await AuditLog.open(file, workstation);
    await log.record({ kind: 'search', actor: 'arta.krasniqi', subject: 'Pejë' });
    expect(await readFile(`${file}.torn`, 'utf8')).toBe('{"seq":3,"at":"2026-\n');
    expect(await verifyAuditLog(file, trust)).toEqual({ ok: true, entries: 4, problems: [] });
    expect((await lines(file)).map((entry) => entry.kind)).toEqual(['sign-in', 'scan', 'repair', 'search']);
  });
});
