import { readFileSync, writeFileSync } from 'node:fs';
import { HashChainBrokenError, verifyChain } from '@opsloop/eventlog';
import { UsageError } from '../client/config.ts';
import { EXIT, print, type CommandSpec } from './command.ts';
import { openLog } from './nats-access.ts';

const NATS_OPTIONS = {
  nats: { type: 'string' as const },
  'data-dir': { type: 'string' as const },
  json: { type: 'boolean' as const, default: false },
  help: { type: 'boolean' as const, short: 'h', default: false },
};
const NATS_HELP = [
  '--nats URL       NATS server [env NATS_URL; default the embedded nats://127.0.0.1:4333, or a temporary server on .opsloop/nats]',
  "--data-dir DIR   the embedded default's data directory (default .opsloop)",
  '--json           print JSON for scripts',
];

interface Raw {
  id: string;
  type: string;
  opId: string;
  occurredAt: string;
  actor: { kind: string; id: string };
  causationId: string | null;
  payload: Record<string, unknown>;
}

export const replay: CommandSpec = {
  name: 'replay',
  usage: 'replay <id> [--json]',
  summary:
    'The full ordered timeline of an operation (who, what, when, caused by), rebuilt from the JetStream stream alone; works with every service stopped. Also checks the hash chain.',
  options: NATS_OPTIONS,
  optionHelp: NATS_HELP,
  async run(v, positionals) {
    const id = positionals[0];
    if (!id) throw new UsageError('name the operation: opsloop replay <id>');
    const access = await openLog({
      nats: v.nats as string | undefined,
      dataDir: v['data-dir'] as string | undefined,
    });
    try {
      const raw = (await access.log.readRaw(id)) as Raw[];
      if (raw.length === 0) {
        process.stderr.write(`opsloop replay: no operation ${id} in the stream (${access.via})\n`);
        return EXIT.refused;
      }
      let chain: { ok: boolean; message: string };
      try {
        const head = verifyChain(raw);
        chain = {
          ok: true,
          message: `hash chain intact: ${head.length} events, head ${head.headHash?.slice(0, 12)}`,
        };
      } catch (error) {
        chain = { ok: false, message: (error as Error).message };
      }
      const typeOf = new Map(raw.map((e) => [e.id, e.type]));
      print(v.json === true, { opId: id, chain, events: raw }, () =>
        [
          `operation ${id} — ${raw.length} events (from ${access.via})`,
          ...raw.map((e, i) => {
            const cause = e.causationId
              ? ` ← ${typeOf.get(e.causationId) ?? e.causationId.slice(0, 12)}`
              : '';
            return `${String(i + 1).padStart(3)}  ${e.occurredAt}  ${`${e.actor.kind}:${e.actor.id}`.padEnd(22)} ${e.type}${cause}`;
          }),
          chain.ok ? chain.message : `HASH CHAIN BROKEN: ${chain.message}`,
        ].join('\n'),
      );
      return chain.ok ? EXIT.ok : EXIT.failed;
    } finally {
      await access.close();
    }
  },
};

export const audit: CommandSpec = {
  name: 'audit',
  usage: 'audit export [--since T] [-n NS] --out FILE | audit verify FILE',
  summary:
    "export: every event of the operations (optionally since a time, in a namespace) as NDJSON, one stored envelope per line with its hash chain. verify: exit 0 when every operation's chain in FILE is intact; otherwise name the first modified, missing, inserted or reordered event.",
  options: {
    ...NATS_OPTIONS,
    since: { type: 'string' },
    namespace: { type: 'string', short: 'n' },
    out: { type: 'string' },
  },
  optionHelp: [
    '--since T        export operations requested at or after T (ISO time)',
    '-n NAMESPACE     export operations about this namespace',
    '--out FILE       where to write the NDJSON (export)',
    ...NATS_HELP,
  ],
  async run(v, positionals) {
    const [sub, file] = positionals;
    if (sub === 'verify') return verifyFile(file, v.json === true);
    if (sub !== 'export')
      throw new UsageError('use `opsloop audit export --out FILE` or `opsloop audit verify FILE`');
    if (!v.out) throw new UsageError('say where: opsloop audit export --out FILE');
    const since = v.since === undefined ? undefined : Date.parse(String(v.since));
    if (since !== undefined && Number.isNaN(since))
      throw new UsageError(
        `--since ${String(v.since)} is not a time (use ISO, e.g. 2026-12-01T00:00:00Z)`,
      );
    const access = await openLog({
      nats: v.nats as string | undefined,
      dataDir: v['data-dir'] as string | undefined,
    });
    try {
      const ops: string[] = [];
      await access.log.replayAll(
        (event) => {
          if (event.type !== 'OperationRequested') return;
          if (since !== undefined && Date.parse(event.occurredAt) < since) return;
          if (v.namespace && event.payload.namespace !== v.namespace) return;
          ops.push(event.opId);
        },
        { onInvalid: () => undefined },
      );
      const lines: string[] = [];
      for (const opId of ops)
        for (const e of await access.log.readRaw(opId)) lines.push(JSON.stringify(e));
      writeFileSync(String(v.out), lines.length ? `${lines.join('\n')}\n` : '');
      print(
        v.json === true,
        { operations: ops.length, events: lines.length, file: v.out },
        () => `exported ${lines.length} events of ${ops.length} operations to ${String(v.out)}`,
      );
      return EXIT.ok;
    } finally {
      await access.close();
    }
  },
};

function verifyFile(file: string | undefined, json: boolean): number {
  if (!file) throw new UsageError('name the file: opsloop audit verify FILE');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const byOp = new Map<string, { line: number; event: unknown }[]>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      return report(json, false, `line ${i + 1} is not JSON: the file was modified`, file);
    }
    const opId = (event as { opId?: unknown })?.opId;
    if (typeof opId !== 'string')
      return report(json, false, `line ${i + 1} is not an event envelope (no opId)`, file);
    const list = byOp.get(opId) ?? [];
    list.push({ line: i + 1, event });
    byOp.set(opId, list);
  }
  let events = 0;
  for (const [opId, entries] of byOp) {
    try {
      events += verifyChain(entries.map((e) => e.event)).length;
    } catch (error) {
      if (!(error instanceof HashChainBrokenError)) throw error;
      const at = entries[error.position - 1];
      return report(
        json,
        false,
        `operation ${opId}, line ${at?.line ?? '?'}: ${error.message}`,
        file,
      );
    }
  }
  return report(
    json,
    true,
    `${events} events of ${byOp.size} operations: every hash chain is intact`,
    file,
  );
}

function report(json: boolean, ok: boolean, message: string, file: string): number {
  print(json, { ok, file, message }, () => (ok ? message : `BROKEN: ${message}`));
  return ok ? EXIT.ok : EXIT.failed;
}
