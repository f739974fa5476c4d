import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateBag } from '../bagit/validate-bag';
import { custodyRecordSchema } from './batch-bag-format';
import { testSigner, testWorkstation } from './test-batches';

describe('batch lifecycle', () => {
  it('goes open → sealed by the clerk → countersigned → queued → synced, keeping every step', async () => {
    const ws = await testWorkstation(3);
    const opened = await ws.service.open({ title: 'Dosja 2003/117', actor: 'arta.krasniqi', expectedPages: 3, pageIds: ws.pages.map((page) => page.id) });
    expect(opened.pages).toHaveLength(3);

    const sealed = await ws.service.seal(opened.id, ws.clerk);
    expect(sealed.state).toBe('sealed');
    const bagDir = ws.store.bagDir(opened.id, 1);
    const bag = await validateBag(bagDir);
    expect(bag.errors).toEqual([]);
    expect(bag.payload.files).toBe(9); // original, display copy and OCR result per page

    const report = await ws.service.verify(opened.id, 'milan.petrovic');
    expect(report).toMatchObject({ ok: true, batchId: opened.id, seal: 1, pages: { expected: 3, received: 3, blank: [] }, errors: [] });
    expect(report.signatures).toEqual([expect.objectContaining({ valid: true, role: 'clerk', intent: 'sealed by clerk', signer: 'arta.krasniqi (clerk)' })]);

    const verified = await ws.service.countersign(opened.id, ws.supervisor);
    expect(verified.state).toBe('verified');
    const countersigned = await ws.service.verify(opened.id, 'milan.petrovic', { requireCountersignature: true });
    expect(countersigned.ok).toBe(true);
    expect(countersigned.signatures.map((signature) => signature.intent)).toEqual(['sealed by clerk', 'verified by supervisor']);

    await ws.service.queueForSync(opened.id, 'milan.petrovic');
    const synced = await ws.service.markSynced(opened.id, { at: new Date().toISOString(), repository: 'https://arkiva.example', receiptId: 'r-1' });
    expect(synced.state).toBe('synced');
    expect(synced.history.map((entry) => entry.action)).toEqual(['opened', 'pages-added', 'sealed', 'countersigned', 'queued', 'synced']);
  });

  it('writes bag-info and a chain-of-custody record per page from the archive', async () => {
    const ws = await testWorkstation(2);
    const batch = await ws.service.open({ title: 'Dosja 1999/4', actor: 'arta.krasniqi', expectedPages: 2, pageIds: ws.pages.map((page) => page.id) });
    await ws.service.seal(batch.id, ws.clerk);
    const bagDir = ws.store.bagDir(batch.id, 1);
    const info = await readFile(path.join(bagDir, 'bag-info.txt'), 'utf8');
    expect(info).toContain('Source-Organization: Instituti i Mjekësisë Ligjore');
    expect(info).toContain('Arkiva-Workstation: ws-test-01');
    expect(info).toContain('Arkiva-Clerk: arta.krasniqi (clerk) <arta.krasniqi>');
    expect(info).toContain('Arkiva-Device: sane:test:0');
    expect(info).toContain('Arkiva-Scan-Settings: flatbed, 300 dpi, gray');
    expect(info).toMatch(/^Arkiva-Expected-Pages: 2$/m);
    expect(info).toMatch(/^Arkiva-Received-Pages: 2$/m);
    expect(info).toMatch(/^Payload-Oxum: \d+\.6$/m);
    const custody = custodyRecordSchema.parse(JSON.parse(await readFile(path.join(bagDir, 'custody/0001.json'), 'utf8')));
    expect(custody).toMatchObject({
      page: 1,
      pageId: ws.pages[0]?.id,
      operator: 'arta.krasniqi',
      capture: { method: 'scan', device: 'sane:test:0', driver: 'sane', settings: { source: 'flatbed', resolution: 300, mode: 'gray' } },
      raw: { path: 'data/pages/0001/original.png', sha256: ws.pages[0]?.id },
    });
    expect(custody.derived.map((file) => [file.path, file.derivedFrom])).toEqual([
      ['data/pages/0001/display.png', 'data/pages/0001/original.png'],
      ['data/pages/0001/ocr.json', 'data/pages/0001/original.png'],
    ]);
  });

  it('reports expected against received pages and flags blank pages', async () => {
    const ws = await testWorkstation(3, { blank: [2] });
    const batch = await ws.service.open({ title: 'Dosja', actor: 'arta.krasniqi', expectedPages: 4, pageIds: ws.pages.map((page) => page.id) });
    await ws.service.seal(batch.id, ws.clerk);
    const report = await ws.service.verify(batch.id, 'milan.petrovic');
    expect(report.ok).toBe(false);
    expect(report.pages).toEqual({ expected: 4, received: 3, blank: [2] });
    expect(report.errors).toEqual([expect.objectContaining({ code: 'page-count-mismatch', message: expect.stringContaining('counted 4 pages') })]);
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'blank-page', path: 'data/pages/0002' }));
    await expect(ws.service.countersign(batch.id, ws.supervisor)).rejects.toThrow(/does not verify.*counted 4 pages/);
  });

  it('keeps a sealed batch immutable: a correction is a re-seal after a rejection, and history stays', async () => {
    const ws = await testWorkstation(3);
    const batch = await ws.service.open({ title: 'Dosja', actor: 'arta.krasniqi', expectedPages: 3, pageIds: ws.pages.slice(0, 2).map((page) => page.id) });
    await ws.service.seal(batch.id, ws.clerk);
    await expect(ws.service.addPages(batch.id, [ws.pages[2]?.id ?? ''], 'arta.krasniqi')).rejects.toThrow('The batch is sealed; this needs it to be open.');
    await expect(ws.service.reject(batch.id, '  ', 'milan.petrovic')).rejects.toThrow(/needs a reason/);
    const firstBag = await readdir(ws.store.bagDir(batch.id, 1), { recursive: true });

    await ws.service.reject(batch.id, 'Page 3 missing', 'milan.petrovic');
    await ws.service.reopen(batch.id, 'arta.krasniqi');
    await ws.service.addPages(batch.id, [ws.pages[2]?.id ?? ''], 'arta.krasniqi');
    const resealed = await ws.service.seal(batch.id, ws.clerk);
    expect(resealed.seals.map((seal) => seal.n)).toEqual([1, 2]);
    expect(await readdir(ws.store.bagDir(batch.id, 1), { recursive: true })).toEqual(firstBag);
    const second = JSON.parse(await readFile(path.join(ws.store.bagDir(batch.id, 2), 'batch.json'), 'utf8')) as { previousSeal: unknown };
    expect(second.previousSeal).toEqual({ n: 1, tagmanifestSha256: resealed.seals[0]?.tagmanifestSha256, rejectedBecause: 'Page 3 missing' });
    expect((await ws.service.verify(batch.id, 'milan.petrovic')).ok).toBe(true);
    expect(resealed.history.map((entry) => entry.action)).toEqual(['opened', 'pages-added', 'sealed', 'rejected', 'reopened', 'pages-added', 'sealed']);
  });

  it('refuses the wrong keys: a supervisor cannot seal, a clerk cannot countersign, nobody countersigns their own seal', async () => {
    const ws = await testWorkstation(1);
    const batch = await ws.service.open({ title: 'Dosja', actor: 'arta.krasniqi', pageIds: [ws.pages[0]?.id ?? ''] });
    await expect(ws.service.seal(batch.id, ws.supervisor)).rejects.toThrow(/sealed with a clerk's key/);
    await ws.service.seal(batch.id, ws.clerk);
    await expect(ws.service.countersign(batch.id, ws.clerk)).rejects.toThrow(/needs a supervisor's key/);
    const sameUser = await testSigner(ws.keystore, ws.trust, 'arta.krasniqi', 'supervisor');
    await expect(ws.service.countersign(batch.id, sameUser)).rejects.toThrow(/cannot also countersign/);
  });

  it('leaves no half-written bag behind when sealing fails, and clears one a crash left', async () => {
    const ws = await testWorkstation(1);
    const batch = await ws.service.open({ title: 'Dosja', actor: 'arta.krasniqi', pageIds: [ws.pages[0]?.id ?? ''] });
    // The original changed on disk after capture: sealing must refuse it, and leave nothing half-done.
    await writeFile(path.join(ws.archive.root, 'originals', ws.pages[0]?.id.slice(0, 2) ?? '', `${ws.pages[0]?.id}.png`), 'tampered');
    await expect(ws.service.seal(batch.id, ws.clerk)).rejects.toThrow(/no longer hashes to its id/);
    expect((await ws.service.get(batch.id)).state).toBe('open');
    expect(await readdir(ws.store.dir(batch.id))).toEqual(['batch.json']);

    await mkdir(path.join(ws.store.dir(batch.id), '.seal-1.abcd1234.tmp', 'data'), { recursive: true });
    expect(await ws.store.removeInterruptedSeals()).toEqual([`${batch.id}/.seal-1.abcd1234.tmp`]);
    expect(await readdir(ws.store.dir(batch.id))).toEqual(['batch.json']);
  });

  it('refuses to add a page the archive does not have, and to seal an empty batch', async () => {
    const ws = await testWorkstation(1);
    const batch = await ws.service.open({ title: 'Dosja', actor: 'arta.krasniqi' });
    await expect(ws.service.addPages(batch.id, ['f'.repeat(64)], 'arta.krasniqi')).rejects.toThrow(/not in the archive/);
    await expect(ws.service.seal(batch.id, ws.clerk)).rejects.toThrow(/without pages/);
  });
});
