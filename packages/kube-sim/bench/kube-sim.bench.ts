// kube-sim benchmark (a script, not a test): 5,000 pods in 50 namespaces on 500 nodes,
// measured over HTTPS like a client: list one namespace, list all pods, 50 watchers
// receiving a burst of 1,000 updates, and the server's resident memory.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const agent = new Agent({ keepAlive: true, maxSockets: 64, rejectUnauthorized: false });

function call(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: string,
  contentType?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      {
        method,
        agent,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          ...(contentType ? { 'Content-Type': contentType } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function timed(times: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await fn();
    out.push(performance.now() - start);
  }
  return out;
}

const server = spawn(
  process.execPath,
  [
    ...(process.env['BENCH_CPU_PROF']
      ? ['--cpu-prof', '--cpu-prof-dir', process.env['BENCH_CPU_PROF']]
      : []),
    '--import',
    'tsx',
    fileURLToPath(new URL('./seed-server.ts', import.meta.url)),
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const seedStart = performance.now();
const firstLine = new Promise<string>((resolve, reject) => {
  createInterface({ input: server.stdout! }).once('line', resolve);
  server.once('exit', (code) =>
    reject(new Error(`the kube-sim child exited with ${code} before it was ready`)),
  );
});
const { url, token } = JSON.parse(await firstLine) as { url: string; token: string };
console.log(
  `seeded 5,000 pods / 50 namespaces / 500 nodes in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
);

try {
  const oneNs = await timed(200, async () => {
    const r = await call(url, token, 'GET', '/api/v1/namespaces/ns-7/pods');
    if (r.status !== 200 || !r.text.includes('"pod-7"'))
      throw new Error(`list failed: ${r.status}`);
  });
  const all = await timed(30, async () => {
    const r = await call(url, token, 'GET', '/api/v1/pods');
    if (r.status !== 200) throw new Error(`list failed: ${r.status}`);
  });
  const allItems = (
    JSON.parse((await call(url, token, 'GET', '/api/v1/pods')).text) as { items: unknown[] }
  ).items.length;
  if (allItems !== 5000) throw new Error(`expected 5000 pods, listed ${allItems}`);

  // 50 watchers on all pods from the current resourceVersion.
  const rv = (
    JSON.parse((await call(url, token, 'GET', '/api/v1/namespaces/ns-0/pods?limit=1')).text) as {
      metadata: { resourceVersion: string };
    }
  ).metadata.resourceVersion;
  const latencies: number[] = [];
  const WATCHERS = 50;
  const UPDATES = 1000;
  /** Concurrent PATCH requests: a burst from a few busy controllers, not a queue of thousands. */
  const PATCHERS = 4;
  let ready = 0;
  const watchers = Array.from(
    { length: WATCHERS },
    () =>
      new Promise<void>((done, fail) => {
        let received = 0;
        const req = request(
          `${url}/api/v1/pods?watch=true&resourceVersion=${rv}`,
          {
            agent: new Agent({ rejectUnauthorized: false }),
            headers: { Authorization: `Bearer ${token}` },
          },
          (res) => {
            ready++;
            let buffered = '';
            res.setEncoding('utf8');
            res.on('end', () => {
              if (received < UPDATES)
                fail(new Error(`a watch ended after ${received} of ${UPDATES} events`));
            });
            res.on('data', (chunk: string) => {
              buffered += chunk;
              let nl: number;
              while ((nl = buffered.indexOf('\n')) >= 0) {
                const line = buffered.slice(0, nl);
                buffered = buffered.slice(nl + 1);
                const sent = /"bench\/sent":"([\d.]+)"/.exec(line);
                if (sent)
                  latencies.push(performance.timeOrigin + performance.now() - Number(sent[1]));
                if (++received === UPDATES) {
                  req.destroy();
                  done();
                }
              }
            });
          },
        );
        req.on('error', (error) => {
          if (received < UPDATES) fail(error);
        });
        req.end();
      }),
  );
  while (ready < WATCHERS) await new Promise((r) => setTimeout(r, 20));
  const burstStart = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: PATCHERS }, async () => {
      while (next < UPDATES) {
        const i = next++;
        const patch = JSON.stringify({
          metadata: {
            annotations: { 'bench/sent': String(performance.timeOrigin + performance.now()) },
          },
        });
        const r = await call(
          url,
          token,
          'PATCH',
          `/api/v1/namespaces/ns-${i % 50}/pods/pod-${i}`,
          patch,
          'application/merge-patch+json',
        );
        if (r.status !== 200) throw new Error(`patch failed: ${r.status} ${r.text}`);
      }
    }),
  );
  const burstMs = performance.now() - burstStart;
  await Promise.all(watchers);
  const rssKiB = Number(
    /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0,
  );

  const rows: [string, string, string, boolean][] = [
    [
      'list one namespace (100 pods), p50',
      `${percentile(oneNs, 50).toFixed(2)} ms`,
      '< 10 ms',
      percentile(oneNs, 50) < 10,
    ],
    [
      'list all pods (5,000), p50',
      `${percentile(all, 50).toFixed(1)} ms`,
      '< 250 ms',
      percentile(all, 50) < 250,
    ],
    [
      `watch delivery, ${WATCHERS} watchers × ${UPDATES} updates, p99`,
      `${percentile(latencies, 99).toFixed(1)} ms`,
      '< 100 ms',
      percentile(latencies, 99) < 100,
    ],
    [
      'server resident memory',
      `${(rssKiB / 1024).toFixed(0)} MiB`,
      '< 1024 MiB',
      rssKiB < 1024 * 1024,
    ],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`\n${'measure'.padEnd(width)}  ${'result'.padStart(10)}  ${'target'.padEnd(10)}  ok`);
  for (const [name, value, target, ok] of rows)
    console.log(
      `${name.padEnd(width)}  ${value.padStart(10)}  ${target.padEnd(10)}  ${ok ? 'yes' : 'NO'}`,
    );
  console.log(
    `\n(watch p50 ${percentile(latencies, 50).toFixed(1)} ms over ${latencies.length} deliveries; burst of ${UPDATES} PATCHes took ${burstMs.toFixed(0)} ms; list one ns p99 ${percentile(oneNs, 99).toFixed(2)} ms; list all p99 ${percentile(all, 99).toFixed(1)} ms)`,
  );
} finally {
  server.kill('SIGTERM');
  agent.destroy();
}
