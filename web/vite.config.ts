import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The console is built into static files (web/dist) that the gateway serves: no CDN, no
// external fonts, so it works air-gapped. Relative asset URLs let it be served under any path.
export default defineConfig({
  plugins: [svelte()],
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  test: {
    include: ['test/**/*.test.ts'],
    // Browser tests start nats-server, kube-sim, the services and Chromium: one file at a time.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
