import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BatchVerification } from '../../common/api/contract';
import { sha256Hex } from '../bagit/hash-files';
import { ProblemList } from '../bagit/problems';
import { validateBag, type ValidateOptions } from '../bagit/validate-bag';
import { X509Certificate } from 'node:crypto';
import { verifyCmsDetached } from '../signing/cms';
import { verifyEd25519 } from '../signing/ed25519';
import { INTENTS, parseStatement, type Statement } from '../signing/statement';
import type { TrustStore } from '../signing/trust-store';
import { BATCH_FILE, batchFileSchema, custodyFile, custodyRecordSchema, SIGNATURES_DIR, type BatchFile } from './batch-bag-format';

export interface VerifyBatchOptions extends ValidateOptions {
  /** Require a valid supervisor countersignature too (what the repository asks before accepting). */
  readonly requireCountersignature?: boolean;
}

/**
 * Everything a supervisor (or the repository) checks before trusting a sealed batch, from the
 * bytes alone: the bag re-hashed file by file, the Arkiva profile (every tag file covered, no
 * strays), completeness (expected versus received pages, blank pages flagged), the chain of
 * custody against the manifests, and every signature against the trust store. Nothing recorded
 * on the workstation is consulted.
 */
export async function verifyBatch(bagDir: string, trust: TrustStore, options: VerifyBatchOptions = {}): Promise<BatchVerification> {
  const bag = await validateBag(bagDir, options);
  const problems = new ProblemList();
  problems.errors.push(...bag.errors);
  problems.warnings.push(...bag.warnings);
  const report = (extra: Partial<BatchVerification> = {}): BatchVerification => ({
    ok: problems.errors.length === 0,
    pages: { received: 0, blank: [] },
    files: { count: bag.payload.files, octets: bag.payload.octets },
    signatures: [],
    ...extra,
    errors: problems.errors,
    warnings: problems.warnings,
  });
  if (!bag.files.has('bagit.txt')) return report();

  // The Arkiva profile: SHA-256 manifests, and every tag file but the signatures covered.
  const payloadManifest = bag.manifests.find((manifest) => manifest.file === 'manifest-sha256.txt');
  const tagManifest = bag.manifests.find((manifest) => manifest.file === 'tagmanifest-sha256.txt');
  if (!payloadManifest) problems.error('missing-manifest', 'an Arkiva batch has a manifest-sha256.txt.', 'manifest-sha256.txt');
  if (!tagManifest) {
    problems.error('missing-tag-manifest', 'an Arkiva batch has a tagmanifest-sha256.txt; without it nothing covers the tag files or the signatures.', 'tagmanifest-sha256.txt');
    return report();
  }
  for (const file of bag.files.keys()) {
    if (file.startsWith('data/') || /^tagmanifest-[^/]+\.txt$/.test(file) || file.startsWith(`${SIGNATURES_DIR}/`)) continue;
    if (!tagManifest.entries.has(file)) {
      problems.error('tag-file-not-covered', 'is not listed in tagmanifest-sha256.txt, so no signature covers it (a file added after sealing?).', file);
    }
  }

  const batch = await readBatchFile(bagDir, problems);
  const pages: BatchVerification['pages'] = { received: batch?.pages.length ?? 0, blank: batch?.pages.filter((page) => page.blank).map((page) => page.n) ?? [] };
  if (batch) {
    if (batch.expectedPages !== undefined) {
      pages.expected = batch.expectedPages;
      if (batch.expectedPages !== batch.pages.length) {
        problems.error('page-count-mismatch', `the clerk counted ${batch.expectedPages} pages in the paper file, but the batch holds ${batch.pages.length}.`, BATCH_FILE);
      }
    } else {
      problems.warn('page-count-unknown', 'the clerk recorded no expected page count, so completeness cannot be checked against the paper.', BATCH_FILE);
    }
    for (const n of pages.blank) problems.warn('blank-page', `page ${n} looks blank; check it against the paper before countersigning.`, `data/pages/${String(n).padStart(4, '0')}`);
    await checkCustody(bagDir, batch, payloadManifest?.entries ?? new Map(), problems);
  }

  const signatures = await checkSignatures(bagDir, [...bag.files.keys()], batch, trust, problems, options);
  return report({
    ...(batch ? { batchId: batch.batchId, seal: batch.seal } : {}),
    pages,
    signatures,
  });
}

