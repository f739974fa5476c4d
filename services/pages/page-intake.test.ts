import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OcrResult } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { EventBus } from '../api/event-bus';
import { ArchiveStore, walk, type WriteFile } from '../archive/archive-store';
import { writeFileAtomic } from '../archive/atomic-write';
import { checkFixity } from '../archive/fixity';
import { DISPLAY_IMAGE, PageIntake } from './page-intake';
import { PageRecognition } from './page-recognition';
import { useSmallDisk } from '../../test/support/small-disk';

const fakeOcr: OcrResult = { text: 'word', confidence: 90, languages: 'eng', words: [] };

async function setup(root: string, writeFileImpl?: WriteFile) {
  const archive = await ArchiveStore.open(root, writeFileImpl ? { writeFile: writeFileImpl } : {});
  const bus = new EventBus();
  const events: string[] = [];
  bus.subscribe((event) => events.push(event));
  const recognition = new PageRecognition(archive, bus, async () => ({ recognize: async () => fakeOcr }));
  return { archive, recognition, intake: new PageIntake(archive, bus, recognition), events };
}

const image = (seed: number, size = 64) =>
  sharp({ create: { width: size, height: size, channels: 3, background: { r: seed % 256, g: (seed * 7) % 256, b: (seed * 13) % 256 } } })
    .png()
    .toBuffer();

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'arkiva-intake-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('page intake', () => {
  it('stores original, display copy (with its hash) and page record, leaving no journal entry behind', async () => {
    const { archive, intake, recognition, events } = await setup(root);
    const data = await image(1);
    const page = await intake.ingest(data, { mimeType: 'image/png' }, { kind: 'import', fileName: 'one.png' });
    await recognition.idle();
    expect(page.derived?.[DISPLAY_IMAGE]).toBe(ArchiveStore.hash((await archive.readDerived(page.id, DISPLAY_IMAGE)) as Buffer));
    expect((await archive.getPage(page.id))?.status).toBe('recognized');
    expect(await readdir(path.join(root, 'journal'))).toEqual([]);
    expect(events).toContain('page.stored');
    expect(await checkFixity(root)).toMatchObject({ ok: true, notes: [] });
  });

  it('names who brought the page in: the one signed in now, unless the source already says', async () => {
    const { archive, recognition } = await setup(root);
    let signedIn = 'arta';
    const intake = new PageIntake(archive, new EventBus(), recognition, () => signedIn);
    const imported = await intake.ingest(await image(2), { mimeType: 'image/png' }, { kind: 'import', fileName: 'two.png' });
    signedIn = 'workstation';
    const scanned = await intake.ingest(await image(3), { mimeType: 'image/png' }, { kind: 'scan', deviceId: 'sane:test:0', settings: { source: 'adf', resolution: 300, mode: 'gray' }, operator: 'besa' });
    await recognition.idle();
    expect((await archive.getPage(imported.id))?.source).toEqual({ kind: 'import', fileName: 'two.png', operator: 'arta' });
    expect((await archive.getPage(scanned.id))?.source).toMatchObject({ kind: 'scan', operator: 'besa' });
  });

  it('finishes an import interrupted after the original was stored (journal), and OCR follows', async () => {
    const first = await setup(root);
    const data = await image(2);
    const id = ArchiveStore.hash(data);
    // What a crash right after storing the original leaves: a journal entry and the original.
    await first.archive.writeJournal(`intake-${id}`, {
      pageId: id,
      mimeType: 'image/png',
      source: { kind: 'import', fileName: 'two.png' },
      capturedAt: '2026-11-22T09:00:00.000Z',
    });
    await first.archive.putOriginal(data, 'image/png');

    const { archive, intake, recognition } = await setup(root);
    expect(await intake.resumeInterrupted()).toBe(1);
    await recognition.idle();
    const page = await archive.getPage(id);
    expect(page).toMatchObject({ status: 'recognized', capturedAt: '2026-11-22T09:00:00.000Z', source: { fileName: 'two.png' } });
    expect(await readdir(path.join(root, 'journal'))).toEqual([]);
    expect((await checkFixity(root)).ok).toBe(true);
  });

  it('drops a journal entry whose original never reached the disk, and says so', async () => {
    const { archive, intake } = await setup(root);
    const id = 'ab'.repeat(32);
    await archive.writeJournal(`intake-${id}`, { pageId: id, mimeType: 'image/png', source: { kind: 'import', fileName: 'x.png' }, capturedAt: 'now' });
    const log: string[] = [];
    expect(await intake.resumeInterrupted((message) => log.push(message))).toBe(0);
    expect(log).toEqual([expect.stringContaining('interrupted before its original was stored')]);
    expect(await archive.listPages()).toEqual([]);
    expect(await readdir(path.join(root, 'journal'))).toEqual([]);
  });

  it('reports a full disk clearly and leaves what was archived intact (ENOSPC injected in the write layer)', async () => {
    let full = false;
    const writer: WriteFile = async (target, data) => {
      if (full) throw Object.assign(new Error(`ENOSPC: no space left on device, write '${target}'`), { code: 'ENOSPC' });
      await writeFileAtomic(target, data);
    };
    const { archive, intake, recognition } = await setup(root, writer);
    const kept = await intake.ingest(await image(3), { mimeType: 'image/png' }, { kind: 'import', fileName: 'kept.png' });
    await recognition.idle();
    full = true;
    const failure = await intake.ingest(await image(4), { mimeType: 'image/png' }, { kind: 'import', fileName: 'lost.png' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ code: 'unavailable', details: { reason: 'disk-full' } });
    expect((failure as Error).message).toMatch(/^The archive disk is full: could not write journal\/intake-[0-9a-f]{64}\.json\. That file is unchanged/);
    expect((await archive.listPages()).map((page) => page.id)).toEqual([kept.id]);
    expect(await checkFixity(root)).toMatchObject({ ok: true, problems: [] });
  });
});

