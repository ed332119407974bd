/**
 * Writes the golden fixture of every registered event type and version that has none yet
 * (test/fixtures/events/<Type>.v<N>.json, a full sealed envelope). Never overwrites:
 * a shipped fixture is the proof that old events still load, so it must stay byte-for-byte.
 * Run with `npm run fixtures` after adding a version (and its sample payload).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OpsEvents, seal, type OpsEventType } from '../src/mod.ts';
import { samplePayloads } from '../test/support/sample-payloads.ts';

const dir = fileURLToPath(new URL('../test/fixtures/events/', import.meta.url));
let written = 0;
let missing = 0;

for (const type of OpsEvents.types() as OpsEventType[]) {
  const definition = OpsEvents.definition(type);
  if (definition === undefined) continue;
  for (const version of Object.keys(definition.schemas).map(Number)) {
    const file = `${dir}${type}.v${version}.json`;
    if (existsSync(file)) continue;
    const payload = samplePayloads[type]?.[version];
    const schema = definition.schemas[version];
    if (payload === undefined || schema === undefined) {
      console.error(
        `no sample payload for ${type} v${version}: add one to test/support/sample-payloads.ts`,
      );
      missing++;
      continue;
    }
    schema.parse(payload);
    const envelope = seal(
      {
        id: `fixture-${type}-v${version}`,
        type,
        version,
        opId: 'op-fixture',
        occurredAt: '2025-01-15T10:00:00.000Z',
        actor: { kind: 'service', id: 'fixture-writer' },
        causationId: null,
        correlationId: 'op-fixture',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        payload,
      },
      null,
    );
    writeFileSync(file, `${JSON.stringify(envelope, null, 2)}\n`, { flag: 'wx' });
    console.log(`wrote ${file}`);
    written++;
  }
}
console.log(`${written} fixture(s) written`);
if (missing > 0) process.exitCode = 1;
