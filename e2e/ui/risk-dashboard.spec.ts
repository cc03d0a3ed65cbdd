import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { stackPorts } from "../stack-ports";
import { dismissToasts, loginThroughForm, snap } from "../support";

// The managers' supplier risk dashboard: every supplier with its score and
// level; for the chosen one the trend and factor charts, the analysis, the
// source and how long it took. A manager asks for a fresh assessment while
// the first AI provider is down (the LLM stand-in's PUT /faults), and the
// answer shows up on its own, from the second provider. A buyer sees the
// levels only, and the same level where an order's supplier is chosen.

// The stand-in the stack's worker asks (LLM_SIM_PORT from e2e/stack-ports.ts), or E2E_LLM_SIM_URL.
const llmSimUrl = process.env.E2E_LLM_SIM_URL || `http://127.0.0.1:${stackPorts().llmSim}`;

/** Never assessed in the demo data, and ordered from by no other spec. */
const supplierName = "Vertex Fasteners s.r.o.";

type Faults = Record<string, string>;

async function llmFaults(api: APIRequestContext): Promise<Faults> {
  const response = await api.get(`${llmSimUrl}/faults`);
  expect(response.status(), `GET ${llmSimUrl}/faults (is the LLM stand-in running?)`).toBe(200);
  return response.json();
}

async function setLlmFaults(api: APIRequestContext, faults: Faults): Promise<void> {
  const response = await api.put(`${llmSimUrl}/faults`, { data: faults });
  expect(response.status(), "PUT /faults on the LLM stand-in").toBe(200);
}

let healthy: Faults | undefined;

test.afterEach(async ({ request }) => {
  if (healthy) await setLlmFaults(request, healthy);
  healthy = undefined;
});

type Seen = { pendingWithSpinner: boolean; toasts: string[] };

/**
 * Records what the page shows for a moment: the pending button and the
 * toasts. On a loaded machine a click can take seconds to return, by which
 * time a pushed answer may have come and its toast gone again.
 */
