"use client";

import { useEffect, useState } from "react";
import { errorText } from "./api-client";
import { type Column, DataTable } from "./data-table";
import { type InventoryItemView, useInventory } from "./inventory-queries";
import { usePurchasingLiveUpdates } from "./purchase-order-live-updates";
import { AvailabilityBadge, formatQty, stockLevel } from "./quantities";
import { ReserveDialog } from "./reserve-dialog";
import { useDebouncedValue } from "./use-debounced-value";

const columns: Column<InventoryItemView>[] = [
  { key: "sku", header: "SKU", cell: (item) => <code className="sku">{item.sku}</code> },
  { key: "name", header: "Name", cell: (item) => item.name },
  {
    key: "stock",
    header: "Stock",
    numeric: true,
    value: (i) => i.stockQty,
    cell: (i) => <Qty n={i.stockQty} unit={i.unit} />,
  },
  {
    key: "reserved",
    header: "Reserved",
    numeric: true,
    value: (i) => i.reservedQty,
    cell: (i) => <Qty n={i.reservedQty} unit={i.unit} />,
  },
  {
    key: "available",
    header: "Available",
    numeric: true,
    value: (i) => i.availableQty,
    cell: (i) => (
      <span className="available-cell">
        <AvailabilityBadge level={stockLevel(i)} />
        <strong>
          <Qty n={i.availableQty} unit={i.unit} />
        </strong>
      </span>
    ),
  },
];

function Qty({ n, unit }: { n: number; unit: string }) {
  const [figure, ...rest] = formatQty(n, unit).split(" ");
  return (
    <>
      {figure} <span className="unit">{rest.join(" ")}</span>
    </>
  );
}

/**
 * Stock per item with a debounced search (kept in ?q=), and the entry to the
 * reserve dialog. It holds the purchasing page's live connection: pushed
 * stock and reservation changes refresh this panel and the reservations below.
 */
export function InventoryPanel({ initialQuery }: { initialQuery: string }) {
  usePurchasingLiveUpdates();
  const [search, setSearch] = useState(initialQuery);
  const [dialogOpen, setDialogOpen] = useState(false);
  const q = useDebouncedValue(search.trim(), 300);
  const inventory = useInventory(q);

  useEffect(() => {
    // Keep the search in the address, so a reload or a shared link shows the same rows.
    const url = new URL(window.location.href);
    if (q) url.searchParams.set("q", q);
    else url.searchParams.delete("q");
    window.history.replaceState(window.history.state, "", url);
  }, [q]);

  const items = inventory.data ?? [];
  return (
    <section className="card" aria-labelledby="inventory-title">
      <div className="card-header">
        <div>
          <h2 id="inventory-title">Inventory</h2>
          <p className="muted" aria-live="polite">
            {inventory.isPending
              ? "Loading…"
              : inventory.isFetching
                ? "Updating…"
                : `${items.length} ${items.length === 1 ? "item" : "items"}${q ? ` matching “${q}”` : ""}`}
          </p>
        </div>
        <div className="toolbar">
          <label className="search-field">
            <span className="visually-hidden">Search by SKU or name</span>
            <input
              type="search"
              placeholder="Search SKU or name"
              value={search}
              maxLength={100}
              onChange={(e) => setSearch(e.target.value)}
            />
          </label>
          <button type="button" className="button button-primary" onClick={() => setDialogOpen(true)}>
            Reserve for order
          </button>
        </div>
      </div>

      {inventory.isError && !inventory.data ? (
        <div className="alert alert-error" role="alert">
          <p className="alert-title">Could not load the inventory.</p>
          <p>{errorText(inventory.error)}</p>
          <button type="button" className="button button-secondary" onClick={() => inventory.refetch()}>
            Try again
          </button>
        </div>
      ) : inventory.isPending ? (
        <p className="loading" role="status">
          Loading inventory…
        </p>
      ) : (
        <DataTable
          caption="Inventory items with stock, reserved and available quantities"
          hideCaption
          columns={columns}
          rows={items}
          rowKey={(item) => item.id}
          rowLabel={(item) => item.sku}
          rowClassName={(item) => `row-${stockLevel(item)}`}
          empty={q ? `No item matches “${q}”.` : "No items in stock yet."}
        />
      )}
      <ReserveDialog open={dialogOpen} onClose={() => setDialogOpen(false)} />
    </section>
  );
}
