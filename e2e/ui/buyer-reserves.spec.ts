import { expect, type Locator, type Page, test } from "@playwright/test";
import { loginThroughForm, ownedItems, shortItem, snap, uniqueRef } from "../support";

// The buyer's path through the purchasing page: look up stock, reserve several
// items for one order in one submission, see availability drop by exactly
// those amounts, release, see it come back; and a refused over-reservation
// that names the short item.

const [bolt, nut, washer] = ownedItems.buyerReserves;
const order = [
  { sku: bolt, qty: 120 },
  { sku: nut, qty: 240 },
  { sku: washer, qty: 360 },
];

function itemRow(page: Page, sku: string): Locator {
  return page.locator(`tr[data-row="${sku}"]`);
}

async function quantities(page: Page, sku: string) {
  const row = itemRow(page, sku);
  await expect(row).toBeVisible();
  const read = async (col: string) => Number(await row.locator(`td[data-col="${col}"]`).getAttribute("data-value"));
  return { stock: await read("stock"), reserved: await read("reserved"), available: await read("available") };
}

async function expectAvailable(page: Page, sku: string, available: number, reserved: number) {
  const cell = itemRow(page, sku).locator('td[data-col="available"]');
  await expect(cell).toHaveAttribute("data-value", String(available));
  await expect(itemRow(page, sku).locator('td[data-col="reserved"]')).toHaveAttribute("data-value", String(reserved));
}

async function chooseItem(dialog: Locator, line: number, sku: string) {
  const select = dialog.getByLabel(`Item (line ${line})`);
  const value = await select.locator("option", { hasText: `${sku} · ` }).getAttribute("value");
  expect(value, `option for ${sku}`).toBeTruthy();
  await select.selectOption(value ?? "");
}

