import { resolveTarget, saveLogin, UsageError } from '../client/config.ts';
import { GatewayClient } from '../client/http.ts';
import { CLIENT_HELP, CLIENT_OPTIONS, EXIT, print, type CommandSpec } from './command.ts';
import { formatOperation, formatTable, type Projection } from './format.ts';
import { followOperation, isSettled } from './follow.ts';

const client = (v: Record<string, unknown>) =>
  new GatewayClient(
    resolveTarget({
      server: v.server as string | undefined,
      token: v.token as string | undefined,
      as: v.as as string | undefined,
    }),
  );

const exitFor = (op: Projection) =>
  ['failed', 'rejected', 'invalidated'].includes(String(op.status)) ? EXIT.failed : EXIT.ok;

export const ask: CommandSpec = {
  name: 'ask',
  usage: 'ask "<request>" [-n NAMESPACE] [--wait]',
  summary:
    'Ask Opsloop in plain language. Prints the operation id; with --wait, follows it until a plan is proposed or an answer given, and prints the diagnosis, each step with its risk and diff, and the planHash.',
  options: {
    ...CLIENT_OPTIONS,
    namespace: { type: 'string', short: 'n' },
    wait: { type: 'boolean', default: false },
  },
  optionHelp: [
    '-n, --namespace NS   the namespace the request is about',
    '--wait               follow until planned or answered',
    ...CLIENT_HELP,
  ],
  async run(v, positionals) {
    const request = positionals.join(' ').trim();
    if (!request)
      throw new UsageError(
        'say what you want, e.g. opsloop ask "why are the backend pods Pending?" -n backend',
      );
    const api = client(v);
    const body: Record<string, string> = { request };
    if (v.namespace) body.namespace = String(v.namespace);
    const created = await api.request<{ id: string; status: string }>(
      'POST',
      '/api/v1/operations',
      body,
    );
    if (!v.wait) {
      print(v.json === true, created, () => created.id);
      return EXIT.ok;
    }
    const op = await followOperation(api, created.id, { until: 'decided', quiet: v.json === true });
    print(v.json === true, op, () => formatOperation(op));
    return exitFor(op);
  },
};

async function decide(
  v: Record<string, unknown>,
  positionals: string[],
  decision: 'approve' | 'reject',
) {
  const id = positionals[0];
  if (!id) throw new UsageError(`name the operation: opsloop ${decision} <id>`);
  if (decision === 'reject' && !v.comment)
    throw new UsageError('say why: opsloop reject <id> --comment "..."');
  const api = client(v);
  // The decision names the planHash of the plan shown here, so a plan that changed since is refused (409).
  const op = await api.request<Projection>('GET', `/api/v1/operations/${id}`);
  const planHash = op.plan?.planHash;
  if (!planHash)
    throw new UsageError(`operation ${id} has no plan to ${decision} (status ${op.status})`);
  if (!v.json)
    process.stderr.write(
      `${formatOperation(op)}\n\n${decision === 'approve' ? 'approving' : 'rejecting'} plan ${planHash}\n`,
    );
  const body: Record<string, string> = { decision, planHash };
  if (v.comment) body.comment = String(v.comment);
  const result = await api.request<Projection>('POST', `/api/v1/operations/${id}/approval`, body);
  print(
    v.json === true,
    result,
    () =>
      `${decision === 'approve' ? 'approved' : 'rejected'}: ${id} is now ${result.status ?? ''}`,
  );
  return EXIT.ok;
}

export const approve: CommandSpec = {
  name: 'approve',
  usage: 'approve <id> [--comment C]',
  summary: 'Approve the plan of an operation exactly as shown (the approval carries its planHash).',
  options: { ...CLIENT_OPTIONS, comment: { type: 'string' } },
  optionHelp: ['--comment C   a note kept with the approval', ...CLIENT_HELP],
  run: (v, p) => decide(v, p, 'approve'),
};

export const reject: CommandSpec = {
  name: 'reject',
  usage: 'reject <id> --comment C',
  summary: 'Reject the plan of an operation, saying why.',
  options: { ...CLIENT_OPTIONS, comment: { type: 'string' } },
  optionHelp: ['--comment C   why (required)', ...CLIENT_HELP],
  run: (v, p) => decide(v, p, 'reject'),
};

export const watch: CommandSpec = {
  name: 'watch',
  usage: 'watch <id>',
  summary:
    'Follow an operation live until it ends (a spinner on a terminal, plain lines otherwise).',
  options: { ...CLIENT_OPTIONS },
  optionHelp: CLIENT_HELP,
  async run(v, positionals) {
    const id = positionals[0];
    if (!id) throw new UsageError('name the operation: opsloop watch <id>');
    const op = await followOperation(client(v), id, { until: 'ended', quiet: v.json === true });
    print(v.json === true, op, () => formatOperation(op));
    return isSettled(op, 'ended') ? exitFor(op) : EXIT.failed;
  },
};

export const ops: CommandSpec = {
  name: 'ops',
  usage: 'ops [--status S] [-n NAMESPACE] [--limit N]',
  summary: 'List the operations you may see, newest first.',
  options: {
    ...CLIENT_OPTIONS,
    status: { type: 'string' },
    namespace: { type: 'string', short: 'n' },
    limit: { type: 'string', default: '20' },
  },
  optionHelp: [
    '--status S      only this status (e.g. awaiting_approval)',
    '-n NAMESPACE    only this namespace',
    '--limit N       at most N (default 20)',
    ...CLIENT_HELP,
  ],
  async run(v) {
    const query = new URLSearchParams();
    if (v.status) query.set('status', String(v.status));
    if (v.namespace) query.set('namespace', String(v.namespace));
    query.set('limit', String(v.limit));
    const page = await client(v).request<{ items?: Projection[]; operations?: Projection[] }>(
      'GET',
      `/api/v1/operations?${query}`,
    );
    const rows = page.items ?? page.operations ?? [];
    print(v.json === true, page, () => formatTable(rows));
    return EXIT.ok;
  },
};

export const login: CommandSpec = {
  name: 'login',
  usage: 'login --server URL --token T',
  summary:
    'Check a server and token, and keep them for later commands (~/.config/opsloop/login.json, mode 0600).',
  options: { ...CLIENT_OPTIONS },
  optionHelp: CLIENT_HELP,
  async run(v) {
    const api = client(v);
    const me = await api.request<Projection>('GET', '/api/v1/me');
    const path = saveLogin(api.target.server, api.target.token);
    print(
      v.json === true,
      { ...me, saved: path },
      () =>
        `signed in to ${api.target.server} as ${me.name} (${(me.roles ?? []).join(', ')}); saved to ${path}`,
    );
    return EXIT.ok;
  },
};
