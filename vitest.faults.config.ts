import { defineConfig } from "vitest/config";

/**
 * `npm run test:faults`: the heavy reliability suites (crash safety, partitions, bad input,
 * malicious peers). One file at a time: they start real node processes and time matters on two
 * cores. Every wait inside is a polled condition with its own deadline; the timeouts here only
 * stop a hang.
 */
export default defineConfig({
  test: {
    include: ["test/faults/**/*.test.ts"],
    setupFiles: ["./src/util/polyfill.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 180_000,
  },
});
