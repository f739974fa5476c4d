import { z } from 'zod';
import type { ArkivaApi, DocumentChange, DocumentMetadataPatch, DocumentRecord, PageEdit } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { describeError, type DescribedError } from '../errors/describe-error';

/** One change a clerk makes to an open document. */
export type DocumentAction =
  | { readonly kind: 'metadata'; readonly patch: DocumentMetadataPatch }
  | { readonly kind: 'pages'; readonly edit: PageEdit }
  /** Pages from 0-based position `at` on go to a new document. */
  | { readonly kind: 'split'; readonly at: number }
  | { readonly kind: 'merge'; readonly sourceIds: readonly string[] }
  | { readonly kind: 'delete' };

export type ActionOutcome =
  | {
      readonly kind: 'done';
      readonly document: DocumentRecord;
      /** The history after the change; null when it could not be read (the change itself stands). */
      readonly history: readonly DocumentChange[] | null;
      /** The document a split made. */
      readonly created?: DocumentRecord;
    }
  /** Someone (another window, the command line) changed the document first, or it is gone: reload. */
  | { readonly kind: 'conflict'; readonly message: string; readonly reason: string; readonly revision?: number }
  | { readonly kind: 'failed'; readonly error: DescribedError };

const conflictDetailsSchema = z.object({ reason: z.string(), revision: z.number().int().optional() });

/** The services' `conflict` error, with its reason (`stale-revision`, `deleted`, `page-in-another-document`…). */
export function conflictOf(error: unknown): { message: string; reason: string; revision?: number } | null {
  if (!(error instanceof ApiError) || error.code !== 'conflict') return null;
  const details = conflictDetailsSchema.safeParse(error.details);
  if (!details.success) return { message: error.message, reason: 'unknown' };
  return { message: error.message, reason: details.data.reason, ...(details.data.revision === undefined ? {} : { revision: details.data.revision }) };
}

/**
 * Sends one change with the revision the clerk was looking at, so a screen that has fallen behind
 * never overwrites newer work: the services answer `conflict` instead, and the clerk reloads.
 * After a change the history is read again, since every change adds an entry.
 */
export async function applyDocumentAction(api: ArkivaApi, document: DocumentRecord, action: DocumentAction): Promise<ActionOutcome> {
  const target = { documentId: document.id, expectedRevision: document.revision };
  let changed: DocumentRecord;
  let created: DocumentRecord | undefined;
  try {
    switch (action.kind) {
      case 'metadata':
        changed = (await api['documents.update']({ ...target, metadata: action.patch })).document;
        break;
      case 'pages':
        changed = (await api['documents.editPages']({ ...target, edit: action.edit })).document;
        break;
      case 'split': {
        const result = await api['documents.splitPages']({ ...target, at: action.at });
        changed = result.document;
        created = result.created;
        break;
      }
      case 'merge':
        changed = (await api['documents.merge']({ ...target, sourceIds: [...action.sourceIds] })).document;
        break;
      case 'delete':
        changed = (await api['documents.delete'](target)).document;
        break;
    }
  } catch (error) {
    const conflict = conflictOf(error);
    return conflict ? { kind: 'conflict', ...conflict } : { kind: 'failed', error: describeError(error) };
  }
  const history = await api['documents.get']({ documentId: document.id }).then(
    // A later change from elsewhere may already be in; then the history shown ends with that one, after ours.
    (fresh) => (fresh.document.revision >= changed.revision ? fresh : null),
    () => null,
  );
  return {
    kind: 'done',
    document: history?.document ?? changed,
    history: history?.history ?? null,
    ...(created ? { created } : {}),
  };
}
