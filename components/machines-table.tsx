"use client";

import { errorText } from "./api-client";
import { type Column, DataTable } from "./data-table";
import { type MachineView, useMachines } from "./inventory-queries";
import { formatDateTime } from "./quantities";

const columns: Column<MachineView>[] = [
  { key: "code", header: "Code", cell: (m) => <code className="sku">{m.code}</code> },
  { key: "name", header: "Machine", cell: (m) => m.name },
  { key: "workCenter", header: "Work center", numeric: true, cell: (m) => m.workCenterId },
  { key: "status", header: "Status", cell: (m) => <span className={`status status-${m.status}`}>{m.status}</span> },
  { key: "capabilities", header: "Capabilities", cell: (m) => m.capabilities.join(", ") },
  { key: "since", header: "Since", cell: (m) => formatDateTime(m.statusSince) },
];

/** The machines this person may see (an operator: their own work center's). */
export function MachinesTable() {
  const machines = useMachines();
  if (machines.isError && !machines.data) {
    return (
      <div className="alert alert-error" role="alert">
        <p className="alert-title">Could not load the machines.</p>
        <p>{errorText(machines.error)}</p>
        <button type="button" className="button button-secondary" onClick={() => machines.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  if (machines.isPending) {
    return (
      <p className="loading" role="status">
        Loading machines…
      </p>
    );
  }
  return (
    <DataTable
      caption="Machines"
      hideCaption
      columns={columns}
      rows={machines.data}
      rowKey={(m) => m.id}
      rowLabel={(m) => m.code}
      empty="No machines to show."
    />
  );
}
