import { expect, type Page, request, test } from "@playwright/test";
import { loginThroughForm, snap } from "../support";

// The admin's security pages in a real browser: a tablet token issued, its
// secret shown once, used, revoked (and refused on the very next request);
// the audit log telling that story; the database health page. The token's
// name is hostile markup: it must come back as text, never as a tag.

const hostileName = (tag: string) => `<script>alert(1)</script><img src=x onerror=alert(2)> ${tag}`;

/** Fails the test if the page ever opens a JavaScript dialog (an injected alert()). */
function forbidDialogs(page: Page) {
  const opened: string[] = [];
  page.on("dialog", async (dialog) => {
    opened.push(dialog.message());
    await dialog.dismiss();
  });
  return opened;
}

async function bearerClient(baseURL: string, token: string) {
  return request.newContext({
    baseURL,
    ignoreHTTPSErrors: true,
    extraHTTPHeaders: { authorization: `Bearer ${token}` },
  });
}

// The audit test reads what the token test did; each walks through several pages.
test.describe.configure({ mode: "serial", timeout: 120_000 });

test("an admin issues a tablet token, sees its secret once, and revoking it stops it at once", async ({
  page,
  baseURL,
}) => {
  const dialogs = forbidDialogs(page);
  const name = hostileName(`tablet ${Date.now().toString(36)}`);
  await loginThroughForm(page, "admin", /\/purchasing$/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tokens" }).click();
  await expect(page).toHaveURL(/\/admin\/tokens$/);

  const form = page.getByRole("form", { name: "New token" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Role").selectOption("operator");
  await form.getByLabel("Work center").selectOption({ index: 1 });
  await form.getByRole("button", { name: "Create token" }).click();

  const secretBox = page.getByRole("status").filter({ hasText: "it will not be shown again" });
  await expect(secretBox).toBeVisible();
  const secret = (await page.getByTestId("token-secret").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^erp_[A-Za-z0-9_-]{43}$/);
  // The name, markup and all, is text in the table.
  const row = page.getByRole("row").filter({ has: page.getByRole("cell", { name, exact: true }) });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole("cell", { name: /^Operator · / })).toBeVisible();
  await snap(page, "security-01-token-created");

  const tablet = await bearerClient(String(baseURL), secret);
  const me = await tablet.get("/api/auth/me");
  expect(me.status()).toBe(200);
  expect((await me.json()).user).toMatchObject({ username: "admin", role: "operator" });

  await page.getByRole("button", { name: "I have stored it" }).click();
  await page.reload();
  await expect(page.getByRole("form", { name: "New token" })).toBeVisible();
  expect(await page.content()).not.toContain(secret);

  await row.getByRole("button", { name: "Revoke" }).click();
  await row.getByRole("button", { name: "Revoke now" }).click();
  await expect(row.getByRole("cell", { name: "revoked" })).toBeVisible();
  const refused = await tablet.get("/api/auth/me");
  expect(refused.status()).toBe(401);
  await tablet.dispose();
  await snap(page, "security-02-token-revoked");
  expect(dialogs).toEqual([]);
});

test("the audit log shows who created and revoked tokens, with the hostile name as text", async ({ page }) => {
  const dialogs = forbidDialogs(page);
  await loginThroughForm(page, "admin", /\/purchasing$/);
  await page.goto("/admin/audit");
  const filters = page.getByRole("form", { name: "Audit filters" });
  await filters.getByLabel("Who (username, or “system”)").fill("admin");
  await filters.getByLabel("Action").fill("token.*");
  await filters.getByRole("button", { name: "Show" }).click();

  const log = page.getByRole("table", { name: "Audit log" });
  await expect(log.getByRole("row").filter({ hasText: "Revoked a token" }).first()).toBeVisible();
  await expect(log.getByRole("row").filter({ hasText: "Created a token" }).first()).toBeVisible();
  await expect(log.getByText("<script>alert(1)</script>", { exact: false }).first()).toBeVisible();
  expect(await log.locator("script, img").count()).toBe(0);

  await filters.getByLabel("Action").fill("auth.*");
  await filters.getByRole("button", { name: "Show" }).click();
  await expect(log.getByRole("row").filter({ hasText: "Logged in" }).first()).toBeVisible();
  await snap(page, "security-03-audit-log");
  expect(dialogs).toEqual([]);
});

test("the database page shows the hot tables, their HOT ratio chart, the WAL and the outbox lag", async ({ page }) => {
  await loginThroughForm(page, "admin", /\/purchasing$/);
  await page.goto("/admin/database");
  const tables = page.getByRole("table", { name: "Hot tables" });
  for (const table of [
    "inventory_items",
    "machines",
    "outbox_messages",
    "work_orders",
    "purchase_orders",
    "sessions",
  ]) {
    await expect(tables.locator(`tr[data-row="${table}"]`)).toHaveCount(1);
  }
  await expect(tables.locator('tr[data-row="machines"] td[data-col="fillfactor"]')).toHaveText("80");
  await expect(
    page
      .getByRole("figure", { name: /HOT updates per table/ })
      .locator(".recharts-bar-rectangle")
      .first(),
  ).toBeVisible();
  await expect(page.getByText("WAL on disk", { exact: true })).toBeVisible();
  await expect(page.locator('[data-figure="outbox-lag"]')).toHaveText(/^\d+ s$/);
  // Either no warning, or warnings in words: never an empty box.
  await expect(page.getByRole("status").or(page.getByRole("alert")).first()).toContainText(/No warnings|warning/);
  await snap(page, "security-04-database");
});

test("the users page lists people with their roles and open sessions", async ({ page }) => {
  await loginThroughForm(page, "admin", /\/purchasing$/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  const people = page.getByRole("table", { name: "Users" });
  await expect(
    people.locator('tr[data-row="operator"]').getByRole("combobox", { name: "Role of operator" }),
  ).toHaveValue("operator");
  await expect(
    people.locator('tr[data-row="operator"]').getByRole("combobox", { name: "Work center of operator" }),
  ).toBeVisible();
  await expect(people.locator('tr[data-row="admin"] td[data-col="sessions"]')).not.toHaveText("0");
  await snap(page, "security-05-users");
});

test("people without the admin role get neither the pages nor their data", async ({ page }) => {
  await loginThroughForm(page, "buyer", /\/purchasing$/);
  for (const path of ["/admin/tokens", "/admin/audit", "/admin/database", "/admin/users"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  }
  const answer = await page.request.get("/api/admin/tokens");
  expect(answer.status()).toBe(403);
});
