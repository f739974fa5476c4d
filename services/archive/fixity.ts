import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pageRecordSchema, type FixityReport, type PageRecord } from '../../common/api/contract';
import { documentRevisionFileSchema } from '../documents/document-store';
import { ARCHIVE_FOLDERS, ArchiveStore, isTemporaryFile, ORIGINAL_EXTENSIONS, walk } from './archive-store';

/**
 * Folders other services keep inside the archive folder, each with its own verifier: sealed
 * batches (`arkiva batch verify`, BagIt manifests), signing keys and the trust store, the audit
 * trail (`arkiva audit verify`). Fixity leaves them to those.
 */
export const FOLDERS_VERIFIED_ELSEWHERE = ['batches', 'signing', 'audit'] as const;

type Problem = FixityReport['problems'][number];
type Note = FixityReport['notes'][number];

/** Whether `dir` looks like an Arkiva archive at all (so `fixity` on a wrong folder is a usage error, not 10 000 problems). */
export async function isArchiveFolder(dir: string): Promise<boolean> {
  const found = await Promise.all(['originals', 'pages'].map((name) => stat(path.join(dir, name)).then((s) => s.isDirectory(), () => false)));
  return found.every(Boolean);
}

/**
 * Re-hashes everything in the archive and checks it against what the archive itself records:
 * an original's name is its SHA-256; a page record names its original and the hashes of its
 * derived files; each document revision names the hash of the one before. Reports what is
 * missing, changed (or unreadable) and what is there but should not be. Reads only.
 */
