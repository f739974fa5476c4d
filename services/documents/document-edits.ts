import type { DocumentMetadata, DocumentMetadataPatch, DocumentPage, PageEdit, Rotation } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';

export const DEFAULT_METADATA: DocumentMetadata = { persons: [], sensitivity: 'internal', tags: [] };

/** Applies a metadata patch: given fields replace, `null` clears an optional field, absent ones stay. */
export function applyMetadataPatch(metadata: DocumentMetadata, patch: DocumentMetadataPatch): DocumentMetadata {
  const next: Record<string, unknown> = { ...metadata };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null || value === '') delete next[key];
    else next[key] = Array.isArray(value) ? uniqueTrimmed(value as string[]) : value;
  }
  return next as DocumentMetadata;
}

function uniqueTrimmed(values: string[]): string[] {
  return [...new Set(values.map((value) => value.trim()).filter(Boolean))];
}

export function changedFields(before: DocumentMetadata, after: DocumentMetadata): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => JSON.stringify(before[key as keyof DocumentMetadata]) !== JSON.stringify(after[key as keyof DocumentMetadata])).sort();
}

export interface EditOutcome {
  pages: DocumentPage[];
  summary: string;
  /** Pages that join the document (must exist and belong to no other document). */
  added: string[];
}

/** The page list after one edit, or a clear error for an edit that does not fit the document. */
export function applyPageEdit(pages: readonly DocumentPage[], edit: PageEdit): EditOutcome {
  const ids = pages.map((page) => page.pageId);
  const position = (pageId: string) => {
    const index = ids.indexOf(pageId);
    if (index < 0) throw bad(`Page ${short(pageId)} is not in this document.`);
    return index;
  };
  switch (edit.op) {
    case 'reorder': {
      if (edit.pageIds.length !== ids.length || new Set(edit.pageIds).size !== ids.length || edit.pageIds.some((id) => !ids.includes(id))) {
        throw bad('A new order must list every page of the document exactly once.');
      }
      const byId = new Map(pages.map((page) => [page.pageId, page]));
      return { pages: edit.pageIds.map((id) => byId.get(id) as DocumentPage), summary: 'Pages reordered', added: [] };
    }
    case 'rotate': {
      const turned = new Set(edit.pageIds.map((id) => (position(id), id)));
      return {
        pages: pages.map((page) => (turned.has(page.pageId) ? { ...page, rotation: ((page.rotation + edit.turn) % 360) as Rotation } : page)),
        summary: `${turned.size} page(s) turned ${edit.turn}° clockwise (pages ${[...turned].map((id) => position(id) + 1).join(', ')})`,
        added: [],
      };
    }
    case 'remove': {
      const removed = new Set(edit.pageIds.map((id) => (position(id), id)));
      if (removed.size >= pages.length) throw bad('Removing every page would leave an empty document; delete the document instead.');
      return {
        pages: pages.filter((page) => !removed.has(page.pageId)),
        summary: `${removed.size} page(s) removed (were pages ${[...removed].map((id) => position(id) + 1).join(', ')})`,
        added: [],
      };
    }
    case 'insert': {
      if (edit.at > pages.length) throw bad(`Cannot insert at position ${edit.at}: the document has ${pages.length} pages.`);
      requireDistinct(edit.pageIds);
      for (const id of edit.pageIds) if (ids.includes(id)) throw bad(`Page ${short(id)} is already in this document.`);
      const inserted = edit.pageIds.map((pageId): DocumentPage => ({ pageId, rotation: 0 }));
      return {
        pages: [...pages.slice(0, edit.at), ...inserted, ...pages.slice(edit.at)],
        summary: `${inserted.length} page(s) inserted before position ${edit.at + 1}`,
        added: edit.pageIds,
      };
    }
    case 'replace': {
      const index = position(edit.pageId);
      if (ids.includes(edit.withPageId)) throw bad(`Page ${short(edit.withPageId)} is already in this document.`);
      const next = [...pages];
      next[index] = { pageId: edit.withPageId, rotation: 0 };
      return { pages: next, summary: `Page ${index + 1} replaced (${short(edit.pageId)} → ${short(edit.withPageId)})`, added: [edit.withPageId] };
    }
  }
}

export function requireDistinct(pageIds: readonly string[]): void {
  if (new Set(pageIds).size !== pageIds.length) throw bad('A page can appear only once in a document.');
}

export function short(id: string): string {
  return id.slice(0, 12);
}

function bad(message: string): ApiError {
  return new ApiError('bad-request', message, { reason: 'invalid-edit' });
}
