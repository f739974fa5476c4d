import { appendFile, open, readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../archive/atomic-write';
import type { Signer } from '../signing/keystore';
import { auditEntrySchema, entryHash, GENESIS, type AuditEntry, type AuditKind } from './audit-entry';

export const auditHeadSchema = z.object({ seq: z.number().int().nonnegative(), hash: z.string(), keyId: z.string(), sig: z.base64() }).strict();

export interface AuditEvent {
  readonly kind: AuditKind;
  readonly actor: string;
  readonly subject?: string;
  readonly details?: Record<string, z.infer<ReturnType<typeof z.json>>>;
}

/**
 * The audit trail: one JSON entry per line, append-only. Each entry carries the hash of the one
 * before it and is signed by the workstation key, so an edited entry breaks its own hash or
 * signature and a removed one breaks the chain. `<file>.head` holds the signed last hash, so
 * cutting entries off the end is caught too.
 */
export class AuditLog {
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    private readonly signer: Signer,
    private seq: number,
    private last: string,
  ) {}

  static async open(file: string, signer: Signer): Promise<AuditLog> {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    const lines = text.split('\n').filter((line) => line !== '');
    const lastLine = lines.at(-1);
    if (lastLine === undefined) return new AuditLog(file, signer, 0, GENESIS);
    const last = auditEntrySchema.parse(JSON.parse(lastLine));
    return new AuditLog(file, signer, last.seq, last.hash);
  }

  /** Appends one entry; entries are written one at a time, in call order, each fsynced. */
  record(event: AuditEvent, at = new Date()): Promise<AuditEntry> {
    const next = this.tail.then(() => this.write(event, at));
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Resolves once every entry recorded so far is on disk. */
  async flushed(): Promise<void> {
    await this.tail;
  }

  private async write(event: AuditEvent, at: Date): Promise<AuditEntry> {
    const fields = {
      seq: this.seq + 1,
      at: at.toISOString(),
      kind: event.kind,
      actor: event.actor,
      ...(event.subject === undefined ? {} : { subject: event.subject }),
      ...(event.details === undefined ? {} : { details: event.details }),
      prev: this.last,
      keyId: this.signer.keyId,
    };
    const hash = entryHash(fields);
    const entry = auditEntrySchema.parse({ ...fields, hash, sig: this.signer.sign(Buffer.from(hash, 'hex')).toString('base64') });
    await appendFile(this.file, `${JSON.stringify(entry)}\n`, { flag: 'a' });
    const handle = await open(this.file, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    const head = { seq: entry.seq, hash, keyId: this.signer.keyId, sig: this.signer.sign(headMessage(entry.seq, hash)).toString('base64') };
    await writeFileAtomic(`${this.file}.head`, `${JSON.stringify(head)}\n`);
    this.seq = entry.seq;
    this.last = hash;
    return entry;
  }
}

export function headMessage(seq: number, hash: string): Buffer {
  return Buffer.from(`arkiva-audit-head:${seq}:${hash}`);
}
