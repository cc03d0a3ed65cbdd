import { expect, test } from "@playwright/test";
import { loginThroughForm, snap } from "../support";

// An operator works at a tablet on the shop floor: the purchasing page and its
// API stay closed to them, whatever they type into the address bar.

test("the operator lands on the floor and is not allowed into purchasing", async ({ page }) => {
  await loginThroughForm(page, "operator", /\/floor$/);
  const header = page.getByRole("banner");
  await expect(header).toContainText("Otto Operator");
  await expect(header.getByRole("link", { name: "Purchasing" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Shop floor" })).toBeVisible();
  // Only the operator's own work center (Pressing) is listed.
  const machines = page.locator("article[data-machine]");
  await expect(machines.first()).toBeVisible();
  for (const code of await machines.evaluateAll((cards) => cards.map((c) => c.getAttribute("data-machine")))) {
    expect(code).toMatch(/^PRS-/);
  }
  await snap(page, "operator-01-floor");

  await page.goto("/purchasing");
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  await expect(page.getByText(/may not open Purchasing/)).toBeVisible();
  await expect(page.getByRole("heading", { name: "Inventory" })).toHaveCount(0);
  await expect(page.getByRole("table")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Reserve for order" })).toHaveCount(0);
  await snap(page, "operator-02-not-allowed");

  // The API refuses the operator's session cookie just the same.
  const reservations = await page.request.get("/api/reservations");
  expect(reservations.status()).toBe(403);
  expect(await reservations.json()).toMatchObject({ error: "forbidden" });
  const items = await page.request.get("/api/inventory/items");
  expect(items.status()).toBe(403);
});

test("pages send a visitor without a session to the login page", async ({ page }) => {
  await page.goto("/purchasing");
  await expect(page).toHaveURL(/\/login\?next=%2Fpurchasing$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
});
