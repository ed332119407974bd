import { defineConfig } from 'vitest/config';

// The end-to-end suite starts whole stacks of processes: files run one at a time so two
// stacks never compete for the machine's two cores.
export default defineConfig({
  test: { fileParallelism: false, testTimeout: 120_000, hookTimeout: 180_000 },
});
