import { z } from 'zod';
import { apiErrorCodeSchema } from './errors';

/**
 * The one API between the renderer and the services. Both hosts (Electron IPC and the local
 * HTTP/WebSocket host) carry exactly these methods and events, and both validate every payload
 * against these schemas at the boundary. Add an operation here first; the type checker then
 * asks for its handler in the services and the preload exposes it automatically.
 */

export const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase SHA-256 hex digest');
/** Tesseract model names joined by `+`, e.g. `sqi+eng` or `srp_latn`. */
export const ocrLanguagesSchema = z
  .string()
  .max(100)
  .regex(/^[a-z]{3}(_[a-z]+)?(\+[a-z]{3}(_[a-z]+)?)*$/, 'Tesseract languages such as "sqi+eng" or "srp_latn"');

/** The workstation's OCR choices; saved in the archive folder, they take effect for the next page. */
export const ocrSettingsSchema = z
  .object({
    /** For Latin-script pages and pages whose script is not detected, main language first. */
    languages: ocrLanguagesSchema,
    /** For pages detected as Cyrillic. */
    cyrillicLanguages: ocrLanguagesSchema,
    /** OCR threads; each holds about 150 MB. */
    workers: z.number().int().min(1).max(16),
    /** Pages with a lower mean confidence (0-100) are flagged for review. */
    reviewBelowConfidence: z.number().int().min(0).max(100),
  })
  .strict();
export type OcrSettings = z.infer<typeof ocrSettingsSchema>;

export const bboxSchema = z.object({
  x0: z.number(),
  y0: z.number(),
  x1: z.number(),
  y1: z.number(),
});
export type BBox = z.infer<typeof bboxSchema>;

export const ocrWordSchema = z.object({
  text: z.string(),
  /** 0..100, as Tesseract reports it. */
  confidence: z.number(),
  /** In pixels of the original image. */
  bbox: bboxSchema,
});
export type OcrWord = z.infer<typeof ocrWordSchema>;

export const ocrResultSchema = z.object({
  text: z.string(),
  confidence: z.number(),
  /** Tesseract language string used, e.g. "eng" or "sqi+eng". */
  languages: z.string(),
  words: z.array(ocrWordSchema),
  /** Text lines in reading order, each with its box and mean confidence (OCR engine, issue 4). */
  lines: z.array(z.object({ text: z.string(), confidence: z.number(), bbox: bboxSchema })).optional(),
  /** Confidence below the review threshold: recognised, but a clerk should check it. */
  needsReview: z.boolean().optional(),
  /** No text or marks on the page; `blankReason` says what was measured. Blank pages are kept. */
  blank: z.boolean().optional(),
  blankReason: z.string().optional(),
  /** Clockwise turn (0/90/180/270) applied to make the page upright, and the measured tilt of its lines in degrees. */
  orientation: z.number().optional(),
  skewDegrees: z.number().optional(),
  /** Script detected by Tesseract OSD (e.g. "Latin", "Cyrillic"), which chose the models. */
  scripts: z.array(z.string()).optional(),
});
export type OcrResult = z.infer<typeof ocrResultSchema>;

export const pageSourceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('import'),
    fileName: z.string(),
    /** For a page of a multi-page file (TIFF, PDF): the whole file, kept as an original of record. */
    fileSha256: sha256HexSchema.optional(),
    /** 1-based page number within that file, and how many pages it has. */
    pageNumber: z.number().int().positive().optional(),
    pageCount: z.number().int().positive().optional(),
    /** Who brought the page in: the signed-in user, or "workstation" when nobody was signed in. */
    operator: z.string().optional(),
  }),
  z.object({
    kind: z.literal('scan'),
    deviceId: z.string(),
    settings: z.object({ source: z.string(), resolution: z.number(), mode: z.string() }),
    /** The capture job, and the page's 0-based position in it (across resumed runs). */
    jobId: z.string().optional(),
    pageIndex: z.number().int().nonnegative().optional(),
    /** Who scanned the page: the signed-in user when the scan started, or "workstation". */
    operator: z.string().optional(),
  }),
]);
export type PageSource = z.infer<typeof pageSourceSchema>;

