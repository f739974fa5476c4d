import type { ProtectedSecret, SecretProtector } from './protect-secret';
import { WrongSecretError } from './protect-secret';

/**
 * The shape of Electron's `safeStorage` that Arkiva needs (the OS keychain: Keychain on macOS,
 * DPAPI on Windows, libsecret/kwallet on Linux). Declared here, structurally, because only the
 * shell may import electron: electron/main passes `safeStorage` itself.
 */
export interface OsKeychain {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which password store safeStorage chose ('basic_text' when there is none). */
  getSelectedStorageBackend?(): string;
}

/**
 * Whether the OS keychain really protects a key here. On Linux without a keyring (no GNOME
 * libsecret, no KWallet) Electron's safeStorage still "encrypts", with its `basic_text` backend:
 * a password hard-coded in Chromium, so anyone who can read the key file can decrypt it. That
 * backend (and `unknown`, before the app is ready) is refused, and the services fall back to
 * $ARKIVA_WORKSTATION_PASSPHRASE or a secret file readable only by this user.
 */
export function workstationKeychainProtector(keychain: OsKeychain, platform: NodeJS.Platform): { protector: SecretProtector } | { refused: string } {
  if (!keychain.isEncryptionAvailable()) return { refused: 'the OS keychain is not available' };
  if (platform === 'linux') {
    const backend = keychain.getSelectedStorageBackend?.() ?? 'unknown';
    if (backend === 'basic_text' || backend === 'unknown') {
      return { refused: `safeStorage would use its "${backend}" backend (no GNOME keyring or KWallet), whose password is hard-coded and protects nothing` };
    }
  }
  return { protector: osKeychainProtector(keychain) };
}

/**
 * Keeps a private key encrypted by the OS keychain: the workstation key can then sign the audit
 * trail at every start without anyone typing a passphrase, yet the key file alone is useless on
 * another machine or to another OS user.
 */
export function osKeychainProtector(keychain: OsKeychain): SecretProtector {
  if (!keychain.isEncryptionAvailable()) throw new Error('The OS keychain is not available; use a passphrase instead.');
  return {
    kind: 'os-keychain',
    async protect(secret, context) {
      // The context goes inside the sealed text, so a key file cannot be swapped for another's.
      const sealed = keychain.encryptString(`${context}\n${Buffer.from(secret).toString('base64')}`);
      return { format: 'arkiva-protected-secret-v1', protector: 'os-keychain', iv: '', tag: '', ciphertext: sealed.toString('base64') };
    },
    async unprotect(sealed: ProtectedSecret, context) {
      if (sealed.protector !== 'os-keychain') throw new WrongSecretError(`This key is protected by ${sealed.protector}, not the OS keychain.`);
      let text: string;
      try {
        text = keychain.decryptString(Buffer.from(sealed.ciphertext, 'base64'));
      } catch {
        throw new WrongSecretError('The OS keychain cannot open this key (another machine or user?).');
      }
      const newline = text.indexOf('\n');
      if (newline < 0 || text.slice(0, newline) !== context) throw new WrongSecretError('This key file belongs to another key.');
      return Buffer.from(text.slice(newline + 1), 'base64');
    },
  };
}
