import type { DocumentRecord } from '../../common/api/contract';
import { foldForSearch } from '../../common/text/fold';

/**
 * A person named in the archive's documents: one row per name as written, with its folded form
 * (so "Živković", "Zivkovic" and "Живковић" meet in a prefix query) and the documents naming it.
 */
export interface PersonRecord {
  readonly name: string;
  readonly folded: string;
  readonly documentIds: readonly string[];
}

/** Names differ by stray spaces when typed by hand; those are the same name. */
export function personName(raw: string): string {
  return raw.trim().replace(/\s+/gu, ' ');
}

/** The names a document contributes: none once it is deleted. */
export function namesOf(document: DocumentRecord | undefined): Set<string> {
  if (!document || document.deleted) return new Set();
  return new Set(document.metadata.persons.map(personName).filter((name) => name !== ''));
}

export function personRecord(name: string, documentIds: Iterable<string>): PersonRecord {
  return { name, folded: foldForSearch(name), documentIds: [...new Set(documentIds)].sort() };
}

/** Every person the documents name, built from scratch (the catalog's migration to version 3). */
export function personsOfDocuments(documents: readonly DocumentRecord[]): PersonRecord[] {
  const byName = new Map<string, Set<string>>();
  for (const document of documents) {
    for (const name of namesOf(document)) {
      let ids = byName.get(name);
      if (!ids) byName.set(name, (ids = new Set()));
      ids.add(document.id);
    }
  }
  return [...byName].map(([name, ids]) => personRecord(name, ids));
}

/** What changed in one document, for the persons it names. */
export interface NamingChange {
  readonly documentId: string;
  readonly before: ReadonlySet<string>;
  readonly after: ReadonlySet<string>;
}

/**
 * Applies documents' changes to the persons rows given (the rows of every name involved) and
 * returns the rows to write and the names no document names any more.
 */
export function applyNamingChanges(
  held: ReadonlyMap<string, PersonRecord>,
  changes: readonly NamingChange[],
): { put: PersonRecord[]; deleted: string[] } {
  const ids = new Map<string, Set<string>>();
  const idsOf = (name: string) => {
    let set = ids.get(name);
    if (!set) ids.set(name, (set = new Set(held.get(name)?.documentIds ?? [])));
    return set;
  };
  for (const { documentId, before, after } of changes) {
    for (const name of before) if (!after.has(name)) idsOf(name).delete(documentId);
    for (const name of after) idsOf(name).add(documentId);
  }
  const put: PersonRecord[] = [];
  const deleted: string[] = [];
  for (const [name, documentIds] of ids) {
    if (documentIds.size === 0) {
      if (held.has(name)) deleted.push(name);
    } else {
      put.push(personRecord(name, documentIds));
    }
  }
  return { put, deleted };
}
