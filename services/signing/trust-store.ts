import { X509Certificate } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../archive/atomic-write';
import { keyIdOf } from './ed25519';
import { signerRoleSchema, type SignerRole } from './keystore';

const trustedKeySchema = z.object({
  keyId: z.string().regex(/^[0-9a-f]{64}$/),
  /**
   * ed25519: a key Arkiva generated; x509: one certificate the institution issued;
   * x509-ca: the institution's certification authority, whose certificates count for `roles`.
   */
  algorithm: z.enum(['ed25519', 'x509', 'x509-ca']),
  publicKeyPem: z.string(),
  certificatePem: z.string().optional(),
  userId: z.string(),
  displayName: z.string(),
  roles: z.array(signerRoleSchema).min(1),
  addedAt: z.string(),
  /** Rotation: signatures dated after this are refused; earlier ones stay valid. */
  retiredAt: z.string().optional(),
  replacedBy: z.string().optional(),
  /** Revocation (a lost or compromised key): every signature by it is refused, whatever its date. */
  revokedAt: z.string().optional(),
  revocationReason: z.string().optional(),
});
export type TrustedKey = z.infer<typeof trustedKeySchema>;

const revocationSchema = z.object({ keyId: z.string().regex(/^[0-9a-f]{64}$/), revokedAt: z.string(), reason: z.string() });

const trustStoreFileSchema = z.object({
  format: z.literal('arkiva-trust-store-v1'),
  keys: z.array(trustedKeySchema),
  /** Revoked keys the store does not list one by one (certificates a trusted CA issued). */
  revocations: z.array(revocationSchema).default([]),
});

export type TrustJudgement =
  | { readonly status: 'trusted'; readonly key: TrustedKey }
  | { readonly status: 'unknown' | 'revoked' | 'retired' | 'wrong-role' | 'mismatch'; readonly key?: TrustedKey; readonly message: string };

/**
 * The keys this institution recognises, with their roles. A signature is only as good as this
 * list: verification looks every key up here and never trusts a key because a bag carries it.
 */
export class TrustStore {
  private constructor(
    readonly file: string | undefined,
    private readonly keys: Map<string, TrustedKey>,
    private readonly revocations = new Map<string, z.infer<typeof revocationSchema>>(),
  ) {}

  static empty(): TrustStore {
    return new TrustStore(undefined, new Map());
  }

  /** Opens the store at `file`; a missing file is an empty store that save() will create. */
  static async open(file: string): Promise<TrustStore> {
    let json: string | undefined;
    try {
      json = await readFile(file, 'utf8');
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
    }
    if (json === undefined) return new TrustStore(file, new Map());
    const parsed = trustStoreFileSchema.safeParse(JSON.parse(json));
    if (!parsed.success) throw new Error(`${file} is not an Arkiva trust store: ${parsed.error.message}`);
    return new TrustStore(
      file,
      new Map(parsed.data.keys.map((key) => [key.keyId, key])),
      new Map(parsed.data.revocations.map((revocation) => [revocation.keyId, revocation])),
    );
  }

  list(): TrustedKey[] {
    return [...this.keys.values()];
  }

  get(keyId: string): TrustedKey | undefined {
    return this.keys.get(keyId);
  }

  add(key: { publicKeyPem: string; userId: string; displayName: string; roles: SignerRole[] }, at = new Date()): TrustedKey {
    return this.put({ algorithm: 'ed25519', ...key }, at);
  }

  /** One certificate the institution issued, trusted as it is (no CA needed). */
  addCertificate(entry: { certificatePem: string; userId: string; displayName: string; roles: SignerRole[] }, at = new Date()): TrustedKey {
    return this.put({ algorithm: 'x509', ...entry, publicKeyPem: spkiPemOf(entry.certificatePem) }, at);
  }

  /** The institution's CA: any certificate chaining to it is trusted for `roles`, unless revoked. */
  addAuthority(entry: { certificatePem: string; displayName: string; roles: SignerRole[] }, at = new Date()): TrustedKey {
    const certificate = new X509Certificate(entry.certificatePem);
    if (!certificate.ca) throw new Error(`${certificate.subject} is not a CA certificate.`);
    return this.put({ algorithm: 'x509-ca', ...entry, userId: certificate.subject, publicKeyPem: spkiPemOf(entry.certificatePem) }, at);
  }

  /** Certificates signatures may chain to: listed certificates and CAs that are not revoked. */
  anchors(): string[] {
    return this.list().flatMap((key) => (key.certificatePem && !key.revokedAt ? [key.certificatePem] : []));
  }

  /** The CA entry whose certificate has this subject, for a certificate that chained to it. */
  authorityBySubject(subject: string): TrustedKey | undefined {
    return this.list().find((key) => key.algorithm === 'x509-ca' && key.certificatePem && new X509Certificate(key.certificatePem).subject === subject);
  }

