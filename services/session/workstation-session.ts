import type { Session } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import type { AuditLog } from '../audit/audit-log';
import { verifyCmsDetached } from '../signing/cms';
import type { Keystore, Signer } from '../signing/keystore';
import { WrongSecretError, type SecretProtector } from '../signing/protect-secret';
import type { TrustJudgement, TrustStore } from '../signing/trust-store';

export type SessionUser = NonNullable<Session['user']>;

/** Who is named in the audit trail and on pages when nobody is signed in. */
export const WORKSTATION_ACTOR = 'workstation';

export interface WorkstationSessionDeps {
  readonly keystore: Keystore;
  readonly protectorFor: (passphrase: string) => SecretProtector;
  readonly audit: AuditLog;
  /** Only keys the institution's trust store recognises, in the role they claim, may sign in. */
  readonly trust: () => Promise<TrustStore>;
  readonly onChange?: (session: Session) => void;
}

/**
 * One person at a time is signed in at a workstation. The session lives in the services, not in a
 * window: every window of the workstation (every browser tab on the local host) shares it, and
 * signing out in one signs out everywhere. It is kept in memory only, so a restart signs out.
 *
 * Signing in proves identity by unlocking the person's own signing key with their passphrase,
 * and the key must be one the trust store recognises in its role, neither revoked nor rotated out:
 * a key anyone can make at the workstation proves nothing about who they are. The key is not
 * kept unlocked afterwards (sealing and countersigning unlock it again, with the same checks).
 */
export class WorkstationSession {
  #user: SessionUser | null = null;

  constructor(private readonly deps: WorkstationSessionDeps) {}

  get(): Session {
    return { user: this.#user };
  }

  /** The signed-in person; `unauthenticated` when nobody is, for what only a person may do. */
  require(what: string): SessionUser {
    if (!this.#user) throw new ApiError('unauthenticated', `Sign in first: ${what} needs to know who you are.`);
    return this.#user;
  }

  /** Who an action is attributed to: the signed-in user, else the workstation itself. */
  actor(): string {
    return this.#user?.userId ?? WORKSTATION_ACTOR;
  }

  async signIn(keyId: string, passphrase: string, at = new Date()): Promise<Session> {
    const signer = await this.#unlock(keyId, passphrase, 'sign-in');
    if (signer.role === 'workstation') throw new ApiError('bad-request', 'The workstation key signs the audit trail; a person signs in with their own key.');
    await this.#requireTrusted(signer, 'sign-in', at);
    const previous = this.#user;
    if (previous && previous.userId !== signer.userId) {
      // Taking over the workstation ends the other person's session, and the trail says so.
      await this.deps.audit.record({ kind: 'sign-in', actor: previous.userId, details: { event: 'sign-out', reason: `${signer.userId} signed in` } }, at);
    }
    // Recorded before the session changes: a sign-in the trail could not hold does not happen.
    await this.deps.audit.record({ kind: 'sign-in', actor: signer.userId, details: { event: 'sign-in', keyId: signer.keyId, role: signer.role } }, at);
    this.#user = { userId: signer.userId, displayName: signer.displayName, role: signer.role, keyId: signer.keyId, signedInAt: at.toISOString() };
    return this.#changed();
  }

  async signOut(at = new Date()): Promise<Session> {
    const user = this.#user;
    if (!user) return this.get();
    await this.deps.audit.record({ kind: 'sign-in', actor: user.userId, details: { event: 'sign-out' } }, at);
    this.#user = null;
    return this.#changed();
  }

  /**
   * Unlocks a key for one operation (seal, countersign, reject) and insists that it is the
   * signed-in person's: nobody signs with someone else's key at a workstation they hold.
   */
  async unlockOwnKey(keyId: string, passphrase: string, what: string): Promise<Signer> {
    const user = this.require(what);
    const signer = await this.#unlock(keyId, passphrase, what);
    if (signer.userId !== user.userId) {
      throw new ApiError('unauthorized', `That key belongs to ${signer.displayName} (${signer.userId}), but ${user.displayName} (${user.userId}) is signed in.`);
    }
    await this.#requireTrusted(signer, what);
    return signer;
  }

  /**
   * The same judgement verification makes of a signature, made now: for a certificate key a
   * CMS signature over a nonce is verified against the trust store's anchors, so a certificate
   * that chains to a trusted CA counts as verification would count it.
   */
  async #requireTrusted(signer: Signer, what: string, at = new Date()): Promise<void> {
    const trust = await this.deps.trust();
    const signedAt = at.toISOString();
    let judgement: TrustJudgement;
    if (signer.algorithm === 'x509' && signer.signCms) {
      const nonce = Buffer.from(`arkiva-sign-in:${signer.keyId}:${signedAt}`);
      const checked = await verifyCmsDetached(nonce, await signer.signCms(nonce, at), trust.anchors());
      judgement = checked.ok
        ? trust.judgeCertificate(checked.keyId, checked.chainedTo, signer.role, signedAt)
        : { status: 'unknown', message: `the certificate of ${signer.displayName} is not trusted: ${checked.reason}` };
    } else {
      judgement = trust.judge(signer.keyId, undefined, signer.role, signedAt);
    }
    if (judgement.status === 'trusted') return;
    await this.deps.audit.record({
      kind: 'sign-in',
      actor: this.actor(),
      subject: signer.userId,
      details: { event: 'failed', for: what, keyId: signer.keyId, reason: judgement.message },
    });
    throw new ApiError(
      'unauthorized',
      `${signer.displayName}'s key cannot be used for ${what}: ${judgement.message}. An administrator adds or renews it with \`arkiva trust\`.`,
    );
  }

  async #unlock(keyId: string, passphrase: string, purpose: string): Promise<Signer> {
    let described: { userId: string; role: string } | undefined;
    try {
      const key = await this.deps.keystore.get(keyId);
      described = { userId: key.userId, role: key.role };
      return await this.deps.keystore.unlock(keyId, this.deps.protectorFor(passphrase));
    } catch (error) {
      if (error instanceof WrongSecretError) {
        // A failed attempt is evidence too (someone trying another person's key).
        await this.deps.audit.record({
          kind: 'sign-in',
          actor: this.actor(),
          subject: described?.userId ?? keyId,
          details: { event: 'failed', for: purpose, keyId, reason: 'wrong passphrase' },
        });
        throw new ApiError('unauthorized', 'Wrong passphrase for this key.');
      }
      throw new ApiError('not-found', error instanceof Error ? error.message : String(error));
    }
  }

  #changed(): Session {
    const session = this.get();
    this.deps.onChange?.(session);
    return session;
  }
}
