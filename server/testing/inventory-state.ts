import { pool } from "../db";

// What the tests compare before and after a request, and the invariants that
// must hold after any mix of reservations and releases.

export type InventorySnapshot = {
  items: { id: number; stockQty: number; reservedQty: number; updatedAt: string }[];
  counts: Record<"reservations" | "reservationLines" | "movements" | "outbox" | "auditLog", number>;
};

/** Every item's quantities and the size of every table a reservation writes. */
export async function snapshotInventory(): Promise<InventorySnapshot> {
  const db = pool();
  const [items, counts] = await Promise.all([
    db.query<{ id: number; stock_qty: number; reserved_qty: number; updated_at: Date }>(
      "SELECT id, stock_qty, reserved_qty, updated_at FROM inventory_items ORDER BY id",
    ),
    db.query<InventorySnapshot["counts"]>(`
      SELECT (SELECT count(*)::int FROM reservations) AS "reservations",
             (SELECT count(*)::int FROM reservation_lines) AS "reservationLines",
             (SELECT count(*)::int FROM inventory_movements) AS "movements",
             (SELECT count(*)::int FROM outbox_messages) AS "outbox",
             (SELECT count(*)::int FROM audit_log WHERE action LIKE 'reservation.%') AS "auditLog"`),
  ]);
  return {
    items: items.rows.map((r) => ({
      id: r.id,
      stockQty: r.stock_qty,
      reservedQty: r.reserved_qty,
      updatedAt: r.updated_at.toISOString(),
    })),
    counts: counts.rows[0] as InventorySnapshot["counts"],
  };
}

/**
 * Checks, for the given items (all items when omitted), everything that must
 * be true however requests interleaved, and returns each violation as a
 * sentence (an empty list when all hold):
 * - 0 <= reserved_qty <= stock_qty;
 * - reserved_qty is the sum of the item's lines in active reservations;
 * - the ledger explains it: replaying the item's reserve and release
 *   movements in id order from `initialReserved` (0 by default) gives every
 *   movement's reserved_after and ends at reserved_qty;
 * - every reservation touching these items has one reserve movement per
 *   line, and one `inventory.changed` outbox row for its creation (and one
 *   for its release when released).
 */
export async function inventoryViolations({
  itemIds,
  initialReserved = new Map(),
}: {
  itemIds?: number[];
  initialReserved?: Map<number, number>;
} = {}): Promise<string[]> {
  const db = pool();
  const ids = itemIds ?? (await db.query<{ id: number }>("SELECT id FROM inventory_items")).rows.map((r) => r.id);
  const violations: string[] = [];

  const items = await db.query<{ id: number; stock_qty: number; reserved_qty: number; active_lines: number }>(
    `SELECT i.id, i.stock_qty, i.reserved_qty,
            COALESCE((SELECT sum(l.qty) FROM reservation_lines l JOIN reservations r ON r.id = l.reservation_id
                      WHERE l.item_id = i.id AND r.status = 'active'), 0)::int AS active_lines
     FROM inventory_items i WHERE i.id = ANY ($1) ORDER BY i.id`,
    [ids],
  );
  const movements = await db.query<{
    id: string;
    item_id: number;
    kind: string;
    qty: number;
    stock_after: number;
    reserved_after: number;
  }>(
    // Ordered by the bigint id, not its text: movement 10 comes after 9.
    `SELECT m.id::text AS id, m.item_id, m.kind, m.qty, m.stock_after, m.reserved_after FROM inventory_movements m
     WHERE m.item_id = ANY ($1) ORDER BY m.item_id, m.id`,
    [ids],
  );
  const byItem = new Map<number, typeof movements.rows>();
  for (const m of movements.rows) {
    const list = byItem.get(m.item_id) ?? [];
    list.push(m);
    byItem.set(m.item_id, list);
  }

  for (const item of items.rows) {
    const name = `item ${item.id}`;
    if (item.reserved_qty < 0 || item.reserved_qty > item.stock_qty) {
      violations.push(`${name}: reserved ${item.reserved_qty} is outside 0..stock ${item.stock_qty}`);
    }
    if (item.reserved_qty !== item.active_lines) {
      violations.push(
        `${name}: reserved ${item.reserved_qty} but its active reservation lines add up to ${item.active_lines}`,
      );
    }
    let reserved = initialReserved.get(item.id) ?? 0;
    for (const m of byItem.get(item.id) ?? []) {
      if (m.kind === "reserve") reserved += m.qty;
      else if (m.kind === "release") reserved -= m.qty;
      else violations.push(`${name}: movement ${m.id} has kind ${m.kind}, which these tests never cause`);
      if (m.reserved_after !== reserved) {
        violations.push(
          `${name}: movement ${m.id} (${m.kind} ${m.qty}) says reserved_after ${m.reserved_after}, the ledger gives ${reserved}`,
        );
      }
      if (m.stock_after !== item.stock_qty) {
        violations.push(`${name}: movement ${m.id} says stock_after ${m.stock_after}, stock is ${item.stock_qty}`);
      }
    }
    if (reserved !== item.reserved_qty) {
      violations.push(`${name}: the ledger ends at reserved ${reserved}, the item says ${item.reserved_qty}`);
    }
  }

  const reservations = await db.query<{
    id: string;
    status: string;
    lines: number;
    reserve_movements: number;
    release_movements: number;
    reserve_events: number;
    release_events: number;
  }>(
    `SELECT r.id, r.status,
            (SELECT count(*)::int FROM reservation_lines l WHERE l.reservation_id = r.id) AS lines,
            (SELECT count(*)::int FROM inventory_movements m WHERE m.reservation_id = r.id AND m.kind = 'reserve') AS reserve_movements,
            (SELECT count(*)::int FROM inventory_movements m WHERE m.reservation_id = r.id AND m.kind = 'release') AS release_movements,
            (SELECT count(*)::int FROM outbox_messages o WHERE o.aggregate_id = r.id::text
               AND o.event_type = 'inventory.changed' AND o.payload ->> 'reason' = 'reserve') AS reserve_events,
            (SELECT count(*)::int FROM outbox_messages o WHERE o.aggregate_id = r.id::text
               AND o.event_type = 'inventory.changed' AND o.payload ->> 'reason' = 'release') AS release_events
     FROM reservations r
     WHERE EXISTS (SELECT 1 FROM reservation_lines l WHERE l.reservation_id = r.id AND l.item_id = ANY ($1))`,
    [ids],
  );
  for (const r of reservations.rows) {
    const released = r.status === "released" ? r.lines : 0;
    if (r.reserve_movements !== r.lines) {
      violations.push(`reservation ${r.id}: ${r.lines} line(s) but ${r.reserve_movements} reserve movement(s)`);
    }
    if (r.release_movements !== released) {
      violations.push(
        `reservation ${r.id} (${r.status}): ${r.release_movements} release movement(s), expected ${released}`,
      );
    }
    if (r.reserve_events !== 1)
      violations.push(`reservation ${r.id}: ${r.reserve_events} reserve event(s) in the outbox`);
    const releaseEvents = r.status === "released" ? 1 : 0;
    if (r.release_events !== releaseEvents) {
      violations.push(
        `reservation ${r.id} (${r.status}): ${r.release_events} release event(s), expected ${releaseEvents}`,
      );
    }
  }
  return violations;
}
