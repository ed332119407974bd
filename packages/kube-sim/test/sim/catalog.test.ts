import { describe, expect, it } from 'vitest';
import { pullSucceeds, resolveImage } from '../../src/sim/catalog.ts';
import { parseImageBehavior } from '../../src/sim/image-behavior.ts';
import { execNotFoundMessage, pullFailedMessage } from '../../src/sim/messages.ts';
import { statusFor } from '../../src/sim/resolved.ts';

const behavior = (spec: Record<string, unknown>) =>
  parseImageBehavior({ apiVersion: 'sim.opsloop.dev/v1alpha1', kind: 'ImageBehavior', spec });

describe('built-in catalog', () => {
  it('knows real nginx tags and serves / and /index.html only', () => {
    for (const tag of [
      'latest',
      'stable',
      'alpine',
      '1.25',
      '1.25.3',
      '1.26',
      '1.27',
      '1.27-alpine',
      '1.27.3-alpine',
    ]) {
      expect(resolveImage(`nginx:${tag}`).pull, tag).toBe('Ok');
    }
    const nginx = resolveImage('nginx:1.27');
    expect(nginx.source).toBe('catalog');
    expect(nginx.binaries).toContain('nginx');
    expect(nginx.binaries).toContain('sh');
    expect(nginx.binaries).not.toContain('python3');
    const listener = Array.isArray(nginx.listen) ? nginx.listen[0] : undefined;
    expect(listener?.port).toBe(80);
    expect(statusFor(listener!.http!, '/')).toBe(200);
    expect(statusFor(listener!.http!, '/index.html')).toBe(200);
    expect(statusFor(listener!.http!, '/healthz')).toBe(404);
  });

  it('gives alpine variants the busybox applets', () => {
    expect(resolveImage('nginx:1.27').binaries).not.toContain('wget');
    expect(resolveImage('nginx:1.27-alpine').binaries).toContain('wget');
  });

  it('reports a tag that was never published as NotFound, with containerd wording', () => {
    const image = resolveImage('nginx:invalid-tag');
    expect(image.pull).toBe('NotFound');
    expect(pullFailedMessage(image)).toBe(
      'Failed to pull image "nginx:invalid-tag": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:invalid-tag": failed to resolve reference "docker.io/library/nginx:invalid-tag": docker.io/library/nginx:invalid-tag: not found',
    );
  });

  it('describes busybox, alpine, redis, postgres, mysql, httpd and python traits', () => {
    expect(resolveImage('busybox').defaultCommand).toEqual(['sh']);
    expect(resolveImage('busybox:1.36').binaries).toEqual(
      expect.arrayContaining(['sh', 'wget', 'nslookup', 'sleep']),
    );
    expect(resolveImage('alpine:3.20').listen).toEqual([]);
    expect(resolveImage('redis:7.4.1').logs.join('\n')).toContain('Ready to accept connections');
    expect(resolveImage('postgres:16').requiredEnv[0]?.anyOf).toContain('POSTGRES_PASSWORD');
    expect(resolveImage('mysql:8.4').requiredEnv[0]?.anyOf).toEqual([
      'MYSQL_ROOT_PASSWORD',
      'MYSQL_ALLOW_EMPTY_PASSWORD',
      'MYSQL_RANDOM_ROOT_PASSWORD',
    ]);
    expect(resolveImage('httpd:2.4').listen).toMatchObject([{ port: 80 }]);
    expect(resolveImage('python:3.12-slim').binaries).toEqual(
      expect.arrayContaining(['python3', 'sh']),
    );
  });

  it('gives unknown images the default behaviour', () => {
    const image = resolveImage('registry.example.com/team/thing:9.9');
    expect(image).toMatchObject({
      source: 'default',
      pull: 'Ok',
      listen: 'containerPorts',
      exit: undefined,
      binaries: undefined,
    });
  });

  it('lets a user document override the catalog, matched by normalised reference', () => {
    const user = behavior({
      image: 'docker.io/library/nginx:1.27',
      listen: [{ port: 8080 }],
      binaries: ['nginx', 'sh'],
    });
    const image = resolveImage('nginx:1.27', [user]);
    expect(image.source).toBe('user');
    expect(image.listen).toEqual([{ port: 8080, http: undefined }]);
    expect(resolveImage('nginx:1.26', [user]).source).toBe('catalog');
  });

  it('words a refused private pull like containerd does, and accepts a matching pull secret', () => {
    const image = resolveImage('registry.example.com/shop/api:1.0', [
      behavior({ image: 'registry.example.com/shop/api:1.0', pull: 'Unauthorized' }),
    ]);
    expect(pullFailedMessage(image)).toBe(
      'Failed to pull image "registry.example.com/shop/api:1.0": rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/shop/api:1.0": failed to resolve reference "registry.example.com/shop/api:1.0": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://registry.example.com/token?scope=repository%3Ashop%2Fapi%3Apull&service=registry.example.com: 401 Unauthorized',
    );
    const hub = resolveImage('acme/private:1', [
      behavior({ image: 'acme/private:1', pull: 'Unauthorized' }),
    ]);
    expect(pullFailedMessage(hub)).toContain(
      'pull access denied, repository does not exist or may require authorization',
    );
    const dockerconfig = (host: string) => ({
      type: 'kubernetes.io/dockerconfigjson',
      data: {
        '.dockerconfigjson': Buffer.from(
          JSON.stringify({ auths: { [host]: { auth: 'eDp5' } } }),
        ).toString('base64'),
      },
    });
    expect(pullSucceeds(image, [])).toBe(false);
    expect(pullSucceeds(image, [dockerconfig('other.example.com')])).toBe(false);
    expect(pullSucceeds(image, [dockerconfig('https://registry.example.com')])).toBe(true);
    expect(pullSucceeds(resolveImage('nginx:invalid-tag'), [dockerconfig('docker.io')])).toBe(
      false,
    );
  });

  it('words a missing executable like runc does', () => {
    expect(execNotFoundMessage('python3')).toBe(
      'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "python3": executable file not found in $PATH: unknown',
    );
    expect(execNotFoundMessage('/app/server')).toContain(
      'stat /app/server: no such file or directory',
    );
  });
});

