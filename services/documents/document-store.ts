import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  documentChangeSchema,
  documentRecordSchema,
  sha256HexSchema,
  type DocumentChange,
  type DocumentMetadataPatch,
  type DocumentRecord,
  type PageEdit,
} from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { ArchiveStore } from '../archive/archive-store';
import { JOURNAL_PREFIXES } from '../archive/journal-names';
import { sealRecord } from '../archive/record-hash';
import { applyMetadataPatch, applyPageEdit, changedFields, DEFAULT_METADATA, requireDistinct, short } from './document-edits';

/**
 * One revision file: the whole document as it stood after a change, the change itself, the
 * SHA-256 of the previous revision's file, so the history is a chain that fixity can check, and
 * the hash of its own content (canonical JSON without that field; absent in revisions written
 * before it was kept). The document's head file names the latest revision and its hash.
 */
export const documentRevisionFileSchema = z.object({
  document: documentRecordSchema,
  change: documentChangeSchema,
  previousSha256: sha256HexSchema.optional(),
  recordSha256: sha256HexSchema.optional(),
});
export type DocumentRevisionFile = z.infer<typeof documentRevisionFileSchema>;

const TRANSACTION_PREFIX = JOURNAL_PREFIXES.documents;
const transactionSchema = z.object({
  revisions: z.array(z.object({ documentId: z.string(), revision: z.number().int().positive(), json: z.string() })).min(1),
});

interface Held {
  document: DocumentRecord;
  history: DocumentChange[];
  /** SHA-256 of the latest revision file, which the next revision names as its previous. */
  lastSha256: string;
}

interface Pending {
  document: DocumentRecord;
  change: Omit<DocumentChange, 'revision'>;
}

export interface DocumentStoreOptions {
  /** Told about every document that changed (the services emit `document.changed`). */
  onChange?: (document: DocumentRecord) => void;
  /**
   * Told about a revision file that cannot be read (the document then stands at its last
   * readable revision), and about an interrupted change that can no longer be rolled forward.
   */
  onUnreadable?: (file: string, reason: string) => void;
  now?: () => Date;
  /**
   * Read only (command-line tools beside a running app): no roll-forward of interrupted changes,
   * and every change is refused. Default false.
   */
  readOnly?: boolean;
}

/**
 * Documents: archived pages grouped, ordered and turned for reading, with their metadata. The
 * originals are never touched; every change writes a new immutable revision file, so the whole
 * history stays in the archive. A change that touches several documents at once (split, merge)
 * is first written to the journal, then applied; at the next start an interrupted one is rolled
 * forward, so a crash never leaves a page in two documents or in none.
 */
