/**
 * Traits of common public images, as the real images behave: their ports, the programs
 * they ship, what they log, what they insist on. Tag lists are plausible real sets; a tag
 * outside them does not exist on the registry (pull → NotFound), exactly as
 * `nginx:invalid-tag` fails on a real cluster.
 */
import type { EnvRequirement, Listener } from './resolved.ts';
import { BUSYBOX_APPLETS, DEBIAN_BASE } from './catalog-tags.ts';
import { OFFICIAL_TAGS } from './official-tags.ts';
import { BASE_IMAGES } from './catalog-base-images.ts';

export interface CatalogEntry {
  /** Familiar names this entry answers to (`nginx`, `library/nginx` is implied). */
  names: string[];
  tags: Set<string>;
  binaries: string[];
  /** Extra programs present only in `-alpine` tags (busybox applets). */
  alpineBinaries?: string[];
  servers: string[];
  defaultCommand: string[];
  /** How many leading words of defaultCommand are the ENTRYPOINT. */
  entrypointLength: number;
  listen: Listener[];
  startupSeconds: number;
  memoryMi: number;
  cpuMilli: number;
  requiredEnv: EnvRequirement[];
  logs: string[];
  /** What the ENTRYPOINT script itself prints before it execs the server (absent when `command` bypasses it). */
  entrypointLogs?: string[];
  httpLog?: 'nginx';
  /** busybox ash (busybox, alpine) or Debian's dash (the default): decides shell wording. */
  shell?: 'busybox' | 'dash';
  sizeBytes: number;
}

const NGINX_WELCOME =
  '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n';
const NGINX_404 =
  '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

const missingPostgresPassword = [
  'Error: Database is uninitialized and superuser password is not specified.',
  '       You must specify POSTGRES_PASSWORD to a non-empty value for the',
  '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".',
  '',
  '       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all',
  '       connections without a password. This is *not* recommended.',
  '',
  '       See PostgreSQL documentation about "trust":',
  '       https://www.postgresql.org/docs/current/auth-trust.html',
];
const missingMysqlPassword = [
  '[Note] [Entrypoint]: Entrypoint script for MySQL Server started.',
  '[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified',
  '    You need to specify one of the following as an environment variable:',
  '    - MYSQL_ROOT_PASSWORD',
  '    - MYSQL_ALLOW_EMPTY_PASSWORD',
  '    - MYSQL_RANDOM_ROOT_PASSWORD',
];

