import { DeliverPolicy, type ConsumerMessages } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { OpsError, type EventOf } from '@opsloop/contracts';
import { decodeJson } from './codec.ts';
import type { AnyDefinition, EventLog } from './event-log.ts';

/** A read model: per-operation state folded from the operation's events. Pure. */
export interface Projection<E, S> {
  name: string;
  initial: (opId: string) => S;
  apply: (state: S, event: E) => S;
}

/** What is stored per operation: the state and the last stream sequence folded into it. */
export interface StoredState<S> {
  state: S;
  sequence: number;
}

export interface ProjectionOptions {
  /** KV bucket holding the read model, key = opId. */
  bucket: string;
  replicas?: number;
}

/** Not an opId (those have no dots), so it cannot collide with one. */
const CHECKPOINT_KEY = 'meta.checkpoint';
const WRITE_BATCH = 256;

/**
 * Keeps a projection in a JetStream KV bucket and resumes from its checkpoint (the last
 * stream sequence applied). Each op's value records the sequence it is folded up to, so an
 * event replayed after a crash (checkpoint behind the values) is never applied twice.
 * Unreadable events are skipped and counted: a read model must not stop on one bad event
 * (the consumers dead-letter them).
 */
export class ProjectionRunner<D extends AnyDefinition, S> {
  readonly kv: KV;
  readonly bucket: string;
  skipped = 0;
  private readonly log: EventLog<D>;
  private readonly projection: Projection<EventOf<D>, S>;
  private readonly cache = new Map<string, StoredState<S>>();
  private checkpoint = 0;
  private pending: Promise<unknown>[] = [];
  private live: ConsumerMessages | undefined;
  private following: Promise<void> | undefined;
  private failure: unknown;
  private waiters: { sequence: number; resolve: () => void }[] = [];

  private constructor(
    log: EventLog<D>,
    projection: Projection<EventOf<D>, S>,
    kv: KV,
    bucket: string,
  ) {
    this.log = log;
    this.projection = projection;
    this.kv = kv;
    this.bucket = bucket;
  }

  static async open<D extends AnyDefinition, S>(
    log: EventLog<D>,
    projection: Projection<EventOf<D>, S>,
    options: ProjectionOptions,
  ): Promise<ProjectionRunner<D, S>> {
    const kv = await new Kvm(log.js).create(options.bucket, {
      history: 1,
      replicas: options.replicas ?? 1,
    });
    const runner = new ProjectionRunner(log, projection, kv, options.bucket);
    const stored = await kv.get(CHECKPOINT_KEY);
    runner.checkpoint =
      stored === null || stored.length === 0
        ? 0
        : (stored.json<{ sequence: number }>().sequence ?? 0);
    return runner;
  }

  /** Builds the projection from the first event into `bucket` (deleted first if present). */
  static async rebuild<D extends AnyDefinition, S>(
    log: EventLog<D>,
    projection: Projection<EventOf<D>, S>,
    options: ProjectionOptions,
  ): Promise<ProjectionRunner<D, S>> {
    const kvm = new Kvm(log.js);
    try {
      await (await kvm.open(options.bucket)).destroy();
    } catch {
      // no such bucket: nothing to clear
    }
    const runner = await ProjectionRunner.open(log, projection, options);
    await runner.catchUp();
    return runner;
  }

  get lastSequence(): number {
    return this.checkpoint;
  }

  /** Applies everything appended up to now; returns the checkpoint. */
  async catchUp(): Promise<number> {
    await this.log.replayAll((event, position) => this.fold(event, position.sequence), {
      fromSequence: this.checkpoint + 1,
      onInvalid: (_error, message) => this.skip(message.seq),
    });
    await this.flush();
    return this.checkpoint;
  }

  /** Follows the stream live from the checkpoint until `stop()`. */
  async start(): Promise<void> {
    const consumer = await this.log.js.consumers.get(this.log.stream.name, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: this.checkpoint + 1,
    });
    const messages = await consumer.consume({ max_messages: 512 });
    this.live = messages;
    this.following = (async () => {
      for await (const m of messages) {
        if (this.failure !== undefined) continue;
        let event: EventOf<D> | null = null;
        try {
          event = this.log.parse(m.data);
        } catch (err) {
          if (!(err instanceof OpsError)) throw err;
        }
        try {
          if (event === null) this.skip(m.seq);
          else await this.fold(event, m.seq);
          if (m.info.pending === 0 || this.pending.length >= WRITE_BATCH) await this.flush();
        } catch (err) {
          // Writes to KV failed: stop here; stop() reports it, a new runner resumes at the checkpoint.
          this.failure = err;
          messages.stop();
          return;
        }
      }
    })();
  }

  /** Stops following; rethrows the error that stopped it early, if one did. */
  async stop(): Promise<void> {
    this.live?.stop();
    await this.following;
    if (this.failure !== undefined) throw this.failure;
    await this.flush();
  }

  /** Resolves once the projection has applied (and stored) everything up to `sequence`. */
  waitFor(sequence: number): Promise<void> {
    if (this.checkpoint >= sequence) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ sequence, resolve }));
  }

  async get(opId: string): Promise<S | null> {
    return (await this.stored(opId))?.state ?? null;
  }

  /** Every op's state, by opId. */
  async all(): Promise<Map<string, S>> {
    const result = new Map<string, S>();
    for await (const key of await this.kv.keys()) {
      if (key === CHECKPOINT_KEY) continue;
      const state = await this.get(key);
      if (state !== null) result.set(key, state);
    }
    return result;
  }

  private async stored(opId: string): Promise<StoredState<S> | null> {
    const cached = this.cache.get(opId);
    if (cached !== undefined) return cached;
    const entry = await this.kv.get(opId);
    if (entry === null || entry.length === 0) return null;
    return decodeJson(entry.value) as StoredState<S>;
  }

  private async fold(event: EventOf<D>, sequence: number) {
    const current = (await this.stored(event.opId)) ?? {
      state: this.projection.initial(event.opId),
      sequence: 0,
    };
    if (sequence > current.sequence) {
      const next = { state: this.projection.apply(current.state, event), sequence };
      this.cache.set(event.opId, next);
      // Puts to one key are issued in order on one connection, so they land in order.
      this.pending.push(this.kv.put(event.opId, JSON.stringify(next)));
    }
    this.advance(sequence);
    if (this.pending.length >= WRITE_BATCH) await this.flush();
  }

  private skip(sequence: number) {
    this.skipped++;
    this.advance(sequence);
  }

  private advance(sequence: number) {
    if (sequence > this.checkpoint) this.checkpoint = sequence;
  }

  /** Waits for the state writes, then stores the checkpoint (never ahead of the states). */
  private async flush() {
    const writes = this.pending;
    this.pending = [];
    await Promise.all(writes);
    await this.kv.put(CHECKPOINT_KEY, JSON.stringify({ sequence: this.checkpoint }));
    const ready = this.waiters.filter((w) => w.sequence <= this.checkpoint);
    this.waiters = this.waiters.filter((w) => w.sequence > this.checkpoint);
    for (const w of ready) w.resolve();
  }
}
