import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentRecord, PageRecord } from '../../common/api/contract';
import { ArchiveStore } from '../archive/archive-store';
import { checkFixity } from '../archive/fixity';
import { DocumentStore } from './document-store';

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
