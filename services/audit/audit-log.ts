import { appendFile, mkdir, open, readFile, truncate } from 'node:fs/promises';
import path from 'node:path';
import { lock } from 'proper-lockfile';
import { z } from 'zod';
import { writeFileAtomic } from '../archive/atomic-write';
import { verifyEd25519 } from '../signing/ed25519';
import type { Signer } from '../signing/keystore';
import { auditEntrySchema, entryHash, GENESIS, type AuditEntry, type AuditKind } from './audit-entry';

export const auditHeadSchema = z.object({ seq: z.number().int().nonnegative(), hash: z.string(), keyId: z.string(), sig: z.base64() }).strict();
export type AuditHead = z.infer<typeof auditHeadSchema>;

export interface AuditEvent {
  readonly kind: AuditKind;
  readonly actor: string;
  readonly subject?: string;
  readonly details?: Record<string, z.infer<ReturnType<typeof z.json>>>;
}

/** The trail does not end where its signed head says, in a way no crash explains: it was changed. */
export class AuditTailError extends Error {
  override readonly name = 'AuditTailError';
}

/**
 * The audit trail: one JSON entry per line, append-only. Each entry carries the hash of the one
 * before it and is signed by the workstation key, so an edited entry breaks its own hash or
 * signature and a removed one breaks the chain. `<file>.head` holds the signed last hash, so
 * cutting entries off the end is caught too.
 *
 * Write order: the entry is appended and fsynced first, the head replaced atomically after. A
 * crash between the two leaves a head exactly one entry behind a complete, validly signed last
 * entry that chains to it (an interrupted write, which open() repairs and notes in the trail);
 * a crash during the append leaves a torn last line without its newline (also repaired, the torn
 * bytes kept aside in `<file>.torn`). Anything else at the tail is refused as tampering.
 */
