import { createPrivateKey, sign, X509Certificate } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../archive/atomic-write';
import { signCmsDetached } from './cms';
import { generateEd25519, keyIdOf, privateKeyFromPkcs8, privateKeyToPkcs8, signEd25519 } from './ed25519';
import { protectedSecretSchema, type SecretProtector } from './protect-secret';

export const signerRoleSchema = z.enum(['clerk', 'supervisor', 'workstation']);
export type SignerRole = z.infer<typeof signerRoleSchema>;

export const userKeySchema = z.object({
  keyId: z.string().regex(/^[0-9a-f]{64}$/),
  userId: z.string().min(1),
  displayName: z.string().min(1),
  role: signerRoleSchema,
  /** ed25519: a key Arkiva generated; x509: a certificate and key the institution issued. */
  algorithm: z.enum(['ed25519', 'x509']),
  publicKeyPem: z.string(),
  certificatePem: z.string().optional(),
  chainPems: z.array(z.string()).optional(),
  createdAt: z.string(),
  privateKey: protectedSecretSchema,
});
export type UserKey = z.infer<typeof userKeySchema>;
export type PublicUserKey = Omit<UserKey, 'privateKey'>;

/** An unlocked key: it signs, and never hands out the private key itself. */
export interface Signer {
  readonly keyId: string;
  readonly userId: string;
  readonly displayName: string;
  readonly role: SignerRole;
  readonly algorithm: 'ed25519' | 'x509';
  readonly publicKeyPem: string;
  /** Raw signature: Ed25519, or the certificate key's own algorithm (ECDSA/RSA with SHA-256). */
  sign(message: Uint8Array): Buffer;
  /** A detached CMS (CAdES-BES) signature, for certificate keys. */
  signCms?(message: Uint8Array, at: Date): Promise<Buffer>;
}

/**
 * Per-user Ed25519 keys on this workstation, one JSON file each, the private half encrypted by a
 * SecretProtector (a passphrase here, the OS keychain in the Electron shell).
 */
export class Keystore {
  constructor(readonly dir: string) {}

  /** Keeps a certificate and private key the institution issued (PEM), the key encrypted like any other. */
  async importCertificate(
    user: { userId: string; displayName: string; role: SignerRole },
    issued: { certificatePem: string; privateKeyPem: string; chainPems?: string[] },
    protector: SecretProtector,
  ): Promise<PublicUserKey> {
    const certificate = new X509Certificate(issued.certificatePem);
    const privateKey = createPrivateKey(issued.privateKeyPem);
    if (!certificate.checkPrivateKey(privateKey)) throw new Error('The private key does not belong to the certificate.');
    const publicKeyPem = certificate.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const keyId = keyIdOf(publicKeyPem);
    const record: UserKey = {
      keyId,
      ...user,
      algorithm: 'x509',
      publicKeyPem,
      certificatePem: certificate.toString(),
      ...(issued.chainPems?.length ? { chainPems: issued.chainPems } : {}),
      createdAt: new Date().toISOString(),
      privateKey: await protector.protect(privateKeyToPkcs8(privateKey), context(keyId)),
    };
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.file(keyId), `${JSON.stringify(userKeySchema.parse(record), null, 2)}\n`);
    return publicPart(record);
  }

  async create(user: { userId: string; displayName: string; role: SignerRole }, protector: SecretProtector): Promise<PublicUserKey> {
    const pair = generateEd25519();
    const record: UserKey = {
      keyId: pair.keyId,
      ...user,
      algorithm: 'ed25519',
      publicKeyPem: pair.publicKeyPem,
      createdAt: new Date().toISOString(),
      privateKey: await protector.protect(privateKeyToPkcs8(pair.privateKey), context(pair.keyId)),
    };
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.file(pair.keyId), `${JSON.stringify(userKeySchema.parse(record), null, 2)}\n`);
    return publicPart(record);
  }

  async get(keyId: string): Promise<UserKey> {
    if (!/^[0-9a-f]{64}$/.test(keyId)) throw new Error(`Not a key id: ${keyId}`);
    let json: string;
    try {
      json = await readFile(this.file(keyId), 'utf8');
    } catch {
      throw new Error(`No key ${keyId} on this workstation.`);
    }
    const record = userKeySchema.parse(JSON.parse(json));
    if (keyIdOf(record.publicKeyPem) !== record.keyId) throw new Error(`Key file ${keyId} does not match its public key.`);
    return record;
  }

  async list(): Promise<PublicUserKey[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const keys = await Promise.all(names.filter((name) => /^[0-9a-f]{64}\.json$/.test(name)).map((name) => this.get(name.slice(0, 64))));
    return keys.map(publicPart);
  }

  /** Opens a key for signing; a wrong passphrase throws WrongSecretError. */
  async unlock(keyId: string, protector: SecretProtector): Promise<Signer> {
    const record = await this.get(keyId);
    const privateKey = privateKeyFromPkcs8(await protector.unprotect(record.privateKey, context(keyId)));
    const certificatePem = record.certificatePem;
    return {
      keyId,
      userId: record.userId,
      displayName: record.displayName,
      role: record.role,
      algorithm: record.algorithm,
      publicKeyPem: record.publicKeyPem,
      sign: (message) => (record.algorithm === 'ed25519' ? signEd25519(privateKey, message) : sign('sha256', message, privateKey)),
      ...(certificatePem
        ? { signCms: (message: Uint8Array, at: Date) => signCmsDetached(message, { certificatePem, privateKey, ...(record.chainPems ? { chainPems: record.chainPems } : {}) }, at) }
        : {}),
    };
  }

  /**
   * Moves a private key from one protector to another (the passphrase fallback to the OS
   * keychain, say) without changing the key: opened with `from`, sealed with `to`, checked to
   * open again with `to`, then the key file is replaced atomically, so a failure at any step
   * leaves the old file as it was.
   */
  async reprotect(keyId: string, from: SecretProtector, to: SecretProtector): Promise<PublicUserKey> {
    const record = await this.get(keyId);
    const secret = await from.unprotect(record.privateKey, context(keyId));
    const sealed = await to.protect(secret, context(keyId));
    if (!(await to.unprotect(sealed, context(keyId))).equals(secret)) throw new Error(`The ${to.kind} protector does not give key ${keyId} back unchanged; the key file was left as it was.`);
    const updated = userKeySchema.parse({ ...record, privateKey: sealed });
    await writeFileAtomic(this.file(keyId), `${JSON.stringify(updated, null, 2)}\n`);
    return publicPart(updated);
  }

  private file(keyId: string): string {
    return path.join(this.dir, `${keyId}.json`);
  }
}

function context(keyId: string): string {
  // Binds the ciphertext to its key id: a private key cannot be swapped into another key's file.
  return `arkiva-private-key:${keyId}`;
}

function publicPart(record: UserKey): PublicUserKey {
  const { privateKey: _privateKey, ...rest } = record;
  return rest;
}
