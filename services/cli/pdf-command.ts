import path from 'node:path';
import { ApiError } from '../../common/api/errors';
import { defaultArchiveDir } from '../archive/archive-location';
import { ArchiveStore } from '../archive/archive-store';
import { writeFileAtomic } from '../archive/atomic-write';
import { isArchiveFolder } from '../archive/fixity';
import { documentPdf } from '../documents/document-pdf';
import { DocumentStore } from '../documents/document-store';
import { EXIT, UsageError, type Command } from './command';
import { parseCommandArgs } from './cli-args';

export const pdfCommand: Command = {
  name: 'pdf',
  summary: 'Write a document as a searchable PDF/A-2b',

  help() {
    return [
      'Usage: arkiva pdf [--archive DIR] DOCUMENT --out FILE',
      '',
      'Writes the document (its id, or the first 8+ characters of it) as a searchable PDF/A-2b:',
      'the page images (JPEG, or CCITT G4 for black and white) under an invisible OCR text layer,',
      'with XMP metadata and an sRGB output intent. Every original is re-hashed first; a missing',
      'or altered page stops the export. FILE is written atomically (never left half-written).',
      '',
      'Options:',
      `      --archive DIR  The archive (default: ARKIVA_ARCHIVE_DIR, else ${defaultArchiveDir({})})`,
      '  -o, --out FILE     Where to write the PDF',
      '  -h, --help         Show this help',
      '',
    ].join('\n');
  },

  async run(args, io) {
    const { values, positionals } = parse(args, { out: { type: 'string', short: 'o' } });
    if (positionals.length !== 1) throw new UsageError('give exactly one DOCUMENT');
    if (!values.out) throw new UsageError('--out FILE is required');
    const { archive, documents } = await openArchiveReadOnly(values.archive);
    try {
      const document = documents.find(positionals[0] as string);
      const pdf = await documentPdf(archive, document);
      await writeFileAtomic(path.resolve(values.out), pdf);
      io.stderr(`arkiva pdf: wrote ${values.out} (${document.pages.length} page(s), ${(pdf.length / 1024).toFixed(0)} KB)\n`);
      return EXIT.ok;
    } catch (error) {
      io.stderr(`arkiva pdf: ${messageOf(error)}\n`);
      return EXIT.failed;
    }
  },
};

/** Opens an archive for reading beside a running app: nothing is rolled forward or written. */
export async function openArchiveReadOnly(dir: string | undefined): Promise<{ archive: ArchiveStore; documents: DocumentStore }> {
  const root = dir ?? defaultArchiveDir();
  if (!(await isArchiveFolder(root))) throw new UsageError(`${root} is not an Arkiva archive (no originals/ and pages/ folders)`);
  const archive = await ArchiveStore.open(root);
  return { archive, documents: await DocumentStore.open(archive, { readOnly: true }) };
}

export function parse<O extends Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>>(args: string[], options: O) {
  return parseCommandArgs(args, { ...options, archive: { type: 'string' } } as const);
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && 'code' in error) {
    const known: Record<string, string> = { ENOSPC: 'the disk is full; nothing was written', EACCES: 'permission denied', ENOENT: 'no such file or folder' };
    const code = String(error.code);
    if (known[code]) return `${known[code]} (${error.message})`;
  }
  return error instanceof Error ? error.message : String(error);
}
