/**
 * Every span attribute name Opsloop sets, in one place, so dashboards and queries have one
 * vocabulary. `messaging.*` follow the OpenTelemetry messaging semantic conventions;
 * `opsloop.*` are ours.
 */
export const Attr = {
  OpId: 'opsloop.op_id',
  EventId: 'opsloop.event.id',
  EventType: 'opsloop.event.type',
  EventVersion: 'opsloop.event.version',
  OpVersion: 'opsloop.op.version',
  Consumer: 'opsloop.consumer',
  DeadLetterReason: 'opsloop.dead_letter.reason',
  ServiceName: 'service.name',
  MessagingSystem: 'messaging.system',
  MessagingOperation: 'messaging.operation.type',
  MessagingDestination: 'messaging.destination.name',
  MessagingMessageId: 'messaging.message.id',
  MessagingDeliveryCount: 'messaging.nats.delivery_count',
  MessagingSequence: 'messaging.nats.stream_sequence',
} as const;
export type Attr = (typeof Attr)[keyof typeof Attr];

/** The value of `messaging.system` for everything that goes through NATS. */
export const MESSAGING_SYSTEM_NATS = 'nats';
