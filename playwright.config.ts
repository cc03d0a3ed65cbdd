import { defineConfig } from "@playwright/test";

// Specs run against the whole stack, started by e2e/start-stack.ts on a fresh
// database. E2E_BASE_URL points them at a stack that is already running
// instead (for example `npm run dev` on another port); nothing is started then.
const port = Number(process.env.E2E_PORT || 3100);
const externalBaseUrl = process.env.E2E_BASE_URL;
const baseURL = externalBaseUrl || `http://127.0.0.1:${port}`;

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
        url: `${baseURL}/api/health`,
        env: { PORT: String(port), HOST: "127.0.0.1" },
        // The launcher runs `next build` when the sources changed: minutes on two cores.
        timeout: 300_000,
        reuseExistingServer: !process.env.CI,
        gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
        stdout: "pipe",
        stderr: "pipe",
      },
});
