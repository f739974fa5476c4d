import { z } from 'zod';

/**
 * The Arkiva profile of a BagIt bag, on top of RFC 8493:
 *
 *   bagit.txt, bag-info.txt, manifest-sha256.txt, tagmanifest-sha256.txt
 *   batch.json                     which pages, in which order, expected count, who sealed it
 *   custody/0001.json ...          chain of custody, one record per page
 *   data/pages/0001/original.tif   the capture, byte for byte
 *   data/pages/0001/ocr.json       OCR result; display.png
 *   data/documents/<id>/document.pdf   a document of these pages as PDF/A, with document.json
 *   signatures/01-sealed-by-clerk.{txt,sig,pub.pem}
 *   signatures/02-verified-by-supervisor.{txt,sig,pub.pem}
 *
 * Signatures are detached and cover the tag manifest (through the statement they sign), which
 * covers every other tag file and the payload manifest, which covers the payload. So they are
 * the only files the tag manifest does not list, and adding a countersignature never changes
 * what the clerk signed.
 */
export const BATCH_FILE = 'batch.json';
export const SIGNATURES_DIR = 'signatures';

export function pageFolder(n: number): string {
  return `data/pages/${String(n).padStart(4, '0')}`;
}

export function custodyFile(n: number): string {
  return `custody/${String(n).padStart(4, '0')}.json`;
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const custodyFileSchema = z.object({
  path: z.string(),
  kind: z.string(),
  mimeType: z.string(),
  sha256: hex64,
  bytes: z.number().int().nonnegative(),
  derivedFrom: z.string().optional(),
  producedBy: z.string().optional(),
});

export const custodyRecordSchema = z.object({
  format: z.literal('arkiva-custody-v1'),
  page: z.number().int().positive(),
  pageId: hex64,
  capturedAt: z.string(),
  /** Who scanned or imported the page ("workstation" when nobody was signed in, or the page predates sign-in). */
  operator: z.string(),
  /** Who put the page into the batch, which may be someone else. */
  addedBy: z.string().optional(),
  addedToBatchAt: z.string(),
  capture: z.object({
    method: z.enum(['scan', 'import']),
    device: z.string().optional(),
    driver: z.string().optional(),
    settings: z.object({ source: z.string(), resolution: z.number(), mode: z.string() }).optional(),
    fileName: z.string().optional(),
    jobId: z.string().optional(),
  }),
  /** The raw image: its hash is the page id. */
  raw: custodyFileSchema,
  derived: z.array(custodyFileSchema),
});
export type CustodyRecord = z.infer<typeof custodyRecordSchema>;

export const batchFileSchema = z.object({
  format: z.literal('arkiva-batch-v1'),
  batchId: z.string(),
  seal: z.number().int().positive(),
  title: z.string(),
  institution: z.string(),
  workstation: z.string(),
  clerk: z.object({ userId: z.string(), displayName: z.string(), keyId: hex64 }),
  sealedAt: z.string(),
  expectedPages: z.number().int().nonnegative().optional(),
  pages: z.array(z.object({ n: z.number().int().positive(), pageId: hex64, blank: z.boolean(), needsReview: z.boolean(), files: z.array(z.string()) })),
  /** Documents made of the batch's pages, each with its record and its PDF/A. */
  documents: z.array(z.object({ id: z.string(), title: z.string(), revision: z.number().int().positive(), pages: z.array(z.number().int().positive()), files: z.array(z.string()) })).default([]),
  /** A re-seal names the seal it replaces, so the history survives in the bag itself. */
  previousSeal: z
    .object({
      n: z.number().int().positive(),
      tagmanifestSha256: hex64,
      rejectedBecause: z.string().optional(),
      /** The supervisor's signed rejection, beside the bags (relative to the batch's folder), by its hash. */
      rejection: z.object({ file: z.string().regex(/^rejections\/seal-\d+\.txt$/), statementSha256: hex64 }).optional(),
    })
    .optional(),
});
export type BatchFile = z.infer<typeof batchFileSchema>;
