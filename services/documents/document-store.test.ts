import { mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentRecord, PageRecord } from '../../common/api/contract';
import { ArchiveStore, type WriteFile } from '../archive/archive-store';
import { writeFileAtomic } from '../archive/atomic-write';
import { checkFixity } from '../archive/fixity';
import { DocumentStore } from './document-store';
import { useSmallDisk } from '../../test/support/small-disk';

let root: string;
let archive: ArchiveStore;
let changed: DocumentRecord[];
let store: DocumentStore;

/** Pages are named by their bytes' hash, as in the archive; `name` turns an id back into "01".."05". */
const bytesOf = (n: number) => Buffer.from(`page ${n}`);
const pageId = (n: number) => ArchiveStore.hash(bytesOf(n));
const [p1, p2, p3, p4, p5] = [1, 2, 3, 4, 5].map(pageId) as [string, string, string, string, string];
const name = (id: string) => String([p1, p2, p3, p4, p5].indexOf(id) + 1).padStart(2, '0');

async function addPage(id: string, n: number): Promise<void> {
  await archive.putOriginal(bytesOf(n), 'image/png');
  const page: PageRecord = {
    id,
    source: { kind: 'import', fileName: `${id.slice(0, 4)}.png` },
    capturedAt: '2026-11-22T08:00:00.000Z',
    originalMimeType: 'image/png',
    width: 10,
    height: 10,
    status: 'pending-ocr',
  };
  await archive.savePage(page);
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'arkiva-documents-'));
  archive = await ArchiveStore.open(root);
  for (const [index, id] of [p1, p2, p3, p4, p5].entries()) await addPage(id, index + 1);
  changed = [];
  store = await DocumentStore.open(archive, { onChange: (document) => changed.push(document) });
});
afterEach(() => rm(root, { recursive: true, force: true }));

const order = (document: DocumentRecord) => document.pages.map((page) => [name(page.pageId), page.rotation]);

