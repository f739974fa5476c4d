import type { DocumentRecord } from '../../common/api/contract';
import type { ArkivaCatalog } from './catalog-db';
import { applyNamingChanges, namesOf, type NamingChange, type PersonRecord } from './persons';

export interface DocumentChange {
  /** What the catalog held before, if anything. */
  readonly before: DocumentRecord | undefined;
  readonly after: DocumentRecord;
}

/**
 * Brings documents into the catalog, keyed by id. Revisions only go forward: a late event or a
 * stale listing carrying an older revision changes nothing. The persons the documents name
 * follow in the same transaction. Returns the documents that changed.
 */
export async function ingestDocuments(catalog: ArkivaCatalog, documents: readonly DocumentRecord[]): Promise<DocumentChange[]> {
  if (documents.length === 0) return [];
  return catalog.transaction('rw', catalog.documents, catalog.persons, async () => {
    const ids = [...new Set(documents.map((document) => document.id))];
    const stored = await catalog.documents.bulkGet(ids);
    const current = new Map<string, DocumentRecord>();
    ids.forEach((id, index) => {
      const held = stored[index];
      if (held) current.set(id, held);
    });
    const changes = new Map<string, DocumentChange>();
    for (const incoming of documents) {
      const held = current.get(incoming.id);
      if (held && held.revision >= incoming.revision) continue;
      changes.set(incoming.id, { before: changes.get(incoming.id)?.before ?? held, after: incoming });
      current.set(incoming.id, incoming);
    }
    if (changes.size > 0) {
      await catalog.documents.bulkPut([...changes.values()].map((change) => change.after));
      await updatePersons(catalog, [...changes.values()].map(({ before, after }) => namingChange(after.id, before, after)));
    }
    return [...changes.values()];
  });
}

/** Drops documents the archive no longer lists; returns them. */
export async function removeDocumentsNotIn(catalog: ArkivaCatalog, keep: ReadonlySet<string>): Promise<DocumentRecord[]> {
  return catalog.transaction('rw', catalog.documents, catalog.persons, async () => {
    const gone = (await catalog.documents.toArray()).filter((document) => !keep.has(document.id));
    if (gone.length > 0) {
      await catalog.documents.bulkDelete(gone.map((document) => document.id));
      await updatePersons(catalog, gone.map((document) => namingChange(document.id, document, undefined)));
    }
    return gone;
  });
}

function namingChange(documentId: string, before: DocumentRecord | undefined, after: DocumentRecord | undefined): NamingChange {
  return { documentId, before: namesOf(before), after: namesOf(after) };
}

/** Within the caller's transaction (which must include `persons`). */
async function updatePersons(catalog: ArkivaCatalog, changes: readonly NamingChange[]): Promise<void> {
  const names = [...new Set(changes.flatMap(({ before, after }) => [...before, ...after]))];
  if (names.length === 0) return;
  const rows = await catalog.persons.bulkGet(names);
  const held = new Map<string, PersonRecord>();
  for (const row of rows) if (row) held.set(row.name, row);
  const { put, deleted } = applyNamingChanges(held, changes);
  if (put.length > 0) await catalog.persons.bulkPut(put);
  if (deleted.length > 0) await catalog.persons.bulkDelete(deleted);
}
