import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "scripts/**/*.test.ts", "web/**/*.test.ts"],
    // the heavy reliability suites run with `npm run test:faults` (vitest.faults.config.ts)
    exclude: ["**/node_modules/**", "test/faults/**"],
    setupFiles: ["./src/util/polyfill.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
