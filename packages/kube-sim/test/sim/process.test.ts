import { describe, expect, it } from 'vitest';
import { resolveImage } from '../../src/sim/catalog.ts';
import { parseImageBehavior } from '../../src/sim/image-behavior.ts';
import { effectiveArgv, execInContainer, startContainer } from '../../src/sim/process.ts';
import type { SimEnvironment } from '../../src/sim/runtime-types.ts';

const MI = 1024 * 1024;
const paymentApi = parseImageBehavior({
  apiVersion: 'sim.opsloop.dev/v1alpha1',
  kind: 'ImageBehavior',
  spec: {
    image: 'registry.example.com/shop/payment-api:2.0.1',
    binaries: ['payment-api', 'sh'],
    listen: [{ port: 8080, http: { '/': 200, '/healthz': 200 } }],
    startupSeconds: 2,
    memoryMi: 180,
    requiredEnv: ['DATABASE_URL'],
    dependencies: [{ host: 'payments-db', port: 5432, fatal: true }],
    logs: ['payment-api 2.0.1 listening on :8080'],
  },
});
const image = resolveImage('registry.example.com/shop/payment-api:2.0.1', [paymentApi]);
const reachable: SimEnvironment = { network: () => ({ reachable: true }) };
const env = { DATABASE_URL: 'postgres://db' };

describe('startContainer', () => {
  it('starts the service: logs at startup, listens with its routes, never exits', () => {
    const outcome = startContainer(image, { name: 'api', env }, reachable);
    expect(outcome.startError).toBeUndefined();
    expect(outcome.exit).toBeUndefined();
    expect(outcome.logs).toEqual([{ atSeconds: 2, line: 'payment-api 2.0.1 listening on :8080' }]);
    expect(outcome.listening).toEqual([
      {
        port: 8080,
        http: { routes: { '/': 200, '/healthz': 200 }, otherStatus: 404 },
        readyAfterSeconds: 2,
      },
    ]);
    expect(outcome.usage).toEqual({ memoryBytes: 180 * MI, cpuMilli: 10 });
  });

  it('fails to start when argv[0] is not in the image', () => {
    const outcome = startContainer(
      resolveImage('nginx:1.27'),
      { name: 'web', env: {}, command: ['python3', 'app.py'] },
      reachable,
    );
    expect(outcome.startError).toEqual({
      reason: 'StartError',
      exitCode: 128,
      message: expect.stringContaining(
        'exec: "python3": executable file not found in $PATH: unknown',
      ) as string,
    });
  });

  it('exits 1 after logging when a required variable is missing', () => {
    const outcome = startContainer(image, { name: 'api', env: {} }, reachable);
    expect(outcome.logs.map((l) => l.line)).toEqual(['fatal: DATABASE_URL is not set']);
    expect(outcome.exit).toEqual({ atSeconds: 0, code: 1, reason: 'Error' });
  });

  it('prints the real postgres error when no password is given', () => {
    const outcome = startContainer(resolveImage('postgres:16'), { name: 'db', env: {} }, reachable);
    expect(outcome.logs[0]?.line).toBe(
      'Error: Database is uninitialized and superuser password is not specified.',
    );
    expect(outcome.exit?.code).toBe(1);
    const ok = startContainer(
      resolveImage('postgres:16'),
      { name: 'db', env: { POSTGRES_PASSWORD: 'x' } },
      reachable,
    );
    expect(ok.exit).toBeUndefined();
    expect(ok.listening.map((l) => l.port)).toEqual([5432]);
  });

  it('accepts any of the MySQL password variables', () => {
    expect(
      startContainer(resolveImage('mysql:8.4'), { name: 'db', env: {} }, reachable).exit?.code,
    ).toBe(1);
    expect(
      startContainer(
        resolveImage('mysql:8.4'),
        { name: 'db', env: { MYSQL_RANDOM_ROOT_PASSWORD: 'yes' } },
        reachable,
      ).exit,
    ).toBeUndefined();
  });

  it('is OOMKilled (137) when the working set exceeds the memory limit', () => {
    const outcome = startContainer(
      image,
      { name: 'api', env, memoryLimitBytes: 128 * MI },
      reachable,
    );
    expect(outcome.exit).toEqual({ atSeconds: 2, code: 137, reason: 'OOMKilled' });
    expect(
      startContainer(image, { name: 'api', env, memoryLimitBytes: 256 * MI }, reachable).exit,
    ).toBeUndefined();
  });

  it('logs an unreachable dependency and exits 1 when it is fatal', () => {
    const outcome = startContainer(
      image,
      { name: 'api', env },
      { network: () => ({ reachable: false, reason: 'no such host' }) },
    );
    expect(outcome.logs.map((l) => l.line)).toEqual([
      'error: cannot connect to payments-db:5432: no such host',
    ]);
    expect(outcome.exit).toMatchObject({ code: 1, reason: 'Error' });
  });

  it('runs batch images to their exit code', () => {
    const batch = resolveImage('registry.example.com/jobs/export:1', [
      parseImageBehavior({
        apiVersion: 'sim.opsloop.dev/v1alpha1',
        kind: 'ImageBehavior',
        spec: { image: 'registry.example.com/jobs/export:1', exitAfterSeconds: 30, exitCode: 3 },
      }),
    ]);
    expect(startContainer(batch, { name: 'job', env: {} }, reachable).exit).toEqual({
      atSeconds: 30,
      code: 3,
      reason: 'Error',
    });
  });

  it('completes busybox at once without a command, as real busybox does', () => {
    expect(startContainer(resolveImage('busybox'), { name: 'b', env: {} }, reachable).exit).toEqual(
      { atSeconds: 0, code: 0, reason: 'Completed' },
    );
    const sleeper = startContainer(
      resolveImage('busybox'),
      { name: 'b', env: {}, command: ['sleep', '3600'] },
      reachable,
    );
    expect(sleeper.exit).toEqual({ atSeconds: 3600, code: 0, reason: 'Completed' });
    const forever = startContainer(
      resolveImage('busybox'),
      { name: 'b', env: {}, command: ['sleep', 'infinity'] },
      reachable,
    );
    expect(forever.exit).toBeUndefined();
  });

  it('serves the default image on its declared container ports with 200 everywhere', () => {
    const outcome = startContainer(
      resolveImage('example.org/some/app:1'),
      { name: 'a', env: {}, ports: [9000] },
      reachable,
    );
    expect(outcome.exit).toBeUndefined();
    expect(outcome.listening).toMatchObject([{ port: 9000, http: { otherStatus: 200 } }]);
  });

  it('runs `sh -c` scripts that exec the service', () => {
    const outcome = startContainer(
      image,
      { name: 'api', env, command: ['sh', '-c', 'echo migrating; exec payment-api'] },
      reachable,
    );
    expect(outcome.logs.map((l) => l.line)).toEqual([
      'migrating',
      'payment-api 2.0.1 listening on :8080',
    ]);
    expect(outcome.listening.map((l) => l.port)).toEqual([8080]);
  });
});

