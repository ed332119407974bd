import { DeliverPolicy, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';

/**
 * A stored message as the event log needs it: `data` is the raw envelope JSON. It is the
 * client's message itself, not a copy: nats.js decodes headers only when asked, which
 * matters at replay rates.
 */
export type StoredEvent = Pick<JsMsg, 'seq' | 'subject' | 'data' | 'headers'>;

/**
 * Reads stream messages in order with an ordered consumer (ephemeral, no acks, recreated
 * transparently on gaps) from `fromSequence` up to and including `toSequence`, then deletes
 * the consumer. `filterSubject` is one subject (nats-server 2.9 has no multi-filter).
 * Returns the last sequence visited (0 when nothing was read).
 */
export async function readOrdered(
  js: JetStreamClient,
  stream: string,
  range: { fromSequence: number; toSequence: number; filterSubject?: string },
  visit: (message: StoredEvent) => void | Promise<void>,
): Promise<number> {
  if (range.toSequence < range.fromSequence) return 0;
  const consumer = await js.consumers.get(stream, {
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: Math.max(1, range.fromSequence),
    ...(range.filterSubject === undefined ? {} : { filter_subjects: range.filterSubject }),
  });
  try {
    const info = await consumer.info(true);
    if (info.num_pending === 0) return 0;
    const messages = await consumer.consume({ max_messages: 4096 });
    let last = 0;
    for await (const m of messages) {
      last = m.seq;
      if (m.seq <= range.toSequence) {
        const visited = visit(m);
        if (visited !== undefined) await visited; // no microtask per message for sync visitors
      }
      // Stop once the range is covered, or when the subject has nothing more right now
      // (a filtered op may end long before toSequence).
      if (m.seq >= range.toSequence || m.info.pending === 0) {
        messages.stop();
        return last;
      }
    }
    return last;
  } finally {
    consumer.delete().catch(() => {
      // ephemeral: the server removes it after its inactivity threshold anyway
    });
  }
}
