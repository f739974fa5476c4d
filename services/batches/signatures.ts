import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from '../bagit/hash-files';
import type { Signer } from '../signing/keystore';
import { formatStatement, INTENTS, type Statement } from '../signing/statement';
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
  const statement: Statement = {
    'Arkiva-Signature': '1',
    Intent: INTENTS[signer.role],
    Role: signer.role,
    Signer: signer.displayName,
    'Signer-Id': signer.userId,
    'Key-Id': signer.keyId,
    'Signed-At': at.toISOString(),
    'Batch-Id': fields.batchId,
    Tagmanifest: 'tagmanifest-sha256.txt',
    'Tagmanifest-SHA256': fields.tagmanifestSha256,
    ...(fields.countersignsSha256 ? { 'Countersigns-SHA256': fields.countersignsSha256 } : {}),
  };
  const text = formatStatement(statement);
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

export async function readStatementBytes(bagDir: string, file: string): Promise<Buffer> {
  return readFile(path.join(bagDir, file));
}
