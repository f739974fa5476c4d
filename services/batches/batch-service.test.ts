import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../bagit/hash-files';
import { validateBag } from '../bagit/validate-bag';
import { verifyEd25519 } from '../signing/ed25519';
import { decodeReason, parseStatement } from '../signing/statement';
import { custodyRecordSchema } from './batch-bag-format';
import { OwnSealError } from './batch-service';
import { makeTestPki } from '../signing/test-pki';
import { scratchDir, testProtector, testSigner, testWorkstation } from './test-batches';
import { verifyBatch } from './verify-batch';

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
      // The test pages name no operator (as pages from before sign-in): they are the workstation's.
      operator: 'workstation',
      addedBy: 'arta.krasniqi',
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
    await expect(ws.service.reject(batch.id, '  ', ws.supervisor)).rejects.toThrow(/needs a reason/);
    const firstBag = await readdir(ws.store.bagDir(batch.id, 1), { recursive: true });

    await ws.service.reject(batch.id, 'Page 3 missing', ws.supervisor);
    await ws.service.reopen(batch.id, 'arta.krasniqi');
    await ws.service.addPages(batch.id, [ws.pages[2]?.id ?? ''], 'arta.krasniqi');
    const resealed = await ws.service.seal(batch.id, ws.clerk);
    expect(resealed.seals.map((seal) => seal.n)).toEqual([1, 2]);
    expect(await readdir(ws.store.bagDir(batch.id, 1), { recursive: true })).toEqual(firstBag);
    const second = JSON.parse(await readFile(path.join(ws.store.bagDir(batch.id, 2), 'batch.json'), 'utf8')) as { previousSeal: unknown };
    expect(second.previousSeal).toEqual({
      n: 1,
      tagmanifestSha256: resealed.seals[0]?.tagmanifestSha256,
      rejectedBecause: 'Page 3 missing',
      rejection: { file: 'rejections/seal-1.txt', statementSha256: sha256Hex(await readFile(path.join(ws.store.dir(batch.id), 'rejections/seal-1.txt'))) },
    });
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

  it('refuses a supervisor who sealed the batch themselves, for a countersignature and a rejection alike, with its own error', async () => {
    const ws = await testWorkstation(1);
    const batch = await ws.service.open({ title: 'Dosja', actor: 'arta.krasniqi', pageIds: [ws.pages[0]?.id ?? ''] });
    await ws.service.seal(batch.id, ws.clerk);
    const sameUser = await testSigner(ws.keystore, ws.trust, 'arta.krasniqi', 'supervisor');
    await expect(ws.service.countersign(batch.id, sameUser)).rejects.toThrow(OwnSealError);
    await expect(ws.service.reject(batch.id, 'Blurred', sameUser)).rejects.toThrow(
      new OwnSealError('arta.krasniqi (supervisor) sealed this batch (seal 1) and so cannot also reject it; another supervisor must review it.'),
    );
    await expect(ws.service.reject(batch.id, 'Blurred', ws.clerk)).rejects.toThrow(/only a supervisor can reject/);
    // Nothing was written or changed by the refusals.
    expect(await readdir(ws.store.dir(batch.id))).toEqual(['batch.json', 'seal-1']);
    expect((await ws.service.get(batch.id)).state).toBe('sealed');
  });

  it('signs a rejection beside the bag, leaves the bag untouched, and lets the re-seal name and verify it', async () => {
    const ws = await testWorkstation(2);
    const batch = await ws.service.open({ title: 'Dosja', actor: 'arta.krasniqi', expectedPages: 2, pageIds: ws.pages.map((page) => page.id) });
    const sealed = await ws.service.seal(batch.id, ws.clerk);
    const bagBefore = await readdir(ws.store.bagDir(batch.id, 1), { recursive: true });
    await ws.service.reject(batch.id, 'Page 2 is blurred.\nScan it again at 400 dpi.', ws.supervisor, new Date('2026-11-23T10:00:00Z'));
    expect(await readdir(ws.store.bagDir(batch.id, 1), { recursive: true })).toEqual(bagBefore);
    const rejections = path.join(ws.store.dir(batch.id), 'rejections');
    expect((await readdir(rejections)).sort()).toEqual(['seal-1.pub.pem', 'seal-1.sig', 'seal-1.txt']);
    const text = await readFile(path.join(rejections, 'seal-1.txt'), 'utf8');
    const statement = parseStatement(text);
    expect(statement).toMatchObject({
      Intent: 'rejected by supervisor',
      Role: 'supervisor',
      'Signer-Id': 'milan.petrovic',
      'Key-Id': ws.supervisor.keyId,
      'Signed-At': '2026-11-23T10:00:00.000Z',
      'Batch-Id': batch.id,
      'Tagmanifest-SHA256': sealed.seals[0]?.tagmanifestSha256,
    });
    expect(decodeReason(statement.Reason ?? '')).toBe('Page 2 is blurred.\nScan it again at 400 dpi.');
    expect(verifyEd25519(ws.supervisor.publicKeyPem, Buffer.from(text), await readFile(path.join(rejections, 'seal-1.sig')))).toBe(true);

    await ws.service.reopen(batch.id, 'arta.krasniqi');
    await ws.service.seal(batch.id, ws.clerk);
    const report = await ws.service.verify(batch.id, 'milan.petrovic');
    expect(report.errors).toEqual([]);
    expect(report.signatures).toContainEqual(expect.objectContaining({ file: '../rejections/seal-1.txt', intent: 'rejected by supervisor', signer: 'milan.petrovic (supervisor)', valid: true }));

    // A rejection statement swapped for another after the re-seal is caught by its hash.
    await writeFile(path.join(rejections, 'seal-1.txt'), text.replace('Signer: milan.petrovic (supervisor)', 'Signer: someone else'));
    const swapped = await ws.service.verify(batch.id, 'milan.petrovic');
    expect(swapped.errors).toEqual([expect.objectContaining({ code: 'rejection-mismatch', path: '../rejections/seal-1.txt', message: expect.stringContaining('not the one batch.json names') })]);
    // The re-sealed bag copied on its own cannot show the rejection: a warning, not an error.
    const alone = path.join(ws.root, 'copied', 'seal-2');
    await cp(ws.store.bagDir(batch.id, 2), alone, { recursive: true });
    const copied = await verifyBatch(alone, ws.trust);
    expect(copied.ok).toBe(true);
    expect(copied.warnings).toContainEqual(expect.objectContaining({ code: 'rejection-unavailable', path: 'batch.json' }));
  });

  it('signs a rejection with an institution certificate (CMS) and verifies it from the re-seal', async () => {
    const ws = await testWorkstation(1);
    const pki = makeTestPki(await scratchDir('reject-pki'));
    ws.trust.addAuthority({ certificatePem: pki.caPem, displayName: 'Test CA', roles: ['supervisor'] });
    const key = await ws.keystore.importCertificate({ userId: 'milan.cert', displayName: 'Milan Petrović', role: 'supervisor' }, pki.issue('Milan Petrovic'), testProtector());
    const supervisor = await ws.keystore.unlock(key.keyId, testProtector());
    const batch = await ws.service.open({ title: 'Dosja', actor: 'arta.krasniqi', expectedPages: 1, pageIds: [ws.pages[0]?.id ?? ''] });
    await ws.service.seal(batch.id, ws.clerk);
    await ws.service.reject(batch.id, 'Wrong case number on the cover', supervisor);
    expect((await readdir(path.join(ws.store.dir(batch.id), 'rejections'))).sort()).toEqual(['seal-1.p7s', 'seal-1.txt']);
    await ws.service.reopen(batch.id, 'arta.krasniqi');
    await ws.service.seal(batch.id, ws.clerk);
    const report = await ws.service.verify(batch.id, 'milan.petrovic');
    expect(report.errors).toEqual([]);
    expect(report.signatures).toContainEqual(expect.objectContaining({ intent: 'rejected by supervisor', signer: 'Milan Petrović', valid: true }));
    // A rejection is only as good as the trust store: a revoked key's rejection no longer counts.
    ws.trust.revoke(key.keyId, 'left the institution');
    expect((await ws.service.verify(batch.id, 'milan.petrovic')).errors).toEqual([expect.objectContaining({ code: 'rejection-revoked-key', path: '../rejections/seal-1.txt' })]);
  });

  it('warns about pages OCR was unsure of, so the supervisor checks them against the paper', async () => {
    const ws = await testWorkstation(3);
    const [, unsure] = ws.pages;
    if (!unsure?.ocr) throw new Error('no page 2');
    await ws.archive.savePage({ ...unsure, ocr: { ...unsure.ocr, confidence: 41, needsReview: true } });
    const batch = await ws.service.open({ title: 'Dosja', actor: 'arta.krasniqi', expectedPages: 3, pageIds: ws.pages.map((page) => page.id) });
    await ws.service.seal(batch.id, ws.clerk);
    const report = await ws.service.verify(batch.id, 'milan.petrovic');
    expect(report.ok).toBe(true);
    expect(report.warnings).toEqual([
      { code: 'needs-review', path: 'data/pages/0002', message: 'page 2: OCR was not sure of its text (low confidence, or it failed); check the page against the paper before countersigning.' },
    ]);
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
