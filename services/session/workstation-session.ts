import type { Session } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import type { AuditLog } from '../audit/audit-log';
import type { Keystore, Signer } from '../signing/keystore';
import { WrongSecretError, type SecretProtector } from '../signing/protect-secret';

export type SessionUser = NonNullable<Session['user']>;

/** Who is named in the audit trail and on pages when nobody is signed in. */
export const WORKSTATION_ACTOR = 'workstation';

export interface WorkstationSessionDeps {
  readonly keystore: Keystore;
  readonly protectorFor: (passphrase: string) => SecretProtector;
  readonly audit: AuditLog;
  readonly onChange?: (session: Session) => void;
}

/**
 * One person at a time is signed in at a workstation. The session lives in the services, not in a
 * window: every window of the workstation (every browser tab on the local host) shares it, and
 * signing out in one signs out everywhere. It is kept in memory only, so a restart signs out.
 *
 * Signing in proves identity by unlocking the person's own signing key with their passphrase;
 * the key is not kept unlocked afterwards (sealing and countersigning unlock it again).
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
    const previous = this.#user;
    if (previous && previous.userId !== signer.userId) {
      // Taking over the workstation ends the other person's session, and the trail says so.
      await this.deps.audit.record({ kind: 'sign-in', actor: previous.userId, details: { event: 'sign-out', reason: `${signer.userId} signed in` } }, at);
    }
    this.#user = { userId: signer.userId, displayName: signer.displayName, role: signer.role, keyId: signer.keyId, signedInAt: at.toISOString() };
    await this.deps.audit.record({ kind: 'sign-in', actor: signer.userId, details: { event: 'sign-in', keyId: signer.keyId, role: signer.role } }, at);
    return this.#changed();
  }

  async signOut(at = new Date()): Promise<Session> {
    const user = this.#user;
    if (!user) return this.get();
    this.#user = null;
    await this.deps.audit.record({ kind: 'sign-in', actor: user.userId, details: { event: 'sign-out' } }, at);
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
    return signer;
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
