import type { Handlers } from '../api/dispatcher';
import type { WorkstationSession } from './workstation-session';

type SessionMethod = 'session.get' | 'session.signIn' | 'session.signOut';

/** The contract's `session.*` methods: who is signed in at this workstation. */
export function createSessionHandlers(session: WorkstationSession): Pick<Handlers, SessionMethod> {
  return {
    'session.get': async () => session.get(),
    'session.signIn': ({ keyId, passphrase }) => session.signIn(keyId, passphrase),
    'session.signOut': () => session.signOut(),
  };
}
