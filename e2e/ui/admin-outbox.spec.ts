import { expect, test } from "@playwright/test";
import { loginThroughForm } from "../support";

test("the admin sees the outbox's backlog, lag, throughput and dead letters", async ({ page }) => {
  await loginThroughForm(page, "admin", /\/purchasing/);
  await page.getByRole("link", { name: "Outbox" }).click();
  await expect(page).toHaveURL(/\/admin\/outbox$/);
  await expect(page.getByRole("heading", { name: "Outbox" })).toBeVisible();

  const figures = page.getByRole("region", { name: "Outbox figures" });
  for (const label of ["Waiting", "Being retried", "Oldest waiting (lag)", "Delivered, last minute", "Dead letters"]) {
    await expect(figures.getByText(label, { exact: true })).toBeVisible();
  }
  // The demo's own traffic (reservations, orders) has gone through the worker by now.
  await expect(page.locator('[data-figure="pending"]')).toHaveText(/^\d+$/);
  await expect(page.getByRole("img", { name: /delivered per minute/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Dead letters" })).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/admin-01-outbox.png", fullPage: true });
});

test("a buyer has no Outbox link and is not allowed on the page", async ({ page }) => {
  await loginThroughForm(page, "buyer", /\/purchasing/);
  await expect(page.getByRole("link", { name: "Outbox" })).toHaveCount(0);
  await page.goto("/admin/outbox");
  await expect(page.getByText(/not allowed/i).first()).toBeVisible();
  await expect(page.getByRole("region", { name: "Outbox figures" })).toHaveCount(0);
});
