import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseImageBehavior } from '../../src/sim/image-behavior.ts';
import { SimErrorCode } from '../../src/sim/errors.ts';

const FULL = `
apiVersion: sim.opsloop.dev/v1alpha1
kind: ImageBehavior
metadata: {name: payment-api-2-0-1}
spec:
  image: registry.example.com/shop/payment-api:2.0.1
  pull: Ok
  binaries: [payment-api, sh]
  listen:
  - port: 8080
    http: {"/": 200, "/healthz": 200, "/ready": 200}
  startupSeconds: 2
  memoryMi: 180
  cpuMilli: 120
  requiredEnv: [DATABASE_URL]
  dependencies:
  - {host: payments-db, port: 5432, fatal: true}
  logs: ["payment-api 2.0.1 listening on :8080"]
  exitAfterSeconds: 30
  exitCode: 0
`;

function errorOf(document: unknown): { code: string; message: string } {
  try {
    parseImageBehavior(document, 'test.yaml document 1');
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected the document to be rejected');
}

const base = { apiVersion: 'sim.opsloop.dev/v1alpha1', kind: 'ImageBehavior' };

describe('parseImageBehavior', () => {
  it('accepts the full documented shape', () => {
    const behavior = parseImageBehavior(parse(FULL));
    expect(behavior.spec.listen?.[0]?.http?.['/healthz']).toBe(200);
    expect(behavior.spec.dependencies?.[0]).toEqual({
      host: 'payments-db',
      port: 5432,
      fatal: true,
    });
    expect(behavior.spec.exitAfterSeconds).toBe(30);
  });

  it('needs only spec.image', () => {
    expect(parseImageBehavior({ ...base, spec: { image: 'nginx' } }).spec.image).toBe('nginx');
  });

  it('names the field path and the problem', () => {
    const error = errorOf({
      ...base,
      spec: {
        image: 'x:1',
        pull: 'Maybe',
        listen: [{ port: 'http' }],
        dependencies: [{ host: 'db', port: 70000 }],
      },
    });
    expect(error.code).toBe(SimErrorCode.InvalidImageBehavior);
    expect(error.message).toMatch(/^test\.yaml document 1: invalid ImageBehavior: /);
    expect(error.message).toContain(
      'spec.pull: Invalid option: expected one of "Ok"|"NotFound"|"Unauthorized"',
    );
    expect(error.message).toContain(
      'spec.listen[0].port: Invalid input: expected number, received string',
    );
    expect(error.message).toContain('spec.dependencies[0].port: Too big');
  });

  it('rejects a missing image, unknown fields and bad paths', () => {
    expect(errorOf({ ...base, spec: {} }).message).toContain(
      'spec.image: Invalid input: expected string, received undefined',
    );
    expect(errorOf({ ...base, spec: { image: 'a', exitcode: 1 } }).message).toContain(
      'spec: Unrecognized key: "exitcode"',
    );
    expect(
      errorOf({ ...base, spec: { image: 'a', listen: [{ port: 80, http: { healthz: 200 } }] } })
        .message,
    ).toContain('HTTP paths start with "/"');
    expect(errorOf({ ...base, spec: { image: 'Bad Image' } }).message).toContain(
      'spec.image: not a valid image reference',
    );
    expect(errorOf({ ...base, spec: { image: 'a', requiredEnv: ['1X'] } }).message).toContain(
      'spec.requiredEnv[0]: not an env var name',
    );
  });

  it('rejects a wrong apiVersion or kind', () => {
    expect(
      errorOf({ apiVersion: 'v1', kind: 'ImageBehavior', spec: { image: 'a' } }).message,
    ).toContain('apiVersion: Invalid input: expected "sim.opsloop.dev/v1alpha1"');
  });
});
