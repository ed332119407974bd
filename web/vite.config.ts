import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The console is built into static files (web/dist) that the gateway serves: no CDN, no
// external fonts, so it works air-gapped.
export default defineConfig({
  plugins: [svelte()],
  build: { outDir: 'dist', emptyOutDir: true },
});
