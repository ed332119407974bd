// The certificate is built by hand in DER: every one must parse (a non-minimal serial
// INTEGER once made ~1 start in 256 fail with "illegal padding").
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../src/server/self-signed.ts';

describe('selfSignedCertificate', () => {
  it('builds 200 certificates that all parse, with a positive serial and the SANs', () => {
    const serials = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const { cert } = selfSignedCertificate();
      const x509 = new X509Certificate(cert);
      expect(x509.subject).toBe('CN=kube-sim');
      expect(x509.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
      expect(Number.parseInt(x509.serialNumber.slice(0, 2), 16)).toBeGreaterThan(0);
      expect(Number.parseInt(x509.serialNumber.slice(0, 2), 16)).toBeLessThan(0x80);
      expect(x509.verify(x509.publicKey)).toBe(true);
      serials.add(x509.serialNumber);
    }
    expect(serials.size).toBe(200);
  });
});
