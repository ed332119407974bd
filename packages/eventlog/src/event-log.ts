import { headers as natsHeaders, type NatsConnection } from '@nats-io/nats-core';
import {
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import type { EventRegistry } from '@opsloop/contracts';
import {
  ErrorCode,
  InvalidEventError,
  OpsError,
  type Envelope,
  type EventOf,
  type UnsealedEnvelope,
} from '@opsloop/contracts';
import { TRACEPARENT_HEADER, traceparentOf } from '@opsloop/telemetry';
import { verifyChain, type ChainHead } from './chain.ts';
import { decodeJson, OP_VERSION_HEADER, sealAndEncode } from './codec.ts';
import { ConcurrencyError } from './errors.ts';
import { readOrdered, type StoredEvent } from './reader.ts';
import {
  ensureStream,
  resolveStreamOptions,
  type ResolvedStreamOptions,
  type StreamOptions,
} from './stream.ts';

/** Where an operation stands: its version (= number of events) and its last event. */
export interface OpHead {
  version: number;
  /** Stream sequence of the op's last event; 0 when it has none. */
  lastSequence: number;
  hash: string | null;
}

export interface AppendResult extends OpHead {
  /** The events as stored (sealed into the hash chain). */
  events: Envelope[];
}

export interface EventPosition {
  sequence: number;
  opVersion: number;
}

export interface ReadResult<E> {
  events: E[];
  positions: EventPosition[];
  version: number;
  lastSequence: number;
}

export interface ReplayPosition {
  sequence: number;
  subject: string;
}

export interface ReplayOptions {
  /** First stream sequence to replay (default 1). */
  fromSequence?: number;
  /** Called for an event that cannot be read; without it replay throws on such an event. */
  onInvalid?: (error: OpsError, message: StoredEvent) => void | Promise<void>;
}

/** Any event definition (the registry's own constraint, without importing zod here). */
export type AnyDefinition = ConstructorParameters<typeof EventRegistry>[0][number];
const HEAD_CACHE_LIMIT = 10_000;
const EMPTY_HEAD: OpHead = Object.freeze({ version: 0, lastSequence: 0, hash: null });

/**
 * The event log of operations on JetStream, generic over the event registry. One subject
 * per operation; each append is guarded by Nats-Expected-Last-Subject-Sequence on exactly
 * that subject (nats-server 2.9 compatible) and chains each event's hash to the previous one.
 */
export class EventLog<D extends AnyDefinition> {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly registry: EventRegistry<D>;
  readonly stream: ResolvedStreamOptions;
  /** Last known head per op; only an optimisation, always re-checked by the server. */
  private readonly heads = new Map<string, OpHead>();

  constructor(
    js: JetStreamClient,
    jsm: JetStreamManager,
    registry: EventRegistry<D>,
    options: StreamOptions = {},
  ) {
    this.js = js;
    this.jsm = jsm;
    this.registry = registry;
    this.stream = resolveStreamOptions(options);
  }

  /** Connects the log to `nc`, creating or verifying the stream (StreamConfigMismatchError). */
  static async open<D extends AnyDefinition>(
    nc: NatsConnection,
    registry: EventRegistry<D>,
    options: StreamOptions = {},
  ): Promise<EventLog<D>> {
    const jsm = await jetstreamManager(nc);
    await ensureStream(jsm, options);
    return new EventLog(jetstream(nc), jsm, registry, options);
  }

  subject(opId: string): string {
    return `${this.stream.subjectPrefix}.${opId}`;
  }

  /**
   * Appends events to an operation that must be at `expectedVersion` (0 = no events yet).
   * Throws ConcurrencyError (retryable) when it is not.
   *
   * Idempotent for retries: calling again with the same events (same ids) after a timeout or
   * a crash does not store them twice. Within the stream's duplicate window JetStream drops
   * the repeat (Nats-Msg-Id = event id); in any case, when the op has moved past
   * `expectedVersion`, the events stored since are compared by id and, if they are this
   * append's own (or a prefix of them), the append completes from there instead of failing.
   *
   * Events of one append are published one after the other, each guarded by the sequence
   * of the one before (a later one can fail, leaving a prefix: retry the same call). An
   * envelope without a traceparent gets the active span's; it is also sent as the
   * `traceparent` header.
   */
  async append(
    opId: string,
    events: readonly UnsealedEnvelope[],
    expectedVersion: number,
  ): Promise<AppendResult> {
    this.checkWritable(opId, events);
    let head = this.heads.get(opId);
    // A new operation needs no read: the server checks "subject empty" itself (expected
    // last subject sequence 0); if it is not, we read and reconcile below.
    if (head === undefined && expectedVersion === 0) head = EMPTY_HEAD;
    if (head === undefined || head.version !== expectedVersion) head = await this.head(opId);
    if (head.version !== expectedVersion) return this.resume(opId, events, expectedVersion, head);
    try {
      return await this.publishChain(opId, events, head);
    } catch (err) {
      if (!(err instanceof OutOfDate)) throw err;
      this.heads.delete(opId);
      return this.resume(opId, events, expectedVersion, await this.head(opId));
    }
  }

  /** The op's current head, read from the last message on its subject. */
  async head(opId: string): Promise<OpHead> {
    const last = await this.jsm.streams.getMessage(this.stream.name, {
      last_by_subj: this.subject(opId),
    });
    if (last === null) return EMPTY_HEAD;
    const hash = (decodeJson(last.data) as { hash?: string }).hash ?? null;
    const version = Number(last.header?.get(OP_VERSION_HEADER) ?? NaN);
    if (Number.isInteger(version) && version > 0) return { version, lastSequence: last.seq, hash };
    // Written without our header: count the subject's messages instead.
    const raw = await this.readRaw(opId);
    return { version: raw.length, lastSequence: last.seq, hash };
  }

  /** Every event of the operation, validated and upcast, with its version and last sequence. */
  async read(opId: string): Promise<ReadResult<EventOf<D>>> {
    const events: EventOf<D>[] = [];
    const positions: EventPosition[] = [];
    await this.readSubject(opId, (m) => {
      events.push(this.parse(m.data));
      positions.push({ sequence: m.seq, opVersion: positions.length + 1 });
    });
    const last = positions.at(-1);
    return { events, positions, version: positions.length, lastSequence: last?.sequence ?? 0 };
  }

  /** The operation's events exactly as stored (parsed JSON, not validated or upcast). */
  async readRaw(opId: string): Promise<unknown[]> {
    const raw: unknown[] = [];
    await this.readSubject(opId, (m) => {
      raw.push(parseJsonOrNull(m.data));
    });
    return raw;
  }

  /** Verifies the operation's hash chain as stored; throws HashChainBrokenError. */
  async verifyChain(opId: string): Promise<ChainHead> {
    return verifyChain(await this.readRaw(opId));
  }

  /**
   * Replays every operation's events in stream order, up to the stream's last sequence at
   * the time of the call. Returns the last sequence replayed (0 when there was nothing).
   */
  async replayAll(
    handler: (event: EventOf<D>, position: ReplayPosition) => void | Promise<void>,
    options: ReplayOptions = {},
  ): Promise<number> {
    const info = await this.jsm.streams.info(this.stream.name);
    const fromSequence = options.fromSequence ?? 1;
    const toSequence = info.state.last_seq;
    return readOrdered(this.js, this.stream.name, { fromSequence, toSequence }, (m) => {
      let event: EventOf<D>;
      try {
        event = this.parse(m.data);
      } catch (err) {
        if (options.onInvalid === undefined || !(err instanceof OpsError)) throw err;
        return options.onInvalid(err, m);
      }
      return handler(event, { sequence: m.seq, subject: m.subject });
    });
  }

  /** registry.parseBytes with one shared decoder (a decoder per event costs at replay rates). */
  parse(data: Uint8Array): EventOf<D> {
    let raw: unknown;
    try {
      raw = decodeJson(data);
    } catch (cause) {
      throw new InvalidEventError(`event is not valid JSON: ${(cause as Error).message}`, {
        cause,
      });
    }
    return this.registry.parse(raw);
  }

  private async readSubject(opId: string, visit: (m: StoredEvent) => void): Promise<void> {
    const last = await this.jsm.streams.getMessage(this.stream.name, {
      last_by_subj: this.subject(opId),
    });
    if (last === null) return;
    await readOrdered(
      this.js,
      this.stream.name,
      { fromSequence: 1, toSequence: last.seq, filterSubject: this.subject(opId) },
      visit,
    );
  }

  private async publishChain(
    opId: string,
    events: readonly UnsealedEnvelope[],
    from: OpHead,
  ): Promise<AppendResult> {
    let head = from;
    const stored: Envelope[] = [];
    for (const unsealed of events) {
      const traceparent = unsealed.traceparent ?? traceparentOf();
      const { envelope, bytes } = sealAndEncode({ ...unsealed, traceparent }, head.hash);
      const h = natsHeaders();
      h.set(OP_VERSION_HEADER, String(head.version + 1));
      if (traceparent !== null) h.set(TRACEPARENT_HEADER, traceparent);
      let ack;
      try {
        ack = await this.js.publish(this.subject(opId), bytes, {
          msgID: envelope.id,
          expect: { lastSubjectSequence: head.lastSequence },
          headers: h,
        });
      } catch (err) {
        if (
          err instanceof JetStreamApiError &&
          err.code === JetStreamApiCodes.StreamWrongLastSequence
        ) {
          throw new OutOfDate();
        }
        throw err;
      }
      // The server checks the message id before the expected sequence: a duplicate means
      // this very event is already stored (a retry); find out where from the op itself.
      if (ack.duplicate) throw new OutOfDate();
      head = { version: head.version + 1, lastSequence: ack.seq, hash: envelope.hash };
      stored.push(envelope);
    }
    this.remember(opId, head);
    return { ...head, events: stored };
  }

  /**
   * The op is past `expectedVersion`. If what was stored since is this append's own events
   * (an earlier attempt, whole or partial), finish the append; otherwise it lost the race.
   */
  private async resume(
    opId: string,
    events: readonly UnsealedEnvelope[],
    expectedVersion: number,
    head: OpHead,
  ): Promise<AppendResult> {
    if (head.version <= expectedVersion) {
      if (head.version === expectedVersion) {
        // Not past it, yet the publish was refused as a duplicate: the id is used elsewhere.
        throw new OpsError(
          ErrorCode.InvalidEvent,
          `event id ${events[0]?.id} is already used by another stored event; give every event a fresh id`,
        );
      }
      throw new ConcurrencyError(opId, expectedVersion, head.version);
    }
    const since = (await this.readRaw(opId)).slice(expectedVersion) as Envelope[];
    let same = 0;
    while (same < since.length && same < events.length && since[same]?.id === events[same]?.id)
      same++;
    if (same === 0 || same < since.length)
      throw new ConcurrencyError(opId, expectedVersion, head.version);
    const already = since.slice(0, same);
    if (same === events.length) {
      this.remember(opId, head);
      return { ...head, events: already };
    }
    const rest = await this.publishChain(opId, events.slice(same), head);
    return { ...rest, events: [...already, ...rest.events] };
  }

  private checkWritable(opId: string, events: readonly UnsealedEnvelope[]) {
    if (events.length === 0) throw new InvalidEventError('append needs at least one event');
    for (const event of events) {
      if (event.opId !== opId) {
        throw new InvalidEventError(
          `event ${event.id} is for operation ${event.opId}, not ${opId}`,
        );
      }
      const definition = this.registry.definition(event.type);
      if (definition === undefined)
        throw new InvalidEventError(`unknown event type "${event.type}"`);
      if (event.version !== definition.latest) {
        throw new InvalidEventError(
          `${event.type} is written at version ${definition.latest}, got version ${event.version}`,
        );
      }
      const schema = this.registry.payloadSchema(event.type, definition.latest)!;
      const result = schema.safeParse(event.payload);
      if (!result.success) {
        throw new InvalidEventError(
          `invalid ${event.type} payload in event ${event.id}: ${result.error.message}`,
        );
      }
    }
  }

  private remember(opId: string, head: OpHead) {
    this.heads.delete(opId);
    if (this.heads.size >= HEAD_CACHE_LIMIT) {
      const oldest = this.heads.keys().next().value;
      if (oldest !== undefined) this.heads.delete(oldest);
    }
    this.heads.set(opId, head);
  }
}

/** Internal signal: the cached or read head is stale; re-read and reconcile. */
class OutOfDate extends Error {}

function parseJsonOrNull(data: Uint8Array): unknown {
  try {
    return decodeJson(data);
  } catch {
    return null;
  }
}
