/**
 * A container that waits for or fails to reach a host no Service is called, where the host
 * comes from a ConfigMap key (env valueFrom, or envFrom the whole map) and exactly one
 * ClusterIP Service's name extends it (`<host>-<suffix>`, the way charts rename Services on
 * an upgrade). The catalog cannot edit a ConfigMap, so this is what a person must do.
 */
import { quote } from '../redact.ts';
import type { ContainerState } from './helpers.ts';
import type { Snapshot } from './snapshot.ts';

type Env = { name: string; valueFrom?: { configMapKeyRef?: { name: string; key: string } } };
type EnvFrom = { configMapRef?: { name: string }; prefix?: string };

/** Host names a failing log line names: quoted, or before a port. Only compared with Services. */
function loggedHosts(log: string): Set<string> {
  const hosts = new Set<string>();
  for (const line of log.split('\n')) {
    if (
      !/(bad address|can't resolve|could not resolve|not found|waiting for|refused|unknown host|no such host)/i.test(
        line,
      )
    )
      continue;
    for (const m of line.matchAll(
      /['"]([a-z0-9][-a-z0-9]*[a-z0-9])['"]|\b([a-z0-9][-a-z0-9]*[a-z0-9]):\d{1,5}\b/g,
    ))
      hosts.add((m[1] ?? m[2])!);
  }
  return hosts;
}

/** Which ConfigMap key sets environment variable `name` of the container, if one does. */
function configSource(s: Snapshot, c: ContainerState, name: string) {
  const ref = ((c.spec.env ?? []) as Env[]).find((e) => e.name === name)?.valueFrom
    ?.configMapKeyRef;
  if (ref) return { configMap: ref.name, key: ref.key };
  for (const from of (c.spec.envFrom ?? []) as EnvFrom[]) {
    const map = from.configMapRef?.name;
    const key = name.slice((from.prefix ?? '').length);
    if (
      map &&
      name.startsWith(from.prefix ?? '') &&
      s.configMaps.some((m) => m.name === map && m.keys.includes(key))
    )
      return { configMap: map, key };
  }
  return undefined;
}

export function configuredHostHint(
  s: Snapshot,
  c: ContainerState,
  workload: string,
): { cause: string; humanAction: string } | undefined {
  const log = s.logs[`${c.pod.metadata.name}/${c.name}`] ?? '';
  const services = s.services.filter((x) => x.spec?.clusterIP !== 'None');
  const text = [...(c.spec.command ?? []), ...(c.spec.args ?? [])].join(' ');
  // The variables the command expands that can hold a host name (not a port or a count).
  const vars = [...text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)]
    .map((m) => m[1]!)
    .filter((v) => /HOST|ADDR|SERVER|URL|ENDPOINT|SERVICE/i.test(v));
  for (const host of loggedHosts(log)) {
    if (s.services.some((x) => x.metadata.name === host)) continue;
    const near = services.filter((x) => x.metadata.name.startsWith(`${host}-`));
    if (near.length !== 1) continue;
    const service = near[0]!.metadata.name;
    for (const v of vars) {
      const source = configSource(s, c, v);
      if (!source) continue;
      const cause =
        `it waits for host ${quote(host)} (its log), which no Service in ${s.namespace} is called; ` +
        `the host is $${v}, set by key ${source.key} of ConfigMap ${source.configMap}, and Service ${service} exists and extends that name`;
      return {
        cause,
        humanAction:
          `Set ${source.key} in ConfigMap ${source.configMap} to ${service} ` +
          `(kubectl -n ${s.namespace} patch configmap ${source.configMap} --type merge -p '{"data":{"${source.key}":"${service}"}}'), ` +
          `then restart ${workload} (kubectl -n ${s.namespace} rollout restart ${workload.toLowerCase()}): env from a ConfigMap is read when a container starts. ` +
          `Opsloop's catalog has no ConfigMap edit, so a person must make this change.`,
      };
    }
  }
  return undefined;
}