describe('documents', () => {
  it('groups pages into a document with the metadata archive users expect', async () => {
    const document = await store.create([p1, p2, p3], {
      caseNumber: '2019/0457-IML',
      documentType: 'Autopsy report',
      date: '2019-03',
      institution: 'Instituti i Mjekësisë Ligjore',
      persons: ['Arben Krasniqi', ' Арбен Красниqи ', 'Arben Krasniqi'],
      sensitivity: 'confidential',
      notes: 'Original in box 14.',
      tags: ['autopsy'],
    });
    expect(document.revision).toBe(1);
    expect(order(document)).toEqual([['01', 0], ['02', 0], ['03', 0]]);
    expect(document.metadata).toEqual({
      caseNumber: '2019/0457-IML',
      documentType: 'Autopsy report',
      date: '2019-03',
      institution: 'Instituti i Mjekësisë Ligjore',
      persons: ['Arben Krasniqi', 'Арбен Красниqи'],
      sensitivity: 'confidential',
      notes: 'Original in box 14.',
      tags: ['autopsy'],
    });
    expect(changed).toEqual([document]);
  });

  it('reorders, rotates, removes, inserts and replaces pages, keeping every revision as history', async () => {
    const created = await store.create([p1, p2, p3]);
    await store.editPages(created.id, { op: 'reorder', pageIds: [p3, p1, p2] });
    await store.editPages(created.id, { op: 'rotate', pageIds: [p1], turn: 270 });
    await store.editPages(created.id, { op: 'rotate', pageIds: [p1], turn: 180 });
    await store.editPages(created.id, { op: 'remove', pageIds: [p2] });
    await store.editPages(created.id, { op: 'insert', at: 1, pageIds: [p4] });
    const last = await store.editPages(created.id, { op: 'replace', pageId: p3, withPageId: p5 });
    expect(order(last)).toEqual([['05', 0], ['04', 0], ['01', 90]]);
    expect(last.revision).toBe(7);
    const { history } = store.get(created.id);
    expect(history.map((change) => [change.revision, change.action])).toEqual([
      [1, 'create'], [2, 'reorder'], [3, 'rotate'], [4, 'rotate'], [5, 'remove-pages'], [6, 'insert-pages'], [7, 'replace-page'],
    ]);
    // Each revision is its own file; none is ever rewritten.
    const revisionDir = path.join(root, 'documents', created.id.slice(0, 2), created.id);
    expect(await readdir(revisionDir)).toHaveLength(7);
    const first = JSON.parse(await readFile(path.join(revisionDir, '00000001.json'), 'utf8')) as { document: DocumentRecord };
    expect(order(first.document)).toEqual([['01', 0], ['02', 0], ['03', 0]]);
    // The page taken out is free again; the replaced one too.
    expect(store.ownerOf(p2)).toBeUndefined();
    expect(store.ownerOf(p3)).toBeUndefined();
    expect(store.ownerOf(p5)).toBe(created.id);
  });

  it('splits a document in two and merges documents, each page in exactly one live document', async () => {
    const whole = await store.create([p1, p2, p3, p4], { caseNumber: 'K-77' });
    const { document: front, created: back } = await store.split(whole.id, 2);
    expect(order(front)).toEqual([['01', 0], ['02', 0]]);
    expect(order(back)).toEqual([['03', 0], ['04', 0]]);
    expect(back.metadata.caseNumber).toBe('K-77');
    expect(store.ownerOf(p3)).toBe(back.id);

    const other = await store.create([p5]);
    const merged = await store.merge(front.id, [other.id, back.id]);
    expect(order(merged).map(([id]) => id)).toEqual(['01', '02', '05', '03', '04']);
    expect(store.get(back.id).document.deleted).toBe(true);
    expect(store.get(back.id).history.at(-1)).toMatchObject({ action: 'merge', relatedDocumentIds: [front.id] });
    for (const id of [p1, p2, p3, p4, p5]) expect(store.ownerOf(id)).toBe(front.id);
  });

  it('updates metadata field by field; null clears a field', async () => {
    const document = await store.create([p1], { title: 'Procesverbal', notes: 'draft' });
    const updated = await store.update(document.id, { notes: null, tags: ['priority'] });
    expect(updated.metadata).toEqual({ title: 'Procesverbal', persons: [], sensitivity: 'internal', tags: ['priority'] });
    expect(store.get(document.id).history.at(-1)?.summary).toBe('Metadata changed: notes, tags');
    // Nothing to change: no new revision.
    expect((await store.update(document.id, { title: 'Procesverbal' })).revision).toBe(2);
  });

  it('refuses edits that do not fit, with a reason the UI can act on', async () => {
    const a = await store.create([p1, p2]);
    await expect(store.create([p2, p3])).rejects.toMatchObject({ code: 'conflict', details: { reason: 'page-in-another-document', documentId: a.id } });
    await expect(store.create([pageId(9)])).rejects.toMatchObject({ code: 'not-found' });
    await expect(store.create([p3, p3])).rejects.toThrow(/only once/);
    await expect(store.editPages(a.id, { op: 'remove', pageIds: [p1, p2] })).rejects.toThrow(/delete the document instead/);
    await expect(store.editPages(a.id, { op: 'reorder', pageIds: [p1] })).rejects.toThrow(/every page/);
    await expect(store.split(a.id, 2)).rejects.toThrow(/split before pages 2 to 2/);
    await expect(store.update(a.id, { title: 'x' }, 7)).rejects.toMatchObject({ code: 'conflict', details: { reason: 'stale-revision', revision: 1 } });
    await store.delete(a.id);
    await expect(store.editPages(a.id, { op: 'rotate', pageIds: [p1], turn: 90 })).rejects.toMatchObject({ code: 'conflict', details: { reason: 'deleted' } });
    // Deleting freed its pages.
    expect((await store.create([p1, p2])).pages).toHaveLength(2);
  });

  it('is rebuilt from the archive alone', async () => {
    const a = await store.create([p1, p2, p3]);
    await store.split(a.id, 1);
    await store.editPages(a.id, { op: 'rotate', pageIds: [p1], turn: 90 });
    const reopened = await DocumentStore.open(await ArchiveStore.open(root));
    expect(reopened.list()).toEqual(store.list());
    expect(reopened.get(a.id).history).toEqual(store.get(a.id).history);
    expect(await store.reload()).toEqual(store.list());
  });

  it('rolls an interrupted split forward at the next start (journal), so no page is in two documents or none', async () => {
    const a = await store.create([p1, p2, p3]);
    const { document, created } = await store.split(a.id, 1);
    // Simulate a crash after the journal entry was written and only the new document was stored.
    const revisionFile = (id: string, revision: number) => path.join(root, 'documents', id.slice(0, 2), id, `${String(revision).padStart(8, '0')}.json`);
    const revisions = [
      { documentId: document.id, revision: 2, json: await readFile(revisionFile(document.id, 2), 'utf8') },
      { documentId: created.id, revision: 1, json: await readFile(revisionFile(created.id, 1), 'utf8') },
    ];
    await writeFile(path.join(root, 'journal', 'documents-test-1.json'), JSON.stringify({ revisions }));
    await rm(revisionFile(document.id, 2));

    const reopened = await DocumentStore.open(await ArchiveStore.open(root));
    expect(order(reopened.get(a.id).document)).toEqual([['01', 0]]);
    expect(reopened.ownerOf(p2)).toBe(created.id);
    expect(await readdir(path.join(root, 'journal'))).toEqual([]);
    expect((await checkFixity(root)).problems).toEqual([]);
  });

  it('detects a rewritten revision through the hash chain', async () => {
    const a = await store.create([p1]);
    await store.update(a.id, { title: 'After' });
    const first = path.join(root, 'documents', a.id.slice(0, 2), a.id, '00000001.json');
    await writeFile(first, (await readFile(first, 'utf8')).replace('"pages"', '"pages" ').replace('Created', 'Forged'));
    const report = await checkFixity(root);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'changed', path: `documents/${a.id.slice(0, 2)}/${a.id}/00000001.json` })]);
  });
});

