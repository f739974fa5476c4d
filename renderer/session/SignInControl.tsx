import { useCallback, useEffect, useRef, useState } from 'react';
import type { MethodOutput } from '../../common/api/contract';
import { useServices } from '../app/ServicesContext';
import { describeError, type DescribedError } from '../errors/describe-error';
import { useI18n } from '../i18n/I18nProvider';
import { actionErrorText } from './action-error';
import { createKeyProblem, trustCommand, type CreateKeyInput } from './create-key-form';
import { createLatestRequest } from './latest-request';
import { useSession, type SessionState } from './SessionContext';

export type SigningKey = MethodOutput<'signing.listKeys'>['keys'][number];
export type CreatedKey = MethodOutput<'signing.createKey'>;

/** People's keys: the workstation's own key signs the audit trail and never signs in. */
export function personKeys(keys: readonly SigningKey[]): SigningKey[] {
  return keys.filter((key) => key.role !== 'workstation').sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** The header's sign-in: who is signed in and a way out, or a way in (and to make a first key). */
export function SignInControl() {
  const { api } = useServices();
  const { state, take } = useSession();
  const [keys, setKeys] = useState<readonly SigningKey[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<DescribedError | null>(null);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const signedOut = state.known && state.user === null;

  // Only the newest listing counts: an older reply arriving late must not bring back a list without the key just made.
  const listing = useRef(createLatestRequest());
  const loadKeys = useCallback(() => {
    const newest = listing.current.begin();
    api['signing.listKeys']({}).then(
      ({ keys: listed }) => {
        if (newest()) setKeys(personKeys(listed));
      },
      (failure: unknown) => {
        if (newest()) setError(describeError(failure));
      },
    );
  }, [api]);
  useEffect(() => {
    if (signedOut) loadKeys();
  }, [signedOut, loadKeys]);

  const run = (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    work()
      .catch((failure: unknown) => setError(describeError(failure)))
      .finally(() => setBusy(false));
  };

  return (
    <SignInView
      state={state}
      keys={keys}
      busy={busy}
      error={error}
      created={created}
      onSignIn={(keyId, passphrase) => run(async () => take(await api['session.signIn']({ keyId, passphrase })))}
      onSignOut={() => run(async () => take(await api['session.signOut']({})))}
      onCreateKey={({ userId, displayName, role, passphrase }) =>
        run(async () => {
          setCreated(await api['signing.createKey']({ userId: userId.trim(), displayName: displayName.trim(), role, passphrase }));
          loadKeys();
        })
      }
    />
  );
}

const dropdown = { position: 'absolute', right: 0, top: '100%', zIndex: 20, minWidth: '20rem', maxWidth: '28rem', padding: '0.75rem', background: '#fff', color: '#1b2433', border: '1px solid #c8c8c8', borderRadius: '6px', boxShadow: '0 6px 18px rgba(0,0,0,0.15)', display: 'grid', gap: '0.5rem' } as const;

export function SignInView({
  state,
  keys,
  busy,
  error,
  created,
  onSignIn,
  onSignOut,
  onCreateKey,
}: {
  state: SessionState;
  /** null while the keys are being listed. */
  keys: readonly SigningKey[] | null;
  busy: boolean;
  error: DescribedError | null;
  created: CreatedKey | null;
  onSignIn: (keyId: string, passphrase: string) => void;
  onSignOut: () => void;
  onCreateKey: (input: CreateKeyInput) => void;
}) {
  const { t } = useI18n();
  if (!state.known) return <span className="session-control" data-testid="session-control">…</span>;
  if (state.user) {
    return (
      <span className="session-control" data-testid="session-control" data-user={state.user.userId} data-role={state.user.role}>
        <span data-testid="session-user">{t('session.signedInAs', { name: state.user.displayName, role: t(`session.role.${state.user.role}`) })}</span>{' '}
        <button type="button" data-testid="sign-out" disabled={busy} onClick={onSignOut} style={{ color: '#15253f' }}>
          {t('session.signOut')}
        </button>
        {error && <span className="inline-error" data-testid="session-error">{actionErrorText(error, t)}</span>}
      </span>
    );
  }
  return (
    <details className="session-control" data-testid="session-control" style={{ position: 'relative' }}>
      <summary data-testid="sign-in-open">{t('session.signIn')}</summary>
      <div style={dropdown}>
        <SignInForm keys={keys} busy={busy} onSignIn={onSignIn} />
        {error && (
          <p className="inline-error" data-testid="session-error" data-code={error.code}>
            {actionErrorText(error, t)}
          </p>
        )}
        {/* Kept open while a key just made is shown: its public key and trust command are needed next. */}
        <CreateKeyForm open={(keys !== null && keys.length === 0) || created !== null} busy={busy} created={created} onCreateKey={onCreateKey} />
      </div>
    </details>
  );
}

function SignInForm({ keys, busy, onSignIn }: { keys: readonly SigningKey[] | null; busy: boolean; onSignIn: (keyId: string, passphrase: string) => void }) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const keyId = chosen || keys?.[0]?.keyId || '';
  if (keys === null) return <p className="empty-note">{t('session.loadingKeys')}</p>;
  if (keys.length === 0) return <p className="empty-note" data-testid="no-keys">{t('session.noKeys')}</p>;
  return (
    <form
      data-testid="sign-in-form"
      style={{ display: 'grid', gap: '0.4rem' }}
      onSubmit={(event) => {
        event.preventDefault();
        if (keyId && passphrase) onSignIn(keyId, passphrase);
        setPassphrase('');
      }}
    >
      <label>
        <span>{t('session.key')}</span>
        <select data-testid="sign-in-key" value={keyId} onChange={(event) => setChosen(event.target.value)}>
          {keys.map((key) => (
            <option key={key.keyId} value={key.keyId}>
              {t(key.trusted ? 'session.keyOption' : 'session.keyOptionUntrusted', { name: key.displayName, user: key.userId, role: t(`session.role.${key.role === 'supervisor' ? 'supervisor' : 'clerk'}`) })}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('session.passphrase')}</span>
        <input data-testid="sign-in-passphrase" type="password" autoComplete="current-password" value={passphrase} onChange={(event) => setPassphrase(event.target.value)} />
      </label>
      <button type="submit" data-testid="sign-in-button" disabled={busy || passphrase === ''}>
        {t('session.signIn')}
      </button>
    </form>
  );
}

function CreateKeyForm({ open, busy, created, onCreateKey }: { open: boolean; busy: boolean; created: CreatedKey | null; onCreateKey: (input: CreateKeyInput) => void }) {
  const { t } = useI18n();
  const [input, setInput] = useState<CreateKeyInput>({ userId: '', displayName: '', role: 'clerk', passphrase: '', repeated: '' });
  const [tried, setTried] = useState(false);
  const problem = createKeyProblem(input);
  const set = (patch: Partial<CreateKeyInput>) => setInput((previous) => ({ ...previous, ...patch }));
  return (
    <details data-testid="create-key" open={open}>
      <summary>{t('session.create.title')}</summary>
      <form
        style={{ display: 'grid', gap: '0.4rem' }}
        onSubmit={(event) => {
          event.preventDefault();
          setTried(true);
          if (problem === null) onCreateKey(input);
        }}
      >
        <label>
          <span>{t('session.create.user')}</span>
          <input data-testid="create-key-user" value={input.userId} autoComplete="username" onChange={(event) => set({ userId: event.target.value })} />
        </label>
        <label>
          <span>{t('session.create.name')}</span>
          <input data-testid="create-key-name" value={input.displayName} onChange={(event) => set({ displayName: event.target.value })} />
        </label>
        <label>
          <span>{t('session.create.role')}</span>
          <select data-testid="create-key-role" value={input.role} onChange={(event) => set({ role: event.target.value === 'supervisor' ? 'supervisor' : 'clerk' })}>
            <option value="clerk">{t('session.role.clerk')}</option>
            <option value="supervisor">{t('session.role.supervisor')}</option>
          </select>
        </label>
        <label>
          <span>{t('session.passphrase')}</span>
          <input data-testid="create-key-passphrase" type="password" autoComplete="new-password" value={input.passphrase} onChange={(event) => set({ passphrase: event.target.value })} />
        </label>
        <label>
          <span>{t('session.create.repeat')}</span>
          <input data-testid="create-key-repeat" type="password" autoComplete="new-password" value={input.repeated} onChange={(event) => set({ repeated: event.target.value })} />
        </label>
        {tried && problem && <p className="inline-error">{t(problem)}</p>}
        <button type="submit" data-testid="create-key-button" disabled={busy}>
          {t('session.create.submit')}
        </button>
      </form>
      {created && (
        <div data-testid="created-key">
          <p>{t('session.create.done', { name: created.key.displayName })}</p>
          <p>{t('session.create.trustNote', { file: 'key.pem', variable: 'ARKIVA_TRUST_STORE', store: 'signing/trust-store.json' })}</p>
          <code>{trustCommand(created.key)}</code>
          <textarea readOnly rows={4} value={created.publicKeyPem} aria-label={t('session.create.publicKey')} style={{ width: '100%', fontFamily: 'monospace' }} />
        </div>
      )}
    </details>
  );
}
