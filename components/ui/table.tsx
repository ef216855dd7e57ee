import type { ReactNode } from "react";
import { FOCUS_RING } from "./focus";

/** The shared table look: small text, a grey header row, hairlines between rows. */
export const TABLE = "min-w-full divide-y divide-gray-200 text-sm";
export const THEAD = "bg-gray-50 text-left text-gray-700";
export const TBODY = "divide-y divide-gray-100";
/**
 * Cell padding by density: CELL for lists of records (clients, users, tokens),
 * CELL_COMPACT for runs and prices, CELL_DENSE for the dashboard's many-column tables.
 */
export const CELL = "px-4 py-3";
export const CELL_COMPACT = "px-3 py-2";
export const CELL_DENSE = "px-2 py-2";

/**
 * Tables that become stacked rows below the sm breakpoint: each row a block of
 * "label: value" lines, the label taken from the cell's data-label (the column's header),
 * the header row kept for screen readers only. From sm up, the table as it is.
 */
export const STACKED = {
  table: "max-sm:block",
  thead: "max-sm:sr-only",
  tbody: "max-sm:block",
  row: "max-sm:block max-sm:py-2",
  cell: "max-sm:flex max-sm:min-w-0 max-sm:empty:hidden max-sm:justify-between max-sm:gap-3 max-sm:py-1 max-sm:text-right max-sm:whitespace-normal max-sm:before:shrink-0 max-sm:before:text-left max-sm:before:font-medium max-sm:before:text-gray-600 max-sm:before:content-[attr(data-label)]",
} as const;

/** A stacked table's cell: its padding, the stacked layout, and its column's name as the label phones show. */
export function stackedCell(label: string, extra = "", padding: string = CELL_COMPACT) {
  return { className: `${padding} ${STACKED.cell} ${extra}`, "data-label": label };
}

/**
 * The box a wide table scrolls sideways in on small screens. It is focusable and named,
 * so keyboard users can scroll it and screen readers announce it. `boxed` draws the
 * white card around it, for a table that stands on its own (not inside a panel).
 */
export function TableScroll({
  label,
  boxed = false,
  className = "",
  children,
}: {
  /** e.g. "Users table, scrolls sideways on small screens". */
  label: string;
  boxed?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div
      className={["overflow-x-auto", boxed && "rounded-lg border border-gray-200 bg-white", className]
        .filter(Boolean)
        .join(" ")}
      tabIndex={0}
      role="region"
      aria-label={label}
    >
      {children}
    </div>
  );
}

export type SortDirection = "ascending" | "descending";

/** A column header whose button sorts the table; aria-sort tells screen readers the order. */
export function SortHeader<K extends string>({
  column,
  sort,
  onSort,
}: {
  column: { key: K; label: string; numeric: boolean };
  sort: { key: K; dir: SortDirection };
  onSort: (key: K) => void;
}) {
  const active = sort.key === column.key;
  return (
    <th
      scope="col"
      aria-sort={active ? sort.dir : "none"}
      className={`${CELL_DENSE} font-medium ${column.numeric ? "text-right" : "text-left"}`}
    >
      <button
        type="button"
        onClick={() => onSort(column.key)}
        className={`inline-flex items-center gap-1 rounded px-1 hover:text-gray-900 ${FOCUS_RING}`}
      >
        {column.label}
        <span aria-hidden="true" className={active ? "text-gray-900" : "text-gray-400"}>
          {active ? (sort.dir === "ascending" ? "▲" : "▼") : "↕"}
        </span>
      </button>
    </th>
  );
}