export const pageStatusSchema = z.enum(['pending-ocr', 'recognized', 'failed']);
export type PageStatus = z.infer<typeof pageStatusSchema>;

/** A page as the services hold it. `id` is the SHA-256 of the original image, so re-ingesting is idempotent. */
export const pageRecordSchema = z.object({
  id: sha256HexSchema,
  source: pageSourceSchema,
  /** ISO 8601, when the original entered the archive. */
  capturedAt: z.string(),
  originalMimeType: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  status: pageStatusSchema,
  ocr: ocrResultSchema.optional(),
  /** Why OCR failed, for a page marked failed. */
  failure: z.string().optional(),
  /**
   * Where `ocr` came from: Tesseract, or the text layer of a born-digital PDF page (kept as the
   * file had it, not recognised). Absent means OCR.
   */
  textSource: z.enum(['ocr', 'pdf-text-layer']).optional(),
  /** SHA-256 of each derived file (by name), so fixity can tell a changed display copy (issue 5). */
  derived: z.record(z.string(), sha256HexSchema).optional(),
});
export type PageRecord = z.infer<typeof pageRecordSchema>;

export const scanSourceSchema = z.enum(['flatbed', 'adf', 'duplex']);
export const scanModeSchema = z.enum(['color', 'gray', 'lineart']);

export const deviceSchema = z.object({
  id: z.string(),
  backend: z.enum(['sane', 'escl', 'twain', 'wia']),
  name: z.string(),
});
export type Device = z.infer<typeof deviceSchema>;

/** Whether a scanner backend's stack is usable on this machine; a missing one hides no other. */
export const backendStatusSchema = z.object({
  backend: deviceSchema.shape.backend,
  available: z.boolean(),
  /** Why not, for the clerk (e.g. how to install it). */
  message: z.string().optional(),
});
export type BackendStatus = z.infer<typeof backendStatusSchema>;

/** What one input source of a device offers; only these values are accepted by `capture.scan`. */
export const sourceCapabilitiesSchema = z.object({
  source: scanSourceSchema,
  /** Resolutions (dpi) Arkiva may ask for, ascending. */
  resolutions: z.array(z.number().int().positive()),
  modes: z.array(scanModeSchema),
  /** Bits per sample the device offers (1 lineart, 8, 16). */
  bitDepths: z.array(z.number().int().positive()),
  /** Largest scan area in millimetres, where the device says. */
  maxWidthMm: z.number().positive().optional(),
  maxHeightMm: z.number().positive().optional(),
});
export const deviceCapabilitiesSchema = z.object({
  deviceId: z.string(),
  sources: z.array(sourceCapabilitiesSchema),
});
export type DeviceCapabilities = z.infer<typeof deviceCapabilitiesSchema>;

export const captureJobStateSchema = z.enum(['scanning', 'interrupted', 'finished', 'failed', 'cancelled']);
export type CaptureJobState = z.infer<typeof captureJobStateSchema>;
const captureErrorSchema = z.object({ code: z.string(), message: z.string() });

/** Bytes travel as base64 so that both hosts carry them as plain JSON. */
const base64Schema = z.base64();

export const MAX_IMPORT_FILES = 50;

/* ---- Batches (issue 7): sealed BagIt bags, signed by the clerk, countersigned by a supervisor ---- */

export const batchStateSchema = z.enum(['open', 'sealed', 'verified', 'rejected', 'queued', 'synced']);
export type BatchState = z.infer<typeof batchStateSchema>;

export const batchSealSchema = z.object({
  /** 1 for the first seal; a re-seal after a rejection is 2, 3... and the earlier bags are kept. */
  n: z.number().int().positive(),
  /** Folder of the bag, relative to the batch's folder (e.g. "seal-1"). */
  bag: z.string(),
  sealedAt: z.string(),
  sealedBy: z.string(),
  keyId: sha256HexSchema,
  tagmanifestSha256: sha256HexSchema,
  payloadOxum: z.string(),
  countersignedBy: z.string().optional(),
  countersignedAt: z.string().optional(),
});
export type BatchSeal = z.infer<typeof batchSealSchema>;