export const CATALOG: CatalogEntry[] = [
  ...BASE_IMAGES,
  {
    names: ['nginx', 'nginxinc/nginx-unprivileged'],
    tags: OFFICIAL_TAGS['nginx']!,
    binaries: ['nginx', 'docker-entrypoint.sh', 'curl', ...DEBIAN_BASE],
    alpineBinaries: BUSYBOX_APPLETS,
    servers: ['nginx', 'docker-entrypoint.sh'],
    httpLog: 'nginx',
    defaultCommand: ['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;'],
    entrypointLength: 1,
    listen: [
      {
        port: 80,
        http: {
          routes: { '/': 200, '/index.html': 200 },
          otherStatus: 404,
          bodies: { '200': NGINX_WELCOME, '404': NGINX_404 },
        },
      },
    ],
    startupSeconds: 1,
    memoryMi: 8,
    cpuMilli: 2,
    requiredEnv: [],
    entrypointLogs: [
      '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
      '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
      '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
      '/docker-entrypoint.sh: Configuration complete; ready for start up',
    ],
    logs: ['[notice] 1#1: using the "epoll" event method', '[notice] 1#1: start worker processes'],
    sizeBytes: 72_188_133,
  },
  {
    names: ['busybox'],
    tags: OFFICIAL_TAGS['busybox']!,
    binaries: BUSYBOX_APPLETS,
    shell: 'busybox',
    servers: [],
    defaultCommand: ['sh'],
    entrypointLength: 0,
    listen: [],
    startupSeconds: 0,
    memoryMi: 1,
    cpuMilli: 1,
    requiredEnv: [],
    logs: [],
    sizeBytes: 2_155_052,
  },
  {
    names: ['alpine'],
    tags: OFFICIAL_TAGS['alpine']!,
    binaries: [...BUSYBOX_APPLETS, 'apk'],
    shell: 'busybox',
    servers: [],
    defaultCommand: ['/bin/sh'],
    entrypointLength: 0,
    listen: [],
    startupSeconds: 0,
    memoryMi: 1,
    cpuMilli: 1,
    requiredEnv: [],
    logs: [],
    sizeBytes: 3_653_068,
  },
  {
    names: ['httpd'],
    tags: OFFICIAL_TAGS['httpd']!,
    binaries: ['httpd', 'httpd-foreground', 'apachectl', ...DEBIAN_BASE],
    alpineBinaries: BUSYBOX_APPLETS,
    servers: ['httpd', 'httpd-foreground', 'apachectl'],
    defaultCommand: ['httpd-foreground'],
    entrypointLength: 0,
    listen: [
      {
        port: 80,
        http: {
          routes: { '/': 200, '/index.html': 200 },
          otherStatus: 404,
          bodies: { '200': '<html><body><h1>It works!</h1></body></html>\n' },
        },
      },
    ],
    startupSeconds: 1,
    memoryMi: 12,
    cpuMilli: 2,
    requiredEnv: [],
    logs: [
      "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using 127.0.0.1. Set the 'ServerName' directive globally to suppress this message",
      '[mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4 (Unix) configured -- resuming normal operations',
      "[core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'",
    ],
    sizeBytes: 58_437_722,
  },
  {
    names: ['redis'],
    tags: OFFICIAL_TAGS['redis']!,
    binaries: [
      'redis-server',
      'redis-cli',
      'redis-sentinel',
      'docker-entrypoint.sh',
      ...DEBIAN_BASE,
    ],
    alpineBinaries: BUSYBOX_APPLETS,
    servers: ['redis-server', 'redis-sentinel', 'docker-entrypoint.sh'],
    defaultCommand: ['docker-entrypoint.sh', 'redis-server'],
    entrypointLength: 1,
    listen: [{ port: 6379 }],
    startupSeconds: 1,
    memoryMi: 10,
    cpuMilli: 5,
    requiredEnv: [],
    logs: [
      '1:C * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo',
      '1:C * Redis bits=64, pid=1, just started',
      '1:M * Running mode=standalone, port=6379.',
      '1:M * Server initialized',
      '1:M * Ready to accept connections tcp',
    ],
    sizeBytes: 45_112_034,
  },
  {
    names: ['postgres'],
    tags: OFFICIAL_TAGS['postgres']!,
    binaries: [
      'postgres',
      'psql',
      'pg_dump',
      'pg_isready',
      'docker-entrypoint.sh',
      'gosu',
      ...DEBIAN_BASE,
    ],
    alpineBinaries: BUSYBOX_APPLETS,
    servers: ['postgres', 'docker-entrypoint.sh'],
    defaultCommand: ['docker-entrypoint.sh', 'postgres'],
    entrypointLength: 1,
    listen: [{ port: 5432 }],
    startupSeconds: 3,
    memoryMi: 40,
    cpuMilli: 10,
    requiredEnv: [
      {
        anyOf: ['POSTGRES_PASSWORD', 'POSTGRES_HOST_AUTH_METHOD'],
        failureLogs: missingPostgresPassword,
      },
    ],
    entrypointLogs: ['PostgreSQL init process complete; ready for start up.'],
    logs: [
      'LOG:  listening on IPv4 address "0.0.0.0", port 5432',
      'LOG:  listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"',
      'LOG:  database system is ready to accept connections',
    ],
    sizeBytes: 158_123_415,
  },
  {
    names: ['mysql'],
    tags: OFFICIAL_TAGS['mysql']!,
    binaries: [
      'mysqld',
      'mysql',
      'mysqladmin',
      'mysqldump',
      'docker-entrypoint.sh',
      'gosu',
      ...DEBIAN_BASE,
    ],
    servers: ['mysqld', 'docker-entrypoint.sh'],
    defaultCommand: ['docker-entrypoint.sh', 'mysqld'],
    entrypointLength: 1,
    listen: [{ port: 3306 }, { port: 33060 }],
    startupSeconds: 8,
    memoryMi: 380,
    cpuMilli: 30,
    requiredEnv: [
      {
        anyOf: ['MYSQL_ROOT_PASSWORD', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD'],
        failureLogs: missingMysqlPassword,
      },
    ],
    entrypointLogs: ['[Note] [Entrypoint]: Entrypoint script for MySQL Server started.'],
    logs: [
      "[System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.4'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.",
    ],
    sizeBytes: 233_109_884,
  },
  {
    names: ['python'],
    tags: OFFICIAL_TAGS['python']!,
    binaries: ['python3', 'python', 'pip', 'pip3', ...DEBIAN_BASE],
    alpineBinaries: BUSYBOX_APPLETS,
    servers: ['python3', 'python'],
    defaultCommand: ['python3'],
    entrypointLength: 0,
    listen: [],
    startupSeconds: 0,
    memoryMi: 10,
    cpuMilli: 2,
    requiredEnv: [],
    logs: [],
    sizeBytes: 51_234_001,
  },
];
