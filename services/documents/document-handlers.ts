import type { DocumentRecord, MethodName } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import type { ArchiveStore } from '../archive/archive-store';
import { checkFixity } from '../archive/fixity';
import type { Handlers } from '../api/dispatcher';
import { documentFileName, documentPdf } from './document-pdf';
import type { DocumentStore } from './document-store';

type DocumentMethods = Extract<MethodName, `documents.${string}` | `archive.${string}`>;

/** PDFs travel as base64 in one message; past this a clerk should use `arkiva pdf` / `arkiva export`. */
export const MAX_PDF_RESPONSE_BYTES = 40 * 1024 * 1024;

/**
 * The contract's `documents.*` and `archive.*` methods, over the document store and the archive.
 * `onExport` records each PDF handed out (the audit trail's `export`) before it leaves.
 */
export function createDocumentHandlers(
  archive: ArchiveStore,
  documents: DocumentStore,
  onExport?: (document: DocumentRecord, exported: { format: 'pdf'; bytes: number }) => Promise<void>,
): Pick<Handlers, DocumentMethods> {
  return {
    'documents.list': async () => ({ documents: documents.list() }),
    'documents.get': async ({ documentId }) => documents.get(documentId),
    'documents.create': async ({ pageIds, metadata }) => ({ document: await documents.create(pageIds, metadata) }),
    'documents.update': async ({ documentId, expectedRevision, metadata }) => ({
      document: await documents.update(documentId, metadata, expectedRevision),
    }),
    'documents.editPages': async ({ documentId, expectedRevision, edit }) => ({
      document: await documents.editPages(documentId, edit, expectedRevision),
    }),
    'documents.splitPages': async ({ documentId, expectedRevision, at }) => documents.split(documentId, at, expectedRevision),
    'documents.merge': async ({ documentId, expectedRevision, sourceIds }) => ({
      document: await documents.merge(documentId, sourceIds, expectedRevision),
    }),
    'documents.delete': async ({ documentId, expectedRevision }) => ({ document: await documents.delete(documentId, expectedRevision) }),
    'documents.exportPdf': async ({ documentId }) => {
      const { document } = documents.get(documentId);
      const pdf = await documentPdf(archive, document);
      if (pdf.length > MAX_PDF_RESPONSE_BYTES) {
        throw new ApiError(
          'payload-too-large',
          `The PDF is ${Math.round(pdf.length / 1048576)} MB, too large to send to the window; use \`arkiva pdf ${documentId} --out FILE\`.`,
        );
      }
      await onExport?.(document, { format: 'pdf', bytes: pdf.length });
      return { fileName: documentFileName(document, 'pdf'), mimeType: 'application/pdf' as const, dataBase64: Buffer.from(pdf).toString('base64') };
    },
    'archive.rebuild': async () => {
      const unreadable: { path: string; reason: string }[] = [];
      const pages = await archive.listPages((file, reason) => unreadable.push({ path: archive.relative(file), reason }));
      const rebuilt = await documents.reload((path, reason) => unreadable.push({ path, reason }));
      return { pages, documents: rebuilt, unreadable };
    },
    'archive.checkFixity': async () => checkFixity(archive.root),
  };
}
