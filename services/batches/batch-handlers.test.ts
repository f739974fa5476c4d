import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { methods, type EventName } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { ArchiveStore } from '../archive/archive-store';
import { EventBus } from '../api/event-bus';
import { DocumentStore } from '../documents/document-store';
import { TrustStore } from '../signing/trust-store';
import { createBatchHandlers } from './batch-handlers';
import { startBatchServices } from './batch-services';
import { addTestPages, scratchDir } from './test-batches';

const PASS = { clerk: 'arta-passphrase-1', supervisor: 'milan-passphrase-2' };

async function app() {
  const archiveDir = path.join(await scratchDir('app'), 'archive');
  const archive = await ArchiveStore.open(archiveDir);
  const bus = new EventBus();
  const heard: EventName[] = [];
  bus.subscribe((event) => heard.push(event));
  const services = await startBatchServices({ archiveDir, archive, bus, institution: 'Policia e Kosovës', workstation: 'ws-7', scryptCost: { N: 2 ** 10, r: 8, p: 1 } });
  const handlers = createBatchHandlers(services);
  // Every response must satisfy the contract, as the dispatcher would insist.
  const call = async <M extends keyof typeof handlers>(method: M, input: unknown) => {
    const parsed = methods[method].input.parse(input);
    const output = await (handlers[method] as (input: unknown) => Promise<unknown>)(parsed);
    return methods[method].output.parse(output) as Awaited<ReturnType<(typeof handlers)[M]>>;
  };
  return { archiveDir, archive, bus, heard, services, call };
}

describe('batch API handlers', () => {
  it('run the clerk and supervisor flow, proven by each person unlocking their own key', async () => {
    const { archive, services, call, heard } = await app();
    const pages = await addTestPages(archive, 2);
    const clerk = await call('signing.createKey', { userId: 'arta', displayName: 'Arta Krasniqi', role: 'clerk', passphrase: PASS.clerk });
    const supervisor = await call('signing.createKey', { userId: 'milan', displayName: 'Milan Petrović', role: 'supervisor', passphrase: PASS.supervisor });
    expect(clerk.key.trusted).toBe(false);

    // An administrator registers the keys in the trust store (outside the window, on purpose).
    const trust = await TrustStore.open(services.trustStoreFile);
    trust.add({ publicKeyPem: clerk.publicKeyPem, userId: 'arta', displayName: 'Arta Krasniqi', roles: ['clerk'] });
    trust.add({ publicKeyPem: supervisor.publicKeyPem, userId: 'milan', displayName: 'Milan Petrović', roles: ['supervisor'] });
    await trust.save();
    expect((await call('signing.listKeys', {})).keys.filter((key) => key.trusted).map((key) => key.userId).sort()).toEqual(['arta', 'milan', 'ws-7']);

    const { batch } = await call('batches.open', { title: 'Dosja 2004/12', actor: 'arta', expectedPages: 2, pageIds: pages.map((page) => page.id) });
    await expect(call('batches.seal', { batchId: batch.id, keyId: clerk.key.keyId, passphrase: 'wrong passphrase' })).rejects.toMatchObject({ code: 'unauthorized' });
    expect((await call('batches.seal', { batchId: batch.id, keyId: clerk.key.keyId, passphrase: PASS.clerk })).batch.state).toBe('sealed');

    const { report } = await call('batches.verify', { batchId: batch.id, actor: 'milan' });
    expect(report).toMatchObject({ ok: true, pages: { expected: 2, received: 2 } });
    await expect(call('batches.reject', { batchId: batch.id, reason: 'x', keyId: clerk.key.keyId, passphrase: PASS.clerk })).rejects.toThrow(/Only a supervisor/);
    expect((await call('batches.countersign', { batchId: batch.id, keyId: supervisor.key.keyId, passphrase: PASS.supervisor })).batch.state).toBe('verified');
    await expect(call('batches.countersign', { batchId: batch.id, keyId: supervisor.key.keyId, passphrase: PASS.supervisor })).rejects.toMatchObject({
      code: 'bad-request',
      message: 'The batch is verified; this needs it to be sealed.',
    });
    expect((await call('batches.queueForSync', { batchId: batch.id, actor: 'milan' })).batch.state).toBe('queued');
    expect((await call('batches.list', {})).batches.map((entry) => entry.state)).toEqual(['queued']);
    expect(heard.filter((event) => event === 'batch.changed')).toHaveLength(5);

    await call('audit.record', { kind: 'search', actor: 'milan', subject: 'Prishtinë 2004' });
    const audit = await call('audit.verify', {});
    expect(audit).toEqual({ ok: true, entries: 4, problems: [] }); // seal, verify, countersign, search
  });

  it('records captures in the audit trail as pages reach the archive', async () => {
    const { bus, call, services } = await app();
    bus.emit('page.stored', {
      page: {
        id: 'a'.repeat(64),
        source: { kind: 'import', fileName: 'scan.png' },
        capturedAt: new Date().toISOString(),
        originalMimeType: 'image/png',
        width: 1,
        height: 1,
        status: 'pending-ocr',
      },
    });
    await services.audit.flushed();
    expect((await call('audit.verify', {})).entries).toBe(1);
  });

  it('records document edits in the audit trail', async () => {
    const { archive, bus, call, services } = await app();
    const pages = await addTestPages(archive, 2);
    const documents = await DocumentStore.open(archive, { onChange: (document) => bus.emit('document.changed', { document }) });
    const document = await documents.create(pages.map((page) => page.id), { title: 'Raport' });
    await documents.update(document.id, { title: 'Raport i korrigjuar' });
    await services.audit.flushed();
    const lines = (await readFile(services.auditFile, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as { kind: string; subject: string; details: { revision: number } });
    expect(lines.map((entry) => [entry.kind, entry.subject, entry.details.revision])).toEqual([
      ['edit', document.id, 1],
      ['edit', document.id, 2],
    ]);
    expect((await call('audit.verify', {})).ok).toBe(true);
  });

  it('refuse unknown keys and batches with API errors', async () => {
    const { call } = await app();
    await expect(call('batches.get', { batchId: '00000000-0000-4000-8000-000000000000' })).rejects.toBeInstanceOf(ApiError);
    await expect(call('batches.seal', { batchId: '00000000-0000-4000-8000-000000000000', keyId: 'b'.repeat(64), passphrase: PASS.clerk })).rejects.toMatchObject({ code: 'not-found' });
  });
});