export const batchHistoryEntrySchema = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.enum(['opened', 'pages-added', 'pages-removed', 'sealed', 'countersigned', 'rejected', 'reopened', 'queued', 'synced']),
  /** State after the action. */
  state: batchStateSchema,
  reason: z.string().optional(),
  seal: z.number().int().positive().optional(),
});

export const batchRecordSchema = z.object({
  id: z.string().regex(/^[0-9a-f-]{36}$/, 'a UUID'),
  title: z.string(),
  institution: z.string(),
  workstation: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  /** Pages the paper file has, as counted by the clerk; verification compares it with what was scanned. */
  expectedPages: z.number().int().nonnegative().optional(),
  pages: z.array(z.object({ pageId: sha256HexSchema, addedAt: z.string(), addedBy: z.string() })),
  state: batchStateSchema,
  seals: z.array(batchSealSchema),
  rejection: z.object({ at: z.string(), by: z.string(), reason: z.string() }).optional(),
  /** The repository's receipt once synced. */
  receipt: z.object({ at: z.string(), repository: z.string(), receiptId: z.string(), signatureBase64: z.string().optional() }).optional(),
  history: z.array(batchHistoryEntrySchema),
});
export type BatchRecord = z.infer<typeof batchRecordSchema>;

export const batchProblemSchema = z.object({ code: z.string(), path: z.string().optional(), message: z.string() });

/** What a supervisor sees: every check, what failed and where. */
export const batchVerificationSchema = z.object({
  ok: z.boolean(),
  batchId: z.string().optional(),
  seal: z.number().int().optional(),
  pages: z.object({
    expected: z.number().int().nonnegative().optional(),
    received: z.number().int().nonnegative(),
    /** 1-based page numbers OCR found blank: kept, but flagged for the supervisor. */
    blank: z.array(z.number().int().positive()),
  }),
  files: z.object({ count: z.number().int().nonnegative(), octets: z.number().int().nonnegative() }),
  signatures: z.array(
    z.object({
      file: z.string(),
      signer: z.string().optional(),
      role: z.string().optional(),
      intent: z.string().optional(),
      keyId: z.string().optional(),
      signedAt: z.string().optional(),
      valid: z.boolean(),
    }),
  ),
  errors: z.array(batchProblemSchema),
  warnings: z.array(batchProblemSchema),
});
export type BatchVerification = z.infer<typeof batchVerificationSchema>;

export const signingKeySchema = z.object({
  keyId: sha256HexSchema,
  userId: z.string(),
  displayName: z.string(),
  role: z.enum(['clerk', 'supervisor', 'workstation']),
  createdAt: z.string(),
  trusted: z.boolean(),
});

/**
 * Who is signed in at this workstation (one person at a time). The session belongs to the
 * services, so every window of the workstation (every tab on the local host) shares it.
 */
export const sessionSchema = z.object({
  user: z
    .object({ userId: z.string(), displayName: z.string(), role: z.enum(['clerk', 'supervisor']), keyId: sha256HexSchema, signedInAt: z.string() })
    .nullable(),
});
export type Session = z.infer<typeof sessionSchema>;

/** One entry of the audit trail, as the log holds it (its signature stays in the log). */
export const auditEventSchema = z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  /** What happened: scan, edit, seal, verify, countersign, reject, sync, view, search, export, sign-in. */
  kind: z.string().min(1),
  actor: z.string().min(1),
  subject: z.string().optional(),
  details: z.record(z.string(), z.json()).optional(),
  /** The chain: this entry's hash and the one before it. */
  hash: sha256HexSchema,
  prev: sha256HexSchema,
  keyId: sha256HexSchema,
});
export type AuditEventRecord = z.infer<typeof auditEventSchema>;

const batchIdInput = z.string().regex(/^[0-9a-f-]{36}$/, 'a batch id');
/** Passphrases unlock a signing key for one operation; they are never stored or logged. */
const passphraseInput = z.string().min(8).max(1024);

