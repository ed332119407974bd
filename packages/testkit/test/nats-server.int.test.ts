import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServer } from '../src/mod.ts';

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

describe('startNatsServer', () => {
  let server: NatsServer;
  afterAll(() => server?.stop());

  it('runs a server that can be killed and started again on the same port', async () => {
    server = await startNatsServer();
    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
    expect(await reachable(server.port)).toBe(true);
    await server.kill();
    expect(await reachable(server.port)).toBe(false);
    await server.start();
    expect(await reachable(server.port)).toBe(true);
  });
});
