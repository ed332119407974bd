import { defineConfig } from 'vitest/config';

// Every test spawns the real `opsloop` (node + tsx) or nats-server; on 2 shared cores under
// turbo a spawn can take seconds, so the default 5 s test timeout is too short, and the
// files run one at a time so they do not starve each other.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
