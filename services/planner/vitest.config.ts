import { defineConfig } from 'vitest/config';

// The full scenario sweep (test/sweep) runs with `npm run scenarios`, not in the default run.
export default defineConfig({
  test: { exclude: ['**/node_modules/**', 'test/sweep/**'] },
});
