import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../archive/atomic-write';
import { sha256Hex } from '../bagit/hash-files';
import type { Signer } from '../signing/keystore';
import { encodeReason, formatStatement, INTENTS, REJECTION_INTENT, type Statement } from '../signing/statement';
import { SIGNATURES_DIR } from './batch-bag-format';

/**
 * signatures/NN-<intent>.txt (what was signed), and either .sig (raw Ed25519) with .pub.pem (for
 * openssl), or .p7s (a CMS/CAdES signature carrying the institution's certificate).
 */
export async function writeSignature(
  bagDir: string,
  signer: Signer,
  fields: { batchId: string; tagmanifestSha256: string; countersignsSha256?: string },
  at = new Date(),
): Promise<{ statementFile: string; statementSha256: string }> {
  if (signer.role !== 'clerk' && signer.role !== 'supervisor') throw new Error(`A ${signer.role} key cannot sign a batch.`);
  const text = formatStatement({
    ...statementHeader(signer, INTENTS[signer.role], fields.batchId, fields.tagmanifestSha256, at),
    ...(fields.countersignsSha256 ? { 'Countersigns-SHA256': fields.countersignsSha256 } : {}),
  });
  const dir = path.join(bagDir, SIGNATURES_DIR);
  const existing = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.txt')).length;
  const base = `${String(existing + 1).padStart(2, '0')}-${INTENTS[signer.role].replace(/ /g, '-')}`;
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `${base}.txt`), text, { flag: 'wx' });
  if (signer.signCms) {
    await writeFile(path.join(dir, `${base}.p7s`), await signer.signCms(Buffer.from(text), at), { flag: 'wx' });
  } else {
    await writeFile(path.join(dir, `${base}.pub.pem`), signer.publicKeyPem, { flag: 'wx' });
    await writeFile(path.join(dir, `${base}.sig`), signer.sign(Buffer.from(text)), { flag: 'wx' });
  }
  return { statementFile: `${SIGNATURES_DIR}/${base}.txt`, statementSha256: sha256Hex(text) };
}

/** Where a seal's rejection is kept, relative to the batch's folder: beside the bags, not in one. */
export const REJECTIONS_DIR = 'rejections';

export function rejectionStatementFile(seal: number): string {
  return `${REJECTIONS_DIR}/seal-${seal}.txt`;
}

/**
 * The supervisor's signed rejection of seal `seal`: <batch>/rejections/seal-N.txt (reason,
 * signer, role and the rejected bag's tag-manifest hash) with its .sig and .pub.pem, or .p7s.
 * Outside the sealed bag, so the bag stays exactly as the clerk signed it; the re-seal's
 * batch.json names this statement by its hash. A leftover of a rejection that crashed before
 * the batch was saved is overwritten: the batch is still sealed, so nothing was decided yet.
 */
export async function writeRejection(
  batchDir: string,
  seal: number,
  supervisor: Signer,
  fields: { batchId: string; tagmanifestSha256: string; reason: string },
  at = new Date(),
): Promise<{ file: string; statementSha256: string }> {
  if (supervisor.role !== 'supervisor') throw new Error(`A ${supervisor.role} key cannot reject a batch.`);
  const text = formatStatement({ ...statementHeader(supervisor, REJECTION_INTENT, fields.batchId, fields.tagmanifestSha256, at), Reason: encodeReason(fields.reason) });
  const file = rejectionStatementFile(seal);
  const base = path.join(batchDir, file.replace(/\.txt$/, ''));
  await mkdir(path.dirname(base), { recursive: true });
  // A retry after a crash may be signed the other way: the earlier form's files must not linger,
  // since verification would take them for this statement's signature.
  await Promise.all((supervisor.signCms ? ['.pub.pem', '.sig'] : ['.p7s']).map((suffix) => rm(`${base}${suffix}`, { force: true })));
  // The signature goes first: a statement on disk is then never without its signature.
  if (supervisor.signCms) {
    await writeFileAtomic(`${base}.p7s`, await supervisor.signCms(Buffer.from(text), at));
  } else {
    await writeFileAtomic(`${base}.pub.pem`, supervisor.publicKeyPem);
    await writeFileAtomic(`${base}.sig`, supervisor.sign(Buffer.from(text)));
  }
  await writeFileAtomic(`${base}.txt`, text);
  return { file, statementSha256: sha256Hex(text) };
}

function statementHeader(signer: Signer, intent: Statement['Intent'], batchId: string, tagmanifestSha256: string, at: Date): Statement {
  return {
    'Arkiva-Signature': '1',
    Intent: intent,
    Role: signer.role,
    Signer: signer.displayName,
    'Signer-Id': signer.userId,
    'Key-Id': signer.keyId,
    'Signed-At': at.toISOString(),
    'Batch-Id': batchId,
    Tagmanifest: 'tagmanifest-sha256.txt',
    'Tagmanifest-SHA256': tagmanifestSha256,
  };
}

export async function readStatementBytes(bagDir: string, file: string): Promise<Buffer> {
  return readFile(path.join(bagDir, file));
}
