import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ErrorCode,
  InvalidEventError,
  OpsEvents,
  UnknownEventTypeError,
  UnknownEventVersionError,
  envelopeHash,
} from '../src/mod.ts';

/**
 * Golden fixtures: one sealed envelope per event type and version ever shipped. They are
 * never edited; if a schema change makes one fail to parse, the change breaks stored events
 * and needs a new version with an upcaster instead.
 */
const dir = new URL('./fixtures/events/', import.meta.url);
const files = readdirSync(dir).filter((file) => file.endsWith('.json'));
const load = (file: string) =>
  JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Record<string, unknown>;
const bytes = (text: string) => new TextEncoder().encode(text);

describe('golden fixtures', () => {
  it('exist for every registered event type and version', () => {
    const expected = OpsEvents.types().flatMap((type) =>
      Object.keys(OpsEvents.definition(type)!.schemas).map((version) => `${type}.v${version}.json`),
    );
    expect(OpsEvents.types()).toHaveLength(24);
    const missing = expected.filter((file) => !files.includes(file));
    expect(missing, 'run `npm run fixtures` to write them').toEqual([]);
    expect(
      files.filter((file) => !expected.includes(file)),
      'fixtures of unregistered versions',
    ).toEqual([]);
  });

  it.each(files)('%s parses and upcasts to the latest version', (file) => {
    const raw = load(file);
    const [type, version] = file.replace(/\.json$/, '').split('.v') as [string, string];
    expect(raw).toMatchObject({ type, version: Number(version) });
    const event = OpsEvents.parseBytes(bytes(readFileSync(new URL(file, dir), 'utf8')));
    expect(event.type).toBe(type);
    expect(event.version).toBe(OpsEvents.definition(type)!.latest);
    expect(event.id).toBe(raw.id);
  });

  it.each(files)('%s is sealed: its hash covers every field', (file) => {
    const { hash, ...rest } = load(file);
    expect(envelopeHash(rest as never)).toBe(hash);
  });
});

describe('reading what this build cannot read', () => {
  const stepStarted = load('StepStarted.v1.json');

  it('an event from a newer version is an UnknownEventVersionError telling to upgrade', () => {
    const read = () => OpsEvents.parse({ ...stepStarted, version: 2 });
    expect(read).toThrow(UnknownEventVersionError);
    expect(read).toThrow(
      'event StepStarted has version 2, this build reads up to version 1; upgrade Opsloop',
    );
  });

  it('an unknown type is an UnknownEventTypeError', () => {
    const read = () => OpsEvents.parse({ ...stepStarted, type: 'StepTeleported' });
    expect(read).toThrow(UnknownEventTypeError);
    expect(read).toThrow('unknown event type "StepTeleported"');
  });

  it('bytes that are not JSON are an InvalidEventError', () => {
    const read = () => OpsEvents.parseBytes(bytes('{"id": "e1", '));
    expect(read).toThrow(InvalidEventError);
    expect(read).toThrow(/^event is not valid JSON: /);
  });

  it('a malformed envelope is an InvalidEventError naming the field', () => {
    const read = () => OpsEvents.parse({ ...stepStarted, opId: 'op.with.dots' });
    expect(read).toThrow(InvalidEventError);
    expect(read).toThrow(/invalid event envelope: .*\n.*→ at opId/);
    expect(() => OpsEvents.parse(null)).toThrow(InvalidEventError);
    expect(() => OpsEvents.parse([1, 2])).toThrow(/invalid event envelope/);
  });

  it('a malformed payload is an InvalidEventError naming the event, version and field', () => {
    const read = () =>
      OpsEvents.parse({ ...stepStarted, payload: { stepIndex: -1, stepId: 's1' } });
    expect(read).toThrow(InvalidEventError);
    expect(read).toThrow(
      /^invalid StepStarted v1 payload in event fixture-StepStarted-v1: .*\n.*→ at stepIndex/s,
    );
    try {
      read();
    } catch (error) {
      expect((error as InvalidEventError).code).toBe(ErrorCode.InvalidEvent);
    }
  });

  it('a PlanProposed whose hash does not match its plan is invalid', () => {
    const proposed = load('PlanProposed.v1.json');
    const payload = proposed.payload as { planHash: string };
    const read = () =>
      OpsEvents.parse({ ...proposed, payload: { ...payload, planHash: 'a'.repeat(64) } });
    expect(read).toThrow(/planHash a{64} does not match the plan/);
  });
});