describe('documents on a full disk', () => {
  /** ENOSPC for the files `full` names, as the write layer reports a full disk; everything else is written. */
  function diskFullFor(full: (target: string) => boolean): WriteFile {
    return async (target, data) => {
      if (full(target)) throw Object.assign(new Error(`ENOSPC: no space left on device, write '${target}'`), { code: 'ENOSPC' });
      await writeFileAtomic(target, data);
    };
  }

  it('takes back a merge whose second revision cannot be written: the clerk can go on editing, and the next start opens cleanly', async () => {
    const target = await store.create([p1, p2]);
    const source = await store.create([p3]);
    let fullFor = '';
    const onFullDisk = await ArchiveStore.open(root, { writeFile: diskFullFor((file) => fullFor !== '' && file.includes(fullFor)) });
    const editing = await DocumentStore.open(onFullDisk);

    fullFor = `${source.id}${path.sep}00000002.json`; // the source's revision of the merge: the target's is written first
    const failure = await editing.merge(target.id, [source.id]).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'unavailable', details: { reason: 'disk-full' } });
    fullFor = '';
    // Nothing of the merge remains: no target revision 2, no journal entry.
    expect(await onFullDisk.listDocumentRevisions(target.id)).toEqual([1]);
    expect(await readdir(path.join(root, 'journal'))).toEqual([]);
    expect(editing.ownerOf(p3)).toBe(source.id);

    // The clerk edits both documents with other content than the merge had.
    await editing.update(source.id, { title: 'Photographs' });
    await editing.update(target.id, { title: 'Autopsy report' });
    const reopened = await DocumentStore.open(await ArchiveStore.open(root));
    expect(reopened.get(source.id).document).toMatchObject({ revision: 2, deleted: false, metadata: { title: 'Photographs' } });
    expect(order(reopened.get(target.id).document)).toEqual([['01', 0], ['02', 0]]);
    expect(await checkFixity(root)).toMatchObject({ ok: true, problems: [], notes: [] });
  });

  it('takes back a split whose new document cannot be written', async () => {
    const whole = await store.create([p1, p2, p3]);
    const onFullDisk = await ArchiveStore.open(root, { writeFile: diskFullFor((file) => /documents\/[0-9a-f]{2}\/[0-9a-f-]{36}\/00000001\.json$/.test(file.split(path.sep).join('/'))) });
    const editing = await DocumentStore.open(onFullDisk);
    await expect(editing.split(whole.id, 1)).rejects.toMatchObject({ details: { reason: 'disk-full' } });
    expect(await onFullDisk.listDocumentRevisions(whole.id)).toEqual([1]);
    expect(editing.ownerOf(p2)).toBe(whole.id);
    await editing.editPages(whole.id, { op: 'rotate', pageIds: [p2], turn: 90 });
    const reopened = await DocumentStore.open(await ArchiveStore.open(root));
    expect(reopened.list().map((document) => [document.id, document.revision])).toEqual([[whole.id, 2]]);
    expect(await checkFixity(root)).toMatchObject({ ok: true, problems: [], notes: [] });
  });

  it('keeps a change whose revisions are written but whose heads are not: the next start completes it', async () => {
    const document = await store.create([p1]);
    const onFullDisk = await ArchiveStore.open(root, { writeFile: diskFullFor((file) => file.endsWith(`${document.id}.json`)) });
    const editing = await DocumentStore.open(onFullDisk);
    const updated = await editing.update(document.id, { title: 'Kept' });
    expect(updated.revision).toBe(2);
    // The journal entry stays until the head is written: fixity sees work in flight, not damage.
    expect(await checkFixity(root)).toMatchObject({ ok: true, problems: [] });
    const reopened = await DocumentStore.open(await ArchiveStore.open(root));
    expect(reopened.get(document.id).document.metadata.title).toBe('Kept');
    expect(await checkFixity(root)).toMatchObject({ ok: true, problems: [], notes: [] });
  });

  it('reports an interrupted change that conflicts with what the archive now holds, instead of failing to open', async () => {
    const target = await store.create([p1]);
    const source = await store.create([p2]);
    // A journal entry as an older version could leave it: the merge's source revision 2, while
    // the clerk's own revision 2 of that document was written afterwards.
    await store.update(source.id, { title: 'Written after' });
    const merged = { documentId: source.id, revision: 2, json: '{"not":"the revision on disk"}\n' };
    await writeFile(path.join(root, 'journal', 'documents-old-1.json'), JSON.stringify({ revisions: [{ documentId: target.id, revision: 2, json: '{}\n' }, merged] }));
    const reported: string[] = [];
    const reopened = await DocumentStore.open(await ArchiveStore.open(root), { onUnreadable: (file, reason) => reported.push(`${file}: ${reason}`) });
    expect(reported).toEqual([expect.stringMatching(/^journal\/documents-old-1\.json: interrupted document change not rolled forward: revision 2 of document [0-9a-f-]{12} already exists with other content/)]);
    expect(reopened.get(source.id).document.metadata.title).toBe('Written after');
    expect(reopened.get(target.id).document.revision).toBe(1);
  });
});