test("the buyer reserves several items for an order, then releases them", async ({ page }) => {
  await loginThroughForm(page, "buyer", /\/purchasing$/);
  await expect(page.getByRole("banner")).toContainText("Bea Buyer");
  await expect(page.getByRole("heading", { name: "Inventory" })).toBeVisible();
  const table = page.getByRole("table", { name: /Inventory items/ });
  for (const header of ["SKU", "Name", "Stock", "Reserved", "Available"]) {
    await expect(table.getByRole("columnheader", { name: header, exact: true })).toBeVisible();
  }
  await expect(itemRow(page, "PKG-STRETCH-23")).toContainText("None free");
  await snap(page, "buyer-01-inventory");

  // Search narrows the table (debounced) and lands in the address bar.
  await page.getByRole("searchbox", { name: "Search by SKU or name" }).fill("M8");
  await expect(page).toHaveURL(/[?&]q=M8/);
  await expect(table.locator("tbody tr")).toHaveCount(3);
  await snap(page, "buyer-02-search");

  const before = new Map(await Promise.all(order.map(async (l) => [l.sku, await quantities(page, l.sku)] as const)));

  const orderRef = uniqueRef("SO-UI");
  await page.getByRole("button", { name: "Reserve for order" }).click();
  const dialog = page.getByRole("dialog", { name: "Reserve for order" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Order reference").fill(orderRef);
  for (const [index, line] of order.entries()) {
    if (index > 0) await dialog.getByRole("button", { name: "+ Add line" }).click();
    await chooseItem(dialog, index + 1, line.sku);
    await dialog.getByLabel(`Quantity (line ${index + 1})`).fill(String(line.qty));
  }
  await expect(dialog.getByText(`${(before.get(bolt)?.available ?? 0).toLocaleString("en-GB")} pcs`)).toBeVisible();
  await snap(page, "buyer-03-reserve-dialog", { fullPage: false });

  await dialog.getByRole("button", { name: "Reserve 3 lines" }).click();
  await expect(page.getByText(`Reserved for order ${orderRef}`)).toBeVisible();
  await expect(dialog).toBeHidden();
  for (const line of order) {
    const was = before.get(line.sku);
    await expectAvailable(page, line.sku, (was?.available ?? 0) - line.qty, (was?.reserved ?? 0) + line.qty);
  }
  const reservation = page.locator(`tr[data-row="${orderRef}"]`);
  await expect(reservation).toContainText("active");
  await expect(reservation).toContainText(`120 pcs ${bolt}`);
  await expect(reservation).toContainText("buyer");
  await snap(page, "buyer-04-reserved");

  await reservation.getByRole("button", { name: "Release" }).click();
  await reservation.getByRole("button", { name: "Yes, release" }).click();
  await expect(page.getByText(`Released order ${orderRef}`)).toBeVisible();
  await expect(reservation).toContainText("released");
  for (const line of order) {
    const was = before.get(line.sku);
    await expectAvailable(page, line.sku, was?.available ?? 0, was?.reserved ?? 0);
  }
  await snap(page, "buyer-05-released");
});

test("an over-reservation is refused with the short item in the buyer's words", async ({ page }) => {
  await loginThroughForm(page, "buyer", /\/purchasing$/);
  const response = await page.request.get(`/api/inventory/items?q=${shortItem.sku}`);
  const [short] = (await response.json()).items as { sku: string; availableQty: number }[];
  expect(short?.sku).toBe(shortItem.sku);

  await page.getByRole("button", { name: "Reserve for order" }).click();
  const dialog = page.getByRole("dialog", { name: "Reserve for order" });
  await dialog.getByLabel("Order reference").fill(uniqueRef("SO-SHORT"));
  await chooseItem(dialog, 1, bolt);
  await dialog.getByLabel("Quantity (line 1)").fill("5");
  await dialog.getByRole("button", { name: "+ Add line" }).click();
  await chooseItem(dialog, 2, shortItem.sku);
  await dialog.getByLabel("Quantity (line 2)").fill("50");
  await dialog.getByRole("button", { name: "Reserve 2 lines" }).click();

  const alert = dialog.getByRole("alert");
  await expect(alert).toContainText("Not enough stock. Nothing was reserved.");
  await expect(alert).toContainText(
    `${shortItem.name} (${shortItem.sku}): you asked for 50 pcs, only ${short?.availableQty} available.`,
  );
  await expect(dialog.getByText(`Only ${short?.availableQty} pcs available`)).toBeVisible();
  await snap(page, "buyer-06-shortage", { fullPage: false });
});

test("a retry after a lost answer books the stock once, with the same Idempotency-Key", async ({ page }) => {
  await loginThroughForm(page, "buyer", /\/purchasing$/);
  const sku = ownedItems.buyerRetry;
  await page.getByRole("searchbox", { name: "Search by SKU or name" }).fill(sku);
  await expect(page.locator("table tbody tr").first()).toHaveAttribute("data-row", sku);
  const before = await quantities(page, sku);

  const keys: string[] = [];
  page.on("request", (req) => {
    if (req.method() === "POST" && req.url().endsWith("/api/reservations"))
      keys.push(req.headers()["idempotency-key"] ?? "");
  });
  // The first attempt reaches the server and is booked, but its answer never
  // comes back to the browser: the worst case for a double booking.
  await page.route(
    "**/api/reservations",
    async (route) => {
      if (route.request().method() !== "POST") return route.fallback();
      await route.fetch();
      await route.abort("connectionreset");
    },
    { times: 1 },
  );

  const orderRef = uniqueRef("SO-RETRY");
  await page.getByRole("button", { name: "Reserve for order" }).click();
  const dialog = page.getByRole("dialog", { name: "Reserve for order" });
  await dialog.getByLabel("Order reference").fill(orderRef);
  await chooseItem(dialog, 1, sku);
  await dialog.getByLabel("Quantity (line 1)").fill("7");
  await dialog.getByRole("button", { name: "Reserve 1 line" }).click();
  await expect(dialog.getByRole("alert")).toContainText("The connection dropped");
  await snap(page, "buyer-07-connection-dropped", { fullPage: false });

  await dialog.getByRole("button", { name: "Reserve 1 line" }).click();
  await expect(page.getByText(`Reserved for order ${orderRef}`)).toBeVisible();
  expect(keys).toHaveLength(2);
  expect(keys[1]).toBe(keys[0]);
  await expectAvailable(page, sku, before.available - 7, before.reserved + 7);

  const list = await page.request.get("/api/reservations?status=active&limit=500");
  const mine = ((await list.json()).reservations as { id: string; orderRef: string }[]).filter(
    (r) => r.orderRef === orderRef,
  );
  expect(mine).toHaveLength(1);
  const released = await page.request.post(`/api/reservations/${mine[0]?.id}/release`);
  expect(released.status()).toBe(200);
});
