/**
 * Verification benchmark: `verifyBatch` (BagIt re-hash of every file, profile, custody and
 * signatures) against GNU `sha256sum --check` over the same manifests, on one generated,
 * sealed 1,000-page batch, measured in the same run, alternating, after a warm-up of each so
 * both read from the page cache. The machine is shared: every round is reported, and the ratio
 * is of the medians. Exits 1 when the ratio is below 0.8 (the requirement).
 *
 *   npm run bench:verify                       # 1,000 pages of ~360 KiB, 5 rounds
 *   npm run bench:verify -- --pages 200 --rounds 3 --kib 1024
 */
import { execFile } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BatchRecord, PageRecord } from '../../common/api/contract';
import type { BatchContentSource } from '../../services/batches/batch-contents';
import { validateBag } from '../../services/bagit/validate-bag';
import { sealBag } from '../../services/batches/seal-bag';
import { verifyBatch } from '../../services/batches/verify-batch';
import { Keystore } from '../../services/signing/keystore';
import { passphraseProtector } from '../../services/signing/protect-secret';
import { TrustStore } from '../../services/signing/trust-store';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '5' },
    /** Size of each page's original; a display copy of a fifth and an OCR result come with it. */
    kib: { type: 'string', default: '300' },
    keep: { type: 'boolean', default: false },
  },
});
/** Issue 7: verifying runs at no less than 80% of the speed of sha256sum over the same files. */
const MIN_RATIO = 0.8;
const pages = positive(values.pages, 'pages');
const rounds = positive(values.rounds, 'rounds');
const originalBytes = positive(values.kib, 'kib') * 1024;

function positive(value: string, name: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`--${name} must be a positive integer`);
  return number;
}

/** Incompressible, deterministic bytes (AES-CTR keystream), so every run hashes the same batch. */
function pseudoRandom(seed: string, length: number): Buffer {
  const key = createHash('sha256').update(seed).digest().subarray(0, 16);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(length));
}

function benchContents(count: number): { source: BatchContentSource; ids: string[] } {
  const byId = new Map<string, number>();
  const ids: string[] = [];
  for (let n = 0; n < count; n += 1) {
    const id = createHash('sha256').update(pseudoRandom(`page-${n}`, originalBytes)).digest('hex');
    byId.set(id, n);
    ids.push(id);
  }
  const source: BatchContentSource = {
    async page(pageId) {
      const n = byId.get(pageId);
      if (n === undefined) throw new Error(`unknown page ${pageId}`);
      const record: PageRecord = {
        id: pageId,
        source: { kind: 'scan', deviceId: 'sane:bench:0', settings: { source: 'adf', resolution: 300, mode: 'gray' } },
        capturedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
        originalMimeType: 'image/tiff',
        width: 2480,
        height: 3508,
        status: 'recognized',
        ocr: { text: `Faqja ${n + 1}`, confidence: 90, languages: 'sqi', words: [] },
      };
      return {
        record,
        files: [
          { name: 'original.tif', kind: 'original', mimeType: 'image/tiff', source: { load: async () => pseudoRandom(`page-${n}`, originalBytes) } },
          { name: 'display.png', kind: 'display', mimeType: 'image/png', derivedFrom: 'original', source: { load: async () => pseudoRandom(`display-${n}`, Math.round(originalBytes / 5)) } },
          { name: 'ocr.json', kind: 'ocr', mimeType: 'application/json', derivedFrom: 'original', source: { bytes: JSON.stringify({ ...record.ocr, words: Array.from({ length: 300 }, (_, i) => ({ text: `fjala${i}`, confidence: 90, bbox: { x0: i, y0: i, x1: i + 40, y1: i + 20 } })) }) } },
        ],
      };
    },
  };
  return { source, ids };
}

function sha256sumCheck(bag: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('sha256sum', ['--check', '--quiet', '--strict', 'manifest-sha256.txt', 'tagmanifest-sha256.txt'], { cwd: bag, maxBuffer: 1 << 24 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`sha256sum --check failed: ${stderr}`)) : resolve(),
    );
  });
}

async function timed(run: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);

