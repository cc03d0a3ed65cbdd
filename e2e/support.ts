import { type APIRequestContext, expect, type Page, request } from "@playwright/test";

// Demo logins (demo data only, seeded by the launcher): password demo-<username>.
export type DemoUser = "buyer" | "planner" | "operator" | "manager" | "admin";
export const passwordOf = (username: DemoUser) => `demo-${username}`;

/**
 * The demo data is shared by specs that may run at the same time, so each
 * spec reserves only its own items (plenty of stock) and releases them again.
 * A refused reservation (409) changes nothing, so any spec may try short items.
 */
export const ownedItems = {
  buyerReserves: ["FST-M8X25-88", "FST-NUT-M8-8", "FST-WSH-M8"],
  buyerRetry: "RM-TUBE-S235-40",
  apiContract: ["FST-M6X20-88", "PKG-CARTON-600", "ELC-CBL-3G15"],
  /** Received by the purchase-order UI spec: their stock grows by each run's receipt. */
  buyerPurchaseOrder: ["RM-COIL-DC01-150", "RM-COIL-DC01-200"],
  apiPurchaseOrders: ["CON-OIL-ISO46", "BRG-6204-2RS"],
} as const;

/** Deep groove ball bearing 6205-2RS: 12 pcs in the demo data, nobody reserves it. */
export const shortItem = { sku: "BRG-6205-2RS", name: "Deep groove ball bearing 6205-2RS", unit: "pcs" } as const;

export type Item = {
  id: number;
  sku: string;
  name: string;
  unit: string;
  stockQty: number;
  reservedQty: number;
  availableQty: number;
};

export const uniqueRef = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6)}`;

/** An API client logged in as a demo user (its own cookie jar). */
export async function apiAs(baseURL: string, username: DemoUser): Promise<APIRequestContext> {
  const context = await request.newContext({ baseURL });
  const response = await context.post("/api/auth/login", { data: { username, password: passwordOf(username) } });
  expect(response.status(), `login as ${username}`).toBe(200);
  return context;
}

export async function itemsBySku(api: APIRequestContext, skus: readonly string[]): Promise<Map<string, Item>> {
  const response = await api.get("/api/inventory/items?limit=500");
  expect(response.status()).toBe(200);
  const { items } = (await response.json()) as { items: Item[] };
  const found = new Map(items.filter((item) => skus.includes(item.sku)).map((item) => [item.sku, item]));
  expect([...found.keys()].sort(), "the demo items the spec relies on").toEqual([...skus].sort());
  return found;
}

/** Logs in through the login form and waits for the role's home page. */
export async function loginThroughForm(page: Page, username: DemoUser, home: RegExp): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(passwordOf(username));
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(home);
}

/**
 * A screenshot a person can look at, in e2e/screenshots/ (rewritten by every
 * run). Dialogs are taken at viewport size: a full-page capture would show the
 * modal's backdrop over the first screen only.
 */
export async function snap(page: Page, name: string, { fullPage = true } = {}): Promise<void> {
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage });
}

/**
 * Closes the toasts that sit over the page in screenshots (the test has read
 * them already). A toast also leaves by itself after a few seconds, so one
 * counted a moment ago may be gone when its button is clicked: each click is
 * short and its failure means the toast went first. New toasts may keep
 * arriving from other specs' events, so the loop stops after a few rounds.
 */
export async function dismissToasts(page: Page): Promise<void> {
  const dismiss = page.getByRole("region", { name: "Notifications" }).getByRole("button", { name: "Dismiss" });
  for (let round = 0; round < 10 && (await dismiss.count()) > 0; round++) {
    await dismiss
      .first()
      .click({ timeout: 2_000 })
      .catch(() => {});
  }
}

/**
 * Notes the title of every toast the page shows from now on (as long as the
 * document stays: client-side navigation keeps it). Toasts leave the screen
 * after a few seconds, quicker than a loaded test machine may look.
 */
export async function recordToasts(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { toastsSeen: string[] }).toastsSeen = seen;
    const region = document.querySelector('[aria-label="Notifications"]');
    if (!region) throw new Error("no notifications region");
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node instanceof HTMLElement) seen.push(node.querySelector(".toast-title")?.textContent ?? "");
        }
      }
    }).observe(region, { childList: true });
  });
  return () => page.evaluate(() => [...(window as unknown as { toastsSeen: string[] }).toastsSeen]);
}
