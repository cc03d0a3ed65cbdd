import { randomUUID } from "node:crypto";
import { type APIRequestContext, type Browser, type BrowserContext, expect, type Page, test } from "@playwright/test";
import { apiAs, recordToasts, snap } from "../support";

// An operator's tablet on the floor (touch, 1024×768): the machines of their
// own work-center group only; a breakdown they report reaches a planner's
// screen live; a resume pressed while the tablet is offline waits in the
// tablet's queue, goes out once when it is back, and is applied once.

type PlanMachine = {
  id: number;
  code: string;
  name: string;
  workCenterId: number;
  status: string;
  queue: { code: string; status: string }[];
};
type MachineEvent = { id: string; type: string; at: string };

const group = { code: "WLD", name: "Welding", operator: "welder" } as const;
const tablet1024 = { width: 1024, height: 768 };
const tablet800 = { width: 800, height: 1280 };

async function newTablet(browser: Browser, baseURL: string, viewport = tablet1024): Promise<BrowserContext> {
  // The stack's trial certificate is self-signed.
  return browser.newContext({
    baseURL,
    viewport,
    hasTouch: true,
    locale: "en-GB",
    timezoneId: "UTC",
    ignoreHTTPSErrors: true,
  });
}

/** Logs in through the form (demo password: demo-<username>) and opens the floor. */
async function openFloor(page: Page, username: string, path = "/floor"): Promise<void> {
  await page.goto(`/login?next=${encodeURIComponent(path)}`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(`demo-${username}`);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("heading", { name: "Shop floor" })).toBeVisible();
  await expect(page.getByTestId("connection-indicator")).toHaveAttribute("data-state", "live", { timeout: 20_000 });
}

async function machineEvents(api: APIRequestContext, machineId: number): Promise<MachineEvent[]> {
  const response = await api.get(`/api/machines/${machineId}/events?limit=100`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { events: MachineEvent[] }).events;
}

async function report(api: APIRequestContext, machineId: number, type: string, note?: string): Promise<void> {
  const response = await api.post(`/api/machines/${machineId}/events`, {
    data: note ? { type, note } : { type },
    headers: { "Idempotency-Key": randomUUID() },
  });
  expect(response.status(), await response.text()).toBe(202);
}

async function plan(api: APIRequestContext): Promise<PlanMachine[]> {
  const response = await api.get("/api/plan");
  expect(response.status()).toBe(200);
  return ((await response.json()) as { machines: PlanMachine[] }).machines;
}

