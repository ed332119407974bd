import { Counter, Histogram, type Registry } from 'prom-client';
import type { Decided } from './outcome.ts';

export interface PlannerMetrics {
  observe(outcome: Decided[], seconds: number): void;
}

const OUTCOMES: Record<string, string> = {
  ProposePlan: 'plan',
  Answer: 'answer',
  RejectPlanByPolicy: 'policy_rejection',
  Fail: 'failed',
};

/** Requests planned by outcome, and how long planning took (context to decision, no append). */
export function plannerMetrics(registry: Registry): PlannerMetrics {
  const requests = new Counter({
    name: 'opsloop_planner_requests_total',
    help: 'Operation requests planned, by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'opsloop_planner_request_seconds',
    help: 'Time from taking an OperationRequested to its decided outcome',
    labelNames: ['outcome'],
    buckets: [0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10],
    registers: [registry],
  });
  return {
    observe(outcome, seconds) {
      const type = outcome.find((d) => d.command.type in OUTCOMES)?.command.type ?? 'Fail';
      const label = OUTCOMES[type] ?? 'failed';
      requests.inc({ outcome: label });
      duration.observe({ outcome: label }, seconds);
    },
  };
}
