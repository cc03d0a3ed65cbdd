import { randomUUID } from "node:crypto";
import { type APIRequestContext, expect, type Locator, type Page, test } from "@playwright/test";
import { apiAs, dismissToasts, loginThroughForm, snap } from "../support";

// A planner watches the plan; an operator of the Pressing group reports a
// breakdown on one of its presses (through the API, with the operator's own
// login). Without a reload the planner's timeline shows the press stopped,
// its queued orders on other presses, and the planner's explanation for each
// move; then the operator resumes and the plan gives the press work again.

/** The press to stop, when it has orders waiting; any other working press of the group otherwise. */
const preferredPress = "PRS-02";

type PlanMachine = {
  id: number;
  code: string;
  name: string;
  status: string;
  queue: { code: string; status: string }[];
};

async function planOf(api: APIRequestContext): Promise<PlanMachine[]> {
  const response = await api.get("/api/plan");
  expect(response.status()).toBe(200);
  return ((await response.json()) as { machines: PlanMachine[] }).machines;
}

async function report(api: APIRequestContext, machine: PlanMachine, type: "breakdown" | "resume"): Promise<string> {
  const response = await api.post(`/api/machines/${machine.id}/events`, {
    data: { type, note: "Playwright: planning re-route" },
    headers: { "Idempotency-Key": randomUUID() },
  });
  expect(response.status(), `${type} on ${machine.code}`).toBe(202);
  return ((await response.json()) as { eventId: string }).eventId;
}

const isUp = (m: PlanMachine) => m.status === "running" || m.status === "idle";
const queuedOn = (m: PlanMachine) => m.queue.filter((o) => o.status === "queued").map((o) => o.code);

/**
 * A press of the operator's group that works and has orders queued. A run
 * that failed half-way may have left presses stopped: they are resumed
 * first, and the worker's re-plan is waited for (it gives them work back).
 */
async function pressToStop(operator: APIRequestContext): Promise<PlanMachine> {
  for (const stopped of (await planOf(operator)).filter((m) => !isUp(m))) await report(operator, stopped, "resume");
  let chosen: PlanMachine | undefined;
  await expect
    .poll(
      async () => {
        const presses = (await planOf(operator)).filter((m) => isUp(m) && queuedOn(m).length > 0);
        chosen = presses.find((m) => m.code === preferredPress) ?? presses[0];
        return chosen?.code;
      },
      { message: "a working press with orders queued", timeout: 30_000 },
    )
    .toBeTruthy();
  return chosen as PlanMachine;
}

const machineRow = (page: Page, code: string) => page.locator(`[data-machine-code="${code}"]`);
/** A bar on the timeline (the change list marks its entries with the order too). */
const bar = (scope: Page | Locator, workOrder: string) => scope.locator(`button[data-work-order="${workOrder}"]`);

/** Toasts and the hovered bar's tooltip sit over the chart in screenshots; the test has read them already. */
async function clearOverlays(page: Page) {
  await page.mouse.move(0, 0);
  await dismissToasts(page);
}

