import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { pageRecordSchema, sha256HexSchema, type FixityReport, type PageRecord } from '../../common/api/contract';
import { documentRevisionFileSchema } from '../documents/document-store';
import { ARCHIVE_FOLDERS, ArchiveStore, documentHeadSchema, isTemporaryFile, ORIGINAL_EXTENSIONS, walk, type DocumentHead } from './archive-store';
import { JOURNAL_PREFIXES } from './journal-names';
import { checkRecordHash } from './record-hash';

/**
 * Folders other services keep inside the archive folder, each with its own verifier or none
 * needed: OCR settings (`settings/ocr.json`), sealed batches (`arkiva batch verify`, BagIt
 * manifests), signing keys and the trust store, the audit trail (`arkiva audit verify`).
 * Fixity leaves them to those.
 */
export const FOLDERS_VERIFIED_ELSEWHERE = ['settings', 'batches', 'signing', 'audit'] as const;

type Problem = FixityReport['problems'][number];
type Note = FixityReport['notes'][number];

/**
 * The report, and how many records were written before page records and document revisions
 * carried their own hash (issue 5): those are checked against their originals and the history
 * chain only, since nothing records what their content was. Records written since are sealed.
 */
export type FixityResult = FixityReport & { unsealed: { pages: number; documents: number } };

/** What unfinished work in the journal names, so fixity tells work in flight from damage. */
const journalEntrySchemas = {
  intake: z.object({ pageId: sha256HexSchema }),
  file: z.object({ fileSha256: sha256HexSchema }),
  documents: z.object({ revisions: z.array(z.object({ documentId: z.string() })) }),
};

/** Whether `dir` looks like an Arkiva archive at all (so `fixity` on a wrong folder is a usage error, not 10 000 problems). */
export async function isArchiveFolder(dir: string): Promise<boolean> {
  const found = await Promise.all(['originals', 'pages'].map((name) => stat(path.join(dir, name)).then((s) => s.isDirectory(), () => false)));
  return found.every(Boolean);
}

/**
 * Re-hashes everything in the archive and checks it against what the archive itself records:
 * an original's name is its SHA-256, and every original belongs to a page record (or is the
 * whole file pages were taken from); a page record carries the hash of its own content and
 * names its original and the hashes of its derived files; each document revision carries its
 * own hash and names the hash of the one before, and the document's head names the latest
 * revision and its hash. Reports what is missing, changed (or unreadable) and what is there but
 * should not be; work the journal says is under way is a note. Reads only, each file once.
 */
