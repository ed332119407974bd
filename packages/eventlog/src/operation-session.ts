import {
  OpsEvents,
  OpsError,
  decide,
  evolve,
  initialState,
  newEventFrom,
  type Command,
  type OperationState,
  type OpsEvent,
  type opsEventDefinitions,
} from '@opsloop/contracts';
import type { Actor } from '@opsloop/contracts';
import type { EventLog } from './event-log.ts';

export type OpsLog = EventLog<(typeof opsEventDefinitions)[number]>;

/**
 * One operation as a service sees it: its replayed events and the folded state, and a
 * `record` that decides a command against that state and appends the result with the
 * state's version as the expected version (ConcurrencyError when someone wrote first).
 * Appended ids are `<trigger id>:<suffix>`, so a retried append is stored once; they are
 * written as `actor`.
 */
export class OperationSession {
  events: OpsEvent[] = [];
  state: OperationState = initialState;

  private readonly log: OpsLog;
  readonly opId: string;
  readonly trigger: OpsEvent;
  private readonly now: () => Date;
  private readonly actor: Actor;

  constructor(log: OpsLog, opId: string, trigger: OpsEvent, now: () => Date, actor: Actor) {
    this.log = log;
    this.opId = opId;
    this.trigger = trigger;
    this.now = now;
    this.actor = actor;
  }

  async load(): Promise<this> {
    const { events } = await untilReachable(() => this.log.read(this.opId));
    this.events = events;
    this.state = events.reduce(evolve, initialState);
    return this;
  }

  /** Decides `command` and appends what it yields; the state then includes it. */
  async record(command: Command, suffix: string): Promise<void> {
    const pending = decide(command, this.state, this.now());
    const envelopes = pending.map((p, i) =>
      newEventFrom(p, {
        opId: this.opId,
        actor: this.actor,
        causationId: this.trigger.id,
        correlationId: this.trigger.correlationId,
        id: `${this.trigger.id}:${suffix}${pending.length > 1 ? `-${i}` : ''}`,
      }),
    );
    const expected = this.state.eventCount;
    const result = await untilReachable(() => this.log.append(this.opId, envelopes, expected));
    for (const stored of result.events) {
      const event = OpsEvents.parse(stored) as OpsEvent;
      this.events.push(event);
      this.state = evolve(this.state, event);
    }
  }

  last(): OpsEvent | undefined {
    return this.events.at(-1);
  }
}

/**
 * Retries an event-log call through a NATS outage (a server restart, a reconnect): only
 * errors that are not Opsloop's own (those are answers, e.g. ConcurrencyError) are retried,
 * for up to `limitMs`, then the last error is thrown and the delivery is retried later.
 */
export async function untilReachable<T>(attempt: () => Promise<T>, limitMs = 60_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
    try {
      return await attempt();
    } catch (error) {
      if (error instanceof OpsError || Date.now() + delay > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
