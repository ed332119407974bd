import type { OpsEvent } from '@opsloop/contracts';
import { OperationSession, type OpsLog } from '@opsloop/eventlog';

export { untilReachable, type OpsLog } from '@opsloop/eventlog';

const ACTOR = { kind: 'service', id: 'executor' } as const;

/** One operation as the executor sees it; what it appends is written as the executor. */
export class Session extends OperationSession {
  constructor(log: OpsLog, opId: string, trigger: OpsEvent, now: () => Date) {
    super(log, opId, trigger, now, ACTOR);
  }
}
