import { DeliverPolicy, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { ReadIncompleteError } from './errors.ts';

/**
 * A stored message as the event log needs it: `data` is the raw envelope JSON. It is the
 * client's message itself, not a copy: nats.js decodes headers only when asked, which
 * matters at replay rates.
 */
export type StoredEvent = Pick<JsMsg, 'seq' | 'subject' | 'data' | 'headers'>;

/** How long a read waits for a lagging replica to deliver the rest before giving up. */
const CATCH_UP_MS = 10_000;

/**
 * Reads stream messages in order with an ordered consumer (ephemeral, no acks, recreated
 * transparently on gaps) from `fromSequence` up to and including `toSequence`, then deletes
 * the consumer. `filterSubject` is one subject (nats-server 2.9 has no multi-filter).
 *
 * `toSequence` must be a stored message the filter matches (the subject's last message, or
 * the stream's last sequence unfiltered): the read ends only there. On a NATS cluster the
 * consumer may be placed on a replica that has not caught up with the leader; such a
 * read waits for the replica and, if it does not catch up in time, throws the retryable
 * ReadIncompleteError rather than return a truncated operation.
 * Returns the last sequence visited (0 when nothing was read).
 */
export async function readOrdered(
  js: JetStreamClient,
  stream: string,
  range: { fromSequence: number; toSequence: number; filterSubject?: string },
  visit: (message: StoredEvent) => void | Promise<void>,
  catchUpMs = CATCH_UP_MS,
): Promise<number> {
  if (range.toSequence < range.fromSequence) return 0;
  const consumer = await js.consumers.get(stream, {
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: Math.max(1, range.fromSequence),
    ...(range.filterSubject === undefined ? {} : { filter_subjects: range.filterSubject }),
  });
  let last = 0;
  try {
    const messages = await consumer.consume({ max_messages: 4096 });
    // Reset on every message: only a replica that delivers nothing for catchUpMs times out.
    const timer = setTimeout(() => messages.stop(), catchUpMs);
    try {
      for await (const m of messages) {
        last = m.seq;
        if (m.seq <= range.toSequence) {
          const visited = visit(m);
          if (visited !== undefined) await visited; // no microtask per message for sync visitors
        }
        if (m.seq >= range.toSequence) {
          messages.stop();
          return last;
        }
        timer.refresh();
      }
    } finally {
      clearTimeout(timer);
    }
    throw new ReadIncompleteError(stream, last, range.toSequence);
  } finally {
    consumer.delete().catch(() => {
      // ephemeral: the server removes it after its inactivity threshold anyway
    });
  }
}
