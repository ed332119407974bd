import { writable } from 'svelte/store';

/**
 * Who is signed in. The API token is kept in sessionStorage: it lives as long as the tab,
 * is never put in a URL, never logged, and is removed on sign-out or when the gateway says
 * it is no longer valid. Nothing else secret is stored by the console.
 */
const KEY = 'opsloop.token';

export interface Session {
  token: string | null;
  /** Why the user was signed out, shown on the sign-in form (e.g. the token expired). */
  reason: string | null;
}

function readToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export const session = writable<Session>({ token: readToken(), reason: null });

export function signIn(token: string): void {
  sessionStorage.setItem(KEY, token);
  session.set({ token, reason: null });
}

export function signOut(reason: string | null = null): void {
  sessionStorage.removeItem(KEY);
  session.set({ token: null, reason });
}

export function currentToken(): string | null {
  let token: string | null = null;
  session.subscribe((s) => (token = s.token))();
  return token;
}
