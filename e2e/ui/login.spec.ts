import { expect, test } from "@playwright/test";
import { passwordOf, snap } from "../support";

test("a wrong password shows the API's message and no session", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Username").fill("planner");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("form", { name: "Log in" }).getByRole("alert")).toHaveText("Wrong username or password.");
  await expect(page).toHaveURL(/\/login$/);
  await snap(page, "login-01-wrong-password");
});

test("each role starts on its own page, and a deep link survives the login", async ({ page }) => {
  await page.goto("/planning");
  await expect(page).toHaveURL(/\/login\?next=%2Fplanning$/);
  await page.getByLabel("Username").fill("manager");
  await page.getByLabel("Password").fill(passwordOf("manager"));
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/planning$/);
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const name of ["Purchasing", "Planning", "Shop floor"])
    await expect(nav.getByRole("link", { name })).toBeVisible();

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/purchasing");
  await expect(page).toHaveURL(/\/login\?next=%2Fpurchasing$/);

  await page.getByLabel("Username").fill("planner");
  await page.getByLabel("Password").fill(passwordOf("planner"));
  await page.getByRole("button", { name: "Log in" }).click();
  // A planner may not open purchasing, so the deep link gives way to their home.
  await expect(page).toHaveURL(/\/planning$/);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Planning", "Shop floor"]);
});
