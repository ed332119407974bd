import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { ErrorCode, OpsError, type EventOf } from '@opsloop/contracts';
import {
  Attr,
  MESSAGING_SYSTEM_NATS,
  extractTraceparent,
  inConsumerSpan,
} from '@opsloop/telemetry';
import { ensureDeadLetterStream, publishDeadLetter, type DeadLetterReason } from './dead-letter.ts';
import type { AnyDefinition, EventLog } from './event-log.ts';
import { ProcessedIds, type ProcessedIdsOptions } from './processed.ts';

export interface HandlerContext {
  sequence: number;
  subject: string;
  /** 1 on first delivery. More means an earlier attempt failed or did not finish. */
  deliveryCount: number;
}

export interface ConsumeOptions<E> {
  /** Durable consumer name: one per service role; replicas share it. */
  name: string;
  /** One subject filter (nats-server 2.9: no multi-filter); default: the whole stream. */
  filterSubject?: string;
  handler: (event: E, ctx: HandlerContext) => void | Promise<void>;
  /** Deliveries before an event is dead-lettered (bounded; default 5). */
  maxDeliver?: number;
  /** How long a delivery may stay unacked before redelivery (default 30 s); kept alive while the handler runs. */
  ackWaitMs?: number;
  /** Delay before the next try after a retryable failure (default 0.5 s doubling, max 30 s). */
  backoffMs?: (deliveryCount: number) => number;
  /** Default `ops.dlq.<name>` on stream `OPS_DLQ`. */
  deadLetterSubject?: string;
  deadLetterStream?: string;
  processed?: ProcessedIdsOptions;
  /** Messages buffered per pull (default 64). */
  batch?: number;
}

export interface ConsumerStats {
  handled: number;
  skippedAlreadyProcessed: number;
  retried: number;
  deadLettered: number;
}

export interface RunningConsumer {
  readonly stats: ConsumerStats;
  /** Stops pulling, lets the event being handled finish (ack or nak), then returns. */
  stop(): Promise<void>;
  /** Settles when the consumer stops; rejects if it failed. */
  readonly done: Promise<void>;
}

const defaultBackoff = (deliveryCount: number) => Math.min(30_000, 500 * 2 ** (deliveryCount - 1));

/**
 * Runs `handler` for each event of a durable, explicit-ack pull consumer.
 *
 * Contract (exactly-once *effect*, as far as the consumer can give it):
 * - The handler is called at most once *successfully* per event id and consumer: once it
 *   returns, the id is recorded in JetStream KV (retried through reconnects) before the ack,
 *   and any later delivery of that id is acked without calling the handler.
 * - It may be called again after a *failed or unfinished* call: it threw, or the process
 *   died while it ran or in the instant between its return and the record. So a handler
 *   with side effects outside JetStream must make them idempotent by event id (derive
 *   appended event ids from it, guard Kubernetes writes by resourceVersion); `deliveryCount`
 *   > 1 tells it to reconcile against what already happened first.
 * - An event that cannot be read (bad JSON or envelope, unknown type, newer version) or
 *   whose handler throws a non-retryable OpsError is dead-lettered at once; one that keeps
 *   failing is dead-lettered on its maxDeliver-th delivery. Dead-lettered = copied with its
 *   reason to the DLQ stream, then terminated. The consumer keeps going.
 * - Any other error is retried: nak with backoff.
 */
