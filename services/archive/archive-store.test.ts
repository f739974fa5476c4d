import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PageRecord } from '../../common/api/contract';
import { ArchiveStore } from './archive-store';
import { makeDirectoryDurable } from './atomic-write';
import { checkRecordHash } from './record-hash';

let root: string;
let archive: ArchiveStore;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'arkiva-archive-'));
  archive = await ArchiveStore.open(root);
});
afterEach(() => rm(root, { recursive: true, force: true }));

function page(id: string, overrides: Partial<PageRecord> = {}): PageRecord {
  return {
    id,
    source: { kind: 'import', fileName: 'a.png' },
    capturedAt: '2026-11-22T08:00:00.000Z',
    originalMimeType: 'image/png',
    width: 10,
    height: 20,
    status: 'pending-ocr',
    ...overrides,
  };
}

describe('archive store', () => {
  it('stores an original under its SHA-256 and reads it back', async () => {
    const bytes = Buffer.from('page bytes');
    const { id, created } = await archive.putOriginal(bytes, 'image/png');
    expect(id).toBe(ArchiveStore.hash(bytes));
    expect(created).toBe(true);
    expect(await archive.readOriginal(id, 'image/png')).toEqual(bytes);
  });

  it('stores the same bytes once', async () => {
    const bytes = Buffer.from('same');
    await archive.putOriginal(bytes, 'image/png');
    expect((await archive.putOriginal(bytes, 'image/png')).created).toBe(false);
    const fan = ArchiveStore.hash(bytes).slice(0, 2);
    expect(await readdir(path.join(root, 'originals', fan))).toHaveLength(1);
  });

  it('leaves no temporary files behind', async () => {
    const { id } = await archive.putOriginal(Buffer.from('x'), 'image/png');
    await archive.savePage(page(id));
    const listing = await readdir(path.join(root, 'pages', id.slice(0, 2)));
    expect(listing).toEqual([`${id}.json`]);
  });

  it('saves, updates and lists page records', async () => {
    const a = page('a'.repeat(64));
    const b = page('b'.repeat(64), { status: 'failed', failure: 'corrupt' });
    await archive.savePage(a);
    await archive.savePage(b);
    await archive.savePage({ ...a, status: 'recognized', ocr: { text: 'x', confidence: 90, languages: 'eng', words: [] } });
    const pages = await archive.listPages();
    expect(pages.map((p) => [p.id[0], p.status])).toEqual([['a', 'recognized'], ['b', 'failed']]);
  });

  it('refuses to save a record that breaks the schema', async () => {
    await expect(archive.savePage(page('not-a-hash'))).rejects.toThrow();
  });

  it('reports an unreadable page record instead of hiding it, and lists the rest', async () => {
    await archive.savePage(page('c'.repeat(64)));
    await mkdir(path.join(root, 'pages', 'dd'), { recursive: true });
    await writeFile(path.join(root, 'pages', 'dd', `${'d'.repeat(64)}.json`), '{ torn');
    const unreadable: string[] = [];
    const pages = await archive.listPages((file) => unreadable.push(file));
    expect(pages).toHaveLength(1);
    expect(unreadable).toEqual([path.join(root, 'pages', 'dd', `${'d'.repeat(64)}.json`)]);
  });

  it('refuses derived-file names that could escape the page folder', async () => {
    await expect(archive.putDerived('e'.repeat(64), '../../evil', Buffer.from('x'))).rejects.toThrow(/Invalid derived file name/);
  });
});

