import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { methods, type EventName } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { ArchiveStore } from '../archive/archive-store';
import { EventBus } from '../api/event-bus';
import { DocumentStore } from '../documents/document-store';
import { WorkstationSession } from '../session/workstation-session';
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
  const session = new WorkstationSession({ keystore: services.keystore, protectorFor: services.protectorFor, audit: services.audit, trust: services.trust });
  const handlers = createBatchHandlers(services, session);
  // Every response must satisfy the contract, as the dispatcher would insist.
  const call = async <M extends keyof typeof handlers>(method: M, input: unknown) => {
    const parsed = methods[method].input.parse(input);
    const output = await (handlers[method] as (input: unknown) => Promise<unknown>)(parsed);
    return methods[method].output.parse(output) as Awaited<ReturnType<(typeof handlers)[M]>>;
  };
  return { archiveDir, archive, bus, heard, services, session, call };
}

async function auditLines(file: string) {
  return (await readFile(file, 'utf8'))
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { kind: string; actor: string; subject?: string; details?: Record<string, unknown> });
}

/** What an administrator does with `arkiva trust add`: without it a key signs nobody in. */
async function trustClerk(services: { trustStoreFile: string }, publicKeyPem: string): Promise<void> {
  const trust = await TrustStore.open(services.trustStoreFile);
  trust.add({ publicKeyPem, userId: 'arta', displayName: 'Arta Krasniqi', roles: ['clerk'] });
  await trust.save();
}

