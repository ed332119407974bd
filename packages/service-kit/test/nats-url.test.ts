import { describe, expect, it } from 'vitest';
import { parseNatsUrl, redactNatsUrl } from '../src/mod.ts';

describe('parseNatsUrl', () => {
  it('takes the user and the percent-encoded password out of the server URLs', () => {
    expect(
      parseNatsUrl('nats://planner:p%40ss@nats-0:4222,nats://planner:p%40ss@nats-1:4222'),
    ).toEqual({
      servers: ['nats://nats-0:4222', 'nats://nats-1:4222'],
      user: 'planner',
      pass: 'p@ss',
      tls: false,
    });
  });

  it('leaves URLs without credentials as they are and marks tls:// as TLS required', () => {
    expect(parseNatsUrl('nats://127.0.0.1:4222')).toEqual({
      servers: ['nats://127.0.0.1:4222'],
      tls: false,
    });
    expect(parseNatsUrl('tls://gw:s@nats:4222').tls).toBe(true);
  });

  it('never shows the password in a redacted URL', () => {
    expect(redactNatsUrl('nats://planner:secret@nats:4222,tls://a:b@c:1')).toBe(
      'nats://planner:***@nats:4222,tls://a:***@c:1',
    );
  });
});
