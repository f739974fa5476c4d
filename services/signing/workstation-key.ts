import type { Keystore, PublicUserKey, Signer } from './keystore';
import type { SecretProtector } from './protect-secret';

export interface WorkstationKeyOptions {
  /** How the key should be protected from now on (the OS keychain in the shell, else the fallback). */
  readonly current: SecretProtector;
  /** Protectors that may have sealed the key earlier, asked for only when needed. */
  readonly others?: () => Promise<readonly SecretProtector[]>;
  readonly log?: (line: string) => void;
}

export interface WorkstationKey {
  readonly signer: Signer;
  /** Set when the old key could not be opened here and a new one replaced it: the old key's id. */
  readonly replaces?: string;
}

/**
 * Opens the workstation's audit key, creating it at the first start. A key sealed by another
 * protector than the current one (made under the passphrase fallback, now opened in Electron
 * with the OS keychain) is opened with that protector and re-sealed under the current one,
 * atomically, instead of failing start-up. A key sealed by a protector no longer available
 * (the keychain it was made with is gone or refused) cannot be opened at all: a new key
 * replaces it, and the caller retires the old one in the trust store.
 */
/** After a replacement a keystore holds several workstation keys: the newest is the one in use. */
export async function newestWorkstationKey(keystore: Keystore): Promise<PublicUserKey | undefined> {
  return (await keystore.list()).filter((key) => key.role === 'workstation').sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
}

export async function openWorkstationKey(keystore: Keystore, workstation: string, options: WorkstationKeyOptions): Promise<WorkstationKey> {
  const { current } = options;
  const log = options.log ?? ((line: string) => console.error(line));
  const create = () => keystore.create({ userId: workstation, displayName: `workstation ${workstation}`, role: 'workstation' }, current);
  // After a replacement there are two: the newest is the one in use.
  const newest = await newestWorkstationKey(keystore);
  if (!newest) {
    const key = await create();
    return { signer: await keystore.unlock(key.keyId, current) };
  }
  const sealedBy = (await keystore.get(newest.keyId)).privateKey.protector;
  if (sealedBy === current.kind) return { signer: await keystore.unlock(newest.keyId, current) };

  const opener = (await (options.others?.() ?? Promise.resolve([]))).find((candidate) => candidate.kind === sealedBy);
  if (opener) {
    await keystore.reprotect(newest.keyId, opener, current);
    log(`signing: the workstation key ${newest.keyId.slice(0, 16)}… was protected by ${sealedBy}; it is now protected by ${current.kind}.`);
    return { signer: await keystore.unlock(newest.keyId, current) };
  }
  const key = await create();
  log(
    `signing: the workstation key ${newest.keyId.slice(0, 16)}… is protected by ${sealedBy}, which is not available here; ` +
      `a new workstation key ${key.keyId.slice(0, 16)}… (protected by ${current.kind}) replaces it, and the old one is retired in the trust store.`,
  );
  return { signer: await keystore.unlock(key.keyId, current), replaces: newest.keyId };
}
