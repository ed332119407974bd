import type { EventRegistry, OpsEvents } from '@opsloop/contracts';
import type { EventLog } from '@opsloop/eventlog';

/** The event log of the OPS stream, as `EventLog.open(nc, OpsEvents)` returns it. */
export type OpsLog = EventLog<typeof OpsEvents extends EventRegistry<infer D> ? D : never>;