/** A real full disk: a 3 MB tmpfs (needs root, as CI and the workstation setup run). */
describe('page intake on a really full disk', () => {
  const disk = useSmallDisk('3m');

  it('fills the disk, fails with a clear error, and everything stored before is intact', async () => {
    const mounted = disk();
    if (!mounted) return;
    const { archive, intake, recognition } = await setup(mounted);
    const stored: string[] = [];
    let failure: unknown;
    for (let seed = 0; seed < 40 && !failure; seed += 1) {
      // Noise does not compress: each page costs its full size, so the disk fills within a few pages.
      const noise = await sharp(randomBytes(300 * 300 * 3), { raw: { width: 300, height: 300, channels: 3 } }).png().toBuffer();
      try {
        stored.push((await intake.ingest(noise, { mimeType: 'image/png' }, { kind: 'import', fileName: `${seed}.png` })).id);
      } catch (error) {
        failure = error;
      }
    }
    await recognition.idle().catch(() => undefined);
    expect(failure).toMatchObject({ code: 'unavailable', details: { reason: 'disk-full' } });
    expect(stored.length).toBeGreaterThan(0);
    const pages = await archive.listPages();
    expect(pages.map((page) => page.id).sort()).toEqual([...stored].sort());
    const report = await checkFixity(mounted);
    expect(report.problems).toEqual([]);
    // No torn file: the failed write cleaned up its temporary file.
    expect((await walk(mounted)).filter((file) => file.endsWith('.tmp'))).toEqual([]);
    // With room again, a restart finishes the page whose original made it to disk, and loses none.
    execFileSync('mount', ['-o', 'remount,size=20m', mounted]);
    const restarted = await setup(mounted);
    await restarted.intake.resumeInterrupted(() => {});
    await restarted.recognition.idle();
    const after = (await restarted.archive.listPages()).map((page) => page.id);
    expect(after).toEqual(expect.arrayContaining(stored));
    expect(after.length).toBeLessThanOrEqual(stored.length + 1);
    expect(await checkFixity(mounted)).toMatchObject({ ok: true, notes: [] });
  });
});
