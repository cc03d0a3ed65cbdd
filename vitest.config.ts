import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: [
      "server/**/*.test.ts",
      "app/**/*.test.ts",
      "components/**/*.test.ts",
      "deploy/**/*.test.ts",
      "scripts/**/*.test.ts",
    ],
    globalSetup: ["server/testing/global-setup.ts"],
    setupFiles: ["server/testing/setup-database.ts"],
    // Each file runs on its own database (see setup-database.ts), so files run in parallel.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
