import { createHash, getHashes, webcrypto } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';

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

const WEB_CRYPTO_NAMES: Record<string, string> = { sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };

export function isSupportedAlgorithm(name: string): boolean {
  const node = NODE_NAMES[name];
  return node !== undefined && getHashes().includes(node);
}

/** Length in hex characters of a digest, to reject malformed manifest lines before hashing. */
export function digestHexLength(algorithm: string): number {
  return createHash(NODE_NAMES[algorithm] ?? algorithm).digest('hex').length;
}

/**
 * Files up to this size are read whole and hashed with WebCrypto, whose digests run on libuv's
 * thread pool: every core hashes at once without worker threads of our own, and the event loop
 * stays free. Larger files stream through createHash so memory stays bounded.
 */
const WHOLE_FILE_LIMIT = 32 * 1024 * 1024;

export interface HashJob {
  readonly file: string;
  readonly algorithms: readonly string[];
}

export type HashOutcome = { digests: Record<string, string>; size: number } | { error: NodeJS.ErrnoException };

/** Hashes many files in parallel, sized to the machine's cores. Outcomes keep the jobs' order. */
export async function hashFiles(jobs: readonly HashJob[], concurrency = defaultHashConcurrency()): Promise<HashOutcome[]> {
  const outcomes: HashOutcome[] = new Array<HashOutcome>(jobs.length);
  let next = 0;
  async function lane(): Promise<void> {
    while (next < jobs.length) {
      const index = next++;
      const job = jobs[index];
      if (!job) continue;
      try {
        outcomes[index] = await hashFile(job.file, job.algorithms);
      } catch (error) {
        outcomes[index] = { error: error instanceof Error ? error : new Error(String(error)) };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, jobs.length)) }, lane));
  return outcomes;
}

export function defaultHashConcurrency(): number {
  // Two files per core: one being read while the other is hashed, so no core waits for the disk.
  return availableParallelism() * 2;
}

export async function hashFile(file: string, algorithms: readonly string[]): Promise<{ digests: Record<string, string>; size: number }> {
  const { size } = await stat(file);
  if (size <= WHOLE_FILE_LIMIT) {
    const data = await readFile(file);
    const digests: Record<string, string> = {};
    await Promise.all(
      algorithms.map(async (algorithm) => {
        const web = WEB_CRYPTO_NAMES[algorithm];
        digests[algorithm] = web
          ? Buffer.from(await webcrypto.subtle.digest(web, data)).toString('hex')
          : createHash(nodeName(algorithm)).update(data).digest('hex');
      }),
    );
    return { digests, size: data.length };
  }
  const hashes = algorithms.map((algorithm) => [algorithm, createHash(nodeName(algorithm))] as const);
  let read = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    const bytes = chunk as Buffer;
    read += bytes.length;
    for (const [, hash] of hashes) hash.update(bytes);
  }
  return { digests: Object.fromEntries(hashes.map(([algorithm, hash]) => [algorithm, hash.digest('hex')])), size: read };
}

function nodeName(algorithm: string): string {
  const name = NODE_NAMES[algorithm];
  if (!name) throw new Error(`Unsupported checksum algorithm: ${algorithm}`);
  return name;
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