const work = await mkdtemp(path.join(tmpdir(), 'arkiva-bench-verify-'));
try {
  console.log(`bench:verify: sealing a ${pages}-page batch (${values.kib} KiB originals) in ${work}; ${availableParallelism()} cores`);
  const keystore = new Keystore(path.join(work, 'keys'));
  const protector = passphraseProtector('benchmark passphrase', { N: 2 ** 12, r: 8, p: 1 });
  const key = await keystore.create({ userId: 'bench.clerk', displayName: 'Bench Clerk', role: 'clerk' }, protector);
  const trust = TrustStore.empty();
  trust.add({ publicKeyPem: key.publicKeyPem, userId: key.userId, displayName: key.displayName, roles: ['clerk'] });
  const clerk = await keystore.unlock(key.keyId, protector);
  const { source, ids } = benchContents(pages);
  const now = new Date().toISOString();
  const batch: BatchRecord = {
    id: '00000000-0000-4000-8000-000000000001',
    title: 'Benchmark batch',
    institution: 'Arkiva benchmark',
    workstation: 'bench',
    createdAt: now,
    createdBy: clerk.userId,
    expectedPages: pages,
    pages: ids.map((pageId) => ({ pageId, addedAt: now, addedBy: clerk.userId })),
    state: 'open',
    seals: [],
    history: [],
  };
  const bag = path.join(work, 'seal-1');
  const sealSeconds = await timed(async () => {
    await sealBag({ batch, n: 1, target: bag, contents: source, clerk });
  });

  let report = await verifyBatch(bag, trust);
  if (!report.ok) throw new Error(`the benchmark batch does not verify: ${JSON.stringify(report.errors.slice(0, 3))}`);
  await sha256sumCheck(bag); // warm-up: both sides then read from the page cache
  // Everything either side hashes: the payload plus the tag files the tag manifest lists.
  const listing = await validateBag(bag);
  const hashedFiles = [...listing.computed.keys()];
  const megabytes = hashedFiles.reduce((sum, file) => sum + (listing.files.get(file)?.size ?? 0), 0) / 1e6;
  console.log(`sealed in ${fixed(sealSeconds)} s: ${report.files.count} payload files, ${hashedFiles.length} files hashed, ${fixed(megabytes)} MB`);

  const ours: number[] = [];
  const reference: number[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    // Alternate which goes first, so neither always gets the quieter moment on a shared machine.
    const runOurs = async () => ours.push(await timed(async () => {
      report = await verifyBatch(bag, trust);
      if (!report.ok) throw new Error('verification failed during the benchmark');
    }));
    const runReference = async () => reference.push(await timed(() => sha256sumCheck(bag)));
    if (round % 2) {
      await runOurs();
      await runReference();
    } else {
      await runReference();
      await runOurs();
    }
    console.log(`round ${round}: ours ${fixed(megabytes / (ours.at(-1) ?? 1))} MB/s (${fixed(ours.at(-1) ?? 0, 2)} s), sha256sum ${fixed(megabytes / (reference.at(-1) ?? 1))} MB/s (${fixed(reference.at(-1) ?? 0, 2)} s)`);
  }
  const oursRates = ours.map((seconds) => megabytes / seconds);
  const referenceRates = reference.map((seconds) => megabytes / seconds);
  const oursRate = median(oursRates);
  const referenceRate = median(referenceRates);
  console.log(`spread: ours ${fixed(Math.min(...oursRates))}–${fixed(Math.max(...oursRates))} MB/s, sha256sum ${fixed(Math.min(...referenceRates))}–${fixed(Math.max(...referenceRates))} MB/s; per-round ratio ${fixed(Math.min(...oursRates.map((rate, i) => rate / (referenceRates[i] ?? 1))), 2)}–${fixed(Math.max(...oursRates.map((rate, i) => rate / (referenceRates[i] ?? 1))), 2)}`);
  const ratio = oursRate / referenceRate;
  console.log(`verify: files=${hashedFiles.length} mb=${fixed(megabytes)} ours_mb_s=${fixed(oursRate)} sha256sum_mb_s=${fixed(referenceRate)} ratio=${fixed(ratio, 2)}`);
  console.log(`reference=sha256sum ours_s=${fixed(median(ours), 2)} sha256sum_s=${fixed(median(reference), 2)} (medians of ${rounds} rounds)`);
  if (ratio < MIN_RATIO) {
    console.error(`bench:verify: FAILED: verification ran at ${fixed(ratio, 2)} of the speed of sha256sum, below the required ${MIN_RATIO} (ours ${fixed(median(ours), 2)} s, sha256sum ${fixed(median(reference), 2)} s)`);
    process.exitCode = 1;
  } else {
    console.log(`bench:verify: ok: ratio ${fixed(ratio, 2)} >= ${MIN_RATIO} (ours ${fixed(median(ours), 2)} s, sha256sum ${fixed(median(reference), 2)} s)`);
  }
} finally {
  if (!values.keep) await rm(work, { recursive: true, force: true });
}
