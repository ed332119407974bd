import type { KubeObject } from '../types.ts';
import type { ContainerState } from './helpers.ts';
import { containerArgs, isPodReady, isWorkloadKind, topOwner } from './helpers.ts';
import type { Snapshot } from './snapshot.ts';
import type { Remediation } from './types.ts';

/**
 * What runtimes and shells print when the program to run is not in the image:
 * runc's `exec: "python3": executable file not found in $PATH` (StartError, exit 128),
 * `stat /app/run: no such file or directory`, and the shells' exit-127 lines
 * (`sh: python3: not found`, dash's `/bin/sh: 1: python3: not found`, bash's
 * `bash: line 1: python3: command not found`).
 */
const PATTERNS = [
  /exec: "([^"]{1,200})": (?:executable file not found|stat [^:]+: no such file or directory)/,
  /(?:^|\n)(?:\/(?:usr\/)?bin\/)?(?:ba|da|a)?sh: (?:line )?(?:\d+: )?([^\s:'"]{1,200}): (?:command )?not found/,
];

export function missingProgram(text: string): string | undefined {
  for (const pattern of PATTERNS) {
    const m = pattern.exec(text);
    if (m) return m[1];
  }
  return undefined;
}

const INTERPRETERS = /^(python[0-9.]*|node|ruby|perl|php|java|bash|sh|dash|ash)$/;
const base = (program: string) => program.split('/').pop() ?? program;

/** Whether the missing program is what the container's own `command` override starts. */
export function overrideRuns(spec: { command?: string[] }, program: string): boolean {
  const command = spec.command ?? [];
  if (!command.length) return false;
  if (base(command[0]!) === base(program)) return true;
  // `sh -c "python3 …"`: the script's first word.
  const script = command[1] === '-c' ? command[2] : undefined;
  return script !== undefined && base(script.trim().split(/\s+/)[0] ?? '') === base(program);
}

function repository(image: string): string {
  const name = image.split('@')[0]!;
  return name.lastIndexOf(':') > name.lastIndexOf('/')
    ? name.slice(0, name.lastIndexOf(':'))
    : name;
}

/** A Ready pod of another workload running the same image repository with no command override. */
function siblingWithoutOverride(s: Snapshot, owner: KubeObject, image: string): string | undefined {
  for (const pod of s.pods) {
    if (!isPodReady(pod)) continue;
    const top = topOwner(s, pod);
    if (top.metadata.uid === owner.metadata.uid) continue;
    const same = (pod.spec?.containers ?? []).some(
      (c: { image?: string; command?: unknown }) =>
        c.image !== undefined && repository(c.image) === repository(image) && !c.command,
    );
    if (same) return `${top.kind ?? 'Pod'} ${top.metadata.name}`;
  }
  return undefined;
}

/**
 * Dropping the override is proposed only for long-running workloads (a Job's command is the
 * job: without it the image would run something else and "succeed"), only when the
 * override is what names the missing program, and with the evidence that the image's own
 * entrypoint is the intended program: the container declares ports to serve, or another
 * workload serves from the same image without an override.
 */
export function clearOverrideFix(
  s: Snapshot,
  owner: KubeObject,
  c: ContainerState,
  program: string,
): Remediation[] {
  if (!isWorkloadKind(owner.kind) || c.init || !overrideRuns(c.spec, program)) return [];
  const image = String(c.spec.image ?? '');
  const ports = ((c.spec.ports ?? []) as { containerPort: number }[]).map((p) => p.containerPort);
  const sibling = siblingWithoutOverride(s, owner, image);
  if (!ports.length && !sibling) return [];
  const command = c.spec.command as string[];
  const args = (c.spec.args ?? []) as string[];
  // A script handed to a missing interpreter (`python3` + `/app/run.py`) goes with it; flags
  // such as `--listen :9100` are left for the image's entrypoint.
  const clearArgs =
    INTERPRETERS.test(base(command[0]!)) &&
    command.length === 1 &&
    args.length > 0 &&
    !args[0]!.startsWith('-');
  const why = [
    `the command override starts ${program}, which image ${image} does not contain`,
    sibling ? `${sibling} runs the same image without an override and is Ready` : '',
    ports.length ? `the container declares port(s) ${ports.join(', ')} for the image to serve` : '',
  ].filter(Boolean);
  return [
    {
      action: 'ClearCommandOverride',
      args: { ...containerArgs(owner, c.name), clearArgs },
      confidence: sibling ? 0.7 : 0.6,
      reasoning:
        `${why.join('; ')}. Dropping ${clearArgs ? 'the command and its script argument' : 'the override'} runs the image's own entrypoint (ENTRYPOINT/CMD as built), ${args.length && !clearArgs ? `with the container's args ${JSON.stringify(args)} ` : ''}and changes nothing else. ` +
        `Risk: the entrypoint was not read from the image, so if it is not this workload's program the pods keep failing as now; ${owner.kind === 'Deployment' ? 'RolloutUndo restores the override' : 'the diff shows the removed command to restore'}.`,
    },
  ];
}
