import { writable } from 'svelte/store';
import { getMe } from './api.ts';
import type { Me } from './types.ts';

export type MeState =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'ready'; user: Me }
  | { state: 'error'; error: unknown };

/** The signed-in user as the gateway sees them (name, roles, teams, namespaces). */
export const me = writable<MeState>({ state: 'idle' });

export async function loadMe(): Promise<void> {
  me.set({ state: 'loading' });
  try {
    me.set({ state: 'ready', user: await getMe() });
  } catch (error) {
    me.set({ state: 'error', error });
  }
}
