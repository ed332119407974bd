/**
 * Programs and published tags of the catalogued images. Tag lists are plausible real sets
 * (official-image version lines with their -alpine/-bookworm/… variants); a tag outside
 * them does not exist on the registry.
 */
export function tagSet(versions: string[], suffixes: string[], extra: string[] = []): Set<string> {
  const tags = new Set(extra);
  for (const version of versions) for (const suffix of suffixes) tags.add(version + suffix);
  return tags;
}

function range(prefix: string, from: number, to: number): string[] {
  const out = [prefix.replace(/\.$/, '')];
  for (let i = from; i <= to; i++) out.push(`${prefix}${i}`);
  return out;
}

export const BUSYBOX_APPLETS = [
  'sh',
  'ash',
  'echo',
  'sleep',
  'cat',
  'env',
  'printenv',
  'hostname',
  'ls',
  'true',
  'false',
  'wget',
  'nslookup',
  'nc',
  'ping',
  'date',
  'id',
  'whoami',
  'grep',
  'head',
  'tail',
  'wc',
  'ps',
  'top',
  'mkdir',
  'touch',
  'rm',
  'cp',
  'mv',
  'sed',
  'awk',
  'tr',
  'uname',
  'df',
  'du',
  'free',
  'ip',
  'ifconfig',
  'netstat',
  'traceroute',
  'telnet',
  'vi',
  'tee',
  'sort',
  'uniq',
  'test',
  '[',
  'kill',
];
export const DEBIAN_BASE = [
  'sh',
  'bash',
  'dash',
  'echo',
  'sleep',
  'cat',
  'env',
  'printenv',
  'hostname',
  'ls',
  'true',
  'false',
  'date',
  'id',
  'whoami',
  'grep',
  'head',
  'tail',
  'wc',
  'mkdir',
  'touch',
  'rm',
  'cp',
  'mv',
  'sed',
  'awk',
  'tr',
  'uname',
  'df',
  'du',
  'tee',
  'sort',
  'uniq',
  'test',
  '[',
  'kill',
];

export const nginxVersions = [
  ...range('1.25.', 0, 5),
  ...range('1.26.', 0, 3),
  ...range('1.27.', 0, 5),
  ...range('1.28.', 0, 0),
  ...range('1.29.', 0, 1),
  '1',
];
export const busyboxVersions = [
  '1.34.1',
  '1.35',
  '1.35.0',
  '1.36',
  '1.36.0',
  '1.36.1',
  '1.37',
  '1.37.0',
  '1',
];
export const alpineVersions = [
  ...range('3.18.', 0, 12),
  ...range('3.19.', 0, 8),
  ...range('3.20.', 0, 6),
  ...range('3.21.', 0, 4),
  ...range('3.22.', 0, 1),
  '3',
];
export const httpdVersions = [...range('2.4.', 57, 65), '2'];
export const redisVersions = [
  ...range('6.2.', 14, 18),
  ...range('7.0.', 13, 15),
  ...range('7.2.', 4, 9),
  ...range('7.4.', 0, 4),
  ...range('8.0.', 0, 3),
  '6',
  '7',
  '8',
];
export const postgresVersions = [
  ...range('13.', 16, 21),
  ...range('14.', 13, 18),
  ...range('15.', 8, 13),
  ...range('16.', 4, 9),
  ...range('17.', 0, 5),
  '18',
  '18.0',
];
export const mysqlVersions = [
  ...range('8.0.', 36, 42),
  ...range('8.4.', 0, 5),
  ...range('9.0.', 0, 1),
  ...range('9.1.', 0, 0),
  '8',
  '9',
];
export const pythonVersions = [
  ...range('3.9.', 18, 23),
  ...range('3.10.', 13, 18),
  ...range('3.11.', 9, 13),
  ...range('3.12.', 0, 11),
  ...range('3.13.', 0, 5),
  '3.14',
  '3',
];