test("an operator's tablet: own group live, a breakdown seen by the planner, an offline resume sent once", async ({
  browser,
  baseURL,
}) => {
  // Two browsers, a real stack and a machine shared with the whole suite: minutes, not seconds.
  test.setTimeout(300_000);
  if (!baseURL) throw new Error("baseURL is not set");
  const planner = await apiAs(baseURL, "planner");
  const inGroup = async () => (await plan(planner)).filter((m) => m.code.startsWith(`${group.code}-`));
  // A run against a stack that an earlier run left behind starts from a working group.
  for (const stopped of (await inGroup()).filter((m) => m.status !== "running" && m.status !== "idle")) {
    await report(planner, stopped.id, "resume");
  }
  const welding = await inGroup();
  // The machine that breaks down: one that works and has orders waiting, so the planner has something to move.
  const target = welding.find(
    (m) => (m.status === "running" || m.status === "idle") && m.queue.some((o) => o.status === "queued"),
  );
  if (!target) throw new Error(`no ${group.name} machine works with orders queued: ${JSON.stringify(welding)}`);
  const waitingBefore = target.queue.filter((o) => o.status === "queued").map((o) => o.code);

  // --- The operator's tablet: their group's machines, nobody else's.
  const tabletContext = await newTablet(browser, baseURL);
  const tablet = await tabletContext.newPage();
  await openFloor(tablet, group.operator);
  await expect(tablet.getByText(`${group.name}: the machines of your work-center group.`)).toBeVisible();
  const cards = tablet.locator("article[data-machine]");
  await expect(cards).toHaveCount(welding.length);
  const codes = await cards.evaluateAll((all) => all.map((c) => c.getAttribute("data-machine")));
  expect(codes.sort()).toEqual(welding.map((m) => m.code).sort());
  await expect(tablet.getByRole("button", { name: "All groups" })).toHaveCount(0);
  await snap(tablet, "floor-01-operator-1024x768");

  // Every button on a card is a finger's size.
  for (const button of await cards.getByRole("button").all()) {
    const box = await button.boundingBox();
    expect(box?.height, (await button.textContent()) ?? "").toBeGreaterThanOrEqual(48);
    expect(box?.width, (await button.textContent()) ?? "").toBeGreaterThanOrEqual(48);
  }

  // --- The planner watches the same group on another screen.
  const plannerContext = await browser.newContext({
    baseURL,
    viewport: { width: 1280, height: 800 },
    locale: "en-GB",
    timezoneId: "UTC",
    ignoreHTTPSErrors: true,
  });
  const plannerPage = await plannerContext.newPage();
  await openFloor(plannerPage, "planner");
  await plannerPage.getByRole("button", { name: group.name, exact: true }).click();
  await expect(plannerPage).toHaveURL(/[?&]group=\d+/);
  await expect(plannerPage.locator("article[data-machine]")).toHaveCount(welding.length);
  // A mark that a reload would wipe: the planner's page must change without one.
  await plannerPage.evaluate(() => {
    (window as unknown as { floorMark: string }).floorMark = "no reload";
  });
  const plannerToasts = await recordToasts(plannerPage);

  // --- Breakdown, pressed on the tablet.
  const card = tablet.locator(`article[data-machine="${target.code}"]`);
  await card.getByRole("button", { name: "Report breakdown" }).tap();
  await expect(card).toHaveAttribute("data-status", "breakdown");
  await expect(card.getByRole("button", { name: "Resume" })).toBeVisible();
  await expect(card.getByRole("button", { name: "Report breakdown" })).toHaveCount(0);
  const queueList = tablet.getByRole("region", { name: /Actions from this tablet/ });
  await expect(queueList.getByRole("listitem").filter({ hasText: `Breakdown · ${target.code}` })).toContainText(
    "Confirmed",
  );

  // ... seen live on the planner's screen, with a toast: someone else did it.
  const plannerCard = plannerPage.locator(`article[data-machine="${target.code}"]`);
  await expect(plannerCard).toHaveAttribute("data-status", "breakdown");
  await expect.poll(plannerToasts).toContain(`${target.code} ${target.name}: breakdown`);
  // The planner re-routes the stopped machine's queue: the tablet shows it by itself.
  await expect(card).toContainText("Nothing queued", { timeout: 20_000 });
  const elsewhere = tablet.locator(`article[data-machine]:not([data-machine="${target.code}"])`);
  await expect(elsewhere.filter({ hasText: waitingBefore[0] })).toHaveCount(1);
  expect(await plannerPage.evaluate(() => (window as unknown as { floorMark?: string }).floorMark)).toBe("no reload");
  await snap(plannerPage, "floor-02-planner-sees-breakdown");

  // --- Offline: the resume waits in the tablet's queue.
  const eventsBefore = await machineEvents(planner, target.id);
  const tabletToasts = await recordToasts(tablet);
  await tabletContext.setOffline(true);
  await expect(tablet.getByTestId("connection-indicator")).toHaveAttribute("data-state", "offline");
  await card.getByRole("button", { name: "Resume" }).tap();
  const resumeEntry = queueList.getByRole("listitem").filter({ hasText: `Resume · ${target.code}` });
  await expect(resumeEntry).toContainText("Queued");
  await expect(card).toContainText("Waiting to send: resume");
  // Pressing again is not possible: the card already counts on the resume.
  await expect(card.getByRole("button", { name: "Resume" })).toHaveCount(0);
  await snap(tablet, "floor-03-offline-resume-queued");
  // Nothing reached the server while the tablet was away.
  await tablet.waitForTimeout(1500);
  expect(await machineEvents(planner, target.id)).toEqual(eventsBefore);
  // Meanwhile another machine of the group runs short of material, reported elsewhere.
  const other = welding.find((m) => m.id !== target.id) as PlanMachine;
  await report(planner, other.id, "material_shortage", "no shielding gas");

  // --- Back online: sent, confirmed, applied once, seen everywhere.
  await tabletContext.setOffline(false);
  // What happened while it was away is there, without a reload, and announced once.
  const otherCard = tablet.locator(`article[data-machine="${other.code}"]`);
  await expect(otherCard).toHaveAttribute("data-status", "material_shortage");
  const shortageToast = `${other.code} ${other.name}: material shortage`;
  await expect.poll(tabletToasts).toContain(shortageToast);
  await expect(resumeEntry).toContainText("Confirmed", { timeout: 20_000 });
  await expect(tablet.getByTestId("connection-indicator")).toHaveAttribute("data-state", "live", { timeout: 20_000 });
  await expect(card).not.toHaveAttribute("data-status", "breakdown");
  await expect(card).not.toContainText("Waiting to send");
  await expect(plannerCard).not.toHaveAttribute("data-status", "breakdown");
  const resumes = async () =>
    (await machineEvents(planner, target.id)).filter(
      (e) => e.type === "resume" && !eventsBefore.some((b) => b.id === e.id),
    );
  expect(await resumes()).toHaveLength(1);
  expect((await tabletToasts()).filter((title) => title === shortageToast)).toHaveLength(1);

  // A reload finds the confirmation and sends nothing again.
  await tablet.reload();
  await expect(tablet.getByTestId("connection-indicator")).toHaveAttribute("data-state", "live", { timeout: 20_000 });
  await expect(resumeEntry).toContainText("Confirmed");
  await tablet.waitForTimeout(1500);
  expect(await resumes()).toHaveLength(1);
  await snap(tablet, "floor-04-resume-confirmed-1024x768");

  // --- Portrait tablet, 800 px wide: everything fits without sideways scrolling.
  await tablet.setViewportSize(tablet800);
  await expect(cards.first()).toBeVisible();
  expect(await tablet.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(tablet800.width);
  await snap(tablet, "floor-05-operator-800x1280");

  // Leave the group working for the next run.
  await report(planner, other.id, "resume");
  await expect(otherCard).not.toHaveAttribute("data-status", "material_shortage");

  await tabletContext.close();
  await plannerContext.close();
  await planner.dispose();
});
