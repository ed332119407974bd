/**
 * Operating-system and language images of the catalog: no service of their own, a shell or
 * interpreter as CMD (which, without a tty, reads EOF and exits at once, as on a real node).
 */
import type { CatalogEntry } from './catalog-data.ts';
import { BUSYBOX_APPLETS, DEBIAN_BASE } from './catalog-tags.ts';
import { OFFICIAL_TAGS } from './official-tags.ts';

const quiet = {
  servers: [],
  listen: [],
  startupSeconds: 0,
  requiredEnv: [],
  logs: [],
  entrypointLength: 0,
};

export const BASE_IMAGES: CatalogEntry[] = [
  {
    ...quiet,
    names: ['debian'],
    tags: OFFICIAL_TAGS['debian']!,
    binaries: [...DEBIAN_BASE, 'apt-get', 'dpkg'],
    defaultCommand: ['bash'],
    memoryMi: 1,
    cpuMilli: 1,
    sizeBytes: 48_494_272,
  },
  {
    ...quiet,
    names: ['ubuntu'],
    tags: OFFICIAL_TAGS['ubuntu']!,
    binaries: [...DEBIAN_BASE, 'apt-get', 'apt', 'dpkg'],
    defaultCommand: ['/bin/bash'],
    memoryMi: 1,
    cpuMilli: 1,
    sizeBytes: 29_754_290,
  },
  {
    ...quiet,
    names: ['node'],
    tags: OFFICIAL_TAGS['node']!,
    binaries: ['node', 'npm', 'npx', 'yarn', 'corepack', 'docker-entrypoint.sh', ...DEBIAN_BASE],
    alpineBinaries: BUSYBOX_APPLETS,
    defaultCommand: ['docker-entrypoint.sh', 'node'],
    entrypointLength: 1,
    memoryMi: 40,
    cpuMilli: 5,
    sizeBytes: 399_120_547,
  },
  {
    ...quiet,
    names: ['golang'],
    tags: OFFICIAL_TAGS['golang']!,
    binaries: ['go', 'gofmt', 'git', 'curl', 'make', 'gcc', ...DEBIAN_BASE],
    alpineBinaries: BUSYBOX_APPLETS,
    defaultCommand: ['bash'],
    memoryMi: 2,
    cpuMilli: 1,
    sizeBytes: 301_234_876,
  },
  {
    names: ['mongo'],
    tags: OFFICIAL_TAGS['mongo']!,
    binaries: ['mongod', 'mongos', 'mongosh', 'docker-entrypoint.sh', 'gosu', ...DEBIAN_BASE],
    servers: ['mongod', 'docker-entrypoint.sh'],
    defaultCommand: ['docker-entrypoint.sh', 'mongod'],
    entrypointLength: 1,
    listen: [{ port: 27017 }],
    startupSeconds: 2,
    memoryMi: 160,
    cpuMilli: 15,
    requiredEnv: [],
    logs: [
      '{"t":{"$date":"2025-01-01T00:00:00.000+00:00"},"s":"I",  "c":"NETWORK",  "id":23015,   "ctx":"listener","msg":"Listening on","attr":{"address":"0.0.0.0"}}',
      '{"t":{"$date":"2025-01-01T00:00:00.000+00:00"},"s":"I",  "c":"NETWORK",  "id":23016,   "ctx":"listener","msg":"Waiting for connections","attr":{"port":27017,"ssl":"off"}}',
    ],
    sizeBytes: 277_412_901,
  },
];
