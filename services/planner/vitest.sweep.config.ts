import { defineConfig } from 'vitest/config';

// `npm run scenarios`: every library scenario and the external set, through the planner.
export default defineConfig({
  test: { include: ['test/sweep/**/*.int.test.ts'] },
});
