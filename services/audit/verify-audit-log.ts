import { readFile } from 'node:fs/promises';
import { verifyEd25519 } from '../signing/ed25519';
import type { TrustStore } from '../signing/trust-store';
import { auditEntrySchema, entryHash, GENESIS, type AuditEntry } from './audit-entry';
import { auditHeadSchema, headMessage } from './audit-log';

export interface AuditProblem {
  readonly code: string;
  /** 1-based line in the log file, when the problem is at one entry. */
  readonly line?: number;
  readonly message: string;
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly entries: number;
  readonly problems: readonly AuditProblem[];
}

/**
 * Checks the whole chain: every entry well formed, numbered without gaps, hashing to what it
 * says, linked to the previous entry's hash, signed by a workstation key the trust store knows;
 * and the signed head, by a trusted, unrevoked workstation key, matching the last entry. A head
 * exactly one behind an intact last entry is reported as an interrupted write, not as tampering.
 */
export async function verifyAuditLog(file: string, trust: TrustStore): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    // No log yet is an empty trail; the signed head below tells whether one was deleted.
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) {
      return { ok: false, entries: 0, problems: [{ code: 'unreadable', message: `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}` }] };
    }
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let expectedSeq = 1;
  let prev = GENESIS;
  let last: AuditEntry | undefined;
  // Whether the last entry hashed and verified: only then can a head one behind be a crash.
  let lastIntact = false;
  lines.forEach((line, index) => {
    const at = index + 1;
    let entry: AuditEntry;
    try {
      const parsed = auditEntrySchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
      entry = parsed.data;
    } catch (error) {
      problems.push({ code: 'malformed-entry', line: at, message: `line ${at} is not an audit entry: ${(error as Error).message}` });
      return;
    }
    if (entry.seq !== expectedSeq) {
      problems.push({
        code: entry.seq > expectedSeq ? 'entry-missing' : 'entry-out-of-order',
        line: at,
        message: entry.seq > expectedSeq ? `entry ${expectedSeq}${entry.seq - expectedSeq > 1 ? `–${entry.seq - 1}` : ''} removed: line ${at} is entry ${entry.seq}` : `line ${at} is entry ${entry.seq}, expected ${expectedSeq}`,
      });
    }
    if (entry.prev !== prev) {
      problems.push({ code: 'chain-broken', line: at, message: `entry ${entry.seq} (line ${at}) does not follow the entry before it: its previous-hash is ${entry.prev.slice(0, 16)}…, the entry before hashes to ${prev.slice(0, 16)}…` });
    }
    const before = problems.length;
    const hash = entryHash(entry);
    if (hash !== entry.hash) {
      problems.push({ code: 'entry-edited', line: at, message: `entry ${entry.seq} (line ${at}) was edited: its content hashes to ${hash.slice(0, 16)}…, not the ${entry.hash.slice(0, 16)}… it was signed with` });
    } else {
      const key = trust.get(entry.keyId);
      if (!key) problems.push({ code: 'unknown-key', line: at, message: `entry ${entry.seq} (line ${at}) is signed by key ${entry.keyId.slice(0, 16)}…, which the trust store does not know` });
      else if (!key.roles.includes('workstation')) problems.push({ code: 'wrong-role', line: at, message: `entry ${entry.seq} (line ${at}) is signed by ${key.displayName}, not a workstation key` });
      else if (key.revokedAt) problems.push({ code: 'revoked-key', line: at, message: `entry ${entry.seq} (line ${at}) is signed by a key revoked on ${key.revokedAt}` });
      else if (!verifyEd25519(key.publicKeyPem, Buffer.from(entry.hash, 'hex'), Buffer.from(entry.sig, 'base64'))) {
        problems.push({ code: 'bad-signature', line: at, message: `entry ${entry.seq} (line ${at}) has a signature that does not match its content (rewritten and re-hashed?)` });
      }
    }
    expectedSeq = entry.seq + 1;
    prev = entry.hash;
    last = entry;
    lastIntact = problems.length === before;
  });

  const headText = await readFile(`${file}.head`, 'utf8').catch(() => undefined);
  if (headText === undefined) {
    if (last && lastIntact && lines.length === 1 && last.seq === 1 && last.prev === GENESIS) {
      problems.push({ code: 'interrupted-write', message: 'interrupted write: entry 1 was written completely, but its signed head was not (a crash or power loss, not an edit); the app completes the head at its next start' });
    } else if (last) problems.push({ code: 'head-missing', message: `${file}.head is missing, so entries cut off the end could not be noticed` });
  } else {
    const head = auditHeadSchema.safeParse(safeJson(headText));
    const key = head.success ? trust.get(head.data.keyId) : undefined;
    const lastSeq = last?.seq ?? 0;
    if (!head.success) problems.push({ code: 'head-malformed', message: `${file}.head is not a signed head` });
    else if (!key || !verifyEd25519(key.publicKeyPem, headMessage(head.data.seq, head.data.hash), Buffer.from(head.data.sig, 'base64'))) {
      problems.push({ code: 'head-bad-signature', message: `${file}.head is not signed by a trusted workstation key` });
    } else if (!key.roles.includes('workstation')) {
      problems.push({ code: 'head-wrong-role', message: `${file}.head is signed by ${key.displayName}, whose key is trusted as ${key.roles.join(', ')}, not as a workstation` });
    } else if (key.revokedAt) {
      problems.push({ code: 'head-revoked-key', message: `${file}.head is signed by key ${key.keyId.slice(0, 16)}…, revoked on ${key.revokedAt} (${key.revocationReason ?? 'no reason given'})` });
    } else if (head.data.seq !== lastSeq || head.data.hash !== (last?.hash ?? GENESIS)) {
      if (last && lastIntact && head.data.seq === lastSeq - 1 && head.data.hash === last.prev) {
        // Appended and fsynced, but the head was not replaced yet: a crash, not a change.
        problems.push({
          code: 'interrupted-write',
          message: `interrupted write: entry ${lastSeq} was written completely, but the signed head still names entry ${head.data.seq} (a crash or power loss between the two writes, not an edit); the app completes the head at its next start`,
        });
      } else {
        problems.push({
          code: head.data.seq > lastSeq ? 'entries-truncated' : 'head-stale',
          message: `the signed head names entry ${head.data.seq}, but the log ends at entry ${lastSeq}${head.data.seq > lastSeq ? ': entries were removed from the end' : ''}`,
        });
      }
    }
  }
  return { ok: problems.length === 0, entries: lines.length, problems };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