describe('effectiveArgv', () => {
  it('appends args to the entrypoint and lets docker-entrypoint.sh exec programs', () => {
    const redis = resolveImage('redis:7.4.1');
    expect(effectiveArgv(redis, { name: 'r', env: {} })).toEqual([
      'docker-entrypoint.sh',
      'redis-server',
    ]);
    expect(effectiveArgv(redis, { name: 'r', env: {}, args: ['--save', ''] })).toEqual([
      'docker-entrypoint.sh',
      '--save',
      '',
    ]);
    expect(effectiveArgv(redis, { name: 'r', env: {}, args: ['sh', '-c', 'true'] })).toEqual([
      'sh',
      '-c',
      'true',
    ]);
  });

  it('expands $(VAR) from the container environment', () => {
    expect(
      effectiveArgv(image, {
        name: 'a',
        env: { PORT: '9' },
        command: ['payment-api', '--port=$(PORT)', '$$(PORT)'],
      }),
    ).toEqual(['payment-api', '--port=9', '$(PORT)']);
  });
});

describe('execInContainer', () => {
  it('reports a missing program as the runtime does', () => {
    const result = execInContainer(resolveImage('nginx:1.27'), ['python3'], {}, reachable);
    expect(result.error).toBe(
      'OCI runtime exec failed: exec failed: unable to start container process: exec: "python3": executable file not found in $PATH: unknown',
    );
  });

  it('runs commands and shells', () => {
    const env: SimEnvironment = { ...reachable, hostname: 'web-7d9f-abcde' };
    expect(execInContainer(resolveImage('nginx:1.27'), ['cat', '/etc/hostname'], {}, env)).toEqual({
      lines: [{ atSeconds: 0, line: 'web-7d9f-abcde' }],
      exitCode: 0,
    });
    expect(execInContainer(resolveImage('busybox'), ['sh', '-c', 'exit 4'], {}, env).exitCode).toBe(
      4,
    );
  });
});