test("a breakdown reported on the floor re-routes the planner's timeline live, and a resume takes work back", async ({
  page,
  baseURL,
}) => {
  // The worker re-plans after each event; on a loaded machine that takes seconds.
  test.setTimeout(180_000);
  if (!baseURL) throw new Error("baseURL is not set");
  const operator = await apiAs(baseURL, "operator");
  const target = await pressToStop(operator);
  const press = { code: target.code, name: target.name };
  const queued = queuedOn(target);

  await loginThroughForm(page, "planner", /\/planning$/);
  await expect(page.getByRole("heading", { name: "Plan by machine" })).toBeVisible();
  await expect(page.getByTestId("connection-indicator")).toHaveAttribute("data-state", "live", { timeout: 30_000 });
  const row = machineRow(page, press.code);
  await expect(row).toHaveAttribute("data-status", /^(running|idle)$/);
  for (const code of queued) await expect(bar(row, code)).toHaveCount(1);
  await page.getByRole("button", { name: "Next 8 h" }).click();
  await snap(page, "planning-01-timeline");

  // From here on the planner never reloads: every change must arrive by itself.
  const documentLoads: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "document" && request.frame() === page.mainFrame())
      documentLoads.push(request.url());
  });

  // --- Breakdown, reported by the operator of the Pressing group.
  const breakdownId = await report(operator, target, "breakdown");
  await expect(row).toHaveAttribute("data-status", "breakdown", { timeout: 20_000 });
  await expect(row).toContainText("Breakdown");
  // The re-plan arrives as a toast (shown for a few seconds: checked first) ...
  const notifications = page.getByRole("region", { name: "Notifications" });
  await expect(notifications).toContainText(
    `${press.name} broke down: ${queued.length} ${queued.length === 1 ? "order" : "orders"} re-routed`,
    { timeout: 30_000 },
  );

  // ... and the orders that waited on the press are on other machines now, outlined as moved.
  for (const code of queued) {
    await expect(bar(row, code)).toHaveCount(0, { timeout: 30_000 });
    const moved = bar(page, code);
    await expect(moved).toHaveCount(1);
    await expect(moved).toHaveAttribute("data-moved", "true");
  }
  // ... each with the planner's reason, under this breakdown.
  const changes = page.getByRole("region", { name: "What moved and why" });
  const breakdownGroup = changes.locator(`[data-event-id="${breakdownId}"]`);
  await expect(breakdownGroup).toContainText(`${press.name} breakdown`);
  for (const code of queued) {
    const change = breakdownGroup.locator(`[data-work-order="${code}"][data-change-kind="moved"]`);
    await expect(change).toContainText(`moved from ${press.name} to `);
    await expect(change).toContainText(`${press.name} breakdown; earliest capable machine`);
  }

  // The detail panel of a moved order says where it is and why.
  await bar(page, queued[0] as string).click();
  const detail = page.getByRole("region", { name: `Order ${queued[0]}` });
  await expect(detail).toContainText("Why it is here");
  await expect(detail).toContainText(`moved from ${press.name}`);
  await page.mouse.move(0, 0); // the tooltip would cover the rows; the toast may stay
  await snap(page, "planning-02-rerouted-after-breakdown");
  await clearOverlays(page);

  // --- Resume: the press takes work back where it finishes earlier there.
  const resumeId = await report(operator, target, "resume");
  await expect(row).toHaveAttribute("data-status", /^(running|idle)$/, { timeout: 20_000 });
  await expect(notifications).toContainText(new RegExp(`${press.name} resumed: \\d+ orders? moved to it`), {
    timeout: 30_000,
  });
  const resumeGroup = changes.locator(`[data-event-id="${resumeId}"]`);
  await expect(resumeGroup).toContainText(`${press.name} resumed`, { timeout: 30_000 });
  const back = resumeGroup.locator('[data-change-kind="moved"]');
  expect(await back.count(), "orders moved back to the press").toBeGreaterThan(0);
  await expect(back.first()).toContainText(`to ${press.name}: ${press.name} resumed; finishes earlier there`);
  const backCodes = await back.evaluateAll((items) => items.map((item) => item.getAttribute("data-work-order")));
  for (const code of backCodes) await expect(bar(row, code as string)).toHaveCount(1);
  expect(documentLoads, "the planning page was never reloaded").toEqual([]);
  await page.mouse.move(0, 0);
  await snap(page, "planning-03-resumed");

  // The same plan on a large screen.
  await clearOverlays(page);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.getByRole("button", { name: "Whole plan" }).click();
  await snap(page, "planning-04-large-screen", { fullPage: false });
  await operator.dispose();
});

test("a buyer is not allowed on the planning page", async ({ page }) => {
  await loginThroughForm(page, "buyer", /\/purchasing$/);
  await expect(page.getByRole("link", { name: "Planning" })).toHaveCount(0);
  await page.goto("/planning");
  await expect(page.getByText(/not allowed/i).first()).toBeVisible();
  await expect(page.getByRole("heading", { name: "Plan by machine" })).toHaveCount(0);
});
