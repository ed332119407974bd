/**
 * A self-signed ECDSA P-256 certificate for 127.0.0.1/localhost, made at start with
 * node:crypto alone. kube-sim must speak HTTPS: kubectl (client-go) never sends an
 * Authorization header over plain http://, so bearer tokens and RBAC would not work.
 * Clients skip verification (`insecure-skip-tls-verify: true` in the kubeconfig).
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';

function der(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let length: Buffer;
  if (n < 0x80) length = Buffer.from([n]);
  else if (n < 0x100) length = Buffer.from([0x81, n]);
  else length = Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

const seq = (...items: Buffer[]): Buffer => der(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => der(0x31, Buffer.concat(items));

function oid(text: string): Buffer {
  const parts = text.split('.').map(Number);
  const bytes = [40 * parts[0]! + parts[1]!];
  for (const part of parts.slice(2)) {
    const chunk = [part & 0x7f];
    for (let v = part >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const iso = date.toISOString();
  const text =
    iso.slice(2, 4) +
    iso.slice(5, 7) +
    iso.slice(8, 10) +
    iso.slice(11, 13) +
    iso.slice(14, 16) +
    iso.slice(17, 19) +
    'Z';
  return der(0x17, Buffer.from(text));
}

function name(commonName: string): Buffer {
  return seq(set(seq(oid('2.5.4.3'), der(0x0c, Buffer.from(commonName)))));
}

export function selfSignedCertificate(): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'));
  // DER INTEGERs are minimal two's complement: a leading 0x00 before a byte < 0x80 is
  // "illegal padding" to OpenSSL, and a high bit makes the serial negative. A first byte in
  // 0x01..0x7f is neither.
  const serial = randomBytes(16);
  serial[0] = 0x01 + (serial[0]! % 0x7f);
  const now = new Date();
  const san = seq(
    oid('2.5.29.17'),
    der(0x04, seq(der(0x82, Buffer.from('localhost')), der(0x87, Buffer.from([127, 0, 0, 1])))),
  );
  const tbs = seq(
    der(0xa0, der(0x02, Buffer.from([2]))),
    der(0x02, serial),
    ecdsaSha256,
    name('kube-sim'),
    seq(
      utcTime(new Date(now.getTime() - 3600_000)),
      utcTime(new Date(now.getTime() + 365 * 86400_000)),
    ),
    name('kube-sim'),
    publicKey.export({ type: 'spki', format: 'der' }),
    der(0xa3, seq(san)),
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificate = seq(
    tbs,
    ecdsaSha256,
    der(0x03, Buffer.concat([Buffer.from([0]), signature])),
  );
  const pem = certificate
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd();
  return {
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    cert: `-----BEGIN CERTIFICATE-----\n${pem}\n-----END CERTIFICATE-----\n`,
  };
}