describe('published tags of official images', () => {
  it('pulls real tags of the common images, variants included', () => {
    for (const image of [
      'nginx:1.21',
      'nginx:1.22',
      'nginx:1.21.6-alpine',
      'nginx:1.25.3-bookworm',
      'nginx:1.23-alpine-slim',
      'python:3.9-slim-buster',
      'python:3.11-slim-bookworm',
      'python:3.12-alpine3.19',
      'python:3.8.18',
      'node:18-alpine',
      'node:20.11.1-bookworm-slim',
      'node:iron',
      'node:16-buster-slim',
      'golang:1.21-alpine',
      'golang:1.22.5-bookworm',
      'debian:bookworm-slim',
      'debian:12.5',
      'debian:buster',
      'ubuntu:22.04',
      'ubuntu:jammy',
      'redis:7.2-alpine',
      'redis:6.2.14-bullseye',
      'postgres:16.2-alpine3.19',
      'postgres:13-bullseye',
      'mysql:8.0.36-debian',
      'mysql:5.7',
      'mongo:7.0',
      'mongo:6.0.14-jammy',
      'httpd:2.4.58-alpine',
      'busybox:1.36.1-glibc',
      'alpine:3.18.6',
    ]) {
      expect(resolveImage(image).pull, image).toBe('Ok');
    }
  });

  it('refuses tags that were never published', () => {
    for (const image of [
      'nginx:1.30',
      'nginx:1.21.9',
      'nginx:1.12-bookworm',
      'python:3.9-slim-jessie',
      'python:3.15',
      'python:2.8',
      'node:26',
      'node:18-trixie',
      'golang:1.30',
      'debian:14',
      'ubuntu:23.02',
      'redis:9',
      'postgres:19',
      'mysql:7.0',
      'mongo:9.0',
      'httpd:2.5',
      'busybox:2.0',
      'alpine:3.40',
    ]) {
      expect(resolveImage(image).pull, image).toBe('NotFound');
    }
  });
});