/* ---- Documents and the archive (issue 5): pages grouped into documents, with history ---- */

export const documentIdSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'a document id (UUID)');
export const rotationSchema = z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]);
export type Rotation = z.infer<typeof rotationSchema>;
export const sensitivitySchema = z.enum(['public', 'internal', 'restricted', 'confidential', 'secret']);

/** A page of a document: the archived page (never modified) and how it is turned for reading. */
export const documentPageSchema = z.object({ pageId: sha256HexSchema, rotation: rotationSchema });
export type DocumentPage = z.infer<typeof documentPageSchema>;

const shortText = z.string().trim().max(500);
export const documentMetadataSchema = z.object({
  title: shortText.optional(),
  /** Case or file number as written on the file, e.g. "2019/0457-IML". */
  caseNumber: shortText.optional(),
  documentType: shortText.optional(),
  /** The document's own date: a year, a month or a day (archives often know no more). */
  date: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'YYYY, YYYY-MM or YYYY-MM-DD').optional(),
  institution: shortText.optional(),
  persons: z.array(shortText.min(1)).max(500),
  sensitivity: sensitivitySchema,
  notes: z.string().max(20_000).optional(),
  tags: z.array(shortText.min(1)).max(200),
});
export type DocumentMetadata = z.infer<typeof documentMetadataSchema>;
/** Metadata in a create or update: only the fields given change; `null` clears an optional one. */
export const documentMetadataPatchSchema = z
  .object({
    title: shortText.nullable(),
    caseNumber: shortText.nullable(),
    documentType: shortText.nullable(),
    date: documentMetadataSchema.shape.date.unwrap().nullable(),
    institution: shortText.nullable(),
    persons: documentMetadataSchema.shape.persons,
    sensitivity: sensitivitySchema,
    notes: z.string().max(20_000).nullable(),
    tags: documentMetadataSchema.shape.tags,
  })
  .partial()
  .strict();
export type DocumentMetadataPatch = z.infer<typeof documentMetadataPatchSchema>;

export const documentRecordSchema = z.object({
  id: documentIdSchema,
  /** 1 at creation, one more with every change; each revision is kept in the archive. */
  revision: z.number().int().positive(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Deleted (or merged into another) documents are kept as history; their pages are free again. */
  deleted: z.boolean(),
  pages: z.array(documentPageSchema),
  metadata: documentMetadataSchema,
});
export type DocumentRecord = z.infer<typeof documentRecordSchema>;

export const documentActionSchema = z.enum([
  'create', 'update-metadata', 'reorder', 'rotate', 'remove-pages', 'insert-pages', 'replace-page', 'split', 'merge', 'delete',
]);
/** One entry of a document's history: what changed, when, and which other documents took part. */
export const documentChangeSchema = z.object({
  revision: z.number().int().positive(),
  at: z.string(),
  action: documentActionSchema,
  summary: z.string(),
  relatedDocumentIds: z.array(documentIdSchema).optional(),
});
export type DocumentChange = z.infer<typeof documentChangeSchema>;

export const pageEditSchema = z.discriminatedUnion('op', [
  /** The document's pages in their new order (the same pages, each once). */
  z.object({ op: z.literal('reorder'), pageIds: z.array(sha256HexSchema).min(1) }).strict(),
  /** Turns pages clockwise by `turn` degrees, on top of their current rotation. */
  z.object({ op: z.literal('rotate'), pageIds: z.array(sha256HexSchema).min(1), turn: rotationSchema }).strict(),
  z.object({ op: z.literal('remove'), pageIds: z.array(sha256HexSchema).min(1) }).strict(),
  /** Inserts archived pages before position `at` (0-based; the page count appends). */
  z.object({ op: z.literal('insert'), at: z.number().int().nonnegative(), pageIds: z.array(sha256HexSchema).min(1) }).strict(),
  /** Puts another archived page (a rescan) in the place of one; the old page stays in the archive. */
  z.object({ op: z.literal('replace'), pageId: sha256HexSchema, withPageId: sha256HexSchema }).strict(),
]);
export type PageEdit = z.infer<typeof pageEditSchema>;

export const fixityProblemSchema = z.object({
  kind: z.enum(['missing', 'changed', 'unreadable', 'unexpected']),
  /** Relative to the archive folder. */
  path: z.string(),
  message: z.string(),
});
export const fixityReportSchema = z.object({
  ok: z.boolean(),
  checked: z.object({
    originals: z.number().int().nonnegative(),
    derived: z.number().int().nonnegative(),
    pages: z.number().int().nonnegative(),
    documentRevisions: z.number().int().nonnegative(),
    bytes: z.number().int().nonnegative(),
  }),
  problems: z.array(fixityProblemSchema),
  /** Not damage, but worth knowing: writes interrupted by a crash, work still in the journal, unreferenced originals. */
  notes: z.array(fixityProblemSchema.extend({ kind: z.enum(['interrupted-write', 'journal', 'unreferenced']) })),
});
export type FixityReport = z.infer<typeof fixityReportSchema>;

const expectedRevision = z.number().int().positive().optional();

const empty = z.object({}).strict();

function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O) {
  return { input, output };
}

