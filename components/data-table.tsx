import type { ReactNode } from "react";

export type Column<Row> = {
  /** Stable name of the column; also written as data-col on each cell for tests and styling. */
  key: string;
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
  /** A machine-readable value for the cell (data-value), e.g. a quantity. */
  value?: (row: Row) => string | number;
};

type Props<Row> = {
  caption: string;
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string | number;
  rowClassName?: (row: Row) => string | undefined;
  rowLabel?: (row: Row) => string;
  empty?: ReactNode;
  /** Visually hide the caption when a heading above already says it. */
  hideCaption?: boolean;
};

export function DataTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
  rowClassName,
  rowLabel,
  empty,
  hideCaption,
}: Props<Row>) {
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption className={hideCaption ? "visually-hidden" : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} scope="col" className={column.numeric ? "num" : undefined}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="table-empty">
                {empty ?? "Nothing to show."}
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={rowKey(row)} className={rowClassName?.(row)} data-row={rowLabel?.(row)}>
                {columns.map((column) => (
                  <td
                    key={column.key}
                    className={column.numeric ? "num" : undefined}
                    data-col={column.key}
                    data-value={column.value?.(row)}
                  >
                    {column.cell(row)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
