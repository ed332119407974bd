/**
 * Published tags of common Docker official images, 2019–2025, as a data table: each release
 * line with its patch range and the variants published for it (Debian codenames in their
 * era, -slim, -alpine and -alpineX.Y, …), plus the floating aliases. A tag outside this
 * table was never published, and pulling it fails with NotFound as on a real node. The
 * ranges follow the upstream release histories; where a line's variants changed over its
 * life the union is listed (a little generous rather than refusing a real tag).
 */

/** One release line: `minor` plus `minor.from` … `minor.to` (to < from: no patch tags). */
type Line = [minor: string, from: number, to: number, variants: string[]];

const alpines = (from: number, to: number): string[] => {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(`alpine3.${i}`);
  return out;
};

/** Variant suffixes: '' is the plain tag; others are joined with '-'. */
function expand(lines: Line[], majors: string[], aliases: string[]): Set<string> {
  const tags = new Set<string>(aliases);
  const add = (version: string, variants: string[]) => {
    for (const v of ['', ...variants]) tags.add(v === '' ? version : `${version}-${v}`);
  };
  for (const [minor, from, to, variants] of lines) {
    add(minor, variants);
    for (let p = from; p <= to; p++) add(`${minor}.${p}`, variants);
    const major = minor.split('.')[0]!;
    if (majors.includes(major)) add(major, variants);
  }
  return tags;
}

/** Debian-based variants for the codenames of an era, with slim as `slim-X` or `X-slim`. */
function debianVariants(codenames: string[], slim: 'slim-first' | 'slim-last' | 'none'): string[] {
  const out = slim === 'none' ? [] : ['slim'];
  for (const c of codenames) {
    out.push(c);
    if (slim === 'slim-first') out.push(`slim-${c}`);
    if (slim === 'slim-last') out.push(`${c}-slim`);
  }
  return out;
}

const nginx = (codenames: string[], slimAlpine: boolean, alpine: string[]): string[] => [
  'alpine',
  'perl',
  'alpine-perl',
  ...(slimAlpine ? ['alpine-slim'] : []),
  ...codenames,
  ...codenames.map((c) => `${c}-perl`),
  ...alpine,
  ...alpine.map((a) => `${a}-perl`),
  ...(slimAlpine ? alpine.map((a) => `${a}-slim`) : []),
];

const python = (codenames: string[], alpine: [number, number]): string[] => [
  ...debianVariants(codenames, 'slim-first'),
  'alpine',
  ...alpines(...alpine),
];

const node = (codenames: string[], alpine: [number, number]): string[] => [
  ...debianVariants(codenames, 'slim-last'),
  'alpine',
  ...alpines(...alpine),
];

const golang = (codenames: string[], alpine: [number, number]): string[] => [
  ...codenames,
  'alpine',
  ...alpines(...alpine),
];

const withAlpine = (codenames: string[], alpine: [number, number]): string[] => [
  ...codenames,
  'alpine',
  ...alpines(...alpine),
];

const nodeLines = (major: number, minors: number, patches: number, v: string[]): Line[] =>
  Array.from({ length: minors + 1 }, (_, m) => [`${major}.${m}`, 0, patches, v] as Line);

const codenamesOf = (...names: string[]) => names;