async function readBatchFile(bagDir: string, problems: ProblemList): Promise<BatchFile | undefined> {
  try {
    const parsed = batchFileSchema.safeParse(JSON.parse(await readFile(path.join(bagDir, BATCH_FILE), 'utf8')));
    if (parsed.success) return parsed.data;
    problems.error('bad-batch-file', `is not an Arkiva batch description: ${parsed.error.issues[0]?.message ?? 'invalid'}.`, BATCH_FILE);
  } catch (error) {
    problems.error('bad-batch-file', `cannot be read: ${error instanceof Error ? error.message : String(error)}.`, BATCH_FILE);
  }
  return undefined;
}

async function checkCustody(bagDir: string, batch: BatchFile, payload: ReadonlyMap<string, string>, problems: ProblemList): Promise<void> {
  // Read in parallel (thousands of small files), reported in page order.
  const records = await Promise.all(
    batch.pages.map(async (page) => {
      try {
        return custodyRecordSchema.parse(JSON.parse(await readFile(path.join(bagDir, custodyFile(page.n)), 'utf8')));
      } catch {
        return undefined;
      }
    }),
  );
  batch.pages.forEach((page, index) => {
    const file = custodyFile(page.n);
    const record = records[index];
    if (!record) {
      problems.error('custody-missing', `page ${page.n} has no readable chain-of-custody record.`, file);
      return;
    }
    if (record.pageId !== page.pageId || record.raw.sha256 !== page.pageId) {
      problems.error('custody-mismatch', `page ${page.n}: the custody record's raw image hash is not the page's id.`, file);
    }
    for (const entry of [record.raw, ...record.derived]) {
      const listed = payload.get(entry.path);
      if (listed === undefined) problems.error('custody-mismatch', `page ${page.n}: names ${entry.path}, which the payload manifest does not list.`, file);
      else if (listed !== entry.sha256) problems.error('custody-mismatch', `page ${page.n}: records ${entry.path} as ${entry.sha256}, the manifest as ${listed}.`, file);
    }
  });
}

