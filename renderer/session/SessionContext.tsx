import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ArkivaApi, Session } from '../../common/api/contract';
import { useServices } from '../app/ServicesContext';

export type SessionUser = NonNullable<Session['user']>;

/** Who is signed in, once the services have said; `known: false` until then. */
export type SessionState = { readonly known: false } | { readonly known: true; readonly user: SessionUser | null };

interface SessionContextValue {
  readonly state: SessionState;
  /** What a sign-in or sign-out call answered, taken at once rather than waiting for the event. */
  readonly take: (session: Session) => void;
}

const UNKNOWN: SessionContextValue = { state: { known: false }, take: () => undefined };
const SessionContext = createContext<SessionContextValue>(UNKNOWN);

/**
 * Follows the workstation's one session: asked at start and after a reconnect, then kept by
 * `session.changed`, so a sign-out in another window (another tab on the local host) shows here.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const { api, errors } = useServices();
  const [state, setState] = useState<SessionState>({ known: false });

  useEffect(
    () =>
      followSession(api, {
        onSession: (session) => setState({ known: true, user: session.user }),
        onError: (error) => errors.report('errors.context.session', error),
      }),
    [api, errors],
  );

  const value = useMemo<SessionContextValue>(() => ({ state, take: (session) => setState({ known: true, user: session.user }) }), [state]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/**
 * Asks who is signed in, then follows `session.changed`, and asks again after a reconnect (events
 * sent while the connection was down are lost). Returns what stops following.
 */
export function followSession(api: ArkivaApi, on: { onSession: (session: Session) => void; onError: (error: unknown) => void }): () => void {
  let current = true;
  const load = () =>
    api['session.get']({}).then(
      (session) => current && on.onSession(session),
      (error: unknown) => current && on.onError(error),
    );
  void load();
  const stopEvents = api.on('session.changed', (session) => current && on.onSession(session));
  const stopReconnect = api.onReconnect(() => void load());
  return () => {
    current = false;
    stopEvents();
    stopReconnect();
  };
}

/** The session as this window knows it; outside a provider (static renders), not yet known. */
export function useSession(): SessionContextValue {
  return useContext(SessionContext);
}
