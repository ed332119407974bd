import { z } from 'zod';
import { Envelope } from './envelope.ts';
import { InvalidEventError, UnknownEventTypeError, UnknownEventVersionError } from './errors.ts';

/**
 * One entry per event type: the payload schema of every version ever shipped, and an
 * upcaster from each version to the next. Readers upcast on read; writers write `latest`.
 */
export interface EventDefinition<T extends string, S extends z.ZodType> {
  readonly type: T;
  readonly latest: number;
  /** schemas[v] validates a payload stored at version v. */
  readonly schemas: Readonly<Record<number, z.ZodType>>;
  /** upcasters[v] turns a version-v payload into a version-(v+1) payload. */
  readonly upcasters: Readonly<Record<number, (payload: unknown) => unknown>>;
  readonly schema: S;
}

export function defineEvent<T extends string, S extends z.ZodType>(
  type: T,
  schema: S,
  history: {
    schemas?: Record<number, z.ZodType>;
    upcasters?: Record<number, (payload: unknown) => unknown>;
  } = {},
): EventDefinition<T, S> {
  const older = history.schemas ?? {};
  const upcasters = history.upcasters ?? {};
  const latest = Object.keys(older).length + 1;
  // Checked at definition time so a missing link fails at startup, not on the first old event.
  for (let v = 1; v < latest; v++) {
    if (older[v] === undefined || upcasters[v] === undefined) {
      throw new Error(
        `defineEvent(${type}): versions must be 1..${latest - 1} each with a schema and an upcaster to v${v + 1}; v${v} lacks one`,
      );
    }
  }
  return {
    type,
    latest,
    schema,
    schemas: { ...older, [latest]: schema },
    upcasters,
  };
}

/** A read event: the envelope fields with the payload upcast to the latest version. */
export type EventOf<D> =
  D extends EventDefinition<infer T, infer S>
    ? Omit<Envelope, 'type' | 'payload'> & { type: T; payload: z.infer<S> }
    : never;

const decoder = new TextDecoder();

export class EventRegistry<D extends EventDefinition<string, z.ZodType>> {
  private readonly byType = new Map<string, D>();
  /**
   * Every payload schema of every version, compiled with zod's ahead-of-time fast path
   * once, here: valid payloads skip zod's per-node dispatch; invalid ones fall back to the
   * runtime parser, so accepted values and error messages are exactly the definition's.
   */
  private readonly compiled = new Map<string, ReadonlyMap<number, z.ZodType>>();

  constructor(definitions: readonly D[]) {
    for (const definition of definitions) {
      this.byType.set(definition.type, definition);
      const schemas = new Map<number, z.ZodType>();
      for (const [version, schema] of Object.entries(definition.schemas)) {
        schemas.set(Number(version), z.compile(schema));
      }
      this.compiled.set(definition.type, schemas);
    }
  }

  definition(type: string): D | undefined {
    return this.byType.get(type);
  }

  types(): string[] {
    return [...this.byType.keys()];
  }

  /** The (compiled) schema of `type`'s payload at `version`; what writers validate with. */
  payloadSchema(type: string, version: number): z.ZodType | undefined {
    return this.compiled.get(type)?.get(version);
  }

  /**
   * Validates a stored event (as parsed JSON) and upcasts its payload to the latest version.
   * Throws InvalidEventError, UnknownEventTypeError or UnknownEventVersionError; never
   * anything untyped, whatever the input.
   */
  parse(raw: unknown): EventOf<D> {
    const envelope = Envelope.safeParse(raw);
    if (!envelope.success) {
      throw new InvalidEventError(`invalid event envelope: ${z.prettifyError(envelope.error)}`);
    }
    const event = envelope.data;
    const definition = this.byType.get(event.type);
    if (definition === undefined) throw new UnknownEventTypeError(event.type);
    if (event.version > definition.latest) {
      throw new UnknownEventVersionError(event.type, event.version, definition.latest);
    }
    let payload = this.validatePayload(definition, event.version, event.payload, event.id);
    for (let v = event.version; v < definition.latest; v++) {
      const up = definition.upcasters[v];
      if (up === undefined) {
        throw new InvalidEventError(`no upcaster for ${event.type} v${v} → v${v + 1}`);
      }
      payload = this.validatePayload(definition, v + 1, up(payload), event.id);
    }
    // `event` is zod's fresh output, not the caller's input: finish it in place rather than
    // copying every field once more per event.
    event.version = definition.latest;
    event.payload = payload;
    return event as EventOf<D>;
  }

  /** Parses JSON bytes as stored in JetStream. */
  parseBytes(data: Uint8Array): EventOf<D> {
    let raw: unknown;
    try {
      raw = JSON.parse(decoder.decode(data));
    } catch (cause) {
      throw new InvalidEventError(`event is not valid JSON: ${(cause as Error).message}`, {
        cause,
      });
    }
    return this.parse(raw);
  }

  private validatePayload(definition: D, version: number, payload: unknown, id: string): unknown {
    const schema = this.payloadSchema(definition.type, version);
    if (schema === undefined) {
      throw new InvalidEventError(`${definition.type} has no schema for version ${version}`);
    }
    const result = schema.safeParse(payload);
    if (!result.success) {
      throw new InvalidEventError(
        `invalid ${definition.type} v${version} payload in event ${id}: ${z.prettifyError(result.error)}`,
      );
    }
    return result.data;
  }
}
