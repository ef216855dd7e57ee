"use client";

import { useState, type ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import type { SortDirection } from "@/components/ui/table";
import { formatUsd } from "@/components/format/money";

/** What every LLM widget shows when the range has no usage. */
export function LlmEmpty() {
  return (
    <EmptyState title="No LLM usage in this range">
      Usage appears when workflows with AI nodes run, or when it is posted to the usage API. Try a longer timeframe.
    </EmptyState>
  );
}

/**
 * A cost, never a made-up $0: null (no priced call) reads "—" with an "Unpriced"
 * badge, and calls left out of a partial cost are said next to it.
 */
export function CostCell({
  costUsd,
  calls,
  unpricedCalls,
}: {
  costUsd: number | null;
  calls: number;
  unpricedCalls: number;
}) {
  if (costUsd == null) {
    return (
      <span className="inline-flex items-center gap-2">
        {calls > 0 && <Badge tone="amber">Unpriced</Badge>}
        <span>{formatUsd(null)}</span>
      </span>
    );
  }
  return (
    <span className="inline-flex flex-col items-end">
      <span>{formatUsd(costUsd)}</span>
      {unpricedCalls > 0 && <span className="text-xs text-amber-800">+ {unpricedCalls} unpriced</span>}
    </span>
  );
}

export type Direction = SortDirection;

export interface SortColumn<Row> {
  key: string;
  label: string;
  numeric: boolean;
  value: (row: Row) => number | string | null;
  cell: (row: Row) => ReactNode;
}

/** Nulls (no data, unpriced) always sort last, whichever the direction: they are not "smallest". */
function compare(x: number | string | null, y: number | string | null, dir: Direction): number {
  if (x == null || y == null) return x == null ? (y == null ? 0 : 1) : -1;
  const order = typeof x === "string" && typeof y === "string" ? x.localeCompare(y) : Number(x) - Number(y);
  return dir === "ascending" ? order : -order;
}

/**
 * Sort state for a table of columns; a first click sorts text A→Z and numbers largest
 * first, a second click reverses. Ties fall back to `tieBreak` for a stable order.
 */
export function useSortedRows<Row>(
  rows: readonly Row[],
  columns: ReadonlyArray<SortColumn<Row>>,
  initial: { key: string; dir: Direction },
  tieBreak: (a: Row, b: Row) => number,
) {
  const [sort, setSort] = useState(initial);
  const column = columns.find((c) => c.key === sort.key) ?? columns[0];
  const sorted = [...rows].sort((a, b) => compare(column.value(a), column.value(b), sort.dir) || tieBreak(a, b));
  const sortBy = (key: string) => {
    const numeric = columns.find((c) => c.key === key)?.numeric ?? true;
    setSort((s) => ({
      key,
      dir: s.key === key ? (s.dir === "ascending" ? "descending" : "ascending") : numeric ? "descending" : "ascending",
    }));
  };
  return { rows: sorted, sort, sortBy };
}
