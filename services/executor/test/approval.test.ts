import { describe, expect, it } from 'vitest';
import {
  OpsEvents,
  decide,
  evolve,
  initialState,
  newEventFrom,
  seal,
  type Actor,
  type Command,
  type OpsEvent,
  type Plan,
} from '@opsloop/contracts';
import { judgeApproval } from '../src/approval.ts';

const NOW = new Date('2026-01-01T10:00:00.000Z');
const CLUSTER = 'uid-kube-system';
const plan: Plan = {
  schemaVersion: 1,
  clusterId: CLUSTER,
  rationale: 'scale up',
  steps: [
    {
      id: 's1',
      action: 'ScaleWorkload',
      args: { namespace: 'shop', kind: 'Deployment', name: 'web', replicas: 3 },
      target: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'web',
        resourceVersion: '7',
      },
      patch: { type: 'json', body: [{ op: 'replace', path: '/spec/replicas', value: 3 }] },
      diff: [{ path: 'spec.replicas', before: 2, after: 3 }],
      risk: 'low',
      checks: [],
      summary: 'scale web from 2 to 3',
    },
  ],
};

/** A history written the way the gateway and planner write it (decide + newEvent + seal). */
function history(...writes: [Actor, Command][]): OpsEvent[] {
  let state = initialState;
  let prev: string | null = null;
  const events: OpsEvent[] = [];
  for (const [actor, command] of writes) {
    for (const pending of decide(command, state, NOW)) {
      const sealed = seal(
        newEventFrom(pending, {
          opId: 'op-1',
          actor,
          causationId: null,
          correlationId: 'op-1',
          id: `e${events.length}`,
        }),
        prev,
      );
      prev = sealed.hash;
      const event = OpsEvents.parse(sealed) as OpsEvent;
      events.push(event);
      state = evolve(state, event);
    }
  }
  return events;
}

const alice: Actor = { kind: 'user', id: 'alice' };
const user = (id: string): Actor => ({ kind: 'user', id });
const planner: Actor = { kind: 'service', id: 'planner' };
const hash = () => history(...start()).at(-1)!.payload as { planHash: string };
function start(): [Actor, Command][] {
  return [
    [
      alice,
      {
        type: 'RequestOperation',
        request: 'scale web',
        requestedBy: 'alice',
        cluster: { id: CLUSTER },
      },
    ],
    [planner, { type: 'ProposePlan', plan }],
  ];
}
const grant = (
  approver: string,
  required = 1,
  expiresAt = '2026-01-01T11:00:00.000Z',
): [Actor, Command] => [
  user(approver),
  { type: 'GrantApproval', planHash: hash().planHash, approver, expiresAt, required },
];
const judge = (events: OpsEvent[], policy = { clusterId: CLUSTER, minApprovers: 1 }, now = NOW) =>
  judgeApproval(events.at(-1)!, events, events.reduce(evolve, initialState), now, policy);

describe('judgeApproval', () => {
  it('executes a valid approval of the current plan', () => {
    expect(judge(history(...start(), grant('bob')))).toEqual({
      kind: 'execute',
      approvers: ['bob'],
    });
  });

  it('refuses when the executor needs a second approver the plan did not ask for', () => {
    const verdict = judge(history(...start(), grant('bob')), {
      clusterId: CLUSTER,
      minApprovers: 2,
    });
    expect(verdict).toMatchObject({ kind: 'refuse', error: { code: 'OPS_ERR_APPROVERS_MISSING' } });
    expect(verdict.kind === 'refuse' && verdict.error.message).toMatch(
      /needs 2 distinct approvers.*has 1 \(bob\)/,
    );
  });

  it('counts two distinct approvers as two, and executes', () => {
    const events = history(...start(), grant('bob', 2), grant('carol', 2));
    expect(judge(events, { clusterId: CLUSTER, minApprovers: 2 })).toEqual({
      kind: 'execute',
      approvers: ['bob', 'carol'],
    });
  });

  it('refuses an expired approval', () => {
    const later = new Date('2026-01-01T12:00:00.000Z');
    expect(judge(history(...start(), grant('bob')), undefined, later)).toMatchObject({
      kind: 'refuse',
      error: { code: 'OPS_ERR_APPROVAL_EXPIRED', retryable: false },
    });
  });

  it('refuses a plan for another cluster', () => {
    expect(
      judge(history(...start(), grant('bob')), { clusterId: 'other', minApprovers: 1 }),
    ).toMatchObject({
      kind: 'refuse',
      error: { code: 'OPS_ERR_WRONG_CLUSTER' },
    });
  });

  it('refuses when the stored plan does not hash to what was approved', () => {
    const events = history(...start(), grant('bob'));
    const state = events.reduce(evolve, initialState);
    const tampered = {
      ...state,
      plan: {
        ...state.plan!,
        plan: {
          ...plan,
          steps: [{ ...plan.steps[0]!, args: { ...plan.steps[0]!.args, replicas: 30 } }],
        },
      },
    };
    expect(
      judgeApproval(events.at(-1)!, events, tampered, NOW, { clusterId: CLUSTER, minApprovers: 1 }),
    ).toMatchObject({
      kind: 'refuse',
      error: { code: 'OPS_ERR_PLAN_HASH_MISMATCH' },
    });
  });

  it('skips: an approval written by a service, an operation not awaiting execution, another approval', () => {
    const events = history(...start(), grant('bob'));
    const forged = { ...events.at(-1)!, actor: { kind: 'service', id: 'planner' } } as OpsEvent;
    expect(
      judgeApproval(forged, events, events.reduce(evolve, initialState), NOW, {
        clusterId: CLUSTER,
        minApprovers: 1,
      }).kind,
    ).toBe('skip');
    const first = history(...start(), grant('bob', 2));
    expect(judge(first)).toMatchObject({ kind: 'skip', why: 'operation is awaiting_approval' });
    const both = history(...start(), grant('bob', 2), grant('carol', 2));
    expect(
      judgeApproval(both[2]!, both, both.reduce(evolve, initialState), NOW, {
        clusterId: CLUSTER,
        minApprovers: 1,
      }).kind,
    ).toBe('skip');
  });
});
