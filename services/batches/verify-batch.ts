import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { BatchVerification } from '../../common/api/contract';
import { sha256Hex } from '../bagit/hash-files';
import { ProblemList } from '../bagit/problems';
import { validateBag, type ValidateOptions } from '../bagit/validate-bag';
import { X509Certificate } from 'node:crypto';
import { verifyCmsDetached } from '../signing/cms';
import { verifyEd25519 } from '../signing/ed25519';
import { decodeReason, INTENTS, parseStatement, REJECTION_INTENT, type Statement } from '../signing/statement';
import type { TrustStore } from '../signing/trust-store';
import { BATCH_FILE, batchFileSchema, custodyFile, custodyRecordSchema, pageFolder, SIGNATURES_DIR, type BatchFile, type CustodyRecord } from './batch-bag-format';

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
    for (const n of pages.blank) problems.warn('blank-page', `page ${n} looks blank; check it against the paper before countersigning.`, pageFolder(n));
    for (const page of batch.pages.filter((candidate) => candidate.needsReview && !candidate.blank)) {
      problems.warn('needs-review', `page ${page.n}: OCR was not sure of its text (low confidence, or it failed); check the page against the paper before countersigning.`, pageFolder(page.n));
    }
    await checkCustody(bagDir, batch, payloadManifest?.entries ?? new Map(), problems);
  }

  const signatures = await checkSignatures(bagDir, [...bag.files.keys()], batch, trust, problems, options);
  if (batch?.previousSeal?.rejection) signatures.push(...(await checkRejection(bagDir, batch, batch.previousSeal.rejection, trust, problems)));
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
  // Thousands of small files, just hashed, so in the page cache: read synchronously (a
  // thread-pool round trip apiece costs more than the read), giving way to the event loop
  // every few milliseconds.
  const records: (CustodyRecord | undefined)[] = [];
  let sliceStart = performance.now();
  for (const page of batch.pages) {
    try {
      records.push(custodyRecordSchema.parse(JSON.parse(readFileSync(path.join(bagDir, custodyFile(page.n)), 'utf8'))));
    } catch {
      records.push(undefined);
    }
    if (performance.now() - sliceStart > 25) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
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
    const shippedPem = parts.has('pub.pem') ? await readFile(path.join(bagDir, SIGNATURES_DIR, `${base}.pub.pem`), 'utf8') : undefined;
    const checked = await checkStatementSignature(statement, statementBytes, cms ? { cms: signatureBytes } : { ed25519: signatureBytes, ...(shippedPem === undefined ? {} : { shippedPem }) }, trust);
    if (!checked.ok) {
      fail(checked.code, checked.message);
      continue;
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

type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly code: string; readonly message: string };

/**
 * Whether `statementBytes` carry a valid signature by a key the trust store accepts for the
 * statement's role at its date: a CMS signature chaining to a trusted certificate, or an Ed25519
 * signature under the trusted key (the public key shipped beside it must be that key).
 */
async function checkStatementSignature(
  statement: Statement,
  statementBytes: Buffer,
  signature: { cms: Buffer } | { ed25519: Buffer; shippedPem?: string },
  trust: TrustStore,
): Promise<SignatureCheck> {
  const codes = { unknown: 'unknown-key', revoked: 'revoked-key', retired: 'retired-key', 'wrong-role': 'wrong-role', mismatch: 'key-mismatch' } as const;
  if ('cms' in signature) {
    const checked = await verifyCmsDetached(statementBytes, signature.cms, trust.anchors());
    if (!checked.ok) {
      const listed = checked.keyId ? trust.judge(checked.keyId, undefined, statement.Role, statement['Signed-At']) : undefined;
      if (listed?.status === 'revoked') return { ok: false, code: 'revoked-key', message: listed.message };
      if (/does not chain/.test(checked.reason)) {
        return { ok: false, code: 'unknown-key', message: `the certificate ${checked.certificatePem ? `of ${certificateSubject(checked.certificatePem)} ` : ''}is not trusted: ${checked.reason}` };
      }
      return { ok: false, code: 'bad-signature', message: `the CMS signature does not verify: ${checked.reason} (replaced or altered)` };
    }
    if (checked.keyId !== statement['Key-Id']) {
      return { ok: false, code: 'key-mismatch', message: `the statement names key ${statement['Key-Id'].slice(0, 16)}…, but the certificate that signed it has key ${checked.keyId.slice(0, 16)}…` };
    }
    const judgement = trust.judgeCertificate(checked.keyId, checked.chainedTo, statement.Role, statement['Signed-At']);
    return judgement.status === 'trusted' ? { ok: true } : { ok: false, code: codes[judgement.status], message: judgement.message };
  }
  const judgement = trust.judge(statement['Key-Id'], signature.shippedPem, statement.Role, statement['Signed-At']);
  if (judgement.status !== 'trusted') return { ok: false, code: codes[judgement.status], message: judgement.message };
  if (!verifyEd25519(judgement.key.publicKeyPem, statementBytes, signature.ed25519)) {
    return { ok: false, code: 'bad-signature', message: 'the signature does not match its statement under the trusted key (replaced or altered)' };
  }
  return { ok: true };
}

/**
 * A re-seal names the supervisor's signed rejection of the seal before it. The statement lives
 * beside the bags (<batch>/rejections/), so a bag copied on its own cannot show it: that is a
 * warning. When it is there it must be the very statement named, validly signed by a trusted
 * supervisor, about the previous seal's tag manifest and this batch.
 */
async function checkRejection(
  bagDir: string,
  batch: BatchFile,
  rejection: { file: string; statementSha256: string },
  trust: TrustStore,
  problems: ProblemList,
): Promise<BatchVerification['signatures']> {
  const batchDir = path.dirname(bagDir);
  const base = rejection.file.replace(/\.txt$/, '');
  const named = `../${rejection.file}`;
  let statementBytes: Buffer;
  try {
    statementBytes = await readFile(path.join(batchDir, rejection.file));
  } catch {
    problems.warn('rejection-unavailable', `batch.json names the supervisor's rejection of seal ${batch.previousSeal?.n ?? '?'} (${rejection.file} beside the bag), which is not here to check (a bag copied on its own?).`, BATCH_FILE);
    return [];
  }
  const fail = (code: string, message: string, extra: Partial<BatchVerification['signatures'][number]> = {}) => {
    problems.error(code, `the rejection of seal ${batch.previousSeal?.n ?? '?'}: ${message}.`, named);
    return [{ file: named, ...extra, valid: false }];
  };
  if (sha256Hex(statementBytes) !== rejection.statementSha256) return fail('rejection-mismatch', 'the statement is not the one batch.json names (its hash differs: replaced or altered)');
  let statement: Statement;
  try {
    statement = parseStatement(statementBytes.toString('utf8'));
    if (statement.Reason !== undefined) decodeReason(statement.Reason);
  } catch (error) {
    return fail('rejection-mismatch', `not a rejection statement: ${error instanceof Error ? error.message : String(error)}`);
  }
  const summary = { signer: statement.Signer, role: statement.Role, intent: statement.Intent, keyId: statement['Key-Id'], signedAt: statement['Signed-At'] };
  if (statement.Intent !== REJECTION_INTENT || statement.Role !== 'supervisor' || statement.Reason === undefined) {
    return fail('rejection-mismatch', `the statement says "${statement.Intent}" as ${statement.Role}, not "${REJECTION_INTENT}" as supervisor with a reason`, summary);
  }
  if (statement['Tagmanifest-SHA256'] !== batch.previousSeal?.tagmanifestSha256 || statement['Batch-Id'] !== batch.batchId) {
    return fail('rejection-mismatch', 'the statement rejects another seal or batch than the one this bag replaces', summary);
  }
  const cms = await readFile(path.join(batchDir, `${base}.p7s`)).catch(() => undefined);
  const sig = cms ? undefined : await readFile(path.join(batchDir, `${base}.sig`)).catch(() => undefined);
  const shippedPem = cms ? undefined : await readFile(path.join(batchDir, `${base}.pub.pem`), 'utf8').catch(() => undefined);
  if (!cms && !sig) return fail('rejection-unsigned', 'the statement has no signature (.sig or .p7s) beside it', summary);
  const checked = await checkStatementSignature(statement, statementBytes, cms ? { cms } : { ed25519: sig ?? Buffer.alloc(0), ...(shippedPem === undefined ? {} : { shippedPem }) }, trust);
  if (!checked.ok) return fail(`rejection-${checked.code}`, checked.message, summary);
  return [{ file: named, ...summary, valid: true }];
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
