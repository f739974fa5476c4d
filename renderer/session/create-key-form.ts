import type { MessageKey } from '../i18n/en';

export interface CreateKeyInput {
  readonly userId: string;
  readonly displayName: string;
  readonly role: 'clerk' | 'supervisor';
  readonly passphrase: string;
  readonly repeated: string;
}

/** The passphrase protects the key at rest; the services insist on 8 characters, the form says so first. */
export const MIN_PASSPHRASE = 8;

/** What is wrong with the form, as the message to show, or null when it can be sent. */
export function createKeyProblem(input: CreateKeyInput): MessageKey | null {
  if (input.userId.trim() === '') return 'session.create.needUser';
  if (input.displayName.trim() === '') return 'session.create.needName';
  if (input.passphrase.length < MIN_PASSPHRASE) return 'session.create.shortPassphrase';
  if (input.passphrase !== input.repeated) return 'session.create.mismatch';
  return null;
}

/**
 * What the administrator runs to trust the new key (they save the public key shown as key.pem).
 * No --trust: the CLI then takes $ARKIVA_TRUST_STORE, the file the services read as well
 * (else they read <archive>/signing/trust-store.json, which the note tells the administrator).
 */
export function trustCommand(key: { userId: string; displayName: string; role: string }): string {
  const quoted = (value: string) => `"${value.replace(/(["\\$`])/g, '\\$1')}"`;
  return `arkiva trust add --role ${key.role} --user ${quoted(key.userId)} --name ${quoted(key.displayName)} key.pem`;
}
