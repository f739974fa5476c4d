import { createHash, getHashes, type Hash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** BagIt algorithm names (manifest-<name>.txt) mapped to Node's; RFC 8493 §2.4 and common practice. */
const NODE_NAMES: Record<string, string> = {
  md5: 'md5',
  sha1: 'sha1',
  sha224: 'sha224',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
  'sha3-256': 'sha3-256',
  'sha3-512': 'sha3-512',
};

export function isSupportedAlgorithm(name: string): boolean {
  const node = NODE_NAMES[name];
  return node !== undefined && getHashes().includes(node);
}

/** Length in hex characters of a digest, to reject malformed manifest lines before hashing. */
export function digestHexLength(algorithm: string): number {
  return createHash(NODE_NAMES[algorithm] ?? algorithm).digest('hex').length;
}

export interface HashJob {
  readonly file: string;
  readonly algorithms: readonly string[];
}

export type HashOutcome = { digests: Record<string, string>; size: number } | { error: NodeJS.ErrnoException };

export interface HashOptions {
  /**
   * How long hashing may hold the event loop before it lets other work run (ms). Files are read
   * and hashed synchronously in slices of about this length.
   */
  readonly sliceMs?: number;
}

/** 1 MiB reads: few system calls per file, and the buffer stays in the CPU's cache. */
const READ_SIZE = 1024 * 1024;
const DEFAULT_SLICE_MS = 25;

/**
 * Hashes many files, each once for all its algorithms; outcomes keep the jobs' order.
 *
 * Why synchronous reads in time slices rather than a pool of asynchronous reads: measured on a
 * 1,000-page bag from the page cache, asynchronous reads cost one libuv thread-pool round trip
 * per open, read and close, and were three times slower than reading and hashing in a tight
 * loop (1.1 GB/s on one core with OpenSSL's SHA-256, against ~0.3 GB/s for `sha256sum`). The
 * loop yields to the event loop every `sliceMs`, so the host keeps answering while a large
 * batch is verified.
 */
export async function hashFiles(jobs: readonly HashJob[], options: HashOptions = {}): Promise<HashOutcome[]> {
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  const buffer = Buffer.allocUnsafe(READ_SIZE);
  const outcomes: HashOutcome[] = [];
  let sliceStart = performance.now();
  const maybeYield = async () => {
    if (performance.now() - sliceStart < sliceMs) return;
    await nextTurn();
    sliceStart = performance.now();
  };
  for (const job of jobs) {
    let fd: number | undefined;
    try {
      const hashes: [string, Hash][] = job.algorithms.map((algorithm) => [algorithm, createHash(nodeName(algorithm))]);
      fd = openSync(job.file, 'r');
      let size = 0;
      for (;;) {
        const read = readSync(fd, buffer, 0, buffer.length, null);
        if (read === 0) break;
        size += read;
        const chunk = buffer.subarray(0, read);
        for (const [, hash] of hashes) hash.update(chunk);
        // A large file gives way between reads, too.
        if (read === buffer.length) await maybeYield();
      }
      outcomes.push({ digests: Object.fromEntries(hashes.map(([algorithm, hash]) => [algorithm, hash.digest('hex')])), size });
    } catch (error) {
      outcomes.push({ error: error instanceof Error ? error : new Error(String(error)) });
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    await maybeYield();
  }
  return outcomes;
}

export async function hashFile(file: string, algorithms: readonly string[]): Promise<{ digests: Record<string, string>; size: number }> {
  const [outcome] = await hashFiles([{ file, algorithms }]);
  if (!outcome) throw new Error(`Cannot hash ${file}`);
  if ('error' in outcome) throw outcome.error;
  return outcome;
}

function nodeName(algorithm: string): string {
  const name = NODE_NAMES[algorithm];
  if (!name) throw new Error(`Unsupported checksum algorithm: ${algorithm}`);
  return name;
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