describe('archive store: integrity, journal and recovery', () => {
  it('reads an original only if it is still the archived bytes', async () => {
    const { id } = await archive.putOriginal(Buffer.from('the record'), 'image/png');
    expect((await archive.readOriginalVerified(id, 'image/png')).toString()).toBe('the record');
    await writeFile(archive.originalPath(id, 'image/png'), 'tampered');
    await expect(archive.readOriginalVerified(id, 'image/png')).rejects.toMatchObject({ details: { reason: 'changed' } });
    await rm(archive.originalPath(id, 'image/png'));
    await expect(archive.readOriginalVerified(id, 'image/png')).rejects.toThrow(/is missing from the archive/);
  });

  it('keeps document revisions immutable: the same content again is a no-op, other content is refused', async () => {
    const documentId = '0d7c55a4-3b1e-4b8f-9a51-6f0f1d2c3b4a';
    await archive.putDocumentRevision(documentId, 1, '{"a":1}\n');
    await archive.putDocumentRevision(documentId, 1, '{"a":1}\n');
    await expect(archive.putDocumentRevision(documentId, 1, '{"a":2}\n')).rejects.toThrow(/already exists/);
    expect(await archive.listDocumentIds()).toEqual([documentId]);
    expect(await archive.listDocumentRevisions(documentId)).toEqual([1]);
  });

  it('removes the temporary files of interrupted writes at start-up, and nothing else', async () => {
    await archive.savePage(page('c'.repeat(64)));
    const leftover = path.join(root, 'pages', 'cc', `.${'c'.repeat(64)}.json.0123456789ab.tmp`);
    await writeFile(leftover, '{ half');
    expect(await archive.removeInterruptedWrites()).toEqual([`pages/cc/.${'c'.repeat(64)}.json.0123456789ab.tmp`]);
    expect(await readdir(path.join(root, 'pages', 'cc'))).toEqual([`${'c'.repeat(64)}.json`]);
  });

  it('keeps journal entries until they are removed', async () => {
    await archive.writeJournal('intake-abc', { pageId: 'abc' });
    await archive.writeJournal('documents-1', { revisions: [] });
    expect(await archive.listJournal('intake-')).toEqual([{ name: 'intake-abc', value: { pageId: 'abc' } }]);
    await archive.removeJournal('intake-abc');
    expect(await archive.listJournal('intake-')).toEqual([]);
    await expect(archive.writeJournal('../escape', {})).rejects.toThrow(/Invalid journal entry name/);
  });
});

describe('archive store: durability and sealed records', () => {
  it('fsyncs the parent of every folder it creates, deepest first, so a new folder survives a power cut', async () => {
    const synced: string[] = [];
    const sync = async (folder: string) => void synced.push(path.relative(root, folder) || '.');
    await makeDirectoryDurable(path.join(root, 'derived', 'ab', 'abc'), sync);
    // derived/ existed already: ab and abc are new, so their parents are synced.
    expect(synced).toEqual([path.join('derived', 'ab'), 'derived']);
    synced.length = 0;
    await makeDirectoryDurable(path.join(root, 'new', 'folders'), sync);
    expect(synced).toEqual(['new', '.']);
    synced.length = 0;
    await makeDirectoryDurable(path.join(root, 'derived', 'ab', 'abd'), sync);
    expect(synced).toEqual([path.join('derived', 'ab')]);
    synced.length = 0;
    await makeDirectoryDurable(path.join(root, 'derived', 'ab'), sync);
    expect(synced).toEqual([]);
  });

  it('writes each page record with the hash of its own content inside, which a reader does not see', async () => {
    const record = page('f'.repeat(64), { status: 'recognized', ocr: { text: 'Rasti', confidence: 90, languages: 'sqi', words: [] } });
    await archive.savePage(record);
    const raw = JSON.parse(await readFile(archive.pagePath(record.id), 'utf8')) as Record<string, unknown>;
    expect(raw.recordSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(checkRecordHash(raw)).toBe('intact');
    expect(checkRecordHash({ ...raw, ocr: { text: 'Forged', confidence: 90, languages: 'sqi', words: [] } })).toBe('changed');
    expect(await archive.getPage(record.id)).toEqual(record);
  });

  it("keeps a document's head beside its revisions, and lists only documents, not heads", async () => {
    const documentId = '0d7c55a4-3b1e-4b8f-9a51-6f0f1d2c3b4a';
    await archive.putDocumentRevision(documentId, 1, '{"a":1}\n');
    await archive.putDocumentHead(documentId, { revision: 1, sha256: ArchiveStore.hash(Buffer.from('{"a":1}\n')) });
    expect(await readdir(path.join(root, 'documents', '0d'))).toEqual([documentId, `${documentId}.json`]);
    expect(await archive.listDocumentIds()).toEqual([documentId]);
    expect(await archive.readDocumentHead(documentId)).toEqual({ revision: 1, sha256: ArchiveStore.hash(Buffer.from('{"a":1}\n')) });
  });
});
