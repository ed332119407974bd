import { SEVERITY_RANK } from '@opsloop/contracts';
import { getAction, type Finding, type Snapshot } from '@opsloop/kube-tools';
import { HELP, diagnosisAnswer, healthAnswer } from './answers.ts';
import type { Intent, ScaleChange } from './intent.ts';
import { logErrorsAnswer, logsAnswer } from './logs.ts';
import { podsOf, type Resolved } from './resolve.ts';
import type { Decision, Planner, PlanningInput, Proposal } from './strategy.ts';

/**
 * The planner without a model (`--llm none`): direct commands become the one step they
 * name; questions about a failure become the analyzers' typed fixes for the findings on
 * what the request names; everything else is an answer.
 */
export class NoModelPlanner implements Planner {
  readonly name = 'no-model';

  async decide(input: PlanningInput): Promise<Decision> {
    const { intent } = input.parsed;
    const { context } = input;
    if (intent.kind === 'unknown') return answer(HELP);
    if (context.namespace === null) return answer(whichNamespace(input));
    if (!context.namespaceExists || context.snapshot === null) {
      return answer(
        `Namespace ${context.namespace} does not exist in this cluster; nothing to do.`,
      );
    }
    const ns = context.namespace;
    const r = context.resolution;
    // A yes/no question read as a health question only when it names something that exists.
    if (intent.kind === 'health' && intent.guess && !(r && 'found' in r)) return answer(HELP);
    if (r && 'ambiguous' in r) {
      return answer(
        `"${'target' in intent ? intent.target : ''}" matches several objects in ${ns}: ` +
          `${r.ambiguous.map((o) => `${o.kind} ${o.name}`).join(', ')}. Say which one.`,
      );
    }
    const wide =
      intent.kind === 'diagnose' || intent.kind === 'health' || intent.kind === 'log-errors';
    if (r && 'missing' in r && !wide) {
      return answer(
        `I found nothing called "${'target' in intent ? intent.target : ''}" in namespace ${ns}. ` +
          `Workloads there: ${workloadNames(context.snapshot).join(', ') || 'none'}.`,
      );
    }
    const target = r && 'found' in r ? r.found : null;
    const subject = target ? `${target.named.kind} ${ns}/${target.named.name}` : `namespace ${ns}`;
    switch (intent.kind) {
      case 'health':
        return answer(
          healthAnswer(
            subject,
            context.snapshot,
            input.findings,
            target?.workload ? podsOf(context.snapshot, target.workload) : undefined,
          ),
        );
      case 'logs':
        return answer(logsAnswer(subject, context.logs));
      case 'log-errors':
        return answer(logErrorsAnswer(subject, context.logs));
      case 'diagnose':
        return fromFindings(subject, ns, input.findings, context.snapshot, target);
      default:
        return command(intent, ns, target);
    }
  }
}

function answer(text: string): Decision {
  return { kind: 'answer', answer: text };
}

function whichNamespace(input: PlanningInput): string {
  const scope = input.request.scope ?? [];
  return (
    `Which namespace is this about? ${input.context.namespaceFrom === 'not named' ? '' : `(${input.context.namespaceFrom}) `}` +
    `Name it, e.g. "… in namespace ${scope.find((s) => !/[*?]/.test(s)) ?? 'shop'}". ` +
    `Your teams own: ${scope.join(', ') || 'no namespace'}.`
  );
}

function workloadNames(s: NonNullable<PlanningInput['context']['snapshot']>): string[] {
  return [...s.deployments, ...s.statefulSets, ...s.daemonSets]
    .map((w) => w.metadata.name)
    .slice(0, 30);
}

/**
 * The analyzers' top typed fix for each serious finding on what the request names, most
 * severe first, one step per object. A finding without a fix says what a person must do.
 */
