import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from './canonical-json';

/** `repair`: the trail itself was repaired at start-up after an interrupted write (details say how). */
export const auditKindSchema = z.enum(['scan', 'edit', 'seal', 'verify', 'countersign', 'reject', 'sync', 'view', 'search', 'export', 'sign-in', 'repair']);
export type AuditKind = z.infer<typeof auditKindSchema>;

export const GENESIS = '0'.repeat(64);

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const auditEntrySchema = z
  .object({
    seq: z.number().int().positive(),
    at: z.iso.datetime(),
    kind: auditKindSchema,
    /** Who did it (a user id), or "workstation" for the machine itself. */
    actor: z.string().min(1),
    /** What it was done to: a page id, batch id, search query... */
    subject: z.string().optional(),
    details: z.record(z.string(), z.json()).optional(),
    /** Hash of the previous entry (GENESIS for the first): the chain. */
    prev: hex64,
    /** The workstation key that signed this entry. */
    keyId: hex64,
    hash: hex64,
    /** Ed25519 signature over the 32 bytes of `hash`, base64. */
    sig: z.base64(),
  })
  .strict();
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditFields = Omit<AuditEntry, 'hash' | 'sig'>;

/** The hash covers every field but itself and the signature, in canonical JSON. */
export function entryHash(fields: AuditFields): string {
  const { seq, at, kind, actor, subject, details, prev, keyId } = fields;
  return createHash('sha256').update(canonicalJson({ seq, at, kind, actor, subject, details, prev, keyId })).digest('hex');
}
