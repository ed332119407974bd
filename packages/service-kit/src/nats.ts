import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';

export interface NatsTarget {
  /** Server URLs without credentials. */
  servers: string[];
  user?: string;
  pass?: string;
  /** Some URL used tls:// — TLS is then required (the CA comes from NODE_EXTRA_CA_CERTS). */
  tls: boolean;
}

/**
 * Splits a NATS_URL (comma-separated) into servers and the credentials written in them
 * (`nats://user:password@host:4222`, percent-encoded as in any URL). nats.js ignores
 * userinfo in server URLs, so without this a deployment's per-service NATS user would be
 * dropped silently and the connection refused.
 */
export function parseNatsUrl(url: string): NatsTarget {
  const target: NatsTarget = { servers: [], tls: false };
  for (const raw of url
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')) {
    const match = /^([a-z]+:\/\/)?(?:([^:@/]*)(?::([^@/]*))?@)?(.*)$/i.exec(raw)!;
    const [, scheme = '', user, pass, rest = ''] = match;
    if (scheme.toLowerCase() === 'tls://') target.tls = true;
    if (user !== undefined && user !== '') target.user = decodeURIComponent(user);
    if (pass !== undefined) target.pass = decodeURIComponent(pass);
    target.servers.push(`${scheme}${rest}`);
  }
  return target;
}

/** The URL with any password replaced, for messages and logs. */
export function redactNatsUrl(url: string): string {
  return url.replace(/(\/\/[^:@/,]*):[^@/,]*@/g, '$1:***@');
}

/**
 * Connects to NATS and keeps reconnecting for as long as the process lives: a restarted
 * nats-server must not take a service down (the operation resumes when it is back).
 */
export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  const target = parseNatsUrl(url);
  try {
    return await connect({
      servers: target.servers,
      name,
      ...(target.user === undefined ? {} : { user: target.user, pass: target.pass ?? '' }),
      ...(target.tls ? { tls: {} } : {}),
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      waitOnFirstConnect: false,
    });
  } catch (error) {
    throw new Error(
      `cannot connect to NATS at ${redactNatsUrl(url)}: ${(error as Error).message}; start nats-server or set NATS_URL`,
      { cause: error },
    );
  }
}