function fromFindings(
  subject: string,
  namespace: string,
  findings: Finding[],
  snapshot: Snapshot,
  target: Resolved | null,
): Decision {
  const proposals: Proposal[] = [];
  const touched = new Set<string>();
  const used: Finding[] = [];
  const ranked = [...findings].sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity],
  );
  for (const f of ranked) {
    if (SEVERITY_RANK[f.severity] < SEVERITY_RANK.warning) continue;
    // Only fixes inside the request's namespace: cluster data cannot widen the scope.
    const fix = f.remediations.find((rem) => rem.args.namespace === namespace);
    if (!fix) continue;
    // One step per object: every step is guarded by the object's planned desired state
    // (its generation), so a second step on an object the first one changed could never apply.
    // The rest is named in the rationale; asking again after this plan plans it.
    const target = getAction(fix.action).target(fix.args as never);
    const objectKey = `${target.kind}/${target.namespace ?? ''}/${target.name}`;
    if (touched.has(objectKey)) continue;
    touched.add(objectKey);
    used.push(f);
    proposals.push({
      action: fix.action,
      args: fix.args,
      why: `${f.code} on ${f.object.kind} ${f.object.name}: ${fix.reasoning}`,
    });
    // Steps without which the fix does not take effect (a StatefulSet's stuck pod), in order.
    for (const next of fix.followUps ?? []) {
      const at = getAction(next.action).target(next.args as never);
      touched.add(`${at.kind}/${at.namespace ?? ''}/${at.name}`);
      proposals.push({
        action: next.action,
        args: next.args,
        why: `after ${fix.action} on ${f.object.kind} ${f.object.name}: ${next.reasoning}`,
      });
    }
  }
  if (proposals.length === 0) {
    return answer(diagnosisAnswer(subject, findings, snapshot) + scalerNote(snapshot, target));
  }
  const rationale = used
    .map(
      (f) =>
        `${f.code} on ${f.object.kind} ${f.object.name}: ${f.explanation} Evidence: ${f.evidence.slice(0, 3).join('; ')}`,
    )
    .join('\n');
  const unfixed = findings.filter(
    (f) =>
      !used.includes(f) &&
      SEVERITY_RANK[f.severity] >= SEVERITY_RANK.warning &&
      f.code !== 'PROMPT_INJECTION_SUSPECTED',
  );
  const rest = unfixed.length
    ? `\nNot addressed by this plan: ${unfixed.map((f) => `${f.code} on ${f.object.kind} ${f.object.name}`).join(', ')}.`
    : '';
  return { kind: 'plan', proposals, rationale: `Diagnosis of ${subject}:\n${rationale}${rest}` };
}