/** A real full disk: a 1 MB tmpfs (needs root, as CI and the workstation setup run). */
describe('documents on a really full disk', () => {
  const disk = useSmallDisk('1m');

  /** Fills the disk with one file, then frees `pages` pages of it (tmpfs counts in 4 KB pages). */
  async function leaveRoom(pages: number): Promise<string> {
    const filler = path.join(disk(), 'filler');
    const handle = await open(filler, 'w');
    try {
      for (;;) await handle.write(Buffer.alloc(64 * 1024));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    }
    const { size } = await handle.stat();
    await handle.truncate(Math.max(0, size - (size % 4096) - pages * 4096));
    await handle.close();
    return filler;
  }

  it('fails a merge when the disk fills half-way, leaves nothing of it, and the archive opens again after the clerk edits on', async () => {
    if (!disk()) return;
    const archiveRoot = path.join(disk(), 'archive');
    const onTmpfs = await ArchiveStore.open(archiveRoot);
    const pagesHere = [p1, p2, p3];
    for (const [index, id] of pagesHere.entries()) {
      await onTmpfs.putOriginal(bytesOf(index + 1), 'image/png');
      await onTmpfs.savePage({ id, source: { kind: 'import', fileName: 'x.png' }, capturedAt: 'then', originalMimeType: 'image/png', width: 1, height: 1, status: 'pending-ocr' });
    }
    const documents = await DocumentStore.open(onTmpfs);
    const target = await documents.create([p1, p2]);
    const source = await documents.create([p3]);

    // Room for the journal entry and one revision, not for the second.
    const filler = await leaveRoom(2);
    const failure = await documents.merge(target.id, [source.id]).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'unavailable', details: { reason: 'disk-full' } });
    // The target's revision was written; the source's found the disk full.
    expect((failure as Error).message).toContain(`could not write documents/${source.id.slice(0, 2)}/${source.id}/00000002.json`);
    expect(await onTmpfs.listDocumentRevisions(target.id)).toEqual([1]);
    expect(await onTmpfs.listDocumentRevisions(source.id)).toEqual([1]);
    expect(await readdir(path.join(archiveRoot, 'journal'))).toEqual([]);

    // Space again; the clerk goes on editing the source document.
    await rm(filler);
    await documents.update(source.id, { title: 'Photographs' });
    const reopened = await DocumentStore.open(await ArchiveStore.open(archiveRoot));
    expect(reopened.get(source.id).document).toMatchObject({ revision: 2, deleted: false, metadata: { title: 'Photographs' } });
    expect(reopened.get(target.id).document.revision).toBe(1);
    expect(await checkFixity(archiveRoot)).toMatchObject({ ok: true, problems: [], notes: [] });
  });
});
