import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A CA and one certificate for 127.0.0.1 signed by it, usable by the NATS servers both
 * as server and as route client (mutual TLS between routes), as in opsloop-nats-tls.
 */
export async function makeCerts(dir: string): Promise<{ ca: string; cert: string; key: string }> {
  const ca = join(dir, 'ca.crt');
  const caKey = join(dir, 'ca.key');
  const key = join(dir, 'tls.key');
  const csr = join(dir, 'tls.csr');
  const cert = join(dir, 'tls.crt');
  const ext = join(dir, 'ext.cnf');
  writeFileSync(
    ext,
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n',
  );
  const openssl = (...args: string[]) => run('openssl', args);
  await openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=opsloop-test-ca',
    '-keyout',
    caKey,
    '-out',
    ca,
  );
  await openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=nats',
    '-keyout',
    key,
    '-out',
    csr,
  );
  await openssl(
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca,
    '-CAkey',
    caKey,
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    ext,
    '-out',
    cert,
  );
  return { ca, cert, key };
}