  private put(
    key: { algorithm: TrustedKey['algorithm']; publicKeyPem: string; certificatePem?: string; userId: string; displayName: string; roles: SignerRole[] },
    at: Date,
  ): TrustedKey {
    const keyId = keyIdOf(key.publicKeyPem);
    const existing = this.keys.get(keyId);
    if (existing?.revokedAt || this.revocations.has(keyId)) throw new Error(`Key ${keyId} was revoked; a revoked key cannot be trusted again.`);
    const entry = trustedKeySchema.parse({ keyId, ...key, addedAt: existing?.addedAt ?? at.toISOString() });
    this.keys.set(keyId, entry);
    return entry;
  }

  /** Replaces a key with a new one: signatures made before `at` with the old key stay valid. */
  rotate(oldKeyId: string, replacement: { publicKeyPem: string } | { certificatePem: string }, at = new Date()): TrustedKey {
    const old = this.require(oldKeyId);
    if (old.revokedAt) throw new Error(`Key ${oldKeyId} is revoked; add the new key instead of rotating.`);
    const holder = { userId: old.userId, displayName: old.displayName, roles: old.roles };
    const added = 'certificatePem' in replacement ? this.addCertificate({ certificatePem: replacement.certificatePem, ...holder }, at) : this.add({ publicKeyPem: replacement.publicKeyPem, ...holder }, at);
    this.keys.set(oldKeyId, { ...old, retiredAt: at.toISOString(), replacedBy: added.keyId });
    return added;
  }

  /** Revokes a listed key, or a certificate a trusted CA issued (by its key id). */
  revoke(keyId: string, reason: string, at = new Date()): void {
    if (reason.trim() === '') throw new Error('A revocation needs a reason.');
    if (!/^[0-9a-f]{64}$/.test(keyId)) throw new Error(`Not a key id: ${keyId}`);
    const key = this.keys.get(keyId);
    if (key) this.keys.set(keyId, { ...key, revokedAt: at.toISOString(), revocationReason: reason });
    else this.revocations.set(keyId, { keyId, revokedAt: at.toISOString(), reason });
  }

  /**
   * Trust in a certificate signer whose CMS signature verified against anchors(): listed
   * itself, or issued by a listed CA (which then gives the roles).
   */
  judgeCertificate(keyId: string, chainedTo: string | undefined, role: SignerRole, signedAt: string): TrustJudgement {
    if (this.keys.has(keyId)) return this.judge(keyId, undefined, role, signedAt);
    const revoked = this.revocations.get(keyId);
    if (revoked) return { status: 'revoked', message: `certificate key ${keyId.slice(0, 16)}… was revoked on ${revoked.revokedAt} (${revoked.reason})` };
    const authority = chainedTo === undefined ? undefined : this.authorityBySubject(chainedTo);
    if (!authority) return { status: 'unknown', message: `certificate key ${keyId.slice(0, 16)}… is not in the trust store and chains to no trusted CA` };
    if (!authority.roles.includes(role)) return { status: 'wrong-role', key: authority, message: `certificates of ${authority.displayName} are trusted as ${authority.roles.join(', ')}, not as ${role}` };
    return { status: 'trusted', key: authority };
  }

  /** Whether a signature by `keyId`, claiming role `role` and time `signedAt`, can be trusted. */
  judge(keyId: string, publicKeyPem: string | undefined, role: SignerRole, signedAt: string): TrustJudgement {
    const key = this.keys.get(keyId);
    const revoked = this.revocations.get(keyId);
    if (!key && revoked) return { status: 'revoked', message: `key ${keyId.slice(0, 16)}… was revoked on ${revoked.revokedAt} (${revoked.reason})` };
    if (!key) return { status: 'unknown', message: `key ${keyId.slice(0, 16)}… is not in the trust store` };
    if (publicKeyPem !== undefined && keyIdOf(publicKeyPem) !== keyId) {
      return { status: 'mismatch', key, message: `the public key shipped with the signature is not key ${keyId.slice(0, 16)}…` };
    }
    if (key.revokedAt) {
      return { status: 'revoked', key, message: `key ${keyId.slice(0, 16)}… of ${key.displayName} was revoked on ${key.revokedAt} (${key.revocationReason ?? 'no reason given'})` };
    }
    if (!key.roles.includes(role)) return { status: 'wrong-role', key, message: `${key.displayName}'s key is trusted as ${key.roles.join(', ')}, not as ${role}` };
    if (key.retiredAt && signedAt > key.retiredAt) {
      return { status: 'retired', key, message: `key ${keyId.slice(0, 16)}… was rotated out on ${key.retiredAt}, before this signature's date ${signedAt}` };
    }
    return { status: 'trusted', key };
  }

  async save(file = this.file): Promise<void> {
    if (!file) throw new Error('This trust store has no file to save to.');
    await mkdir(path.dirname(file), { recursive: true });
    const body = { format: 'arkiva-trust-store-v1' as const, keys: this.list(), revocations: [...this.revocations.values()] };
    await writeFileAtomic(file, `${JSON.stringify(body, null, 2)}\n`);
  }

  private require(keyId: string): TrustedKey {
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`Key ${keyId} is not in the trust store.`);
    return key;
  }
}

function spkiPemOf(certificatePem: string): string {
  return new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'pem' }).toString();
}
