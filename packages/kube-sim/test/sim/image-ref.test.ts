import { describe, expect, it } from 'vitest';
import { parseImageRef, sameImage } from '../../src/sim/image-ref.ts';
import { SimError } from '../../src/sim/errors.ts';

describe('parseImageRef', () => {
  it('expands a Docker Hub official image to docker.io/library with tag latest', () => {
    const ref = parseImageRef('nginx');
    expect(ref.normalized).toBe('docker.io/library/nginx:latest');
    expect(ref.familiar).toBe('nginx');
    expect(ref.tag).toBe('latest');
  });

  it('keeps user repositories on Docker Hub without library/', () => {
    expect(parseImageRef('bitnami/redis:7.2').normalized).toBe('docker.io/bitnami/redis:7.2');
  });

  it('recognises a registry host with a port and keeps the tag', () => {
    const ref = parseImageRef('localhost:5000/team/app:1.0');
    expect(ref.registry).toBe('localhost:5000');
    expect(ref.repository).toBe('team/app');
    expect(ref.tag).toBe('1.0');
  });

  it('handles digests with and without a tag', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseImageRef(`nginx@${digest}`).normalized).toBe(`docker.io/library/nginx@${digest}`);
    expect(parseImageRef(`nginx@${digest}`).tag).toBeUndefined();
    expect(parseImageRef(`nginx:1.27@${digest}`).normalized).toBe(
      `docker.io/library/nginx:1.27@${digest}`,
    );
  });

  it('treats docker.io spellings as the same image', () => {
    expect(sameImage('nginx:1.27', 'docker.io/library/nginx:1.27')).toBe(true);
    expect(sameImage('index.docker.io/library/nginx:1.27', 'nginx:1.27')).toBe(true);
    expect(sameImage('nginx:1.27', 'nginx:1.26')).toBe(false);
  });

  it('rejects malformed references', () => {
    expect(() => parseImageRef('Nginx:1.27')).toThrow(SimError);
    expect(() => parseImageRef('nginx:bad tag')).toThrow(/invalid reference format/);
    expect(() => parseImageRef('nginx@sha256:123')).toThrow(/bad digest/);
  });
});