export async function checkFixity(root: string): Promise<FixityResult> {
  const problems: Problem[] = [];
  const notes: Note[] = [];
  const checked = { originals: 0, derived: 0, pages: 0, documentRevisions: 0, bytes: 0 };
  const unsealed = { pages: 0, documents: 0 };
  const rel = (file: string) => path.relative(root, file).split(path.sep).join('/');
  const reported = new Set<string>();
  const problem = (kind: Problem['kind'], file: string, message: string) => {
    reported.add(rel(file));
    problems.push({ kind, path: rel(file), message });
  };

  const originals = new Map<string, string>(); // "<sha>.<ext>" -> path
  const originalBySha = new Map<string, string>(); // sha -> "<sha>.<ext>"
  const pages = new Map<string, PageRecord>();
  const derivedFiles: string[] = [];
  const revisions = new Map<string, Map<number, string>>(); // document -> revision -> path
  const heads = new Map<string, string>(); // document -> head file
  const inFlightOriginals = new Set<string>();
  const inFlightDocuments = new Set<string>();

  for (const file of await walk(root)) {
    const parts = rel(file).split('/');
    const [top] = parts;
    if (parts.length > 1 && FOLDERS_VERIFIED_ELSEWHERE.includes(top as (typeof FOLDERS_VERIFIED_ELSEWHERE)[number])) continue;
    if (isTemporaryFile(file)) {
      notes.push({ kind: 'interrupted-write', path: rel(file), message: 'temporary file of a write a crash interrupted; removed at the next start' });
      continue;
    }
    const name = parts.at(-1) ?? '';
    if (top === 'originals' && parts.length === 3) {
      const match = /^([0-9a-f]{64})\.([a-z]+)$/.exec(name);
      if (match && parts[1] === match[1]?.slice(0, 2) && ORIGINAL_EXTENSIONS.includes(match[2] ?? '')) {
        originals.set(name, file);
        originalBySha.set(match[1] as string, name);
        continue;
      }
    } else if (top === 'pages' && parts.length === 3 && /^[0-9a-f]{64}\.json$/.test(name) && parts[1] === name.slice(0, 2)) {
      checked.pages += 1;
      try {
        const bytes = await readFile(file);
        checked.bytes += bytes.length;
        const raw = JSON.parse(bytes.toString('utf8')) as unknown;
        const page = pageRecordSchema.parse(raw);
        if (`${page.id}.json` !== name) throw new Error(`records page ${page.id}`);
        pages.set(page.id, page);
        const seal = checkRecordHash(raw);
        if (seal === 'changed') problem('changed', file, `page record of ${page.id} no longer matches the hash recorded in it (edited after it was written?)`);
        else if (seal === 'unsealed') unsealed.pages += 1;
      } catch (error) {
        problem('unreadable', file, `page record cannot be read: ${messageOf(error)}`);
      }
      continue;
    } else if (top === 'derived' && parts.length === 4 && /^[0-9a-f]{64}$/.test(parts[2] ?? '') && parts[1] === parts[2]?.slice(0, 2)) {
      derivedFiles.push(file);
      continue;
    } else if (top === 'documents' && parts.length === 4 && /^\d{8}\.json$/.test(name) && /^[0-9a-f-]{36}$/.test(parts[2] ?? '')) {
      const byRevision = revisions.get(parts[2] as string) ?? new Map<number, string>();
      byRevision.set(Number(name.slice(0, 8)), file);
      revisions.set(parts[2] as string, byRevision);
      continue;
    } else if (top === 'documents' && parts.length === 3 && /^[0-9a-f-]{36}\.json$/.test(name) && parts[1] === name.slice(0, 2)) {
      heads.set(name.slice(0, 36), file);
      continue;
    } else if (top === 'journal' && parts.length === 2 && name.endsWith('.json')) {
      notes.push({ kind: 'journal', path: rel(file), message: 'unfinished work, resumed at the next start' });
      await readJournalEntry(file, name, inFlightOriginals, inFlightDocuments);
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
    const name = `${page.id}.${extensionFor(page.originalMimeType)}`;
    referenced.add(name);
    if (!originals.has(name)) problem('missing', path.join(root, 'originals', page.id.slice(0, 2), name), `original of page ${page.id} is missing`);
    if (page.source.kind === 'import' && page.source.fileSha256) {
      const whole = originalBySha.get(page.source.fileSha256);
      if (whole) referenced.add(whole);
      else problem('missing', path.join(root, 'originals', page.source.fileSha256.slice(0, 2), page.source.fileSha256), `the file page ${page.id} was taken from is missing`);
    }
    for (const [derivedName, sha256] of Object.entries(page.derived ?? {})) {
      derivedExpected.set(path.join(root, 'derived', page.id.slice(0, 2), page.id, derivedName), sha256);
    }
  }
  for (const [name, file] of originals) {
    if (referenced.has(name)) continue;
    const sha256 = name.slice(0, 64);
    if (inFlightOriginals.has(sha256)) {
      notes.push({ kind: 'unreferenced', path: rel(file), message: 'original of an import still in the journal; finished at the next start' });
    } else if (!reported.has(`pages/${sha256.slice(0, 2)}/${sha256}.json`)) {
      problem('missing', path.join(root, 'pages', sha256.slice(0, 2), `${sha256}.json`), `page record of original ${rel(file)} is missing (no page refers to that original)`);
    }
  }

  for (const file of derivedFiles) {
    checked.derived += 1;
    const pageId = path.basename(path.dirname(file));
    if (!pages.has(pageId)) {
      if (!reported.has(`pages/${pageId.slice(0, 2)}/${pageId}.json`)) problem('unexpected', file, `derived file of page ${pageId}, which has no page record`);
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

  for (const documentId of new Set([...revisions.keys(), ...heads.keys()])) {
    const byRevision = revisions.get(documentId) ?? new Map<number, string>();
    const folder = path.join(root, 'documents', documentId.slice(0, 2), documentId);
    const revisionPath = (revision: number) => path.join(folder, `${String(revision).padStart(8, '0')}.json`);
    const inFlight = inFlightDocuments.has(documentId);

    let head: DocumentHead | undefined;
    const headFile = heads.get(documentId);
    if (headFile) {
      try {
        head = documentHeadSchema.parse(JSON.parse(await readFile(headFile, 'utf8')));
      } catch (error) {
        problem('unreadable', headFile, `head of document ${documentId} cannot be read: ${messageOf(error)}`);
      }
    }
    if (byRevision.size === 0) {
      if (head) problem('missing', folder, `every revision of document ${documentId} is missing (its head names revision ${head.revision})`);
      continue;
    }

    const numbers = [...byRevision.keys()].sort((a, b) => a - b);
    const latest = numbers.at(-1) ?? 0;
    const hashes = new Map<number, string>();
    let previous: { sha256: string; file: string } | undefined;
    let latestPages: string[] = [];
    let deleted = false;
    let latestSealed = false;
    for (let expectedNumber = 1; expectedNumber <= latest; expectedNumber += 1) {
      const file = byRevision.get(expectedNumber);
      if (!file) {
        problem('missing', revisionPath(expectedNumber), `revision ${expectedNumber} of document ${documentId} is missing`);
        previous = undefined;
        continue;
      }
      checked.documentRevisions += 1;
      const bytes = await readFile(file);
      checked.bytes += bytes.length;
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      hashes.set(expectedNumber, sha256);
      try {
        const raw = JSON.parse(bytes.toString('utf8')) as unknown;
        const revision = documentRevisionFileSchema.parse(raw);
        if (revision.document.id !== documentId || revision.document.revision !== expectedNumber) throw new Error('names another document or revision');
        const seal = checkRecordHash(raw);
        if (seal === 'changed') problem('changed', file, `revision ${expectedNumber} of document ${documentId} no longer matches the hash recorded in it`);
        if (previous && revision.previousSha256 !== previous.sha256 && !reported.has(rel(previous.file))) {
          problem('changed', previous.file, `revision ${expectedNumber - 1} of document ${documentId} no longer matches the hash revision ${expectedNumber} recorded for it`);
        }
        latestPages = revision.document.pages.map((page) => page.pageId);
        deleted = revision.document.deleted;
        latestSealed = seal !== 'unsealed';
      } catch (error) {
        problem('unreadable', file, `document revision cannot be read: ${messageOf(error)}`);
      }
      previous = { sha256, file };
    }

    if (head) {
      const recorded = hashes.get(head.revision);
      if (recorded === undefined) {
        if (!reported.has(rel(revisionPath(head.revision)))) problem('missing', revisionPath(head.revision), `revision ${head.revision} of document ${documentId}, its latest, is missing`);
      } else if (recorded !== head.sha256 && !reported.has(rel(revisionPath(head.revision)))) {
        problem('changed', revisionPath(head.revision), `revision ${head.revision} of document ${documentId} no longer matches the hash its head records`);
      }
      if (latest > head.revision && !inFlight) {
        for (const number of numbers.filter((n) => n > head.revision)) {
          problem('unexpected', revisionPath(number), `revision ${number} of document ${documentId} is beyond its head (revision ${head.revision}) and no journal entry explains it`);
        }
      }
    } else if (!headFile && !inFlight) {
      // Revisions written since documents have heads carry their own hash; a document whose
      // latest revision does has lost its head. Older documents get theirs with their next change.
      if (latestSealed) problem('missing', path.join(root, 'documents', documentId.slice(0, 2), `${documentId}.json`), `head of document ${documentId} is missing, so its latest revision cannot be confirmed`);
      else unsealed.documents += 1;
    }

    if (!deleted) {
      for (const pageId of latestPages) {
        const pageFile = path.join(root, 'pages', pageId.slice(0, 2), `${pageId}.json`);
        if (!pages.has(pageId) && !reported.has(rel(pageFile))) problem('missing', pageFile, `page record of a page in document ${documentId} is missing`);
      }
    }
  }

  return { ok: problems.length === 0, checked, problems, notes, unsealed };
}

async function readJournalEntry(file: string, name: string, originals: Set<string>, documents: Set<string>): Promise<void> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return; // a torn entry names nothing; the services report it at start-up
  }
  if (name.startsWith(JOURNAL_PREFIXES.intake)) {
    const entry = journalEntrySchemas.intake.safeParse(value);
    if (entry.success) originals.add(entry.data.pageId);
  } else if (name.startsWith(JOURNAL_PREFIXES.file)) {
    const entry = journalEntrySchemas.file.safeParse(value);
    if (entry.success) originals.add(entry.data.fileSha256);
  } else if (name.startsWith(JOURNAL_PREFIXES.documents)) {
    const entry = journalEntrySchemas.documents.safeParse(value);
    if (entry.success) for (const revision of entry.data.revisions) documents.add(revision.documentId);
  }
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