export async function checkFixity(root: string): Promise<FixityReport> {
  const problems: Problem[] = [];
  const notes: Note[] = [];
  const checked = { originals: 0, derived: 0, pages: 0, documentRevisions: 0, bytes: 0 };
  const rel = (file: string) => path.relative(root, file).split(path.sep).join('/');
  const problem = (kind: Problem['kind'], file: string, message: string) => problems.push({ kind, path: rel(file), message });

  const originals = new Map<string, string>(); // "<sha>.<ext>" -> path
  const pages = new Map<string, PageRecord>();
  const derivedFiles: string[] = [];
  const revisions = new Map<string, Map<number, string>>(); // document -> revision -> path

  for (const file of await walk(root)) {
    const parts = rel(file).split('/');
    const [top] = parts;
    if (parts.length > 1 && FOLDERS_VERIFIED_ELSEWHERE.includes(top as (typeof FOLDERS_VERIFIED_ELSEWHERE)[number])) continue;
    if (isTemporaryFile(file)) {
      notes.push({ kind: 'interrupted-write', path: rel(file), message: 'temporary file of a write a crash interrupted; removed at the next start' });
      continue;
    }
    if (top === 'originals' && parts.length === 3) {
      const match = /^([0-9a-f]{64})\.([a-z]+)$/.exec(parts[2] ?? '');
      if (match && parts[1] === match[1]?.slice(0, 2) && ORIGINAL_EXTENSIONS.includes(match[2] ?? '')) {
        originals.set(parts[2] as string, file);
        continue;
      }
    } else if (top === 'pages' && parts.length === 3 && /^[0-9a-f]{64}\.json$/.test(parts[2] ?? '') && parts[1] === parts[2]?.slice(0, 2)) {
      checked.pages += 1;
      try {
        const page = pageRecordSchema.parse(JSON.parse(await readFile(file, 'utf8')));
        if (`${page.id}.json` !== parts[2]) throw new Error(`records page ${page.id}`);
        pages.set(page.id, page);
      } catch (error) {
        problem('unreadable', file, `page record cannot be read: ${messageOf(error)}`);
      }
      continue;
    } else if (top === 'derived' && parts.length === 4 && /^[0-9a-f]{64}$/.test(parts[2] ?? '') && parts[1] === parts[2]?.slice(0, 2)) {
      derivedFiles.push(file);
      continue;
    } else if (top === 'documents' && parts.length === 4 && /^\d{8}\.json$/.test(parts[3] ?? '')) {
      const byRevision = revisions.get(parts[2] as string) ?? new Map<number, string>();
      byRevision.set(Number((parts[3] as string).slice(0, 8)), file);
      revisions.set(parts[2] as string, byRevision);
      continue;
    } else if (top === 'journal' && parts.length === 2 && parts[1]?.endsWith('.json')) {
      notes.push({ kind: 'journal', path: rel(file), message: 'unfinished work, resumed at the next start' });
      continue;
    }
    problem('unexpected', file, ARCHIVE_FOLDERS.includes(top as (typeof ARCHIVE_FOLDERS)[number]) ? 'not part of the archive layout' : 'not an archive folder');
  }

  for (const [name, file] of originals) {
    checked.originals += 1;
    const { sha256, bytes } = await hashFile(file);
    checked.bytes += bytes;
    if (!name.startsWith(`${sha256}.`)) problem('changed', file, `content hashes to ${sha256}, not to its name`);
  }

  const referenced = new Set<string>();
  const derivedExpected = new Map<string, string>(); // path -> sha256
  for (const page of pages.values()) {
    const ext = extensionFor(page.originalMimeType);
    const name = `${page.id}.${ext}`;
    referenced.add(name);
    if (!originals.has(name)) problem('missing', path.join(root, 'originals', page.id.slice(0, 2), name), `original of page ${page.id} is missing`);
    if (page.source.kind === 'import' && page.source.fileSha256) {
      const prefix = `${page.source.fileSha256}.`;
      const whole = [...originals.keys()].find((key) => key.startsWith(prefix));
      if (whole) referenced.add(whole);
      else problem('missing', path.join(root, 'originals', page.source.fileSha256.slice(0, 2), page.source.fileSha256), `the file page ${page.id} was taken from is missing`);
    }
    for (const [derivedName, sha256] of Object.entries(page.derived ?? {})) {
      derivedExpected.set(path.join(root, 'derived', page.id.slice(0, 2), page.id, derivedName), sha256);
    }
  }
  for (const [name, file] of originals) {
    if (!referenced.has(name)) notes.push({ kind: 'unreferenced', path: rel(file), message: 'original not referenced by any page record (an import interrupted before its page was recorded?)' });
  }

  for (const file of derivedFiles) {
    checked.derived += 1;
    const pageId = path.basename(path.dirname(file));
    if (!pages.has(pageId)) {
      problem('unexpected', file, `derived file of page ${pageId}, which has no page record`);
      continue;
    }
    const expected = derivedExpected.get(file);
    if (expected === undefined) continue; // recorded before derived hashes were kept
    derivedExpected.delete(file);
    const { sha256, bytes } = await hashFile(file);
    checked.bytes += bytes;
    if (sha256 !== expected) problem('changed', file, `content hashes to ${sha256}; the page record says ${expected}`);
  }
  for (const file of derivedExpected.keys()) problem('missing', file, 'derived file named by its page record is missing');

  for (const [documentId, byRevision] of revisions) {
    const numbers = [...byRevision.keys()].sort((a, b) => a - b);
    let previous: { sha256: string; file: string } | undefined;
    let latestPages: string[] = [];
    let deleted = false;
    for (let expectedNumber = 1; expectedNumber <= (numbers.at(-1) ?? 0); expectedNumber += 1) {
      const file = byRevision.get(expectedNumber);
      if (!file) {
        problem('missing', path.join(root, 'documents', documentId.slice(0, 2), documentId, `${String(expectedNumber).padStart(8, '0')}.json`), `revision ${expectedNumber} of document ${documentId} is missing`);
        previous = undefined;
        continue;
      }
      checked.documentRevisions += 1;
      const bytes = await readFile(file);
      checked.bytes += bytes.length;
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      try {
        const revision = documentRevisionFileSchema.parse(JSON.parse(bytes.toString('utf8')));
        if (revision.document.id !== documentId || revision.document.revision !== expectedNumber) throw new Error('names another document or revision');
        if (previous && revision.previousSha256 !== previous.sha256) {
          problem('changed', previous.file, `revision ${expectedNumber - 1} of document ${documentId} no longer matches the hash revision ${expectedNumber} recorded for it`);
        }
        latestPages = revision.document.pages.map((page) => page.pageId);
        deleted = revision.document.deleted;
      } catch (error) {
        problem('unreadable', file, `document revision cannot be read: ${messageOf(error)}`);
      }
      previous = { sha256, file };
    }
    if (!deleted) {
      for (const pageId of latestPages) {
        if (!pages.has(pageId)) problem('missing', path.join(root, 'pages', pageId.slice(0, 2), `${pageId}.json`), `page record of a page in document ${documentId} is missing`);
      }
    }
  }

  return { ok: problems.length === 0, checked, problems, notes };
}

function extensionFor(mimeType: string): string {
  try {
    return ArchiveStore.extensionOf(mimeType);
  } catch {
    return 'unknown';
  }
}

async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error);
}