export const methods = {
  'app.getInfo': method(
    empty,
    z.object({
      version: z.string(),
      host: z.enum(['electron', 'local']),
      ocrLanguages: z.array(z.string()),
    }),
  ),
  'capture.listDevices': method(
    empty,
    z.object({ devices: z.array(deviceSchema), backends: z.array(backendStatusSchema).optional() }),
  ),
  'capture.getCapabilities': method(z.object({ deviceId: z.string().min(1).max(256) }).strict(), deviceCapabilitiesSchema),
  /** Stops a scanning job (pages already stored stay) or ends an interrupted one. */
  'capture.cancel': method(z.object({ jobId: z.string().min(1).max(64) }).strict(), z.object({ state: captureJobStateSchema })),
  /**
   * Goes on with a job interrupted by a jam, an empty feeder, an open cover...: scans the sheets
   * now in the device with the same settings; pages are numbered on from where the job stopped.
   */
  'capture.resume': method(z.object({ jobId: z.string().min(1).max(64) }).strict(), z.object({ jobId: z.string() })),
  /** Starts a scan; pages arrive as `page.stored` events and the job ends with `capture.finished`. */
  'capture.scan': method(
    z
      .object({
        deviceId: z.string().min(1).max(256),
        source: scanSourceSchema.default('flatbed'),
        resolution: z.number().int().min(50).max(1200).default(300),
        mode: scanModeSchema.default('gray'),
      })
      .strict(),
    z.object({ jobId: z.string() }),
  ),
  /**
   * Imports image files; each is stored, then OCR'd in the background (`page.recognized`).
   * A bad file never costs the good ones: it is reported in `rejected` and the rest are imported.
   */
  'import.files': method(
    z
      .object({
        files: z
          .array(z.object({ name: z.string().min(1).max(255), dataBase64: base64Schema }).strict())
          .min(1)
          .max(MAX_IMPORT_FILES),
      })
      .strict(),
    z.object({
      pages: z.array(pageRecordSchema),
      rejected: z.array(z.object({ name: z.string(), code: apiErrorCodeSchema, message: z.string() })),
    }),
  ),
  /** Every page in the archive: the renderer's catalog and index are rebuilt from this. */
  /** The OCR settings in force, the models installed, and the cores (a sensible upper bound for workers). */
  'ocr.getSettings': method(empty, z.object({ settings: ocrSettingsSchema, installedLanguages: z.array(z.string()), cores: z.number().int().positive() })),
  /**
   * Changes OCR settings; pages not yet handed to the engine use them, pages under way finish with
   * the old ones. Languages must be installed (`unavailable` otherwise).
   */
  'ocr.updateSettings': method(ocrSettingsSchema.partial().strict(), z.object({ settings: ocrSettingsSchema })),
  'pages.list': method(empty, z.object({ pages: z.array(pageRecordSchema) })),
  'pages.getImage': method(
    z.object({ pageId: sha256HexSchema }).strict(),
    z.object({ mimeType: z.string(), dataBase64: base64Schema }),
  ),
  /**
   * A clerk's re-OCR of one page, ahead of batch work, in the languages the clerk picks (e.g.
   * `srp_latn+sqi` for a Serbian Latin page read as Albanian) or, without them, by detected script.
   * Returns the page as queued; `page.recognized` or `page.failed` follows.
   */
  'pages.recognizeAgain': method(
    z.object({ pageId: sha256HexSchema, languages: ocrLanguagesSchema.optional() }).strict(),
    z.object({ page: pageRecordSchema }),
  ),
  /** Every document, deleted ones included (flagged), as the archive holds them. */
  'documents.list': method(empty, z.object({ documents: z.array(documentRecordSchema) })),
  'documents.get': method(
    z.object({ documentId: documentIdSchema }).strict(),
    z.object({ document: documentRecordSchema, history: z.array(documentChangeSchema) }),
  ),
  /** Groups archived pages into a new document. A page belongs to at most one document. */
  'documents.create': method(
    z.object({ pageIds: z.array(sha256HexSchema).min(1).max(10_000), metadata: documentMetadataPatchSchema.optional() }).strict(),
    z.object({ document: documentRecordSchema }),
  ),
  /**
   * Edits fail with `bad-request` (details `{ reason: 'stale-revision', revision }`) when
   * `expectedRevision` is given and the document has moved on since, so a stale screen never
   * overwrites newer work. A page already in another document is refused the same way.
   */
  'documents.update': method(
    z.object({ documentId: documentIdSchema, expectedRevision, metadata: documentMetadataPatchSchema }).strict(),
    z.object({ document: documentRecordSchema }),
  ),
  'documents.editPages': method(
    z.object({ documentId: documentIdSchema, expectedRevision, edit: pageEditSchema }).strict(),
    z.object({ document: documentRecordSchema }),
  ),
  /** Moves the pages from position `at` (0-based) on into a new document with the same metadata. */
  'documents.splitPages': method(
    z.object({ documentId: documentIdSchema, expectedRevision, at: z.number().int().positive() }).strict(),
    z.object({ document: documentRecordSchema, created: documentRecordSchema }),
  ),
  /** Appends the pages of `sourceIds`, in order, to the document; the sources end as deleted, merged into it. */
  'documents.merge': method(
    z.object({ documentId: documentIdSchema, expectedRevision, sourceIds: z.array(documentIdSchema).min(1).max(100) }).strict(),
    z.object({ document: documentRecordSchema }),
  ),
  'documents.delete': method(
    z.object({ documentId: documentIdSchema, expectedRevision }).strict(),
    z.object({ document: documentRecordSchema }),
  ),
  /** The document as a searchable PDF/A-2b. */
  'documents.exportPdf': method(
    z.object({ documentId: documentIdSchema }).strict(),
    z.object({ fileName: z.string(), mimeType: z.literal('application/pdf'), dataBase64: base64Schema }),
  ),
  /** Everything the catalog and the index need, read from the archive alone (and what could not be read). */
  'archive.rebuild': method(
    empty,
    z.object({
      pages: z.array(pageRecordSchema),
      documents: z.array(documentRecordSchema),
      unreadable: z.array(z.object({ path: z.string(), reason: z.string() })),
    }),
  ),
  /** Re-hashes every file of the archive and reports what is missing, changed or unexpected. */
  'archive.checkFixity': method(empty, fixityReportSchema),

  /* Sign-in (issue 7): the person at the workstation proves who they are by unlocking their own
     signing key. A wrong passphrase is `unauthorized` (and audited); success is audited too. */
  'session.get': method(empty, sessionSchema),
  'session.signIn': method(z.object({ keyId: sha256HexSchema, passphrase: passphraseInput }).strict(), sessionSchema),
  'session.signOut': method(empty, sessionSchema),

  /* Batches (issue 7). The actor is the signed-in user: with nobody signed in, every change fails
     with `unauthenticated`. Sealing, countersigning and rejecting also unlock the person's own
     key with their passphrase, and refuse a key that is not the signed-in user's. */
  'batches.list': method(empty, z.object({ batches: z.array(batchRecordSchema) })),
  'batches.get': method(z.object({ batchId: batchIdInput }).strict(), z.object({ batch: batchRecordSchema })),
  'batches.open': method(
    z
      .object({
        title: z.string().trim().min(1).max(500),
        expectedPages: z.number().int().nonnegative().max(1_000_000).optional(),
        pageIds: z.array(sha256HexSchema).max(100_000).default([]),
      })
      .strict(),
    z.object({ batch: batchRecordSchema }),
  ),
  'batches.addPages': method(
    z.object({ batchId: batchIdInput, pageIds: z.array(sha256HexSchema).min(1).max(100_000) }).strict(),
    z.object({ batch: batchRecordSchema }),
  ),
  'batches.removePages': method(
    z.object({ batchId: batchIdInput, pageIds: z.array(sha256HexSchema).min(1).max(100_000) }).strict(),
    z.object({ batch: batchRecordSchema }),
  ),
  /** Writes the batch as a BagIt bag and signs it with the clerk's key ("sealed by clerk"); `batch.changed` follows. */
  'batches.seal': method(
    z.object({ batchId: batchIdInput, keyId: sha256HexSchema, passphrase: passphraseInput }).strict(),
    z.object({ batch: batchRecordSchema }),
  ),
  /** Re-hashes the sealed bag and checks manifests, custody, page counts and signatures; changes nothing. */
  'batches.verify': method(
    z.object({ batchId: batchIdInput, requireCountersignature: z.boolean().default(false) }).strict(),
    z.object({ report: batchVerificationSchema }),
  ),
  /** Verifies, then adds the supervisor's signature ("verified by supervisor"); refused if anything fails. */
  'batches.countersign': method(
    z.object({ batchId: batchIdInput, keyId: sha256HexSchema, passphrase: passphraseInput }).strict(),
    z.object({ batch: batchRecordSchema }),
  ),
  'batches.reject': method(
    z.object({ batchId: batchIdInput, reason: z.string().trim().min(1).max(4000), keyId: sha256HexSchema, passphrase: passphraseInput }).strict(),
    z.object({ batch: batchRecordSchema }),
  ),
  /** A rejected batch goes back to the clerk; sealing it again makes a new bag and keeps the old one. */
  'batches.reopen': method(z.object({ batchId: batchIdInput }).strict(), z.object({ batch: batchRecordSchema })),
  'batches.queueForSync': method(z.object({ batchId: batchIdInput }).strict(), z.object({ batch: batchRecordSchema })),
  'signing.listKeys': method(empty, z.object({ keys: z.array(signingKeySchema) })),
  /** A new Ed25519 key for a user, encrypted with their passphrase; an administrator adds it to the trust store. */
  'signing.createKey': method(
    z
      .object({
        userId: z.string().min(1).max(200),
        displayName: z.string().trim().min(1).max(200),
        role: z.enum(['clerk', 'supervisor']),
        passphrase: passphraseInput,
      })
      .strict(),
    z.object({ key: signingKeySchema, publicKeyPem: z.string() }),
  ),
  /**
   * A certificate and private key the institution issued (PEM; the key PKCS#8 or traditional),
   * kept with the private half encrypted by `passphrase`. Refused (`bad-request`) when the key
   * does not belong to the certificate. An administrator still adds it to the trust store.
   */
  'signing.importCertificate': method(
    z
      .object({
        userId: z.string().min(1).max(200),
        displayName: z.string().trim().min(1).max(200),
        role: z.enum(['clerk', 'supervisor']),
        certificatePem: z.string().min(1).max(100_000),
        privateKeyPem: z.string().min(1).max(100_000),
        chainPems: z.array(z.string().min(1).max(100_000)).max(10).optional(),
        passphrase: passphraseInput,
      })
      .strict(),
    z.object({ key: signingKeySchema }),
  ),
  /**
   * What the UI itself witnesses goes into the audit trail, in the name of the signed-in user.
   * With nobody signed in it is the workstation's, as for the methods that view, export and edit.
   * Sign-ins are recorded by the services alone.
   */
  'audit.record': method(
    z
      .object({
        kind: z.enum(['view', 'search', 'export', 'edit']),
        subject: z.string().max(2000).optional(),
        details: z.record(z.string(), z.union([z.string().max(2000), z.number(), z.boolean()])).optional(),
      })
      .strict(),
    z.object({ seq: z.number().int().positive(), hash: sha256HexSchema }),
  ),
  /** Checks the audit trail's hash chain and signatures. */
  'audit.verify': method(
    empty,
    z.object({
      ok: z.boolean(),
      entries: z.number().int().nonnegative(),
      problems: z.array(z.object({ code: z.string(), line: z.number().int().optional(), message: z.string() })),
    }),
  ),
  /**
   * The audit trail in order, a page at a time: the entries numbered after `after` (from the
   * start without it), at most `limit`. `lastSeq` is the newest entry's number, so a reader knows
   * whether more follow. Lines that are not well-formed entries are left out (`audit.verify` names them).
   */
  'audit.list': method(
    z.object({ after: z.number().int().nonnegative().optional(), limit: z.number().int().min(1).max(1000).default(500) }).strict(),
    z.object({ entries: z.array(auditEventSchema), lastSeq: z.number().int().nonnegative() }),
  ),
} as const;

