import { mkdir, rm, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import type { DocumentRecord } from '../../common/api/contract';
import { ArchiveStore } from '../archive/archive-store';
import { AuditLog } from '../audit/audit-log';
import { fallbackProtector } from '../batches/batch-services';
import { Keystore } from '../signing/keystore';
import { passphraseProtector } from '../signing/protect-secret';
import { newestWorkstationKey } from '../signing/workstation-key';
import { writeFileAtomic } from '../archive/atomic-write';
import { documentFileName, documentPdf } from '../documents/document-pdf';
import type { DocumentStore } from '../documents/document-store';
import { EXIT, UsageError, type Command, type ExitCode } from './command';
import { messageOf, openArchiveReadOnly, parse } from './pdf-command';

const FORMATS = ['pdf', 'originals'] as const;
type Format = (typeof FORMATS)[number];

export const exportCommand: Command = {
  name: 'export',
  summary: 'Export a document or a whole case as PDF/A, or as originals plus metadata JSON',

  help() {
    return [
      'Usage: arkiva export [--archive DIR] (--document ID | --case NUMBER) --out DIR [--format pdf|originals]',
      '',
      'Exports one document, or every document of a case (by case or file number), into DIR:',
      '  pdf        one searchable PDF/A-2b per document (default)',
      '  originals  per document a folder with the original images as captured (page-001-<sha256>.<ext>),',
      '             document.json (metadata, pages, history, page records with OCR), and',
      '             manifest-sha256.txt, which `sha256sum -c` checks without Arkiva.',
      'Originals are re-hashed before they are exported; a missing or altered one is reported and',
      'that document is not exported (the others are). Every file is written atomically.',
      'Each export is recorded in the archive\'s audit trail (<archive>/audit/audit.log) in the name',
      'of the operating-system user; if the trail cannot be opened, nothing is exported. The app may',
      'stay open on the same archive: each entry is appended under a lock after the newest one.',
      '',
      'Options:',
      '      --archive DIR   The archive (default: ARKIVA_ARCHIVE_DIR, else the app\'s)',
      '      --document ID   A document id, or its first 8+ characters',
      '      --case NUMBER   Every (not deleted) document with this case or file number',
      '  -o, --out DIR       Folder to export into (created if needed)',
      '      --format F      pdf or originals',
      '  -h, --help          Show this help',
      '',
      'Exit codes: 0 all exported, 1 something failed (reported on stderr), 2 wrong command line.',
      '',
    ].join('\n');
  },

  async run(args, io) {
    const { values, positionals } = parse(args, {
      out: { type: 'string', short: 'o' },
      document: { type: 'string' },
      case: { type: 'string' },
      format: { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    if (!values.out) throw new UsageError('--out DIR is required');
    if ((values.document === undefined) === (values.case === undefined)) throw new UsageError('give either --document ID or --case NUMBER');
    const format = (values.format ?? 'pdf') as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
    const { archive, documents } = await openArchiveReadOnly(values.archive);
    let audit: AuditLog;
    try {
      audit = await openAuditTrail(archive);
    } catch (error) {
      io.stderr(`arkiva export: cannot open the archive's audit trail, so nothing was exported: ${messageOf(error)}\n`);
      return EXIT.failed;
    }
    const actor = operatingSystemUser();

    let selected: DocumentRecord[];
    try {
      selected = values.document !== undefined ? [documents.find(values.document)] : documentsOfCase(documents, values.case as string);
    } catch (error) {
      io.stderr(`arkiva export: ${messageOf(error)}\n`);
      return EXIT.failed;
    }
    const out = path.resolve(values.out);
    await mkdir(out, { recursive: true });
    let exitCode: ExitCode = EXIT.ok;
    for (const document of selected) {
      try {
        const written = format === 'pdf' ? await exportPdf(archive, document, out) : await exportOriginals(archive, documents, document, out);
        // An export the trail cannot hold is taken back: no copy of the record leaves unrecorded.
        await audit.record({ kind: 'export', actor, subject: document.id, details: { revision: document.revision, format, to: written, via: 'arkiva export' } }).catch(async (error: unknown) => {
          await rm(written, { recursive: true, force: true });
          throw new Error(`the export could not be recorded in the audit trail, so it was removed again: ${messageOf(error)}`);
        });
        io.stdout(`${written}\n`);
      } catch (error) {
        exitCode = EXIT.failed;
        io.stderr(`arkiva export: document ${document.id}: ${messageOf(error)}\n`);
      }
    }
    return exitCode;
  },
};

/**
 * The audit trail the app writes (<archive>/audit/audit.log), signed by the workstation key the
 * app made, unlocked the way the app unlocks it without the OS keychain: ARKIVA_WORKSTATION_PASSPHRASE
 * or the archive's workstation secret. Nothing is created or re-sealed here (that is the app's to
 * do at start), so a key the Electron shell sealed with the keychain is reported, not replaced.
 */
async function openAuditTrail(archive: ArchiveStore): Promise<AuditLog> {
  const keystore = new Keystore(path.join(archive.root, 'signing', 'keys'));
  const newest = await newestWorkstationKey(keystore);
  if (!newest) throw new Error('the archive has no workstation key yet; start Arkiva on it once, so that it can sign its audit trail');
  const sealedBy = (await keystore.get(newest.keyId)).privateKey.protector;
  let signer;
  try {
    signer = await keystore.unlock(newest.keyId, await fallbackProtector(archive.root, (passphrase) => passphraseProtector(passphrase)));
  } catch (error) {
    throw new Error(`the workstation key (protected by ${sealedBy}) cannot be unlocked here: ${messageOf(error)}; set ARKIVA_WORKSTATION_PASSPHRASE as the app has it`);
  }
  return AuditLog.open(path.join(archive.root, 'audit', 'audit.log'), signer);
}

/** Who ran the command, as the operating system knows them: the CLI has no sign-in. */
function operatingSystemUser(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

function documentsOfCase(documents: DocumentStore, caseNumber: string): DocumentRecord[] {
  const wanted = caseNumber.trim().toLowerCase();
  const found = documents.list().filter((document) => !document.deleted && document.metadata.caseNumber?.toLowerCase() === wanted);
  if (found.length === 0) throw new Error(`no document has case number ${caseNumber}`);
  return found;
}

async function exportPdf(archive: ArchiveStore, document: DocumentRecord, out: string): Promise<string> {
  const file = path.join(out, documentFileName(document, 'pdf'));
  await writeFileAtomic(file, await documentPdf(archive, document));
  return file;
}

/** Originals exactly as captured, the metadata as JSON, and a checksum manifest any system can verify. */
async function exportOriginals(archive: ArchiveStore, documents: DocumentStore, document: DocumentRecord, out: string): Promise<string> {
  const folder = path.join(out, documentFileName(document, 'export').replace(/\.export$/, ''));
  if (await stat(folder).then(() => true, () => false)) throw new Error(`${folder} already exists; export into an empty folder`);
  const pages = [];
  const files: { name: string; data: Buffer }[] = [];
  for (const [index, { pageId, rotation }] of document.pages.entries()) {
    const page = await archive.getPage(pageId);
    if (!page) throw new Error(`page ${index + 1} (${pageId}) has no page record in the archive`);
    const data = await archive.readOriginalVerified(pageId, page.originalMimeType);
    const name = `page-${String(index + 1).padStart(3, '0')}-${pageId}.${ArchiveStore.extensionOf(page.originalMimeType)}`;
    files.push({ name, data });
    pages.push({ position: index + 1, file: name, rotation, record: page });
  }
  const { history } = documents.get(document.id);
  const metadata = { exportedAt: new Date().toISOString(), document, history, pages };
  files.push({ name: 'document.json', data: Buffer.from(`${JSON.stringify(metadata, null, 2)}\n`) });
  await mkdir(folder, { recursive: true });
  for (const file of files) await writeFileAtomic(path.join(folder, file.name), file.data);
  const manifest = files.map((file) => `${ArchiveStore.hash(file.data)}  ${file.name}\n`).join('');
  await writeFileAtomic(path.join(folder, 'manifest-sha256.txt'), manifest);
  return folder;
}
