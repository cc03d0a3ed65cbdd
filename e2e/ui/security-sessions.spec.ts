import { randomBytes } from "node:crypto";
import { type Browser, expect, type Page, test } from "@playwright/test";
import pg from "pg";
import { appPages } from "../../app/_lib/pages";
import { hashPassword } from "../../server/auth/password";
import { stackPorts } from "../stack-ports";

// Logging out from every page, and "log out everywhere". These end sessions,
// so they run as a person of their own, never as a demo user that other
// specs are logged in as at the same time. The product has no page that
// creates people yet, so the spec adds one to the e2e database directly, the
// way e2e/start-stack.ts finds that database (E2E_DATABASE_URL overrides it).

function e2eDatabaseUrl(): string {
  if (process.env.E2E_DATABASE_URL) return process.env.E2E_DATABASE_URL;
  const url = new URL(process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres");
  url.pathname = `/${process.env.E2E_DATABASE || `erp_e2e_${stackPorts().front}`}`;
  return url.toString();
}

const password = `pw-${randomBytes(9).toString("base64url")}`;

/** An admin of this spec's own, so that every page is open to it. */
async function createPerson(): Promise<string> {
  const username = `e2e-sec-${randomBytes(4).toString("hex")}`;
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    await client.query("INSERT INTO users (username, display_name, password_hash, role) VALUES ($1, $2, $3, 'admin')", [
      username,
      "Sam Session",
      await hashPassword(password),
    ]);
  } finally {
    await client.end();
  }
  return username;
}

async function logIn(page: Page, username: string) {
  await page.goto("/login");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/purchasing$/);
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  return context.newPage();
}

let username: string;
test.beforeAll(async () => {
  username = await createPerson();
});

test("the Log out button works on every page", async ({ page }) => {
  // Ten logins and page loads in a row, on a machine the whole stack shares.
  test.setTimeout(300_000);
  for (const { href } of appPages) {
    await logIn(page, username);
    await page.goto(href);
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
    await page.getByRole("banner").getByRole("button", { name: "Log out", exact: true }).click();
    // A live page may notice the ended session (its socket or a refetch gets
    // 401) a moment before the button's own redirect: either way, the login page.
    await expect(page, `log out from ${href}`).toHaveURL(/\/login(\?next=[^&]*)?$/);
    // The session is over on the server, not only forgotten by the browser.
    expect((await page.request.get("/api/auth/me")).status(), href).toBe(401);
    await page.goto(href);
    await expect(page).toHaveURL(/\/login\?next=/);
  }
});

test("log out everywhere ends the person's other browsers too", async ({ browser }) => {
  test.setTimeout(120_000);
  const [laptop, office] = [await newPage(browser), await newPage(browser)];
  await logIn(laptop, username);
  await logIn(office, username);

  await office.getByRole("link", { name: "Sam Session" }).click();
  await expect(office).toHaveURL(/\/account$/);
  const sessions = office.getByRole("table", { name: "Your sessions" });
  await expect(sessions.getByText("this browser")).toHaveCount(1);
  expect(await sessions.locator("tbody tr").count()).toBeGreaterThanOrEqual(2);
  await office.screenshot({ path: "e2e/screenshots/security-06-account.png", fullPage: true });

  await office.getByRole("button", { name: "Log out everywhere…" }).click();
  await office.getByRole("button", { name: "Log out everywhere", exact: true }).click();
  // On the login page; the page's own refetch may get there first, with ?next=/account.
  await expect(office).toHaveURL(/\/login(\?next=%2Faccount)?$/);
  expect((await office.request.get("/api/auth/me")).status()).toBe(401);

  // The laptop's next step finds its session gone and lands on the login page.
  await laptop.goto("/admin/audit");
  await expect(laptop).toHaveURL(/\/login\?next=%2Fadmin%2Faudit$/);
  await laptop.context().close();
  await office.context().close();
});
