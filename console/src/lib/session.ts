import type { Session, User } from './api-types.ts';

/**
 * The signed-in session lives in this tab's sessionStorage (gone when the tab closes) and in
 * memory; never in a URL, a cookie or localStorage.
 */
export interface StoredSession {
  token: string;
  refreshToken: string;
  expiresAt: string;
  accountId: string;
  user: User;
}

const KEY = 'stepwise.session';
type Listener = (session: StoredSession | undefined) => void;
const listeners = new Set<Listener>();
let current: StoredSession | undefined = read();

function read(): StoredSession | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as StoredSession) : undefined;
  } catch {
    return undefined;
  }
}

export function session(): StoredSession | undefined {
  return current;
}

/** A login or refresh answer; a refresh by access token keeps the session's refresh token, so the answer may carry none. */
export function startSession(login: Session): StoredSession {
  const refreshToken = login.refresh_token ?? current?.refreshToken ?? '';
  setSession({ token: login.token, refreshToken, expiresAt: login.expires_at, accountId: login.account_id, user: login.user });
  return current!;
}

export function setSession(next: StoredSession | undefined): void {
  current = next;
  if (next) sessionStorage.setItem(KEY, JSON.stringify(next));
  else sessionStorage.removeItem(KEY);
  for (const listener of listeners) listener(next);
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
