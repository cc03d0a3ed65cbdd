import { defineConfig } from "@playwright/test";
import { e2eTls, stackPorts } from "./e2e/stack-ports";

// Specs run against the whole stack behind nginx, over HTTPS with the trial
// certificate, started by e2e/start-stack.ts on a fresh database; its ports
// derive from E2E_PORT. E2E_BASE_URL points them at a stack that is already
// running instead (for example `npm start` on another port); nothing is
// started then.
const externalBaseUrl = process.env.E2E_BASE_URL;
const baseURL = externalBaseUrl || `${e2eTls() ? "https" : "http"}://127.0.0.1:${stackPorts().front}`;

const chromium = {
  // Debian's chromium: Playwright cannot download its own browsers here (TOOLCHAIN.md).
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
  ],
};

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  // Two cores are shared with PostgreSQL, Redis and Next.js.
  workers: 2,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  use: {
    baseURL,
    // The self-signed trial certificate; request.newContext() inherits this too.
    ignoreHTTPSErrors: true,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "api", testDir: "e2e/api" },
    {
      name: "ui",
      testDir: "e2e/ui",
      use: {
        browserName: "chromium",
        launchOptions: chromium,
        viewport: { width: 1280, height: 800 },
        locale: "en-GB",
        timezoneId: "UTC",
      },
    },
  ],
  webServer: externalBaseUrl
    ? undefined
    : {
        command: "node_modules/.bin/tsx e2e/start-stack.ts",
        // Through nginx: ready once it reaches web (a 502 is not ready).
        url: `${baseURL}/api/health`,
        ignoreHTTPSErrors: true,
        // The launcher runs `next build` when the sources changed: minutes on two cores.
        timeout: 300_000,
        reuseExistingServer: !process.env.CI,
        gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
        stdout: "pipe",
        stderr: "pipe",
      },
});
