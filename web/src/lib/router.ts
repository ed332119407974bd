import { readable } from 'svelte/store';

/**
 * Hash routes (#/ops/abc): the gateway serves the console as static files, and a hash
 * route needs no server-side fallback for deep links or reloads.
 */
export type Route =
  | { name: 'operations'; query: URLSearchParams }
  | { name: 'ask'; query: URLSearchParams }
  | { name: 'operation'; id: string; query: URLSearchParams }
  | { name: 'replay'; id: string; query: URLSearchParams }
  | { name: 'cluster'; query: URLSearchParams }
  | { name: 'not-found'; path: string; query: URLSearchParams };

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/ops';
  const [path = '/ops', search = ''] = raw.split('?', 2);
  const query = new URLSearchParams(search);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'ops' && parts.length === 1) return { name: 'operations', query };
  if (parts[0] === 'ops' && parts.length === 2) return { name: 'operation', id: parts[1]!, query };
  if (parts[0] === 'ops' && parts[2] === 'replay' && parts.length === 3) {
    return { name: 'replay', id: parts[1]!, query };
  }
  if (parts[0] === 'ask' && parts.length === 1) return { name: 'ask', query };
  if (parts[0] === 'cluster' && parts.length === 1) return { name: 'cluster', query };
  return { name: 'not-found', path, query };
}

export function href(path: string, query?: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value) params.set(key, value);
  const search = params.toString();
  return `#${path}${search ? `?${search}` : ''}`;
}

export const opHref = (id: string): string => href(`/ops/${encodeURIComponent(id)}`);

export function navigate(path: string, query?: Record<string, string | undefined>): void {
  window.location.hash = href(path, query);
}

/** Replaces the query of the current route without adding a history entry (filters, paging). */
export function replaceQuery(path: string, query: Record<string, string | undefined>): void {
  history.replaceState(null, '', href(path, query));
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export const route = readable<Route>(parseRoute(location.hash), (set) => {
  const update = (): void => set(parseRoute(location.hash));
  // The store may start late (the header reads it only once signed in): read the hash now,
  // not as it was when this module loaded (the OIDC redirect comes back without one).
  update();
  window.addEventListener('hashchange', update);
  return () => window.removeEventListener('hashchange', update);
});