describe('batch API handlers', () => {
  it('run the clerk and supervisor flow, each signed in and proven by unlocking their own key', async () => {
    const { archive, services, session, call, heard } = await app();
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

    await session.signIn(clerk.key.keyId, PASS.clerk);
    const { batch } = await call('batches.open', { title: 'Dosja 2004/12', expectedPages: 2, pageIds: pages.map((page) => page.id) });
    expect(batch.createdBy).toBe('arta');
    await expect(call('batches.seal', { batchId: batch.id, keyId: clerk.key.keyId, passphrase: 'wrong passphrase' })).rejects.toMatchObject({ code: 'unauthorized' });
    // Arta cannot seal with Milan's key even knowing his passphrase: it is not hers.
    await expect(call('batches.seal', { batchId: batch.id, keyId: supervisor.key.keyId, passphrase: PASS.supervisor })).rejects.toMatchObject({
      code: 'unauthorized',
      message: expect.stringContaining('Arta Krasniqi (arta) is signed in'),
    });
    expect((await call('batches.seal', { batchId: batch.id, keyId: clerk.key.keyId, passphrase: PASS.clerk })).batch.state).toBe('sealed');

    await session.signIn(supervisor.key.keyId, PASS.supervisor);
    const { report } = await call('batches.verify', { batchId: batch.id });
    expect(report).toMatchObject({ ok: true, pages: { expected: 2, received: 2 } });
    await expect(call('batches.reject', { batchId: batch.id, reason: 'x', keyId: clerk.key.keyId, passphrase: PASS.clerk })).rejects.toMatchObject({ code: 'unauthorized' });
    expect((await call('batches.countersign', { batchId: batch.id, keyId: supervisor.key.keyId, passphrase: PASS.supervisor })).batch.state).toBe('verified');
    await expect(call('batches.countersign', { batchId: batch.id, keyId: supervisor.key.keyId, passphrase: PASS.supervisor })).rejects.toMatchObject({
      code: 'bad-request',
      message: 'The batch is verified; this needs it to be sealed.',
    });
    expect((await call('batches.queueForSync', { batchId: batch.id })).batch.state).toBe('queued');
    expect((await call('batches.get', { batchId: batch.id })).batch.history.map((entry) => [entry.action, entry.actor])).toEqual([
      ['opened', 'arta'],
      ['pages-added', 'arta'],
      ['sealed', 'arta'],
      ['countersigned', 'milan'],
      ['queued', 'milan'],
    ]);
    expect((await call('batches.list', {})).batches.map((entry) => entry.state)).toEqual(['queued']);
    expect(heard.filter((event) => event === 'batch.changed')).toHaveLength(5);

    await call('audit.record', { kind: 'search', subject: 'Prishtinë 2004' });
    const audit = await call('audit.verify', {});
    // sign-in arta, the wrong passphrase, seal, sign-out arta (milan took over), sign-in milan, verify, countersign, search
    expect(audit).toEqual({ ok: true, entries: 8, problems: [] });
    const trail = await auditLines(services.auditFile);
    expect(trail.map((entry) => [entry.kind, entry.actor, entry.details?.['event'] ?? null])).toEqual([
      ['sign-in', 'arta', 'sign-in'],
      ['sign-in', 'arta', 'failed'],
      ['seal', 'arta', null],
      ['sign-in', 'arta', 'sign-out'],
      ['sign-in', 'milan', 'sign-in'],
      ['verify', 'milan', null],
      ['countersign', 'milan', null],
      ['search', 'milan', null],
    ]);
  });

  it('refuse every batch change while nobody is signed in, with a typed error, and change nothing', async () => {
    const { archive, call, services } = await app();
    const pages = await addTestPages(archive, 1);
    await expect(call('batches.open', { title: 'Dosja', pageIds: pages.map((page) => page.id) })).rejects.toMatchObject({ code: 'unauthenticated', message: expect.stringMatching(/^Sign in first/) });
    const batchId = '00000000-0000-4000-8000-000000000000';
    for (const [method, input] of [
      ['batches.addPages', { batchId, pageIds: [pages[0]!.id] }],
      ['batches.removePages', { batchId, pageIds: [pages[0]!.id] }],
      ['batches.verify', { batchId }],
      ['batches.reopen', { batchId }],
      ['batches.queueForSync', { batchId }],
      ['batches.seal', { batchId, keyId: 'b'.repeat(64), passphrase: PASS.clerk }],
      ['batches.countersign', { batchId, keyId: 'b'.repeat(64), passphrase: PASS.clerk }],
      ['batches.reject', { batchId, reason: 'blurred', keyId: 'b'.repeat(64), passphrase: PASS.clerk }],
    ] as const) {
      await expect(call(method, input), method).rejects.toMatchObject({ code: 'unauthenticated' });
    }
    expect((await call('batches.list', {})).batches).toEqual([]);
    // Reading, searching and exporting need nobody, as the methods that do them: they are the workstation's.
    await call('audit.record', { kind: 'view', subject: pages[0]!.id });
    await call('audit.record', { kind: 'export', subject: pages[0]!.id });
    expect((await auditLines(services.auditFile)).map((entry) => [entry.kind, entry.actor])).toEqual([
      ['view', 'workstation'],
      ['export', 'workstation'],
    ]);
  });

  it('no longer accept an actor named by the caller', () => {
    expect(methods['batches.open'].input.safeParse({ title: 'Dosja', actor: 'arta' }).success).toBe(false);
    expect(methods['audit.record'].input.safeParse({ kind: 'search', actor: 'arta' }).success).toBe(false);
    // Sign-ins are the services' to record, never the window's.
    expect(methods['audit.record'].input.safeParse({ kind: 'sign-in' }).success).toBe(false);
  });

  it("seal each page's custody record with who captured it, apart from who added it to the batch", async () => {
    const { archive, archiveDir, call, session, services } = await app();
    const [page] = await addTestPages(archive, 1);
    await archive.savePage({ ...page!, source: { kind: 'import', fileName: 'raport.png', operator: 'besa' } });
    const clerk = await call('signing.createKey', { userId: 'arta', displayName: 'Arta Krasniqi', role: 'clerk', passphrase: PASS.clerk });
    await trustClerk(services, clerk.publicKeyPem);
    await session.signIn(clerk.key.keyId, PASS.clerk);
    const { batch } = await call('batches.open', { title: 'Dosja', pageIds: [page!.id] });
    await call('batches.seal', { batchId: batch.id, keyId: clerk.key.keyId, passphrase: PASS.clerk });
    const custody = JSON.parse(await readFile(path.join(archiveDir, 'batches', batch.id, 'seal-1', 'custody', '0001.json'), 'utf8')) as Record<string, unknown>;
    expect(custody).toMatchObject({ operator: 'besa', addedBy: 'arta', capture: { method: 'import', fileName: 'raport.png' } });
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

  it('refuse keys the trust store does not know, unknown keys and unknown batches with API errors', async () => {
    const { call, session, services } = await app();
    const clerk = await call('signing.createKey', { userId: 'arta', displayName: 'Arta Krasniqi', role: 'clerk', passphrase: PASS.clerk });
    await expect(session.signIn(clerk.key.keyId, PASS.clerk)).rejects.toMatchObject({ code: 'unauthorized', message: expect.stringContaining('is not in the trust store') });
    await trustClerk(services, clerk.publicKeyPem);
    await session.signIn(clerk.key.keyId, PASS.clerk);
    await expect(call('batches.get', { batchId: '00000000-0000-4000-8000-000000000000' })).rejects.toBeInstanceOf(ApiError);
    await expect(call('batches.seal', { batchId: '00000000-0000-4000-8000-000000000000', keyId: 'b'.repeat(64), passphrase: PASS.clerk })).rejects.toMatchObject({ code: 'not-found' });
  });
});