export const OFFICIAL_TAGS: Record<string, Set<string>> = {
  nginx: expand(
    [
      ['1.16', 0, 1, nginx([], false, alpines(9, 11))],
      ['1.17', 0, 10, nginx([], false, alpines(10, 11))],
      ['1.18', 0, 0, nginx([], false, alpines(11, 13))],
      ['1.19', 0, 10, nginx([], false, alpines(11, 13))],
      ['1.20', 0, 2, nginx(['bullseye'], false, alpines(13, 14))],
      ['1.21', 0, 6, nginx(['bullseye'], false, alpines(14, 15))],
      ['1.22', 0, 1, nginx(['bullseye'], false, alpines(15, 16))],
      ['1.23', 0, 4, nginx(['bullseye'], true, alpines(16, 17))],
      ['1.24', 0, 0, nginx(['bullseye'], true, alpines(17, 17))],
      ['1.25', 0, 5, nginx(['bullseye', 'bookworm'], true, alpines(17, 18))],
      ['1.26', 0, 3, nginx(['bookworm'], true, alpines(19, 20))],
      ['1.27', 0, 5, nginx(['bookworm'], true, alpines(19, 21))],
      ['1.28', 0, 0, nginx(['bookworm', 'trixie'], true, alpines(21, 22))],
      ['1.29', 0, 3, nginx(['bookworm', 'trixie'], true, alpines(21, 22))],
    ],
    ['1'],
    [
      'latest',
      'stable',
      'mainline',
      'alpine',
      'alpine-slim',
      'perl',
      'alpine-perl',
      'bookworm',
      'bookworm-perl',
      'trixie',
      'trixie-perl',
      'stable-alpine',
      'stable-perl',
      'stable-alpine-perl',
      'stable-alpine-slim',
      'stable-bookworm',
      'mainline-alpine',
      'mainline-perl',
      'mainline-alpine-perl',
      'mainline-alpine-slim',
      'mainline-bookworm',
      'mainline-trixie',
    ],
  ),
  httpd: expand(
    [['2.4', 38, 65, withAlpine(['buster', 'bullseye', 'bookworm', 'trixie'], [10, 22])]],
    ['2'],
    ['latest', 'alpine', 'buster', 'bullseye', 'bookworm', 'trixie'],
  ),
  busybox: expand(
    [
      ['1.31', 0, 1, ['glibc', 'musl', 'uclibc']],
      ['1.32', 0, 1, ['glibc', 'musl', 'uclibc']],
      ['1.33', 0, 1, ['glibc', 'musl', 'uclibc']],
      ['1.34', 0, 1, ['glibc', 'musl', 'uclibc']],
      ['1.35', 0, 0, ['glibc', 'musl', 'uclibc']],
      ['1.36', 0, 1, ['glibc', 'musl', 'uclibc']],
      ['1.37', 0, 0, ['glibc', 'musl', 'uclibc']],
    ],
    ['1'],
    [
      'latest',
      'stable',
      'unstable',
      'glibc',
      'musl',
      'uclibc',
      'stable-glibc',
      'stable-musl',
      'stable-uclibc',
    ],
  ),
  alpine: expand(
    [
      ['3.10', 0, 9, []],
      ['3.11', 0, 13, []],
      ['3.12', 0, 12, []],
      ['3.13', 0, 12, []],
      ['3.14', 0, 10, []],
      ['3.15', 0, 11, []],
      ['3.16', 0, 9, []],
      ['3.17', 0, 10, []],
      ['3.18', 0, 12, []],
      ['3.19', 0, 8, []],
      ['3.20', 0, 8, []],
      ['3.21', 0, 5, []],
      ['3.22', 0, 2, []],
    ],
    ['3'],
    ['latest', 'edge'],
  ),
  debian: expand(
    [
      ['9', 1, 13, ['slim']],
      ['10', 0, 13, ['slim']],
      ['11', 0, 11, ['slim']],
      ['12', 0, 12, ['slim']],
      ['13', 0, 2, ['slim']],
    ],
    [],
    [
      'latest',
      'stretch',
      'stretch-slim',
      'buster',
      'buster-slim',
      'bullseye',
      'bullseye-slim',
      'bookworm',
      'bookworm-slim',
      'trixie',
      'trixie-slim',
      'forky',
      'forky-slim',
      'stable',
      'stable-slim',
      'oldstable',
      'oldstable-slim',
      'testing',
      'testing-slim',
      'unstable',
      'unstable-slim',
      'sid',
      'sid-slim',
      'experimental',
      'rc-buggy',
      'bookworm-backports',
      'bullseye-backports',
      'trixie-backports',
    ],
  ),
  ubuntu: new Set([
    'latest',
    'rolling',
    'devel',
    '16.04',
    '18.04',
    '20.04',
    '20.10',
    '21.04',
    '21.10',
    '22.04',
    '22.10',
    '23.04',
    '23.10',
    '24.04',
    '24.10',
    '25.04',
    '25.10',
    'xenial',
    'bionic',
    'focal',
    'groovy',
    'hirsute',
    'impish',
    'jammy',
    'kinetic',
    'lunar',
    'mantic',
    'noble',
    'oracular',
    'plucky',
    'questing',
  ]),
  python: expand(
    [
      ['3.6', 0, 15, python(['stretch', 'buster', 'bullseye'], [9, 15])],
      ['3.7', 0, 17, python(['stretch', 'buster', 'bullseye', 'bookworm'], [10, 18])],
      ['3.8', 0, 20, python(['buster', 'bullseye', 'bookworm'], [10, 20])],
      ['3.9', 0, 24, python(['buster', 'bullseye', 'bookworm', 'trixie'], [12, 22])],
      ['3.10', 0, 19, python(['buster', 'bullseye', 'bookworm', 'trixie'], [14, 22])],
      ['3.11', 0, 14, python(['buster', 'bullseye', 'bookworm', 'trixie'], [16, 22])],
      ['3.12', 0, 12, python(['bullseye', 'bookworm', 'trixie'], [17, 22])],
      ['3.13', 0, 9, python(['bullseye', 'bookworm', 'trixie'], [19, 22])],
      ['3.14', 0, 2, python(['bookworm', 'trixie'], [21, 22])],
    ],
    ['3'],
    [
      'latest',
      'slim',
      'alpine',
      'buster',
      'bullseye',
      'bookworm',
      'trixie',
      'slim-buster',
      'slim-bullseye',
      'slim-bookworm',
      'slim-trixie',
    ],
  ),
  node: expand(
    [
      ...nodeLines(12, 22, 12, node(['stretch', 'buster', 'bullseye'], [9, 15])),
      ...nodeLines(14, 21, 12, node(['stretch', 'buster', 'bullseye'], [10, 17])),
      ...nodeLines(16, 20, 12, node(['stretch', 'buster', 'bullseye', 'bookworm'], [11, 18])),
      ...nodeLines(18, 20, 12, node(['buster', 'bullseye', 'bookworm'], [15, 21])),
      ...nodeLines(19, 9, 12, node(['buster', 'bullseye'], [16, 17])),
      ...nodeLines(20, 19, 12, node(['buster', 'bullseye', 'bookworm', 'trixie'], [16, 22])),
      ...nodeLines(21, 7, 12, node(['bullseye', 'bookworm'], [18, 20])),
      ...nodeLines(22, 21, 12, node(['bullseye', 'bookworm', 'trixie'], [19, 22])),
      ...nodeLines(23, 11, 12, node(['bullseye', 'bookworm'], [20, 21])),
      ...nodeLines(24, 11, 12, node(['bullseye', 'bookworm', 'trixie'], [21, 22])),
      ...nodeLines(25, 2, 12, node(['bookworm', 'trixie'], [21, 22])),
    ],
    ['12', '14', '16', '18', '19', '20', '21', '22', '23', '24', '25'],
    [
      'latest',
      'lts',
      'current',
      'slim',
      'alpine',
      'lts-slim',
      'lts-alpine',
      'current-slim',
      'current-alpine',
      'bullseye',
      'bookworm',
      'trixie',
      'bullseye-slim',
      'bookworm-slim',
      'trixie-slim',
      'lts-bookworm',
      'lts-bullseye',
      'lts-trixie',
      ...codenamesOf('erbium', 'fermium', 'gallium', 'hydrogen', 'iron', 'jod', 'krypton').flatMap(
        (c) => [c, `${c}-slim`, `${c}-alpine`, `${c}-bookworm`, `${c}-bullseye`],
      ),
    ],
  ),
  golang: expand(
    [
      ['1.14', 0, 15, golang(['stretch', 'buster'], [11, 13])],
      ['1.15', 0, 15, golang(['stretch', 'buster'], [12, 14])],
      ['1.16', 0, 15, golang(['stretch', 'buster', 'bullseye'], [12, 15])],
      ['1.17', 0, 13, golang(['buster', 'bullseye'], [14, 16])],
      ['1.18', 0, 10, golang(['buster', 'bullseye'], [15, 17])],
      ['1.19', 0, 13, golang(['buster', 'bullseye'], [16, 18])],
      ['1.20', 0, 14, golang(['buster', 'bullseye', 'bookworm'], [16, 19])],
      ['1.21', 0, 13, golang(['bullseye', 'bookworm'], [17, 20])],
      ['1.22', 0, 12, golang(['bullseye', 'bookworm'], [18, 21])],
      ['1.23', 0, 12, golang(['bullseye', 'bookworm'], [19, 22])],
      ['1.24', 0, 9, golang(['bookworm', 'trixie'], [20, 22])],
      ['1.25', 0, 4, golang(['bookworm', 'trixie'], [21, 22])],
    ],
    ['1'],
    ['latest', 'alpine', 'bullseye', 'bookworm', 'trixie'],
  ),
  redis: expand(
    [
      ['5.0', 0, 14, withAlpine(['buster'], [10, 17])],
      ['6.0', 0, 20, withAlpine(['buster', 'bullseye'], [12, 17])],
      ['6.2', 0, 20, withAlpine(['buster', 'bullseye', 'bookworm'], [13, 21])],
      ['7.0', 0, 15, withAlpine(['bullseye', 'bookworm'], [15, 20])],
      ['7.2', 0, 11, withAlpine(['bookworm'], [18, 22])],
      ['7.4', 0, 6, withAlpine(['bookworm'], [20, 22])],
      ['8.0', 0, 4, withAlpine(['bookworm'], [21, 22])],
      ['8.2', 0, 3, withAlpine(['bookworm', 'trixie'], [22, 22])],
    ],
    ['5', '6', '7', '8'],
    ['latest', 'alpine', 'bookworm', 'trixie'],
  ),
  postgres: expand(
    [
      ['9.6', 0, 24, withAlpine(['stretch', 'buster', 'bullseye'], [10, 15])],
      ['10', 0, 23, withAlpine(['stretch', 'buster', 'bullseye'], [10, 16])],
      ['11', 0, 22, withAlpine(['stretch', 'buster', 'bullseye', 'bookworm'], [10, 20])],
      ['12', 0, 22, withAlpine(['buster', 'bullseye', 'bookworm'], [11, 21])],
      ['13', 0, 22, withAlpine(['buster', 'bullseye', 'bookworm', 'trixie'], [12, 22])],
      ['14', 0, 19, withAlpine(['bullseye', 'bookworm', 'trixie'], [14, 22])],
      ['15', 0, 14, withAlpine(['bullseye', 'bookworm', 'trixie'], [16, 22])],
      ['16', 0, 10, withAlpine(['bullseye', 'bookworm', 'trixie'], [18, 22])],
      ['17', 0, 6, withAlpine(['bullseye', 'bookworm', 'trixie'], [20, 22])],
      ['18', 0, 1, withAlpine(['bookworm', 'trixie'], [21, 22])],
    ],
    [],
    ['latest', 'alpine', 'bullseye', 'bookworm', 'trixie'],
  ),
  mysql: expand(
    [
      ['5.7', 4, 44, ['debian', 'oracle', 'oraclelinux7']],
      ['8.0', 0, 43, ['debian', 'oracle', 'oraclelinux8', 'oraclelinux9', 'bookworm']],
      ['8.1', 0, 0, ['oracle', 'oraclelinux8']],
      ['8.2', 0, 0, ['oracle', 'oraclelinux8']],
      ['8.3', 0, 0, ['oracle', 'oraclelinux8']],
      ['8.4', 0, 7, ['oracle', 'oraclelinux8', 'oraclelinux9']],
      ['9.0', 0, 1, ['oracle', 'oraclelinux9']],
      ['9.1', 0, 0, ['oracle', 'oraclelinux9']],
      ['9.2', 0, 0, ['oracle', 'oraclelinux9']],
      ['9.3', 0, 0, ['oracle', 'oraclelinux9']],
      ['9.4', 0, 0, ['oracle', 'oraclelinux9']],
      ['9.5', 0, 0, ['oracle', 'oraclelinux9']],
    ],
    ['5', '8', '9'],
    ['latest', 'lts', 'innovation', 'oracle', 'debian', 'lts-oracle', 'innovation-oracle'],
  ),
  mongo: expand(
    [
      ['4.0', 0, 28, ['xenial', 'bionic']],
      ['4.2', 0, 25, ['bionic']],
      ['4.4', 0, 29, ['bionic', 'focal']],
      ['5.0', 0, 31, ['focal']],
      ['6.0', 0, 26, ['focal', 'jammy']],
      ['7.0', 0, 25, ['jammy']],
      ['8.0', 0, 15, ['jammy', 'noble']],
      ['8.2', 0, 2, ['noble']],
    ],
    ['4', '5', '6', '7', '8'],
    ['latest', 'jammy', 'noble'],
  ),
};