export class AuditLog {
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    private readonly signer: Signer,
    private seq: number,
    private last: string,
  ) {}

  /**
   * Opens the trail to continue its chain, after checking its tail against the signed head:
   * the last entry must hash to what it says, carry a valid signature when it is this
   * workstation's, and be the one the head names. Throws AuditTailError when it is not.
   */
  static async open(file: string, signer: Signer): Promise<AuditLog> {
    await mkdir(path.dirname(file), { recursive: true });
    // Under the writers' lock: another process may be between an append and its head.
    return withTrailLock(file, () => AuditLog.openLocked(file, signer));
  }

  private static async openLocked(file: string, signer: Signer): Promise<AuditLog> {
    let text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    const repairs: Record<string, string | number>[] = [];
    if (text !== '' && !text.endsWith('\n')) {
      // A torn append: the entry was never acknowledged; keep its bytes aside, cut it off.
      const cut = text.lastIndexOf('\n') + 1;
      await appendFile(`${file}.torn`, `${text.slice(cut)}\n`);
      await truncate(file, Buffer.byteLength(text.slice(0, cut)));
      repairs.push({ event: 'torn-entry-removed', keptIn: `${file}.torn`, bytes: Buffer.byteLength(text.slice(cut)) });
      text = text.slice(0, cut);
    }
    const lines = text.split('\n').filter((line) => line !== '');
    const head = await readHead(file);
    const lastLine = lines.at(-1);
    let log: AuditLog;
    if (lastLine === undefined) {
      if (head && head.seq > 0) throw new AuditTailError(`${file} is empty or missing, but its signed head names entry ${head.seq}: the trail was deleted.`);
      log = new AuditLog(file, signer, 0, GENESIS);
    } else {
      const last = parseTail(file, lastLine, lines.length);
      if (last.keyId === signer.keyId && !verifyEd25519(signer.publicKeyPem, Buffer.from(last.hash, 'hex'), Buffer.from(last.sig, 'base64'))) {
        throw new AuditTailError(`${file}: the last entry (${last.seq}) is not signed by this workstation's key although it names it: it was rewritten.`);
      }
      log = new AuditLog(file, signer, last.seq, last.hash);
      const names = (at: AuditHead | undefined) => at !== undefined && at.seq === last.seq && at.hash === last.hash;
      const oneBehind = head ? head.seq === last.seq - 1 && head.hash === last.prev : last.seq === 1 && last.prev === GENESIS;
      if (head && head.keyId === signer.keyId && !verifyEd25519(signer.publicKeyPem, headMessage(head.seq, head.hash), Buffer.from(head.sig, 'base64'))) {
        throw new AuditTailError(`${file}.head is not signed by this workstation's key although it names it.`);
      }
      if (!names(head)) {
        if (!oneBehind) {
          throw new AuditTailError(
            head
              ? `${file} ends at entry ${last.seq}, but its signed head names entry ${head.seq}: entries were removed or added (run arkiva audit verify).`
              : `${file}.head is missing, but the trail has ${last.seq} entries: the head was deleted (run arkiva audit verify).`,
          );
        }
        // The entry was appended, the head not yet replaced: finish that write now.
        await log.writeHead(last.seq, last.hash);
        repairs.push({ event: 'interrupted-write', seq: last.seq });
      }
    }
    for (const details of repairs) await log.append({ kind: 'repair', actor: 'workstation', subject: 'audit.log', details }, new Date());
    return log;
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

  /**
   * The app and the command line (`arkiva export`) may both append to one trail. Each append
   * takes an inter-process lock and first catches up with entries another process added, so the
   * chain never forks.
   */
  private async write(event: AuditEvent, at: Date): Promise<AuditEntry> {
    return withTrailLock(this.file, async () => {
      await this.catchUp();
      return this.append(event, at);
    });
  }

  /** Adopts the newest entry on disk when another process appended after this one last wrote. */
  private async catchUp(): Promise<void> {
    const line = await readLastLine(this.file);
    if (line === undefined) {
      if (this.seq > 0) throw new AuditTailError(`${this.file} disappeared while it was open at entry ${this.seq}.`);
      return;
    }
    const last = parseTail(this.file, line);
    if (last.seq === this.seq && last.hash === this.last) return;
    if (last.seq < this.seq) {
      throw new AuditTailError(`${this.file} now ends at entry ${last.seq}, but this process wrote entry ${this.seq}: entries were removed.`);
    }
    if (last.keyId === this.signer.keyId && !verifyEd25519(this.signer.publicKeyPem, Buffer.from(last.hash, 'hex'), Buffer.from(last.sig, 'base64'))) {
      throw new AuditTailError(`${this.file}: the last entry (${last.seq}) is not signed by this workstation's key although it names it: it was rewritten.`);
    }
    this.seq = last.seq;
    this.last = last.hash;
  }

  private async append(event: AuditEvent, at: Date): Promise<AuditEntry> {
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
    // First the entry, durably; only then the head that vouches for it (see the class comment).
    await appendFile(this.file, `${JSON.stringify(entry)}\n`, { flag: 'a' });
    const handle = await open(this.file, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await this.writeHead(entry.seq, hash);
    this.seq = entry.seq;
    this.last = hash;
    return entry;
  }

  private async writeHead(seq: number, hash: string): Promise<void> {
    const head: AuditHead = { seq, hash, keyId: this.signer.keyId, sig: this.signer.sign(headMessage(seq, hash)).toString('base64') };
    await writeFileAtomic(`${this.file}.head`, `${JSON.stringify(head)}\n`);
  }
}

export function headMessage(seq: number, hash: string): Buffer {
  return Buffer.from(`arkiva-audit-head:${seq}:${hash}`);
}

async function readHead(file: string): Promise<AuditHead | undefined> {
  let text: string;
  try {
    text = await readFile(`${file}.head`, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AuditTailError(`${file}.head is not a signed head (not JSON).`);
  }
  const parsed = auditHeadSchema.safeParse(json);
  if (!parsed.success) throw new AuditTailError(`${file}.head is not a signed head.`);
  return parsed.data;
}

/**
 * Serialises writers of one trail across processes (the app, `arkiva export`). proper-lockfile
 * rather than our own: it handles stale locks of crashed processes and keeps the lock fresh.
 */
async function withTrailLock<T>(file: string, work: () => Promise<T>): Promise<T> {
  let compromised: Error | undefined;
  const release = await lock(file, {
    realpath: false,
    stale: 10_000,
    retries: { retries: 200, minTimeout: 5, maxTimeout: 100 },
    // The default throws from a timer, which would take the whole process down.
    onCompromised: (error) => {
      compromised = error;
    },
  }).catch((error: unknown) => {
    throw new Error(`Could not lock the audit trail ${file} (is another Arkiva process stuck writing it?): ${error instanceof Error ? error.message : String(error)}`);
  });
  try {
    const result = await work();
    if (compromised) throw new Error(`The audit trail's lock was lost while writing ${file}: ${compromised.message}`);
    return result;
  } finally {
    await release().catch(() => undefined);
  }
}

/** The trail's last complete line, read from the end (the trail grows without bound). */
async function readLastLine(file: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    let chunk = 64 * 1024;
    for (;;) {
      const start = Math.max(0, size - chunk);
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      const text = buffer.toString('utf8').replace(/\n$/, '');
      const newline = text.lastIndexOf('\n');
      if (newline >= 0 || start === 0) return text === '' ? undefined : text.slice(newline + 1);
      chunk *= 4;
    }
  } finally {
    await handle.close();
  }
}

function parseTail(file: string, line: string, lineNumber?: number): AuditEntry {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new AuditTailError(`${file}: the last line${lineNumber === undefined ? '' : ` (${lineNumber})`} is not an audit entry.`);
  }
  const parsed = auditEntrySchema.safeParse(json);
  if (!parsed.success) throw new AuditTailError(`${file}: the last line${lineNumber === undefined ? '' : ` (${lineNumber})`} is not an audit entry.`);
  if (entryHash(parsed.data) !== parsed.data.hash) throw new AuditTailError(`${file}: the last entry (${parsed.data.seq}) was edited: it no longer hashes to the hash it was signed with.`);
  return parsed.data;
}