export const events = {
  'page.stored': z.object({ page: pageRecordSchema }),
  'page.recognized': z.object({ page: pageRecordSchema }),
  'page.failed': z.object({ page: pageRecordSchema }),
  /** A document was created or changed (split, merge, delete... each document involved gets one). */
  'document.changed': z.object({ document: documentRecordSchema }),
  /** A page's way through OCR (issue 4): waiting, cleaned up, being recognised (0..1), retried after a worker failed. */
  'ocr.progress': z.object({
    pageId: sha256HexSchema,
    stage: z.enum(['queued', 'cleaning', 'recognizing', 'retrying']),
    progress: z.number().min(0).max(1).optional(),
    /** Pages waiting for OCR, in memory and on disk. */
    waiting: z.number().int().nonnegative(),
  }),
  /** A run of a job ended; with `resumable`, `capture.resume` can go on with it (after a jam, say). */
  'capture.finished': z.object({
    jobId: z.string(),
    pagesStored: z.number().int().nonnegative(),
    error: captureErrorSchema.optional(),
    resumable: z.boolean().optional(),
  }),
  /** A job's state changed or a page of it was stored. */
  'capture.progress': z.object({
    jobId: z.string(),
    state: captureJobStateSchema,
    pagesStored: z.number().int().nonnegative(),
    /** The page just stored. */
    pageId: sha256HexSchema.optional(),
    error: captureErrorSchema.optional(),
  }),
  /** The hot folder took a file: imported (its pages arrive as `page.stored`), a duplicate, or rejected and why. */
  'import.hotFolder': z.object({
    file: z.string(),
    status: z.enum(['imported', 'duplicate', 'rejected']),
    pages: z.number().int().nonnegative().optional(),
    message: z.string().optional(),
  }),
  /** A batch was opened, changed, sealed, countersigned, rejected, queued or synced (issue 7). */
  'batch.changed': z.object({ batch: batchRecordSchema }),
  /** Someone signed in or out at this workstation (every window shares the one session). */
  'session.changed': sessionSchema,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type EventName = keyof typeof events;
/** What a caller may pass (defaults still optional). */
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
/** What a handler receives after validation (defaults applied). */
export type ParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

/**
 * The API as the renderer sees it, whichever host carries it: one function per operation and
 * one subscription per event.
 */
export type ArkivaApi = {
  readonly [M in MethodName]: (input: MethodInput<M>) => Promise<MethodOutput<M>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /**
   * The connection to the services dropped and is back: events sent meanwhile were lost, so
   * whatever mirrors the archive should list it again. (Never fires under Electron, whose IPC
   * cannot drop.)
   */
  onReconnect(listener: () => void): () => void;
};
