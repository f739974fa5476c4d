import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { methods } from '../../common/api/contract';
import { scratchDir, testSigner } from '../batches/test-batches';
import { Keystore } from '../signing/keystore';
import { TrustStore } from '../signing/trust-store';
import { AuditLog } from './audit-log';
import { listAuditEntries } from './list-audit-log';

async function trail(entries: number) {
  const dir = await scratchDir('audit-list');
  const signer = await testSigner(new Keystore(path.join(dir, 'keys')), TrustStore.empty(), 'ws-list', 'workstation');
  const file = path.join(dir, 'audit.log');
  const log = await AuditLog.open(file, signer);
  for (let index = 1; index <= entries; index += 1) {
    await log.record({ kind: index % 2 ? 'view' : 'search', actor: 'arta.krasniqi', subject: `Prishtinë ${index}`, details: { n: index } }, new Date(Date.UTC(2026, 0, index)));
  }
  return { file, log };
}

describe('listAuditEntries (audit.list)', () => {
  it('pages through the trail in order, each page starting after the last sequence number it was given', async () => {
    const { file } = await trail(7);
    const first = await listAuditEntries(file, { limit: 3 });
    expect(first.entries.map((entry) => entry.seq)).toEqual([1, 2, 3]);
    expect(first.lastSeq).toBe(7);
    const second = await listAuditEntries(file, { after: 3, limit: 3 });
    expect(second.entries.map((entry) => entry.seq)).toEqual([4, 5, 6]);
    const last = await listAuditEntries(file, { after: 6, limit: 3 });
    expect(last).toMatchObject({ lastSeq: 7, entries: [{ seq: 7 }] });
    expect((await listAuditEntries(file, { after: 7, limit: 3 })).entries).toEqual([]);
  });

  it('gives each entry as the log holds it, without its signature, and satisfies the contract', async () => {
    const { file } = await trail(2);
    const page = await listAuditEntries(file, { limit: 10 });
    expect(page.entries[1]).toMatchObject({
      seq: 2,
      at: '2026-01-02T00:00:00.000Z',
      kind: 'search',
      actor: 'arta.krasniqi',
      subject: 'Prishtinë 2',
      details: { n: 2 },
      prev: page.entries[0]?.hash,
    });
    expect(page.entries[0]).not.toHaveProperty('sig');
    expect(methods['audit.list'].output.parse(page)).toEqual(page);
  });

  it('answers an empty page for a trail not yet written', async () => {
    const dir = await scratchDir('audit-list-empty');
    expect(await listAuditEntries(path.join(dir, 'audit.log'), { limit: 5 })).toEqual({ entries: [], lastSeq: 0 });
  });

  it('leaves out lines that are not entries and still finds the last number without the signed head', async () => {
    const { file } = await trail(4);
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    lines[1] = '{"seq":2, "edited": tru';
    await writeFile(file, `${lines.join('\n')}\n`);
    await appendFile(file, 'not json at all\n');
    await rm(`${file}.head`);
    const page = await listAuditEntries(file, { limit: 2 });
    expect(page.entries.map((entry) => entry.seq)).toEqual([1, 3]);
    expect(page.lastSeq).toBe(4);
  });

  it('refuses a limit or a starting point that is not a whole number, and the contract caps a page at 1000', async () => {
    const { file } = await trail(1);
    await expect(listAuditEntries(file, { limit: 0 })).rejects.toThrow(/limit must be a positive whole number/);
    await expect(listAuditEntries(file, { after: -1, limit: 5 })).rejects.toThrow(/after must be a sequence number/);
    expect(methods['audit.list'].input.safeParse({ limit: 1001 }).success).toBe(false);
    expect(methods['audit.list'].input.safeParse({ after: 1.5 }).success).toBe(false);
    expect(methods['audit.list'].input.parse({})).toEqual({ limit: 500 });
  });
});
