import { createHash } from 'node:crypto';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { pageRecordSchema, sha256HexSchema, type PageRecord } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { makeDirectoryDurable, syncDirectory, writeFileAtomic } from './atomic-write';
import { sealRecord } from './record-hash';

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/tiff': 'tif',
  'application/pdf': 'pdf',
};

/** File extensions an original may have, for walking the archive (fixity). */
export const ORIGINAL_EXTENSIONS: readonly string[] = Object.values(EXTENSIONS);

/** The top-level folders of an archive; anything else at the top is unexpected. */
export const ARCHIVE_FOLDERS = ['originals', 'derived', 'pages', 'documents', 'journal'] as const;

/** The writer every archive write goes through; tests swap it to simulate a full disk. */
export type WriteFile = (target: string, data: Uint8Array | string) => Promise<void>;

export interface ArchiveStoreOptions {
  writeFile?: WriteFile;
}

/** A file of the archive that is not what the archive recorded: missing, or its bytes changed. */
export class ArchiveIntegrityError extends ApiError {
  constructor(
    readonly kind: 'missing' | 'changed',
    readonly file: string,
    message: string,
  ) {
    super('not-found', message, { reason: kind, file });
  }
}

/**
 * The archive on disk is the record; everything else is a cache rebuilt from it.
 *
 *   originals/ab/<sha256>.<ext>           the bytes as captured, never modified
 *   derived/ab/<sha256>/<name>            files made from an original (display image, ...)
 *   pages/ab/<sha256>.json                the page record: source, status, OCR result
 *   documents/ab/<uuid>/<revision>.json   one immutable file per revision of a document
 *   documents/ab/<uuid>.json              the document's head: its latest revision and that file's hash
 *   journal/<name>.json                   work begun and not yet finished (see recovery)
 *
 * Files fan out by the first two hex digits of their hash so no directory grows past a few
 * thousand entries at archive scale. Every write is atomic (see writeFileAtomic).
 */
export class ArchiveStore {
  readonly #write: WriteFile;

  private constructor(
    readonly root: string,
    options: ArchiveStoreOptions,
  ) {
    this.#write = options.writeFile ?? writeFileAtomic;
  }

  static async open(root: string, options: ArchiveStoreOptions = {}): Promise<ArchiveStore> {
    for (const dir of ARCHIVE_FOLDERS) await makeDirectoryDurable(path.join(root, dir));
    return new ArchiveStore(root, options);
  }

  static hash(data: Uint8Array): string {
    return createHash('sha256').update(data).digest('hex');
  }

  static extensionOf(mimeType: string): string {
    const extension = EXTENSIONS[mimeType];
    if (!extension) throw new Error(`No archive format for ${mimeType}`);
    return extension;
  }

  /** Stores an original by its SHA-256. Storing the same bytes again is a no-op. */
  async putOriginal(data: Uint8Array, mimeType: string): Promise<{ id: string; created: boolean }> {
    const id = ArchiveStore.hash(data);
    const file = this.originalPath(id, mimeType);
    if (await exists(file)) return { id, created: false };
    await this.#writeFile(file, data);
    return { id, created: true };
  }

  async hasOriginal(id: string, mimeType: string): Promise<boolean> {
    return exists(this.originalPath(id, mimeType));
  }

  async readOriginal(id: string, mimeType: string): Promise<Buffer> {
    return readFile(this.originalPath(id, mimeType));
  }

  /**
   * Reads an original and checks it is still the bytes that were archived, for anything that
   * publishes it (PDF, export): a missing or altered file is a clear error, never silently used.
   */
  async readOriginalVerified(id: string, mimeType: string): Promise<Buffer> {
    const file = this.originalPath(id, mimeType);
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch (error) {
      if (isNotFound(error)) {
        throw new ArchiveIntegrityError('missing', this.relative(file), `The original of page ${id} is missing from the archive (${this.relative(file)}).`);
      }
      throw error;
    }
    const actual = ArchiveStore.hash(data);
    if (actual !== id) {
      throw new ArchiveIntegrityError(
        'changed',
        this.relative(file),
        `The original of page ${id} has changed on disk (${this.relative(file)} now hashes to ${actual}); run \`arkiva fixity\` and restore it from a backup.`,
      );
    }
    return data;
  }

