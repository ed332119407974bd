import { describe, expect, it } from 'vitest';
import { emptySnapshot, type Finding } from '@opsloop/kube-tools';
import { DEFAULT_LIMITS, NoModelPlanner, parseRequest, type PlanningInput } from '../src/mod.ts';

const probe = (kind: 'liveness' | 'readiness', severity: Finding['severity']): Finding => ({
  code: 'PROBE_WRONG_PATH',
  severity,
  object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'docs', name: 'docs-site' },
  evidence: [`${kind} probe answers 404`],
  explanation: `the ${kind} probe path answers 404`,
  remediations: [
    {
      action: 'SetProbe',
      args: {
        namespace: 'docs',
        kind: 'Deployment',
        name: 'docs-site',
        container: 'nginx',
        probe: kind,
        path: '/',
      },
      confidence: 0.8,
      reasoning: '/ answers 200',
    },
  ],
});
const elsewhere: Finding = {
  ...probe('liveness', 'critical'),
  object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'other', name: 'x' },
  remediations: [
    {
      ...probe('liveness', 'critical').remediations[0]!,
      args: {
        namespace: 'other',
        kind: 'Deployment',
        name: 'x',
        container: 'c',
        probe: 'liveness',
        path: '/',
      },
    },
  ],
};

const input = (findings: Finding[]): PlanningInput => ({
  request: {
    opId: 'op',
    request: 'docs-site is down, fix it',
    scope: ['docs'],
    clusterId: 'c',
    requestedBy: 'alice',
  },
  parsed: parseRequest('docs-site is down, fix it'),
  context: {
    namespace: 'docs',
    namespaceFrom: 'test',
    namespaceExists: true,
    snapshot: emptySnapshot('docs'),
    resolution: null,
    logs: [],
    apiCalls: 0,
    bytesRead: 0,
    truncated: false,
    notes: [],
  },
  findings,
  allFindings: findings,
  cluster: undefined as never,
  readTool: async () => {
    throw new Error('not used');
  },
  limits: DEFAULT_LIMITS,
});

describe('the no-model planner on findings', () => {
  it('one step per object (a second step on a changed object could not apply); the rest is named', async () => {
    const decision = await new NoModelPlanner().decide(
      input([probe('readiness', 'warning'), probe('liveness', 'critical')]),
    );
    expect(decision.kind).toBe('plan');
    if (decision.kind !== 'plan') return;
    expect(decision.proposals.map((p) => p.args.probe)).toEqual(['liveness']);
    expect(decision.rationale).toMatch(
      /Not addressed by this plan: PROBE_WRONG_PATH on Deployment docs-site/,
    );
  });
  it("a fix's follow-up steps come right after it, in order", async () => {
    const stuck: Finding = {
      code: 'INSUFFICIENT_RESOURCES',
      severity: 'critical',
      object: { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'docs', name: 'search' },
      evidence: ['search-0 Pending: Insufficient memory'],
      explanation: 'no node has room',
      remediations: [
        {
          action: 'SetContainerResources',
          args: {
            namespace: 'docs',
            kind: 'StatefulSet',
            name: 'search',
            container: 'es',
            requests: { memory: '4Gi' },
          },
          confidence: 0.35,
          reasoning: '4Gi fits a node',
          followUps: [
            {
              action: 'DeletePod',
              args: { namespace: 'docs', name: 'search-0' },
              reasoning: 'search-0 stays on the old template until deleted',
            },
          ],
        },
      ],
    };
    const decision = await new NoModelPlanner().decide(input([stuck]));
    expect(decision.kind).toBe('plan');
    if (decision.kind !== 'plan') return;
    expect(decision.proposals.map((p) => p.action)).toEqual(['SetContainerResources', 'DeletePod']);
    expect(decision.proposals[1]!.why).toMatch(/after SetContainerResources on StatefulSet search/);
  });
  it('a fix in another namespace is never proposed, whatever the finding says', async () => {
    const decision = await new NoModelPlanner().decide(input([elsewhere]));
    expect(decision.kind).toBe('answer');
  });
});