export async function consume<D extends AnyDefinition>(
  log: EventLog<D>,
  options: ConsumeOptions<EventOf<D>>,
): Promise<RunningConsumer> {
  const maxDeliver = options.maxDeliver ?? 5;
  const ackWaitMs = options.ackWaitMs ?? 30_000;
  const backoff = options.backoffMs ?? defaultBackoff;
  const dlqSubject = options.deadLetterSubject ?? `ops.dlq.${options.name}`;
  await ensureDeadLetterStream(log.jsm, { name: options.deadLetterStream ?? 'OPS_DLQ' });
  await ensureDurable(log, options.name, options.filterSubject, maxDeliver, ackWaitMs);
  const processed = await ProcessedIds.open(log.js, options.name, options.processed);
  const consumer = await log.js.consumers.get(log.stream.name, options.name);
  const messages = await consumer.consume({ max_messages: options.batch ?? 64 });
  const stats: ConsumerStats = {
    handled: 0,
    skippedAlreadyProcessed: 0,
    retried: 0,
    deadLettered: 0,
  };
  let stopping = false;

  const deadLetter = async (msg: JsMsg, reason: DeadLetterReason) => {
    try {
      await untilDone(
        () => publishDeadLetter(log.js, dlqSubject, options.name, msg, reason),
        () => stopping,
      );
    } catch {
      msg.nak(); // stopping while the server is away: dead-letter it next time
      return;
    }
    msg.term(reason.code);
    stats.deadLettered++;
  };

  const handle = async (msg: JsMsg) => {
    let event: EventOf<D>;
    try {
      event = log.parse(msg.data);
    } catch (err) {
      const e = err instanceof OpsError ? err : new OpsError(ErrorCode.InvalidEvent, String(err));
      await deadLetter(msg, { code: e.code, message: e.message });
      return;
    }
    let seen: boolean;
    try {
      seen = await untilDone(
        () => processed.has(event.id),
        () => stopping,
      );
    } catch {
      return; // stopping while the server is away: left unacked for redelivery
    }
    if (seen) {
      msg.ack();
      stats.skippedAlreadyProcessed++;
      return;
    }
    const deliveryCount = msg.info.deliveryCount;
    const attributes = {
      [Attr.MessagingSystem]: MESSAGING_SYSTEM_NATS,
      [Attr.MessagingOperation]: 'process',
      [Attr.MessagingDestination]: msg.subject,
      [Attr.MessagingMessageId]: event.id,
      [Attr.MessagingDeliveryCount]: deliveryCount,
      [Attr.MessagingSequence]: msg.seq,
      [Attr.Consumer]: options.name,
      [Attr.OpId]: event.opId,
      [Attr.EventId]: event.id,
      [Attr.EventType]: event.type,
    };
    // Keep the delivery ours while a slow handler runs, so no other replica gets it.
    const keepAlive = setInterval(() => msg.working(), Math.max(1000, ackWaitMs / 2));
    let failure: DeadLetterReason | 'retry' | null = null;
    try {
      await inConsumerSpan(
        `${event.type} process`,
        extractTraceparent(msg.headers, event),
        attributes,
        async (span) => {
          try {
            await options.handler(event, {
              sequence: msg.seq,
              subject: msg.subject,
              deliveryCount,
            });
          } catch (err) {
            failure = classify(err, deliveryCount, maxDeliver);
            if (failure !== 'retry') span.setAttribute(Attr.DeadLetterReason, failure.code);
            throw err;
          }
        },
      );
    } catch {
      // classified above; the span recorded the error
    } finally {
      clearInterval(keepAlive);
    }
    if (failure === 'retry') {
      msg.nak(backoff(deliveryCount));
      stats.retried++;
      return;
    }
    if (failure !== null) {
      await deadLetter(msg, failure);
      return;
    }
    // Record before acking: if the ack is lost, the redelivery finds the record.
    try {
      await untilDone(
        () => processed.record(event.id),
        () => stopping,
      );
    } catch {
      return; // stopping while the server is away: left unacked, see the contract above
    }
    msg.ack();
    stats.handled++;
  };

  const done = (async () => {
    for await (const msg of messages) {
      try {
        await handle(msg);
      } catch {
        // An infrastructure failure mid-handling (the server went away between steps):
        // leave the event for redelivery rather than stop consuming.
        stats.retried++;
        safely(() => msg.nak(backoff(msg.info.deliveryCount)));
      }
      if (stopping) {
        messages.stop();
        return;
      }
    }
  })();

  return {
    stats,
    done,
    async stop() {
      stopping = true;
      messages.stop();
      await done;
    },
  };
}

function safely(action: () => void) {
  try {
    action();
  } catch {
    // the connection is gone; redelivery after ackWait covers it
  }
}

function classify(
  err: unknown,
  deliveryCount: number,
  maxDeliver: number,
): DeadLetterReason | 'retry' {
  const retryable = !(err instanceof OpsError) || err.retryable;
  if (retryable && deliveryCount < maxDeliver) return 'retry';
  const code = err instanceof OpsError ? err.code : 'OPS_ERR_HANDLER_FAILED';
  const message = err instanceof Error ? err.message : String(err);
  const why = retryable
    ? `failed on all ${maxDeliver} deliveries; last error: `
    : 'failed permanently: ';
  return { code, message: why + message };
}

async function ensureDurable<D extends AnyDefinition>(
  log: EventLog<D>,
  name: string,
  filterSubject: string | undefined,
  maxDeliver: number,
  ackWaitMs: number,
) {
  const wanted = {
    durable_name: name,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    max_deliver: maxDeliver,
    ack_wait: nanos(ackWaitMs),
    ...(filterSubject === undefined ? {} : { filter_subject: filterSubject }),
  };
  try {
    const info = await log.jsm.consumers.info(log.stream.name, name);
    if ((info.config.filter_subject || undefined) !== filterSubject) {
      throw new OpsError(
        ErrorCode.StreamConfigMismatch,
        `durable consumer ${name} filters "${info.config.filter_subject ?? ''}", this service wants ` +
          `"${filterSubject ?? ''}"; delete the consumer (it restarts from the beginning) or use another name`,
      );
    }
    if (info.config.max_deliver !== maxDeliver || info.config.ack_wait !== wanted.ack_wait) {
      await log.jsm.consumers.update(log.stream.name, name, {
        max_deliver: maxDeliver,
        ack_wait: wanted.ack_wait,
      });
    }
  } catch (err) {
    if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound))
      throw err;
    await log.jsm.consumers.add(log.stream.name, wanted);
  }
}

/**
 * Retries `attempt` (through a server restart or reconnect) until it succeeds, or gives
 * up when `abandon()` says so, rethrowing the last error.
 */
async function untilDone<T>(attempt: () => Promise<T>, abandon: () => boolean): Promise<T> {
  for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
    try {
      return await attempt();
    } catch (err) {
      if (abandon()) throw err;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