  /** Writes a derived file and returns its SHA-256, which the page record keeps for fixity. */
  async putDerived(id: string, name: string, data: Uint8Array): Promise<string> {
    await this.#writeFile(this.derivedPath(id, name), data);
    return ArchiveStore.hash(data);
  }

  async readDerived(id: string, name: string): Promise<Buffer | undefined> {
    return readIfExists(this.derivedPath(id, name));
  }

  /** Writes a page record with the hash of its content inside (`recordSha256`), which fixity checks. */
  async savePage(page: PageRecord): Promise<void> {
    await this.#writeFile(this.pagePath(page.id), `${JSON.stringify(sealRecord(pageRecordSchema.parse(page)), null, 2)}\n`);
  }

  async getPage(id: string): Promise<PageRecord | undefined> {
    const json = await readIfExists(this.pagePath(id));
    return json === undefined ? undefined : parsePage(json, this.pagePath(id));
  }

  /** Every page record; a record that cannot be read is reported, not silently skipped. */
  async listPages(onUnreadable: (file: string, reason: string) => void = warnUnreadable): Promise<PageRecord[]> {
    const pagesDir = path.join(this.root, 'pages');
    const pages: PageRecord[] = [];
    for (const fan of await fanFolders(pagesDir)) {
      for (const name of (await readdir(path.join(pagesDir, fan))).sort()) {
        if (!name.endsWith('.json') || name.startsWith('.')) continue;
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

  /* ---- documents: immutable revision files ---- */

  /**
   * Writes one revision of a document; a revision, once written, is never rewritten. True if
   * this call created the file, false if it was already there with this content.
   */
  async putDocumentRevision(documentId: string, revision: number, json: string): Promise<boolean> {
    const file = this.documentRevisionPath(documentId, revision);
    if (await exists(file)) {
      if ((await readFile(file, 'utf8')) === json) return false; // a journal replay of what is already there
      throw new Error(`Revision ${revision} of document ${documentId} already exists with other content.`);
    }
    await this.#writeFile(file, json);
    return true;
  }

  async listDocumentIds(): Promise<string[]> {
    const dir = path.join(this.root, 'documents');
    const ids: string[] = [];
    for (const fan of await fanFolders(dir)) {
      for (const entry of await readdir(path.join(dir, fan), { withFileTypes: true })) {
        if (entry.isDirectory() && !entry.name.startsWith('.')) ids.push(entry.name);
      }
    }
    return ids.sort();
  }

  /**
   * A revision this process wrote moments ago for a change that then failed (a full disk on a
   * later file of the same change), and that nobody was told about: taken back so the change is
   * all or nothing. Never used on a confirmed revision.
   */
  async removeUnconfirmedDocumentRevision(documentId: string, revision: number): Promise<void> {
    await rm(this.documentRevisionPath(documentId, revision), { force: true });
    await syncDirectory(this.documentDir(documentId));
  }

  /**
   * The head of a document, kept beside (not inside) its revision folder: the latest revision
   * and the SHA-256 of its file, so fixity notices a latest revision edited or deleted, or the
   * whole folder gone. Rewritten (atomically) with every change.
   */
  async putDocumentHead(documentId: string, head: DocumentHead): Promise<void> {
    await this.#writeFile(this.documentHeadPath(documentId), `${JSON.stringify(documentHeadSchema.parse(head))}\n`);
  }

  async readDocumentHead(documentId: string): Promise<DocumentHead | undefined> {
    const json = await readIfExists(this.documentHeadPath(documentId));
    return json === undefined ? undefined : documentHeadSchema.parse(JSON.parse(json.toString('utf8')));
  }

  documentHeadPath(documentId: string): string {
    return `${this.documentDir(documentId)}.json`;
  }

  /** Revision numbers of a document that exist on disk, ascending. */
  async listDocumentRevisions(documentId: string): Promise<number[]> {
    const names = await readdir(this.documentDir(documentId)).catch((error: unknown) => {
      if (isNotFound(error)) return [] as string[];
      throw error;
    });
    return names
      .map((name) => /^(\d{8})\.json$/.exec(name)?.[1])
      .filter((digits): digits is string => digits !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  async readDocumentRevision(documentId: string, revision: number): Promise<Buffer> {
    return readFile(this.documentRevisionPath(documentId, revision));
  }

  documentRevisionPath(documentId: string, revision: number): string {
    return path.join(this.documentDir(documentId), `${String(revision).padStart(8, '0')}.json`);
  }

  /* ---- journal: work begun and not yet finished ---- */

  async writeJournal(name: string, entry: unknown): Promise<void> {
    await this.#writeFile(this.journalPath(name), `${JSON.stringify(entry)}\n`);
  }

  async removeJournal(name: string): Promise<void> {
    await rm(this.journalPath(name), { force: true });
    await syncDirectory(path.join(this.root, 'journal'));
  }

  /** Journal entries whose name starts with `prefix`, oldest name first; unreadable ones are reported by name with `value: undefined`. */
  async listJournal(prefix: string): Promise<{ name: string; value: unknown }[]> {
    const dir = path.join(this.root, 'journal');
    const entries: { name: string; value: unknown }[] = [];
    for (const file of (await readdir(dir)).sort()) {
      if (!file.startsWith(prefix) || !file.endsWith('.json')) continue;
      const name = file.slice(0, -'.json'.length);
      try {
        entries.push({ name, value: JSON.parse(await readFile(path.join(dir, file), 'utf8')) as unknown });
      } catch {
        entries.push({ name, value: undefined });
      }
    }
    return entries;
  }

  /**
   * Removes the temporary files of writes a crash interrupted (the target still holds its old
   * content, or does not exist yet), in the archive's own folders. Only safe while no write is
   * under way: at start-up.
   */
  async removeInterruptedWrites(): Promise<string[]> {
    const removed: string[] = [];
    const files = (await Promise.all(ARCHIVE_FOLDERS.map((folder) => walk(path.join(this.root, folder))))).flat();
    for (const file of files) {
      if (isTemporaryFile(file)) {
        await rm(file, { force: true });
        removed.push(this.relative(file));
      }
    }
    return removed;
  }

  relative(file: string): string {
    return path.relative(this.root, file).split(path.sep).join('/');
  }

  originalPath(id: string, mimeType: string): string {
    return path.join(this.root, 'originals', id.slice(0, 2), `${id}.${ArchiveStore.extensionOf(mimeType)}`);
  }

  derivedPath(id: string, name: string): string {
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(name)) throw new Error(`Invalid derived file name: ${name}`);
    return path.join(this.root, 'derived', id.slice(0, 2), id, name);
  }

  pagePath(id: string): string {
    return path.join(this.root, 'pages', id.slice(0, 2), `${id}.json`);
  }

  private documentDir(documentId: string): string {
    if (!/^[0-9a-f-]{36}$/.test(documentId)) throw new Error(`Invalid document id: ${documentId}`);
    return path.join(this.root, 'documents', documentId.slice(0, 2), documentId);
  }

  private journalPath(name: string): string {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`Invalid journal entry name: ${name}`);
    return path.join(this.root, 'journal', `${name}.json`);
  }

  /** Every write: folder created, atomic replace, and a full disk reported as such, with nothing changed. */
  async #writeFile(file: string, data: Uint8Array | string): Promise<void> {
    try {
      await makeDirectoryDurable(path.dirname(file));
      await this.#write(file, data);
    } catch (error) {
      if (isNoSpace(error)) {
        throw new ApiError(
          'unavailable',
          `The archive disk is full: could not write ${this.relative(file)}. That file is unchanged and what was archived before is intact; free some space and try again.`,
          { reason: 'disk-full', file: this.relative(file) },
        );
      }
      throw error;
    }
  }
}

export const documentHeadSchema = z.object({ revision: z.number().int().positive(), sha256: sha256HexSchema }).strict();
export type DocumentHead = z.infer<typeof documentHeadSchema>;

/** writeFileAtomic's temporary files: `.<name>.<12 hex>.tmp`. */
export function isTemporaryFile(file: string): boolean {
  return /^\..+\.[0-9a-f]{12}\.tmp$/.test(path.basename(file));
}

/** Every file under `dir`, depth first, sorted. */
export async function walk(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(full)));
    else files.push(full);
  }
  return files;
}

async function fanFolders(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => /^[0-9a-f]{2}$/.test(name)).sort();
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

export function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

function isNoSpace(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error.code === 'ENOSPC' || error.code === 'EDQUOT');
}

function warnUnreadable(file: string, reason: string): void {
  console.error(`Archive: cannot read page record ${file}: ${reason}`);
}
