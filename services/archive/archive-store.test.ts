import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PageRecord } from '../../common/api/contract';
import { ArchiveStore } from './archive-store';

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
