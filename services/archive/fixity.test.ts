import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentRecord, PageRecord } from '../../common/api/contract';
import { importSample, openSampleArchive, type SampleArchive } from '../documents/sample-archive';
import { ArchiveStore } from './archive-store';
import { checkFixity } from './fixity';
import { recordHash } from './record-hash';

let root: string;
let sample: SampleArchive;
let pages: PageRecord[];
let document: DocumentRecord;

const pageFile = (id: string) => path.join(root, 'pages', id.slice(0, 2), `${id}.json`);
const revisionFile = (id: string, revision: number) => path.join(root, 'documents', id.slice(0, 2), id, `${String(revision).padStart(8, '0')}.json`);
const relative = (file: string) => path.relative(root, file).split(path.sep).join('/');

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'arkiva-fixity-'));
  sample = await openSampleArchive(root);
  pages = [];
  for (let seed = 0; seed < 3; seed += 1) pages.push(await importSample(sample, seed));
  await sample.recognition.idle();
  document = await sample.documents.create([pages[0]!.id, pages[1]!.id], { caseNumber: '2019/0457-IML' });
  document = await sample.documents.update(document.id, { title: 'Autopsy report' });
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('fixity', () => {
  it('passes an intact archive, with the app folders other checks verify (settings, batches, signing, audit) left to them', async () => {
    for (const [folder, file] of [['settings', 'ocr.json'], ['batches', 'b1/seal-1/bagit.txt'], ['signing', 'keys/clerk.json'], ['audit', 'audit.log']] as const) {
      await mkdir(path.dirname(path.join(root, folder, file)), { recursive: true });
      await writeFile(path.join(root, folder, file), '{}');
    }
    expect(await checkFixity(root)).toMatchObject({ ok: true, problems: [], notes: [], unsealed: { pages: 0, documents: 0 } });
  });

  it('finds OCR text forged in a page record, through the hash the record carries of its own content', async () => {
    const file = pageFile(pages[2]!.id);
    await writeFile(file, (await readFile(file, 'utf8')).replace('Rasti', 'Forged'));
    const report = await checkFixity(root);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([{ kind: 'changed', path: relative(file), message: expect.stringContaining('no longer matches the hash recorded in it') }]);
  });

  it('finds a deleted page record: its original, named by no page, is a problem, not a note', async () => {
    await rm(pageFile(pages[2]!.id));
    const report = await checkFixity(root);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([{ kind: 'missing', path: relative(pageFile(pages[2]!.id)), message: expect.stringContaining('no page refers to that original') }]);
    expect(report.notes).toEqual([]);
  });

  it('finds an edited latest revision, and a deleted one, through the document head', async () => {
    const latest = revisionFile(document.id, 2);
    const json = await readFile(latest, 'utf8');
    // Edited consistently, its own hash recomputed: only the head can tell.
    const forged = JSON.parse(json.replace('Autopsy report', 'Forged title')) as Record<string, unknown>;
    await writeFile(latest, `${JSON.stringify({ ...forged, recordSha256: recordHash(forged) }, null, 2)}\n`);
    expect((await checkFixity(root)).problems).toEqual([{ kind: 'changed', path: relative(latest), message: expect.stringContaining('no longer matches the hash its head records') }]);

    await rm(latest);
    expect((await checkFixity(root)).problems).toEqual([{ kind: 'missing', path: relative(latest), message: expect.stringContaining('its latest, is missing') }]);
  });

  it('finds a latest revision edited by hand (its own hash no longer matches)', async () => {
    const latest = revisionFile(document.id, 2);
    await writeFile(latest, (await readFile(latest, 'utf8')).replace('Autopsy report', 'Forged title'));
    const report = await checkFixity(root);
    expect(report.problems).toEqual([{ kind: 'changed', path: relative(latest), message: expect.stringContaining('no longer matches the hash recorded in it') }]);
  });

  it('finds a deleted document folder, and a deleted head', async () => {
    const folder = path.dirname(revisionFile(document.id, 1));
    const head = `${folder}.json`;
    const headBytes = await readFile(head);
    await rm(head);
    expect((await checkFixity(root)).problems).toEqual([{ kind: 'missing', path: relative(head), message: expect.stringContaining('head of document') }]);
    await writeFile(head, headBytes);
    await rm(folder, { recursive: true });
    expect((await checkFixity(root)).problems).toEqual([{ kind: 'missing', path: relative(folder), message: expect.stringContaining(`every revision of document ${document.id} is missing`) }]);
  });

  it('takes an original or a document named by unfinished work in the journal as work in flight, not damage', async () => {
    const data = Buffer.from('an import interrupted before its page record');
    const id = ArchiveStore.hash(data);
    await sample.archive.writeJournal(`intake-${id}`, { pageId: id, mimeType: 'image/png', source: { kind: 'import', fileName: 'x.png' }, capturedAt: 'now' });
    await sample.archive.putOriginal(data, 'image/png');
    const report = await checkFixity(root);
    expect(report.problems).toEqual([]);
    expect(report.notes.map((note) => note.kind).sort()).toEqual(['journal', 'unreferenced']);
  });

  it('passes records written before they carried their own hash, and counts them', async () => {
    // What earlier versions wrote: page records without recordSha256, documents without heads.
    const legacy = await openSampleArchive(path.join(root, 'legacy'));
    const page = await importSample(legacy, 7);
    await legacy.recognition.idle();
    const file = legacy.archive.pagePath(page.id);
    const { recordSha256: _sealed, ...unsealed } = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, `${JSON.stringify(unsealed, null, 2)}\n`);
    const documentId = '0d7c55a4-3b1e-4b8f-9a51-6f0f1d2c3b4a';
    const first = `${JSON.stringify(
      {
        document: { id: documentId, revision: 1, createdAt: 'then', updatedAt: 'then', deleted: false, pages: [{ pageId: page.id, rotation: 0 }], metadata: { persons: [], sensitivity: 'internal', tags: [] } },
        change: { revision: 1, at: 'then', action: 'create', summary: 'Created with 1 page(s)' },
      },
      null,
      2,
    )}\n`;
    await legacy.archive.putDocumentRevision(documentId, 1, first);
    const report = await checkFixity(path.join(root, 'legacy'));
    expect(report).toMatchObject({ ok: true, problems: [], notes: [], unsealed: { pages: 1, documents: 1 } });
    // Reopened by this version, it still opens, and its next change seals it.
    const reopened = await openSampleArchive(path.join(root, 'legacy'));
    await reopened.documents.update(documentId, { title: 'Sealed now' });
    expect(await checkFixity(path.join(root, 'legacy'))).toMatchObject({ ok: true, unsealed: { pages: 1, documents: 0 } });
  });
});
