import { planHash, type OpsEventType } from '../../src/mod.ts';
import { rollbackPlan, samplePlan } from './sample-plans.ts';

/**
 * One realistic payload per event type and version, used by `npm run fixtures` to write
 * the golden fixture of a version that has none yet. Changing a sample never changes a
 * shipped fixture (the script does not overwrite); add the sample for a new version here.
 */
const plan = samplePlan();
const hash = planHash(plan);
const rollback = rollbackPlan();

export const samplePayloads: Record<OpsEventType, Record<number, unknown>> = {
  OperationRequested: {
    1: {
      request: 'checkout is slow and returns 503s, scale it to 5 and fix whatever is wrong',
      namespace: 'shop',
      requestedBy: 'alice@example.com',
      teams: ['shop-team'],
      cluster: { id: 'kube-sim-local' },
      llm: { provider: 'ollama', model: 'qwen2.5:7b-instruct' },
    },
  },
  ContextGathered: {
    1: {
      summary: 'Deployment shop/checkout: 2/2 ready; Service shop/checkout: 0 endpoints',
      toolCalls: 6,
      truncated: false,
    },
  },
  DiagnosisRecorded: {
    1: {
      findings: [
        {
          code: 'ServiceSelectorMismatch',
          severity: 'critical',
          object: { kind: 'Service', namespace: 'shop', name: 'checkout' },
          explanation: 'the selector app=chekout matches no pod, so the Service has no endpoints',
          evidence: ['selector: {app: chekout}', 'pods labelled app=checkout: 2'],
        },
      ],
    },
  },
  PlanProposed: { 1: { plan, planHash: hash } },
  PlanRejectedByPolicy: {
    1: {
      planHash: hash,
      violations: [
        {
          rule: 'team-owns-namespace',
          message: 'no approver team owns namespace shop',
          stepIndex: 0,
        },
      ],
    },
    2: {
      plan,
      planHash: hash,
      violations: [
        {
          rule: 'namespace-in-scope',
          message: "step 1 touches namespace shop, which the requester's teams do not own",
          stepIndex: 0,
        },
      ],
    },
  },
  ApprovalGranted: {
    1: {
      planHash: hash,
      approver: 'bob@example.com',
      expiresAt: '2025-01-15T10:15:00.000Z',
      comment: 'looks right',
    },
    2: {
      planHash: hash,
      approver: 'carol@example.com',
      expiresAt: '2025-01-15T10:30:00.000Z',
      comment: 'a low-risk plan needs one approver',
      required: 1,
    },
  },
  ApprovalRejected: {
    1: { planHash: hash, approver: 'bob@example.com', reason: 'scale during the freeze window' },
  },
  ApprovalExpired: { 1: { planHash: hash, expiresAt: '2025-01-15T10:15:00.000Z' } },
  ExecutionStarted: {
    1: { planHash: hash, approvalEventId: 'c3a1a7a4-7d1f-4a43-9f53-0d0d2b0a6f11' },
  },
  StepStarted: { 1: { stepIndex: 0, stepId: 's1' } },
  StepSucceeded: {
    1: {
      stepIndex: 0,
      stepId: 's1',
      result: { resourceVersionBefore: '4711', resourceVersionAfter: '4790' },
    },
  },
  StepFailed: {
    1: {
      stepIndex: 1,
      stepId: 's2',
      error: {
        code: 'OPS_ERR_KUBE_FORBIDDEN',
        message: 'patch services is forbidden',
        retryable: false,
      },
    },
  },
  ExecutionCompleted: { 1: { planHash: hash, stepsApplied: 2 } },
  ExecutionHeld: {
    1: {
      reason: 'kill_switch_engaged',
      message:
        'the kill switch (JetStream KV opsloop_control/kill-switch) is set: incident 4711, freeze all changes',
      stepIndex: 1,
    },
  },
  PlanInvalidated: {
    1: {
      stepIndex: 1,
      stepId: 's2',
      reason: 'Service shop/checkout changed since the plan was made',
      expectedResourceVersion: '815',
      actualResourceVersion: '902',
    },
    2: {
      stepIndex: 1,
      stepId: 's2',
      reason: 'Service shop/checkout: /spec differs from the plan; nothing was written',
      expectedResourceVersion: '815',
      actualResourceVersion: '902',
      changedPath: '/spec',
    },
  },
  VerificationStarted: { 1: { planHash: hash, checks: 3 } },
  CheckPassed: {
    1: {
      stepIndex: 0,
      check: { name: 'RolloutComplete', args: { timeoutSeconds: 120 } },
      observed: { updatedReplicas: 5, availableReplicas: 5 },
    },
  },
  CheckFailed: {
    1: {
      stepIndex: 1,
      check: { name: 'ServiceResponds', args: { port: 80, path: '/healthz' } },
      observed: { status: 503 },
      message: 'GET /healthz through the service proxy answered 503',
    },
  },
  VerificationPassed: { 1: { planHash: hash, checksPassed: 3 } },
  VerificationFailed: {
    1: {
      planHash: hash,
      failedChecks: ['1:ServiceResponds'],
      reason: 'checkout still answers 503',
    },
  },
  RollbackProposed: {
    1: {
      plan: rollback,
      planHash: planHash(rollback),
      reason: 'verification failed; restore the previous replica count',
      rollsBack: hash,
    },
  },
  OperationAnswered: {
    1: { answer: 'payment-api has no ready endpoints because its pods fail the readiness probe' },
  },
  OperationFailed: {
    1: {
      error: {
        code: 'OPS_ERR_LLM_INVALID_OUTPUT',
        message: 'the model never proposed a valid plan',
        retryable: true,
      },
      phase: 'diagnosing',
    },
  },
  OperationClosed: { 1: { outcome: 'succeeded', reason: 'verified by the verifier' } },
};
