import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { api, ApiError, NetworkError, setCsrfToken } from '../api/client';
import type { Me, User } from '../api/types';
import { forgetDeviceData } from '../offline/device-data';

/**
 * Who is signed in. The user is remembered on the device (not the session itself, which is an
 * HttpOnly cookie) so that a patient who opens the app offline can still write to the diary;
 * their entries wait in the outbox until the server answers again.
 */

const REMEMBERED = 'relief.user';

export interface Session {
  /** undefined while loading; null when signed out. */
  user: User | null | undefined;
  /** The server could not be reached; the user shown is the one remembered on this device. */
  offline: boolean;
  signIn(username: string, password: string): Promise<User>;
  signOut(): Promise<void>;
  /** Re-read the session from the server (after a password change, or back online). */
  refresh(): Promise<User | null>;
  /** Replace the user after an answer that returns it (password change). */
  setSignedIn(user: User, csrfToken: string): void;
}

const SessionContext = createContext<Session | null>(null);

/** The user last signed in on this device (the outbox sends an entry only under its author). */
export function remembered(): User | null {
  try {
    const raw = localStorage.getItem(REMEMBERED);
    return raw === null ? null : (JSON.parse(raw) as User);
  } catch {
    return null;
  }
}

function remember(user: User | null): void {
  if (user === null) localStorage.removeItem(REMEMBERED);
  else localStorage.setItem(REMEMBERED, JSON.stringify(user));
}

const beforeSignOut = new Set<() => Promise<unknown>>();

/** Work to finish before signing out (the outbox sends what waits); returns the unregistering function. */
export function onBeforeSignOut(hook: () => Promise<unknown>): () => void {
  beforeSignOut.add(hook);
  return () => beforeSignOut.delete(hook);
}

/** `GET /auth/me`: the user and CSRF token, null when signed out; throws NetworkError offline. */
export async function loadSession(): Promise<User | null> {
  try {
    const { csrfToken, ...user } = await api.get<Me>('/auth/me');
    setCsrfToken(csrfToken);
    remember(user);
    return user;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setCsrfToken(null);
      remember(null);
      return null;
    }
    throw e;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [offline, setOffline] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const u = await loadSession();
      setUser(u);
      setOffline(false);
      return u;
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
      const u = remembered();
      setUser(u);
      setOffline(true);
      return u;
    }
  }, []);

  useEffect(() => {
    void refresh();
    const back = () => void refresh();
    window.addEventListener('online', back);
    return () => window.removeEventListener('online', back);
  }, [refresh]);

  const setSignedIn = useCallback((u: User, csrfToken: string) => {
    setCsrfToken(csrfToken);
    remember(u);
    // Another patient's data left on this phone by a session that expired.
    void forgetDeviceData(u.patientId ?? null);
    setUser(u);
    setOffline(false);
  }, []);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const { body } = await api.post<{ user: User; csrfToken: string }>('/auth/login', { username, password });
      setSignedIn(body.user, body.csrfToken);
      return body.user;
    },
    [setSignedIn],
  );

  const signOut = useCallback(async () => {
    // Last chance to send entries waiting on the device while the session still exists.
    await Promise.allSettled([...beforeSignOut].map((hook) => hook()));
    try {
      await api.post('/auth/logout');
    } finally {
      setCsrfToken(null);
      remember(null);
      // Health data stays off a phone someone else may use next (entries still waiting stay).
      await forgetDeviceData(null);
      setUser(null);
    }
  }, []);

  return (
    <SessionContext.Provider value={{ user, offline, signIn, signOut, refresh, setSignedIn }}>
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** The signed-in user; for pages that are only shown when someone is signed in. */
export function useUser(): User {
  const { user } = useSession();
  if (!user) throw new Error('useUser on a page shown signed out');
  return user;
}
