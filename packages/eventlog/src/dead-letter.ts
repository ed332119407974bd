import { headers as natsHeaders } from '@nats-io/nats-core';
import {
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { findStream } from './stream.ts';

export interface DeadLetterStreamOptions {
  name?: string;
  subjectPrefix?: string;
  replicas?: number;
}

/** Headers set on a dead-lettered message; the data is the original bytes unchanged. */
export const DeadLetterHeader = {
  Reason: 'Opsloop-Dlq-Reason',
  Code: 'Opsloop-Dlq-Code',
  Consumer: 'Opsloop-Dlq-Consumer',
  Stream: 'Opsloop-Dlq-Stream',
  Subject: 'Opsloop-Dlq-Subject',
  Sequence: 'Opsloop-Dlq-Sequence',
  Deliveries: 'Opsloop-Dlq-Deliveries',
} as const;

/** Headers of the original message that must not be replayed onto the DLQ stream. */
const DROPPED = new Set([
  'nats-msg-id',
  'nats-expected-last-subject-sequence',
  'nats-expected-last-sequence',
]);

/** Separate stream `OPS_DLQ` (subjects `ops.dlq.>`) so dead letters never mix with events. */
export async function ensureDeadLetterStream(
  jsm: JetStreamManager,
  options: DeadLetterStreamOptions = {},
) {
  const name = options.name ?? 'OPS_DLQ';
  const existing = await findStream(jsm, name);
  if (existing !== null) return existing;
  return jsm.streams.add({
    name,
    subjects: [`${options.subjectPrefix ?? 'ops.dlq'}.>`],
    storage: StorageType.File,
    num_replicas: options.replicas ?? 1,
    duplicate_window: 120_000_000_000,
  });
}

export interface DeadLetterReason {
  code: string;
  message: string;
}

/**
 * Publishes a copy of `msg` (original bytes and headers) with the reason to `subject`.
 * Deduplicated per consumer and stream sequence, so a retried dead-lettering stores one copy.
 */
export async function publishDeadLetter(
  js: JetStreamClient,
  subject: string,
  consumer: string,
  msg: JsMsg,
  reason: DeadLetterReason,
): Promise<void> {
  const h = natsHeaders();
  for (const [key, values] of msg.headers ?? []) {
    if (DROPPED.has(key.toLowerCase())) continue;
    for (const value of values) h.append(key, value);
  }
  h.set(DeadLetterHeader.Reason, oneLine(reason.message));
  h.set(DeadLetterHeader.Code, reason.code);
  h.set(DeadLetterHeader.Consumer, consumer);
  h.set(DeadLetterHeader.Stream, msg.info.stream);
  h.set(DeadLetterHeader.Subject, msg.subject);
  h.set(DeadLetterHeader.Sequence, String(msg.seq));
  h.set(DeadLetterHeader.Deliveries, String(msg.info.deliveryCount));
  await js.publish(subject, msg.data, {
    headers: h,
    msgID: `${consumer}.${msg.info.stream}.${msg.seq}`,
  });
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').slice(0, 2000);
}