async function checkSignatures(
  bagDir: string,
  files: string[],
  batch: BatchFile | undefined,
  trust: TrustStore,
  problems: ProblemList,
  options: VerifyBatchOptions,
): Promise<BatchVerification['signatures']> {
  const signatureFiles = files.filter((file) => file.startsWith(`${SIGNATURES_DIR}/`)).sort();
  const sets = new Map<string, Set<string>>();
  for (const file of signatureFiles) {
    const match = /^signatures\/(\d{2}-[a-z-]+)\.(txt|sig|pub\.pem|p7s)$/.exec(file);
    if (!match?.[1] || !match[2]) {
      problems.error('unexpected-signature-file', 'is not a signature, statement or public key; nothing else belongs in signatures/.', file);
      continue;
    }
    sets.set(match[1], (sets.get(match[1]) ?? new Set()).add(match[2]));
  }
  let tagmanifestBytes: Buffer | undefined;
  try {
    tagmanifestBytes = await readFile(path.join(bagDir, 'tagmanifest-sha256.txt'));
  } catch {
    return [];
  }
  const tagmanifestSha256 = sha256Hex(tagmanifestBytes);
  const results: BatchVerification['signatures'] = [];
  const validStatements = new Map<string, Statement>();
  for (const [base, parts] of [...sets].sort(([a], [b]) => a.localeCompare(b))) {
    const cms = parts.has('p7s');
    const file = `${SIGNATURES_DIR}/${base}.${cms ? 'p7s' : 'sig'}`;
    if (!parts.has('txt') || !(parts.has('sig') || cms)) {
      problems.error('signature-incomplete', `signature ${base} lacks its ${parts.has('txt') ? 'signature (.sig or .p7s)' : '.txt statement'}.`, file);
      continue;
    }
    if (cms && (parts.has('sig') || parts.has('pub.pem'))) {
      problems.error('signature-ambiguous', `signature ${base} has both a CMS and an Ed25519 signature; one statement has one signature.`, file);
      continue;
    }
    const statementBytes = await readFile(path.join(bagDir, SIGNATURES_DIR, `${base}.txt`));
    let statement: Statement;
    try {
      statement = parseStatement(statementBytes.toString('utf8'));
    } catch (error) {
      problems.error('bad-statement', `is not a signature statement: ${error instanceof Error ? error.message : String(error)}.`, `${SIGNATURES_DIR}/${base}.txt`);
      results.push({ file, valid: false });
      continue;
    }
    const summary = { file, signer: statement.Signer, role: statement.Role, intent: statement.Intent, keyId: statement['Key-Id'], signedAt: statement['Signed-At'] };
    const fail = (code: string, message: string) => {
      problems.error(code, `${statement.Intent} (${statement.Signer}): ${message}.`, file);
      results.push({ ...summary, valid: false });
    };
    if (statement.Role !== 'clerk' && statement.Role !== 'supervisor') {
      fail('wrong-intent', `a ${statement.Role} key cannot sign a batch`);
      continue;
    }
    if (INTENTS[statement.Role] !== statement.Intent) {
      fail('wrong-intent', `role ${statement.Role} does not match the intent "${statement.Intent}"`);
      continue;
    }
    const signatureBytes = await readFile(path.join(bagDir, file));
    const codes = { unknown: 'unknown-key', revoked: 'revoked-key', retired: 'retired-key', 'wrong-role': 'wrong-role', mismatch: 'key-mismatch' } as const;
    if (cms) {
      const checked = await verifyCmsDetached(statementBytes, signatureBytes, trust.anchors());
      if (!checked.ok) {
        const listed = checked.keyId ? trust.judge(checked.keyId, undefined, statement.Role, statement['Signed-At']) : undefined;
        if (listed?.status === 'revoked') fail('revoked-key', listed.message);
        else if (/does not chain/.test(checked.reason)) fail('unknown-key', `the certificate ${checked.certificatePem ? `of ${certificateSubject(checked.certificatePem)} ` : ''}is not trusted: ${checked.reason}`);
        else fail('bad-signature', `the CMS signature does not verify: ${checked.reason} (replaced or altered)`);
        continue;
      }
      if (checked.keyId !== statement['Key-Id']) {
        fail('key-mismatch', `the statement names key ${statement['Key-Id'].slice(0, 16)}…, but the certificate that signed it has key ${checked.keyId.slice(0, 16)}…`);
        continue;
      }
      const judgement = trust.judgeCertificate(checked.keyId, checked.chainedTo, statement.Role, statement['Signed-At']);
      if (judgement.status !== 'trusted') {
        fail(codes[judgement.status], judgement.message);
        continue;
      }
    } else {
      const shippedPem = parts.has('pub.pem') ? await readFile(path.join(bagDir, SIGNATURES_DIR, `${base}.pub.pem`), 'utf8') : undefined;
      const judgement = trust.judge(statement['Key-Id'], shippedPem, statement.Role, statement['Signed-At']);
      if (judgement.status !== 'trusted') {
        fail(codes[judgement.status], judgement.message);
        continue;
      }
      if (!verifyEd25519(judgement.key.publicKeyPem, statementBytes, signatureBytes)) {
        fail('bad-signature', 'the signature does not match its statement under the trusted key (replaced or altered)');
        continue;
      }
    }
    if (statement['Tagmanifest-SHA256'] !== tagmanifestSha256) {
      fail('tagmanifest-changed', `signed tag manifest ${statement['Tagmanifest-SHA256'].slice(0, 16)}…, but the bag's hashes to ${tagmanifestSha256.slice(0, 16)}… (the bag changed after signing)`);
      continue;
    }
    if (batch && statement['Batch-Id'] !== batch.batchId) {
      fail('wrong-batch', `signed batch ${statement['Batch-Id']}, but this bag is batch ${batch.batchId}`);
      continue;
    }
    if (statement.Role === 'supervisor') {
      const countersigned = statement['Countersigns-SHA256'];
      const clerkSeal = [...validStatements].find(([hash, earlier]) => hash === countersigned && earlier.Role === 'clerk');
      if (!clerkSeal) {
        fail('countersignature-orphaned', 'countersigns no valid clerk seal in this bag');
        continue;
      }
      if (statement['Signer-Id'] === clerkSeal[1]['Signer-Id']) {
        fail('self-countersigned', 'the supervisor who countersigns must not be the clerk who sealed');
        continue;
      }
    }
    validStatements.set(sha256Hex(statementBytes), statement);
    results.push({ ...summary, valid: true });
  }
  const roles = [...validStatements.values()].map((statement) => statement.Role);
  if (!roles.includes('clerk')) problems.error('seal-missing', 'the batch carries no valid seal by a clerk.', SIGNATURES_DIR);
  if (options.requireCountersignature && !roles.includes('supervisor')) {
    problems.error('countersignature-missing', 'the batch is not countersigned by a supervisor yet.', SIGNATURES_DIR);
  }
  return results;
}

/** The statement hash of the bag's valid clerk seal: what a countersignature names. */
export async function clerkStatementSha256(bagDir: string, report: BatchVerification): Promise<string> {
  const seal = report.signatures.find((signature) => signature.valid && signature.role === 'clerk');
  if (!seal) throw new Error('The batch has no valid clerk seal to countersign.');
  return sha256Hex(await readFile(path.join(bagDir, seal.file.replace(/\.(sig|p7s)$/, '.txt'))));
}

function certificateSubject(certificatePem: string): string {
  return new X509Certificate(certificatePem).subject.replace(/\n/g, ', ');
}
