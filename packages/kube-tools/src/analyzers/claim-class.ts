import type { KubeObject } from '../types.ts';
import type { Snapshot } from './snapshot.ts';
import type { Remediation } from './types.ts';

const DEFAULT = 'storageclass.kubernetes.io/is-default-class';

/** Lower-case words of a class: its name and its parameters' values (`fast-ssd` → fast, ssd). */
function words(sc: { name: string; parameters?: Record<string, string> }): Set<string> {
  const text = [sc.name, ...Object.values(sc.parameters ?? {})].join(' ').toLowerCase();
  return new Set(text.split(/[^a-z0-9]+/).filter((w) => w.length >= 2));
}

/**
 * The class to recreate a never-bound claim with, when its own class does not exist: the one
 * existing class that shares a word with the name asked for (in its name or parameters, e.g.
 * `fast-ssd` and a class with `type: ssd`) — closest to what the claim meant; else the
 * cluster's one default class, which a claim naming no class would get. Anything else (two
 * matches, no default) is a person's choice.
 */
export function claimClassFix(s: Snapshot, pvc: KubeObject, asked: string): Remediation[] {
  if (pvc.spec?.volumeName || (pvc.status?.phase ?? 'Pending') !== 'Pending') return [];
  const wanted = words({ name: asked });
  const classes = s.storageClasses.map((c) => ({
    name: c.metadata.name,
    parameters: (c.parameters ?? {}) as Record<string, string>,
    isDefault: c.metadata.annotations?.[DEFAULT] === 'true',
  }));
  const sharing = classes
    .map((c) => ({ c, shared: [...words(c)].filter((w) => wanted.has(w)) }))
    .filter((x) => x.shared.length > 0);
  const defaults = classes.filter((c) => c.isDefault);
  const pick =
    sharing.length === 1
      ? {
          name: sharing[0]!.c.name,
          why: `StorageClass ${sharing[0]!.c.name} is the only existing class that shares "${sharing[0]!.shared.join('", "')}" with "${asked}" (its name and parameters ${JSON.stringify(sharing[0]!.c.parameters)} compared), so it is closest to what the claim asked for`,
        }
      : sharing.length === 0 && defaults.length === 1
        ? {
            name: defaults[0]!.name,
            why: `no existing class resembles "${asked}"; ${defaults[0]!.name} is the cluster's default class, which a claim naming none would get`,
          }
        : undefined;
  if (!pick) return [];
  return [
    {
      action: 'RecreateClaim',
      args: {
        namespace: pvc.metadata.namespace,
        name: pvc.metadata.name,
        storageClassName: pick.name,
      },
      confidence: sharing.length === 1 ? 0.6 : 0.45,
      reasoning: `${pick.why}. A claim's class cannot be changed, and this claim never bound (Pending, no volume), so it holds no data and is recreated with the same size, access modes and labels. Classes here: ${classes.map((c) => c.name).join(', ')}; if another one is meant, reject this plan.`,
    },
  ];
}
