import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules", "dist"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Two cores: integration suites each start their own nats-server; cap parallel files.
    maxWorkers: 2,
    globalSetup: ["test/harness/global-setup.ts"],
  },
});
