import type { JetStreamClient } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { sha256Hex } from '@opsloop/contracts';

export interface ProcessedIdsOptions {
  /** KV bucket shared by all consumers; keys are `<consumer>.<event id>`. */
  bucket?: string;
  /**
   * How long a record is kept. Redeliveries stop after maxDeliver × ackWait, so a day is
   * ample; a consumer reset to replay older events would run the handler again for them.
   */
  ttlMs?: number;
  /** JetStream replicas of the bucket (3 on a NATS cluster). */
  replicas?: number;
}

const LOCAL_LIMIT = 100_000;
const KEY_SAFE = /^[-\w=]{1,200}$/;

/**
 * The record of event ids a consumer has handled successfully, in JetStream KV (so it
 * survives the service and the server restarting) with an in-process cache in front (so a
 * redelivery seen by this process is caught even if the server lost its last writes).
 */
export class ProcessedIds {
  private readonly kv: KV;
  private readonly consumer: string;
  private readonly local = new Set<string>();

  private constructor(kv: KV, consumer: string) {
    this.kv = kv;
    this.consumer = consumer;
  }

  static async open(
    js: JetStreamClient,
    consumer: string,
    options: ProcessedIdsOptions = {},
  ): Promise<ProcessedIds> {
    const kv = await new Kvm(js).create(options.bucket ?? 'ops_processed', {
      history: 1,
      ttl: options.ttlMs ?? 24 * 60 * 60 * 1000,
      replicas: options.replicas ?? 1,
    });
    return new ProcessedIds(kv, consumer);
  }

  async has(eventId: string): Promise<boolean> {
    if (this.local.has(eventId)) return true;
    const entry = await this.kv.get(this.key(eventId));
    return entry !== null && entry.operation === 'PUT';
  }

  /** Records the id; throws if the server cannot be reached (callers retry). */
  async record(eventId: string): Promise<void> {
    this.remember(eventId);
    await this.kv.put(this.key(eventId), JSON.stringify({ at: new Date().toISOString() }));
  }

  private remember(eventId: string) {
    if (this.local.size >= LOCAL_LIMIT) {
      const oldest = this.local.values().next().value;
      if (oldest !== undefined) this.local.delete(oldest);
    }
    this.local.add(eventId);
  }

  private key(eventId: string): string {
    // KV keys allow [-/=.\w]; dots would nest. Anything else is hashed to stay one token.
    return `${this.consumer}.${KEY_SAFE.test(eventId) ? eventId : sha256Hex(eventId)}`;
  }
}
