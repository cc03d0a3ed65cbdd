import { expect, type Page, test } from "@playwright/test";
import { type DemoUser, loginThroughForm, snap } from "../support";

// Every page runs under the Content-Security-Policy that proxy.ts sets, and
// the browser reports nothing blocked: the nonce reaches all of Next.js's
// scripts, the stylesheets are our own, and the realtime socket is allowed.
// A last test plants markup in a page to show the policy is really enforced.

// Each test walks through several pages on a machine the whole stack shares.
test.describe.configure({ timeout: 180_000 });

type Violation = { directive: string; blocked: string; sample: string };

/** Collects CSP violations as the browser reports them: the DOM event, and the console message. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content[- ]Security[- ]Policy/i.test(message.text())) {
      consoleErrors.push(message.text());
    }
  });
  await page.addInitScript(() => {
    const seen: Violation[] = [];
    (window as unknown as { __cspViolations: Violation[] }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (event) => {
      seen.push({ directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample });
    });
  });
  return async () => {
    const events = await page.evaluate(
      () => (window as unknown as { __cspViolations?: Violation[] }).__cspViolations ?? [],
    );
    return [...consoleErrors, ...events.map((v) => `${v.directive} blocked ${v.blocked} ${v.sample}`)];
  };
}

const pagesByUser: [DemoUser, RegExp, { path: string; ready: (page: Page) => Promise<void> }[]][] = [
  [
    "buyer",
    /\/purchasing$/,
    [
      { path: "/purchasing", ready: (p) => expect(p.getByRole("heading", { name: "Purchasing" })).toBeVisible() },
      {
        path: "/purchasing/orders",
        ready: (p) => expect(p.getByRole("heading", { name: "Purchase orders" }).first()).toBeVisible(),
      },
    ],
  ],
  [
    "operator",
    /\/floor$/,
    [{ path: "/floor", ready: (p) => expect(p.getByRole("heading", { level: 1 })).toBeVisible() }],
  ],
  [
    "planner",
    /\/planning$/,
    [{ path: "/planning", ready: (p) => expect(p.getByRole("heading", { level: 1 })).toBeVisible() }],
  ],
  ["manager", /\/risk$/, [{ path: "/risk", ready: (p) => expect(p.getByRole("heading", { level: 1 })).toBeVisible() }]],
  [
    "admin",
    /\/purchasing$/,
    [
      {
        path: "/admin/outbox",
        ready: (p) => expect(p.getByRole("img", { name: /delivered per minute/ })).toBeVisible(),
      },
      { path: "/admin/users", ready: (p) => expect(p.getByRole("table", { name: "Users" })).toBeVisible() },
      { path: "/admin/tokens", ready: (p) => expect(p.getByRole("form", { name: "New token" })).toBeVisible() },
      { path: "/admin/audit", ready: (p) => expect(p.getByRole("table", { name: "Audit log" })).toBeVisible() },
      {
        path: "/admin/database",
        ready: (p) =>
          expect(
            p
              .getByRole("figure", { name: /HOT updates per table/ })
              .locator("svg")
              .first(),
          ).toBeVisible(),
      },
      { path: "/account", ready: (p) => expect(p.getByRole("table", { name: "Your sessions" })).toBeVisible() },
    ],
  ],
];

test("the login page loads with its policy and no violation", async ({ page }) => {
  const violations = await watchCsp(page);
  const response = await page.goto("/login");
  const policy = response?.headers()["content-security-policy"] ?? "";
  expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toMatch(/connect-src 'self'( ws:\/\/\S+)? wss:\/\/\S+/);
  await expect(page.getByRole("button", { name: "Log in" })).toBeEnabled();
  // Every script Next.js wrote into the page carries this response's nonce.
  const nonce = policy.match(/'nonce-([^']+)'/)?.[1];
  const scripts = await page.locator("script").evaluateAll((els) => els.map((el) => (el as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  expect(new Set(scripts)).toEqual(new Set([nonce]));
  await page.waitForTimeout(1000);
  expect(await violations()).toEqual([]);
});

test("a page that does not exist answers 404 under the same policy, with no violation", async ({ page }) => {
  const violations = await watchCsp(page);
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  expect(response?.headers()["content-security-policy"]).toContain("'strict-dynamic'");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.waitForTimeout(1000);
  expect(await violations()).toEqual([]);
});

for (const [user, home, pages] of pagesByUser) {
  test(`${user}'s pages load with no CSP violation`, async ({ page }) => {
    const violations = await watchCsp(page);
    await loginThroughForm(page, user, home);
    for (const { path, ready } of pages) {
      const response = await page.goto(path);
      expect(response?.headers()["content-security-policy"], path).toContain("'strict-dynamic'");
      await ready(page);
      // Live pages keep a socket (or its long-polling fallback) open, so the
      // network never goes idle: give late loads, chunks and the socket a moment.
      await page.waitForTimeout(1500);
      expect(await violations(), path).toEqual([]);
    }
    await snap(page, `security-csp-${user}`);
  });
}

test("the policy is enforced: markup planted in a page cannot run script", async ({ page }) => {
  const violations = await watchCsp(page);
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Log in" })).toBeEnabled();
  const ran = await page.evaluate(async () => {
    const w = window as unknown as { planted?: number };
    // The classic injection: an event-handler attribute, as a stored string would carry it.
    document.body.insertAdjacentHTML("beforeend", '<img src="data:," onerror="window.planted = 1">');
    await new Promise((resolve) => setTimeout(resolve, 500));
    return w.planted ?? 0;
  });
  expect(ran).toBe(0);
  expect((await violations()).join("\n")).toMatch(/script-src/);
});
