import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `opsloop up` refusing to start: each failure is one line on stderr that says what to do,
 * exit 1, and no process of the attempt is left running. With --json the same refusal, and
 * the start itself, are JSON lines a script can read.
 */
const bin = fileURLToPath(new URL('../bin/opsloop.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'opsloop-up-errors-'));
const servers: Server[] = [];

afterAll(() => servers.forEach((s) => s.close()));

function up(
  name: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stderr: string; dataDir: string }> {
  const dataDir = join(work, name);
  const child = spawn(
    process.execPath,
    [bin, 'up', '--data-dir', dataDir, '--port', '0', '--nats-port', '0', ...args],
    { cwd: work, env: { ...process.env, NATS_URL: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr, dataDir })));
}

/** The error lines: what `up` printed besides its progress lines ("  … starting x"). */
const errorLines = (stderr: string) =>
  stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('  … '));

/** Processes whose command line names the attempt's data directory (nats-server, kube-sim, services). */
function leftRunning(dataDir: string): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps.stdout.split('\n').filter((line) => line.includes(dataDir) && !line.includes(' ps '));
}

async function takenPort(): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe('opsloop up refuses with one clear line', () => {
  it('a taken port: names it and says to pass --port', async () => {
    const port = await takenPort();
    const result = await up('port', ['--port', String(port)]);
    expect(result.code).toBe(1);
    expect(errorLines(result.stderr)).toEqual([
      `opsloop up: port ${port} is taken: stop what uses it or pass --port to pick another`,
    ]);
    expect(leftRunning(result.dataDir)).toEqual([]);
  }, 60_000);

  it('a kubeconfig that does not exist', async () => {
    const result = await up('no-kubeconfig', ['--kubeconfig', join(work, 'missing.kubeconfig')]);
    expect(result.code).toBe(1);
    const lines = errorLines(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^opsloop up: kubeconfig .*missing\.kubeconfig does not exist: pass --kubeconfig/,
    );
    expect(leftRunning(result.dataDir)).toEqual([]);
  }, 60_000);

  it('a kubeconfig that is not one', async () => {
    const file = join(work, 'bad.kubeconfig');
    writeFileSync(file, 'this: [is not, a kubeconfig\n');
    const result = await up('bad-kubeconfig', ['--kubeconfig', file]);
    expect(result.code).toBe(1);
    const lines = errorLines(result.stderr);
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^opsloop up: kubeconfig .*bad\.kubeconfig is not a valid kubeconfig/);
    expect(lines[0]).toContain('--kubeconfig');
    expect(leftRunning(result.dataDir)).toEqual([]);
  }, 120_000);

  it('no nats-server: says how to install it or to set NATS_URL', async () => {
    const result = await up('no-nats', [], { NATS_SERVER: join(work, 'no-such', 'nats-server') });
    expect(result.code).toBe(1);
    const lines = errorLines(result.stderr);
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^opsloop up: nats-server .*not/);
    expect(lines[0]).toContain('apt-get install -y nats-server');
    expect(lines[0]).toContain('NATS_URL');
    expect(leftRunning(result.dataDir)).toEqual([]);
  }, 60_000);

  it('--json: the refusal is one JSON line, {"error": {message, exitCode}}', async () => {
    const port = await takenPort();
    const result = await up('port-json', ['--port', String(port), '--json']);
    expect(result.code).toBe(1);
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('{"error"'));
    expect(lines, result.stderr).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      error: {
        message: `port ${port} is taken: stop what uses it or pass --port to pick another`,
        exitCode: 1,
      },
    });
  }, 60_000);

  it('--json: once up, one {"event":"running"} line names the gateway and the credentials', async () => {
    const dataDir = join(work, 'running-json');
    const child = spawn(
      process.execPath,
      [
        bin,
        'up',
        '--json',
        '--data-dir',
        dataDir,
        '--port',
        '0',
        '--nats-port',
        '0',
        '--speed',
        '10',
      ],
      { cwd: work, env: { ...process.env, NATS_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const deadline = Date.now() + 90_000;
    while (!stdout.includes('\n') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    const running = JSON.parse(stdout.split('\n')[0]!) as Record<string, unknown>;
    expect(running).toMatchObject({
      event: 'running',
      credentials: join(dataDir, 'credentials.json'),
    });
    expect(running.gatewayUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${String(running.gatewayUrl)}/healthz`);
    expect(health.status).toBe(200);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout.split('\n')[1]).toBe(JSON.stringify({ event: 'stopped', dataDir }));
    expect(leftRunning(dataDir)).toEqual([]);
  }, 150_000);
});
