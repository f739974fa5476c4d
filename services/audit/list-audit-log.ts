import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { AuditEventRecord } from '../../common/api/contract';
import { auditEntrySchema, type AuditEntry } from './audit-entry';
import { auditHeadSchema } from './audit-log';

export interface AuditPage {
  readonly entries: AuditEventRecord[];
  /** The newest entry's number (0 for an empty trail). */
  readonly lastSeq: number;
}

/** How the log writes each line (JSON.stringify keeps `seq` first): read without parsing the entry. */
const LEADING_SEQ = /^\{"seq":(\d+),/;

/**
 * Reads the audit trail a page at a time for the renderer's catalog: entries numbered after
 * `after`, in order, at most `limit`. Streams the file and stops once the page is full, so
 * paging through a long trail neither holds it in memory nor parses what came before in full.
 * Lines that are not entries (an edited or truncated line) are left out here; `audit.verify` is
 * where they are reported.
 */
export async function listAuditEntries(file: string, { after = 0, limit }: { after?: number; limit: number }): Promise<AuditPage> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive whole number, not ${limit}`);
  if (!Number.isInteger(after) || after < 0) throw new RangeError(`after must be a sequence number (0 or more), not ${after}`);
  const entries: AuditEventRecord[] = [];
  let lastSeq = 0;
  const stream = createReadStream(file, { encoding: 'utf8' });
  const opened = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    stream.once('ready', () => resolve(null));
    stream.once('error', (error: NodeJS.ErrnoException) => resolve(error));
  });
  if (opened) {
    stream.destroy();
    // No trail yet: nothing has been recorded.
    if (opened.code === 'ENOENT') return { entries, lastSeq };
    throw opened;
  }
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let full = false;
  try {
    for await (const line of lines) {
      const quick = LEADING_SEQ.exec(line);
      if (quick && Number(quick[1]) <= after) {
        lastSeq = Math.max(lastSeq, Number(quick[1]));
        continue;
      }
      const entry = parseEntry(line);
      if (!entry) continue;
      lastSeq = Math.max(lastSeq, entry.seq);
      if (entry.seq <= after) continue;
      const { sig: _signature, ...record } = entry;
      entries.push(record);
      if (entries.length === limit) {
        full = true;
        break;
      }
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  // The signed head names the last entry, so a full page need not read the rest of the file.
  if (full) lastSeq = Math.max(lastSeq, (await headSeq(file)) ?? (await countToEnd(file, lastSeq)));
  return { entries, lastSeq };
}

function parseEntry(line: string): AuditEntry | undefined {
  if (line.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = auditEntrySchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

async function headSeq(file: string): Promise<number | undefined> {
  try {
    const parsed = auditHeadSchema.safeParse(JSON.parse(await readFile(`${file}.head`, 'utf8')));
    return parsed.success ? parsed.data.seq : undefined;
  } catch {
    return undefined;
  }
}

/** Without a readable head, the last entry's number is found by reading on. */
async function countToEnd(file: string, from: number): Promise<number> {
  let last = from;
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    const seq = LEADING_SEQ.exec(line)?.[1] ?? (parseEntry(line)?.seq);
    if (seq !== undefined) last = Math.max(last, Number(seq));
  }
  return last;
}