export class DocumentStore {
  readonly #held = new Map<string, Held>();
  /** Which live document each page belongs to. */
  readonly #owner = new Map<string, string>();
  /**
   * Documents of a change that failed and could not be taken back (its journal entry stays):
   * they take no other change until the next start rolls that one forward.
   */
  readonly #unsettled = new Set<string>();
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly archive: ArchiveStore,
    private readonly options: DocumentStoreOptions,
  ) {}

  /** Finishes any change a crash interrupted, then reads every document from the archive. */
  static async open(archive: ArchiveStore, options: DocumentStoreOptions = {}): Promise<DocumentStore> {
    const store = new DocumentStore(archive, options);
    if (!options.readOnly) await store.#rollForward();
    await store.#load();
    return store;
  }

  /** Reads every document again from the archive (what `archive.rebuild` serves), reporting unreadable revisions. */
  reload(onUnreadable?: (file: string, reason: string) => void): Promise<DocumentRecord[]> {
    return this.#serial(async () => {
      this.#held.clear();
      await this.#load(onUnreadable);
      return this.list();
    });
  }

  list(): DocumentRecord[] {
    return [...this.#held.values()].map((held) => held.document).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  get(documentId: string): { document: DocumentRecord; history: DocumentChange[] } {
    const held = this.#require(documentId);
    return { document: held.document, history: [...held.history] };
  }

  /** A document by its id or an unambiguous start of it (at least 8 characters), as a clerk types it. */
  find(reference: string): DocumentRecord {
    const exact = this.#held.get(reference);
    if (exact) return exact.document;
    const matches = reference.length >= 8 ? [...this.#held.keys()].filter((id) => id.startsWith(reference.toLowerCase())) : [];
    if (matches.length === 1) return (this.#held.get(matches[0] as string) as Held).document;
    if (matches.length > 1) throw new ApiError('bad-request', `"${reference}" matches ${matches.length} documents; give more of the id.`);
    throw new ApiError('not-found', `No document ${reference} in the archive.`);
  }

  /** The live document a page belongs to, if any. */
  ownerOf(pageId: string): string | undefined {
    return this.#owner.get(pageId);
  }

  create(pageIds: string[], patch: DocumentMetadataPatch = {}): Promise<DocumentRecord> {
    return this.#serial(async () => {
      requireDistinct(pageIds);
      await this.#requireFreePages(pageIds);
      const at = this.#now();
      const document: DocumentRecord = {
        id: randomUUID(),
        revision: 1,
        createdAt: at,
        updatedAt: at,
        deleted: false,
        pages: pageIds.map((pageId) => ({ pageId, rotation: 0 })),
        metadata: applyMetadataPatch(DEFAULT_METADATA, patch),
      };
      await this.#commit([{ document, change: { at, action: 'create', summary: `Created with ${pageIds.length} page(s)` } }]);
      return document;
    });
  }

  update(documentId: string, patch: DocumentMetadataPatch, expectedRevision?: number): Promise<DocumentRecord> {
    return this.#serial(async () => {
      const current = this.#requireLive(documentId, expectedRevision);
      const metadata = applyMetadataPatch(current.metadata, patch);
      const fields = changedFields(current.metadata, metadata);
      if (fields.length === 0) return current;
      const next = this.#next(current, { metadata });
      await this.#commit([{ document: next, change: { at: next.updatedAt, action: 'update-metadata', summary: `Metadata changed: ${fields.join(', ')}` } }]);
      return next;
    });
  }

  editPages(documentId: string, edit: PageEdit, expectedRevision?: number): Promise<DocumentRecord> {
    return this.#serial(async () => {
      const current = this.#requireLive(documentId, expectedRevision);
      const outcome = applyPageEdit(current.pages, edit);
      await this.#requireFreePages(outcome.added);
      const next = this.#next(current, { pages: outcome.pages });
      const action = ({ reorder: 'reorder', rotate: 'rotate', remove: 'remove-pages', insert: 'insert-pages', replace: 'replace-page' } as const)[edit.op];
      await this.#commit([{ document: next, change: { at: next.updatedAt, action, summary: outcome.summary } }]);
      return next;
    });
  }

  /** Moves the pages from position `at` (0-based) on into a new document with the same metadata. */
  split(documentId: string, at: number, expectedRevision?: number): Promise<{ document: DocumentRecord; created: DocumentRecord }> {
    return this.#serial(async () => {
      const current = this.#requireLive(documentId, expectedRevision);
      if (at < 1 || at >= current.pages.length) {
        throw new ApiError('bad-request', `A document of ${current.pages.length} page(s) can be split before pages 2 to ${current.pages.length}, not at ${at + 1}.`, { reason: 'invalid-edit' });
      }
      const next = this.#next(current, { pages: current.pages.slice(0, at) });
      const created: DocumentRecord = {
        id: randomUUID(),
        revision: 1,
        createdAt: next.updatedAt,
        updatedAt: next.updatedAt,
        deleted: false,
        pages: current.pages.slice(at),
        metadata: current.metadata,
      };
      await this.#commit([
        { document: next, change: { at: next.updatedAt, action: 'split', summary: `Pages ${at + 1}–${current.pages.length} moved to a new document`, relatedDocumentIds: [created.id] } },
        { document: created, change: { at: next.updatedAt, action: 'split', summary: `Split from document ${short(current.id)} (its pages ${at + 1}–${current.pages.length})`, relatedDocumentIds: [current.id] } },
      ]);
      return { document: next, created };
    });
  }

  /** Appends the pages of the sources to the document; the sources end deleted, merged into it. */
  merge(documentId: string, sourceIds: string[], expectedRevision?: number): Promise<DocumentRecord> {
    return this.#serial(async () => {
      const target = this.#requireLive(documentId, expectedRevision);
      if (new Set(sourceIds).size !== sourceIds.length || sourceIds.includes(documentId)) {
        throw new ApiError('bad-request', 'Merge names each other document once, and not the document itself.', { reason: 'invalid-edit' });
      }
      const sources = sourceIds.map((id) => this.#requireLive(id));
      const next = this.#next(target, { pages: [...target.pages, ...sources.flatMap((source) => source.pages)] });
      const at = next.updatedAt;
      await this.#commit([
        { document: next, change: { at, action: 'merge', summary: `Merged in ${sources.length} document(s), ${next.pages.length - target.pages.length} page(s)`, relatedDocumentIds: sourceIds } },
        ...sources.map((source) => ({
          document: { ...source, revision: source.revision + 1, updatedAt: at, deleted: true },
          change: { at, action: 'merge' as const, summary: `Merged into document ${short(target.id)}`, relatedDocumentIds: [target.id] },
        })),
      ]);
      return next;
    });
  }

  /** Marks a document deleted; its revisions stay in the archive and its pages are free again. */
  delete(documentId: string, expectedRevision?: number): Promise<DocumentRecord> {
    return this.#serial(async () => {
      const current = this.#requireLive(documentId, expectedRevision);
      const next = this.#next(current, { deleted: true });
      await this.#commit([{ document: next, change: { at: next.updatedAt, action: 'delete', summary: 'Document deleted (pages kept in the archive)' } }]);
      return next;
    });
  }

  /* ---- internals ---- */

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #now(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }

  #next(current: DocumentRecord, changes: Partial<DocumentRecord>): DocumentRecord {
    return { ...current, ...changes, revision: current.revision + 1, updatedAt: this.#now() };
  }

  #require(documentId: string): Held {
    const held = this.#held.get(documentId);
    if (!held) throw new ApiError('not-found', `No document ${documentId} in the archive.`);
    return held;
  }

  #requireLive(documentId: string, expectedRevision?: number): DocumentRecord {
    const { document } = this.#require(documentId);
    if (this.#unsettled.has(documentId)) {
      throw new ApiError('unavailable', `Document ${short(documentId)} has an unfinished change that could not be written; restart Arkiva to finish it.`, {
        reason: 'unfinished-change',
      });
    }
    if (document.deleted) throw new ApiError('conflict', `Document ${short(documentId)} has been deleted.`, { reason: 'deleted' });
    if (expectedRevision !== undefined && expectedRevision !== document.revision) {
      throw new ApiError(
        'conflict',
        `Document ${short(documentId)} has changed since you opened it (now at revision ${document.revision}, you had ${expectedRevision}). Reload it and try again.`,
        { reason: 'stale-revision', revision: document.revision },
      );
    }
    return document;
  }

  async #requireFreePages(pageIds: readonly string[]): Promise<void> {
    for (const pageId of pageIds) {
      if (!(await this.archive.getPage(pageId))) throw new ApiError('not-found', `No page ${pageId} in the archive.`);
      const owner = this.#owner.get(pageId);
      if (owner) {
        throw new ApiError('conflict', `Page ${short(pageId)} already belongs to document ${short(owner)}; remove it there first.`, {
          reason: 'page-in-another-document',
          documentId: owner,
        });
      }
    }
  }

  /**
   * Journal first, then each revision file, then the documents' heads, then the journal entry
   * goes. If a revision cannot be written (a full disk), the revisions this change already wrote
   * are taken back and its journal entry removed, so nothing of it remains and the documents can
   * take other changes; a crash half-way instead leaves the journal entry, and the next start
   * rolls the whole change forward.
   */
  async #commit(pending: Pending[]): Promise<void> {
    if (this.options.readOnly) throw new ApiError('unavailable', 'The documents were opened read-only.');
    const files = pending.map(({ document, change }) => {
      const previous = this.#held.get(document.id);
      const file: DocumentRevisionFile = documentRevisionFileSchema.parse({
        document,
        change: { revision: document.revision, ...change },
        ...(previous ? { previousSha256: previous.lastSha256 } : {}),
      });
      const json = `${JSON.stringify(sealRecord(file), null, 2)}\n`;
      return { documentId: document.id, revision: document.revision, json, sha256: ArchiveStore.hash(Buffer.from(json)) };
    });
    const journalName = `${TRANSACTION_PREFIX}${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    await this.archive.writeJournal(journalName, { revisions: files.map(({ documentId, revision, json }) => ({ documentId, revision, json })) });
    const created: typeof files = [];
    try {
      for (const file of files) {
        if (await this.archive.putDocumentRevision(file.documentId, file.revision, file.json)) created.push(file);
      }
    } catch (error) {
      await this.#takeBack(journalName, files, created);
      throw error;
    }
    // Every revision is on disk: the change is made.
    for (const file of files) this.#hold(documentRevisionFileSchema.parse(JSON.parse(file.json)), file.sha256);
    this.#recomputeOwners();
    try {
      for (const file of files) await this.archive.putDocumentHead(file.documentId, { revision: file.revision, sha256: file.sha256 });
      await this.archive.removeJournal(journalName);
    } catch (error) {
      // Only the heads lag behind; the journal entry stays and the next start brings them up.
      console.error(`Documents: the change is saved, but its record of the latest revisions is not yet (${error instanceof Error ? error.message : String(error)}); it is completed at the next start.`);
    }
    for (const { document } of pending) this.options.onChange?.(document);
  }

  /** Undoes a change whose revisions could not all be written: none of it was confirmed to anyone. */
  async #takeBack(journalName: string, files: readonly { documentId: string }[], created: readonly { documentId: string; revision: number }[]): Promise<void> {
    try {
      for (const file of [...created].reverse()) await this.archive.removeUnconfirmedDocumentRevision(file.documentId, file.revision);
      await this.archive.removeJournal(journalName);
    } catch (error) {
      for (const file of files) this.#unsettled.add(file.documentId);
      console.error(`Documents: a failed change could not be taken back (${error instanceof Error ? error.message : String(error)}); it is rolled forward at the next start.`);
    }
  }

  #hold(file: DocumentRevisionFile, sha256: string): void {
    const { document } = file;
    const previous = this.#held.get(document.id);
    this.#held.set(document.id, { document, history: [...(previous?.history ?? []), file.change], lastSha256: sha256 });
  }

  /** Page ownership from the documents' current states (load order of revisions must not matter). */
  #recomputeOwners(): void {
    this.#owner.clear();
    for (const { document } of this.#held.values()) {
      if (!document.deleted) for (const page of document.pages) this.#owner.set(page.pageId, document.id);
    }
  }

  /**
   * Finishes the changes a crash interrupted, each whole: its revisions are written and the
   * heads brought up. One that would overwrite a revision already there with other content
   * (it can no longer be applied whole) is reported, not applied, and left in the journal for
   * inspection; the archive opens with what it has.
   */
  async #rollForward(): Promise<void> {
    const report = this.options.onUnreadable ?? warnUnreadable;
    for (const { name, value } of await this.archive.listJournal(TRANSACTION_PREFIX)) {
      const entry = `journal/${name}.json`;
      const parsed = transactionSchema.safeParse(value);
      if (!parsed.success) {
        report(entry, 'unreadable document transaction; left in place');
        continue;
      }
      const conflicts: string[] = [];
      for (const { documentId, revision, json } of parsed.data.revisions) {
        const existing = await this.archive.readDocumentRevision(documentId, revision).catch(() => undefined);
        if (existing !== undefined && existing.toString('utf8') !== json) conflicts.push(`revision ${revision} of document ${short(documentId)}`);
      }
      if (conflicts.length > 0) {
        report(entry, `interrupted document change not rolled forward: ${conflicts.join(', ')} already exists with other content; left in place for inspection`);
        continue;
      }
      for (const { documentId, revision, json } of parsed.data.revisions) await this.archive.putDocumentRevision(documentId, revision, json);
      for (const documentId of new Set(parsed.data.revisions.map((revision) => revision.documentId))) await this.#settleHead(documentId);
      await this.archive.removeJournal(name);
    }
  }

  /** Brings a document's head up to its latest revision on disk. */
  async #settleHead(documentId: string): Promise<void> {
    const latest = (await this.archive.listDocumentRevisions(documentId)).at(-1);
    if (latest === undefined) return;
    const head = await this.archive.readDocumentHead(documentId).catch(() => undefined);
    if (head && head.revision >= latest) return;
    const sha256 = ArchiveStore.hash(await this.archive.readDocumentRevision(documentId, latest));
    await this.archive.putDocumentHead(documentId, { revision: latest, sha256 });
  }

  async #load(onUnreadable = this.options.onUnreadable ?? warnUnreadable): Promise<void> {
    for (const documentId of await this.archive.listDocumentIds()) {
      for (const revision of await this.archive.listDocumentRevisions(documentId)) {
        const path = this.archive.relative(this.archive.documentRevisionPath(documentId, revision));
        try {
          const bytes = await this.archive.readDocumentRevision(documentId, revision);
          const file = documentRevisionFileSchema.parse(JSON.parse(bytes.toString('utf8')));
          if (file.document.id !== documentId || file.document.revision !== revision) throw new Error('names another document or revision');
          this.#hold(file, ArchiveStore.hash(bytes));
        } catch (error) {
          onUnreadable(path, error instanceof Error ? error.message : String(error));
        }
      }
    }
    this.#recomputeOwners();
  }
}

function warnUnreadable(file: string, reason: string): void {
  console.error(`Archive: cannot read document revision ${file}: ${reason}`);
}