/** A direct command on the workload the request names (a Service resolves to its workload). */
function command(intent: Intent, namespace: string, target: Resolved | null): Decision {
  if (target === null)
    return answer(`Name the workload to act on, e.g. "restart checkout". ${HELP}`);
  const w = target.workload;
  if (w === null) {
    return answer(
      `${target.named.kind} ${target.named.name} has no Deployment, StatefulSet or DaemonSet behind it to act on.`,
    );
  }
  const via = target.named.kind === 'Service' ? ` (behind Service ${target.named.name})` : '';
  const base = { namespace, kind: w.kind, name: w.name };
  switch (intent.kind) {
    case 'scale': {
      if (w.kind === 'DaemonSet')
        return answer(`DaemonSet ${w.name} runs one pod per node and cannot be scaled.`);
      const current = Number(w.object.spec?.replicas ?? 1);
      const replicas = scaled(current, intent.change);
      if (replicas === current)
        return answer(
          `${w.kind} ${namespace}/${w.name} already runs ${current} replicas; nothing to change.`,
        );
      const zero =
        replicas === 0
          ? ' Scaling to 0 stops every pod: whatever it serves is down until it is scaled up again.'
          : '';
      return plan(
        {
          action: 'ScaleWorkload',
          args: { ...base, replicas },
          why: `requested: scale from ${current} to ${replicas}${via}.${zero}`,
        },
        `Requested scale of ${w.kind} ${w.name}${via} from ${current} to ${replicas} replicas.${zero}`,
      );
    }
    case 'restart':
      return plan(
        { action: 'RolloutRestart', args: base, why: `requested rolling restart${via}` },
        `Requested rolling restart of ${w.kind} ${w.name}${via}.`,
      );
    case 'rollback': {
      if (w.kind !== 'Deployment')
        return answer(
          `Only Deployments keep revisions to roll back to; ${w.kind} ${w.name} does not.`,
        );
      const args =
        intent.toRevision === undefined ? { ...base } : { ...base, toRevision: intent.toRevision };
      return plan(
        { action: 'RolloutUndo', args, why: `requested roll back${via}` },
        `Requested roll back of Deployment ${w.name}${via} to ${intent.toRevision === undefined ? 'the previous revision' : `revision ${intent.toRevision}`}.`,
      );
    }
    case 'set-image': {
      const containers = (
        (w.object.spec?.template?.spec?.containers ?? []) as { name: string }[]
      ).map((c) => c.name);
      const container = intent.container ?? (containers.length === 1 ? containers[0] : undefined);
      if (container === undefined) {
        return answer(
          `${w.kind} ${w.name} has several containers (${containers.join(', ')}); say which one, e.g. "set the image of container ${containers[0]} in ${w.name} to ${intent.image}".`,
        );
      }
      return plan(
        {
          action: 'SetImage',
          args: { ...base, container, image: intent.image },
          why: `requested image ${intent.image} for container ${container}${via}`,
        },
        `Requested image change of container ${container} in ${w.kind} ${w.name}${via} to ${intent.image}.`,
      );
    }
    case 'set-pull-secret': {
      const current = (
        (w.object.spec?.template?.spec?.imagePullSecrets ?? []) as { name: string }[]
      ).map((ref) => ref.name);
      if (current.includes(intent.secret))
        return answer(
          `${w.kind} ${namespace}/${w.name} already references pull secret ${intent.secret}; nothing to change.`,
        );
      return plan(
        {
          action: 'SetImagePullSecrets',
          args: { ...base, secrets: [...current, intent.secret] },
          why: `requested: pull images with secret ${intent.secret}${via} (named by the requester; Opsloop cannot read Secrets to check it)`,
        },
        `Requested pull secret ${intent.secret} for ${w.kind} ${w.name}${via}.`,
      );
    }
    default:
      return answer(HELP);
  }
}

function plan(proposal: Proposal, rationale: string): Decision {
  return { kind: 'plan', proposals: [proposal], rationale };
}

/** The replica count a scale request asks for; "by 50%" rounds away from no change. */
export function scaled(current: number, change: ScaleChange): number {
  if ('to' in change) return change.to;
  const sign = change.direction === 'down' ? -1 : 1;
  if ('by' in change) return Math.max(0, current + sign * change.by);
  const exact = current * (1 + (sign * change.byPercent) / 100);
  return Math.max(0, sign > 0 ? Math.ceil(exact) : Math.floor(exact));
}

/** An autoscaler explains replica counts nobody set by hand ("why does it run four?"). */
function scalerNote(snapshot: Snapshot, target: Resolved | null): string {
  const w = target?.workload;
  if (!w) return '';
  const hpa = snapshot.hpas.find((h) => {
    const ref = h.spec?.scaleTargetRef as { kind?: string; name?: string } | undefined;
    return ref?.kind === w.kind && ref.name === w.name;
  });
  if (!hpa) return '';
  const status = (hpa.status ?? {}) as { currentReplicas?: number; desiredReplicas?: number };
  return (
    `\nHorizontalPodAutoscaler ${hpa.metadata.name} sets its replicas (between ${String(hpa.spec?.minReplicas ?? 1)} ` +
    `and ${String(hpa.spec?.maxReplicas)}; now ${String(status.currentReplicas ?? '?')}, wanted ${String(status.desiredReplicas ?? '?')}), ` +
    'so the count follows load, not the replicas in the Deployment spec.'
  );
}