async function watchPage(page: Page) {
  await page.evaluate(() => {
    const seen: Seen = { pendingWithSpinner: false, toasts: [] };
    (window as unknown as { __seen: Seen }).__seen = seen;
    new MutationObserver(() => {
      if (document.querySelector('button[data-pending="true"]:disabled .spinner')) seen.pendingWithSpinner = true;
      for (const toast of document.querySelectorAll(".toast")) {
        const text = toast.textContent ?? "";
        if (!seen.toasts.includes(text)) seen.toasts.push(text);
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { __seen: Seen }).__seen);
}

/** Presses "Reassess now" in the detail panel and waits for the answer. */
async function reassess(page: Page) {
  const detail = page.getByRole("region", { name: supplierName });
  const assessedAt = detail.locator('[data-figure="assessed-at"]');
  const before = (await assessedAt.count()) > 0 ? await assessedAt.getAttribute("data-value") : null;
  const seen = await watchPage(page);
  // Asked directly only when no push came within 10 s of the request.
  const fallbackChecks: string[] = [];
  const onRequest = (req: { method(): string; url(): string }) => {
    if (req.method() === "GET" && /\/api\/suppliers\/\d+\/risk$/.test(new URL(req.url()).pathname)) {
      fallbackChecks.push(req.url());
    }
  };
  page.on("request", onRequest);

  const isLive = async () => (await page.locator('[data-live="live"]').count()) > 0;
  const liveBefore = await isLive();
  await detail.getByRole("button", { name: `Reassess now: ${supplierName}` }).click();
  await expect
    .poll(async () => (await seen()).toasts.find((text) => text.includes(`${supplierName} reassessed`)) ?? "", {
      timeout: 30_000,
    })
    .toMatch(/reassessed: (low|medium|high|critical) risk/);
  const { pendingWithSpinner } = await seen();
  expect(pendingWithSpinner, "the button spun, disabled, while the assessment was on its way").toBe(true);
  await expect(detail.getByRole("button", { name: `Reassess now: ${supplierName}` })).toBeEnabled();
  // The page refetches on the answer: the newer assessment replaces the one shown before.
  await expect
    .poll(async () => ((await assessedAt.count()) > 0 ? await assessedAt.getAttribute("data-value") : null))
    .not.toBe(before);
  page.off("request", onRequest);
  // With the realtime link up (nginx in front), the answer came as a push; without it, by the page's own check.
  if (liveBefore && (await isLive())) {
    expect(fallbackChecks, "the answer came as a push, not by asking").toEqual([]);
  }
  await dismissToasts(page); // for the screenshot
  return detail;
}

test("a manager reassesses a supplier while the first AI provider is down, and the second one answers", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  healthy = Object.fromEntries(Object.keys(await llmFaults(request)).map((provider) => [provider, "ok"]));
  const [first, second] = Object.keys(healthy);
  expect(second, "the demo chain has at least two providers").toBeTruthy();
  await setLlmFaults(request, healthy);

  // Managers start on the risk page (through "/", which a loaded machine may take a while to redirect).
  await loginThroughForm(page, "manager", /\/(risk)?$/);
  await expect(page).toHaveURL(/\/risk$/, { timeout: 30_000 });
  await expect(page.getByRole("heading", { name: "Supplier risk", level: 1 })).toBeVisible();
  const table = page.getByRole("table", { name: /Suppliers by risk/ });
  const row = table.locator(`tr[data-row="${supplierName}"]`);
  await expect(row).toBeVisible();
  await expect(table.locator("tbody tr")).toHaveCount(6);

  await row.getByRole("button", { name: supplierName, exact: true }).click();
  const detail = page.getByRole("region", { name: supplierName });
  await expect(detail).toBeVisible();

  // A first assessment with every provider healthy: the first one answers.
  await reassess(page);
  await expect(detail.locator('[data-figure="source"]')).toContainText(new RegExp(`^${first}`, "i"));

  // The first provider goes down; the next assessment comes from the second.
  await setLlmFaults(request, { ...healthy, [first as string]: "error" });
  await reassess(page);
  const source = detail.locator('[data-figure="source"]');
  await expect(source).toContainText(new RegExp(`^${second}`, "i"));
  await expect(detail.locator('[data-figure="latency"]')).toHaveText(/^\d+(\.\d)? (ms|s)$/);
  await expect(detail.locator('[data-figure="score"]')).toHaveText(/^\d{1,3} \/ 100$/);
  await expect(detail.locator('[data-figure="analysis"]')).not.toBeEmpty();
  await expect(row.locator('td[data-col="source"]')).toContainText(new RegExp(`^${second}`, "i"));
  await expect(row.locator('td[data-col="score"]')).toHaveAttribute("data-value", /^\d{1,3}$/);

  // The trend has both assessments (and the built-in model beside them); the factors their chart and figures.
  const trend = detail.getByRole("img", { name: `Risk score of ${supplierName} over the last 30 days` });
  await expect(trend).toHaveAttribute("data-points", /^([2-9]|\d{2,})$/);
  await expect(trend.locator(".recharts-line")).toHaveCount(2);
  // One bar per factor (a bar of zero points draws nothing, so the chart's axis and name are read).
  const factorChart = detail.getByRole("img", { name: /^Factors behind the score/ });
  await expect(factorChart.locator(".recharts-yAxis .recharts-cartesian-axis-tick")).toHaveCount(5);
  await expect(factorChart).toHaveAttribute("aria-label", /On-time delivery rate [\d.]+ points/);
  const factors = detail.getByRole("table", { name: `Risk factors of ${supplierName}` });
  await expect(factors.locator('tr[data-row="on_time_rate"] td[data-col="figure"]')).toHaveText(/^\d+(\.\d)? %$/);
  await expect(factors.locator("tbody tr")).toHaveCount(5);
  await snap(page, "risk-01-manager-dashboard-second-provider");
});

test("a buyer sees risk levels only, and the same level when choosing the supplier of an order", async ({ page }) => {
  await loginThroughForm(page, "buyer", /\/purchasing$/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Supplier risk" }).click();
  await expect(page).toHaveURL(/\/risk$/);
  const table = page.getByRole("table", { name: /Supplier risk levels/ });
  const row = table.locator(`tr[data-row="${supplierName}"]`);
  await expect(row).toBeVisible();
  const level = (await row.locator('td[data-col="level"] [data-level]').getAttribute("data-level")) ?? "none";
  // Levels only: no scores, charts, sources or analyses.
  await expect(page.locator('td[data-col="score"], [data-figure="analysis"], .recharts-wrapper')).toHaveCount(0);
  await expect(page.getByText(/scores, the factors behind them and the written analyses/i)).toBeVisible();
  await snap(page, "risk-02-buyer-levels");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Purchase orders" }).click();
  await page.getByRole("button", { name: "New purchase order" }).click();
  const dialog = page.getByRole("dialog", { name: "New purchase order" });
  const select = dialog.getByLabel("Supplier");
  const value = await select.locator("option", { hasText: supplierName }).getAttribute("value");
  await select.selectOption(value ?? "");
  await expect(dialog.locator("#po-supplier-risk .risk")).toHaveClass(new RegExp(`risk-${level}`));
  await snap(page, "risk-03-buyer-order-supplier-risk", { fullPage: false });
});
