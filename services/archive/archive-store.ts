import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pageRecordSchema, type PageRecord } from '../../common/api/contract';
import { writeFileAtomic } from './atomic-write';

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/tiff': 'tif',
};

/**
 * The archive on disk is the record; everything else is a cache rebuilt from it.
 *
 *   originals/ab/<sha256>.<ext>     the bytes as captured, never modified
 *   derived/ab/<sha256>/<name>      files made from an original (display image, ...)
 *   pages/ab/<sha256>.json          the page record: source, status, OCR result
 *
 * Files fan out by the first two hex digits of their hash so no directory grows past a few
 * thousand entries at archive scale. Every write is atomic (see writeFileAtomic).
 */
export class ArchiveStore {
  private constructor(readonly root: string) {}

  static async open(root: string): Promise<ArchiveStore> {
    await Promise.all(['originals', 'derived', 'pages'].map((dir) => mkdir(path.join(root, dir), { recursive: true })));
    return new ArchiveStore(root);
  }

  static hash(data: Uint8Array): string {
    return createHash('sha256').update(data).digest('hex');
  }

  /** Stores an original by its SHA-256. Storing the same bytes again is a no-op. */
  async putOriginal(data: Uint8Array, mimeType: string): Promise<{ id: string; created: boolean }> {
    const id = ArchiveStore.hash(data);
    const file = this.originalPath(id, mimeType);
    if (await exists(file)) return { id, created: false };
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, data);
    return { id, created: true };
  }

  async readOriginal(id: string, mimeType: string): Promise<Buffer> {
    return readFile(this.originalPath(id, mimeType));
  }

  async putDerived(id: string, name: string, data: Uint8Array): Promise<void> {
    const file = this.derivedPath(id, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, data);
  }

  async readDerived(id: string, name: string): Promise<Buffer | undefined> {
    return readIfExists(this.derivedPath(id, name));
  }

  async savePage(page: PageRecord): Promise<void> {
    const file = this.pagePath(page.id);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, `${JSON.stringify(pageRecordSchema.parse(page), null, 2)}\n`);
  }

  async getPage(id: string): Promise<PageRecord | undefined> {
    const json = await readIfExists(this.pagePath(id));
    return json === undefined ? undefined : parsePage(json, this.pagePath(id));
  }

  /** Every page record; a record that cannot be read is reported, not silently skipped. */
  async listPages(onUnreadable: (file: string, reason: string) => void = warnUnreadable): Promise<PageRecord[]> {
    const pagesDir = path.join(this.root, 'pages');
    const pages: PageRecord[] = [];
    for (const fan of (await readdir(pagesDir)).sort()) {
      if (!/^[0-9a-f]{2}$/.test(fan)) continue;
      for (const name of (await readdir(path.join(pagesDir, fan))).sort()) {
        if (!name.endsWith('.json')) continue;
        const file = path.join(pagesDir, fan, name);
        try {
          pages.push(parsePage(await readFile(file), file));
        } catch (error) {
          onUnreadable(file, error instanceof Error ? error.message : String(error));
        }
      }
    }
    return pages;
  }

  private originalPath(id: string, mimeType: string): string {
    const extension = EXTENSIONS[mimeType];
    if (!extension) throw new Error(`No archive format for ${mimeType}`);
    return path.join(this.root, 'originals', id.slice(0, 2), `${id}.${extension}`);
  }

  private derivedPath(id: string, name: string): string {
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(name)) throw new Error(`Invalid derived file name: ${name}`);
    return path.join(this.root, 'derived', id.slice(0, 2), id, name);
  }

  private pagePath(id: string): string {
    return path.join(this.root, 'pages', id.slice(0, 2), `${id}.json`);
  }
}

function parsePage(json: Buffer, file: string): PageRecord {
  const parsed = pageRecordSchema.safeParse(JSON.parse(json.toString('utf8')));
  if (!parsed.success) throw new Error(`${file} is not a valid page record: ${parsed.error.message}`);
  return parsed.data;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

function warnUnreadable(file: string, reason: string): void {
  console.error(`Archive: cannot read page record ${file}: ${reason}`);
}
