"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { TEXT_LINK } from "@/components/ui/link";
import { FAILED_RUNS, runsHref, workflowHref } from "@/lib/web/explorer-search";
import { replaceSearch } from "@/lib/web/search-href";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import type { WorkflowRow } from "@/lib/metrics/types";
import { workflowsQuery } from "@/lib/web/metrics-queries";
import type { DashboardQuery } from "@/lib/web/range";
import { useDashboardQuery } from "@/lib/web/use-dashboard-query";
import { formatCount, formatDateTime, formatMinutes, formatMs, formatPercent } from "@/components/format/format";
import {
  CELL_DENSE,
  SortHeader,
  STACKED,
  TABLE,
  TBODY,
  THEAD,
  TableScroll,
  type SortDirection,
} from "@/components/ui/table";
import { StatusBadge } from "./status-badge";

type SortKey =
  | "name"
  | "executions"
  | "successRate"
  | "failures"
  | "avgDurationMs"
  | "p95DurationMs"
  | "timeSavedMinutes"
  | "lastRunAt";
type Direction = SortDirection;

const SORT_KEYS: readonly SortKey[] = [
  "name",
  "executions",
  "successRate",
  "failures",
  "avgDurationMs",
  "p95DurationMs",
  "timeSavedMinutes",
  "lastRunAt",
];

const COLUMNS: Array<{ key: SortKey; label: string; numeric: boolean; cell: (w: WorkflowRow) => string }> = [
  { key: "executions", label: "Executions", numeric: true, cell: (w) => formatCount(w.executions) },
  { key: "successRate", label: "Success rate", numeric: true, cell: (w) => formatPercent(w.successRate) },
  { key: "failures", label: "Failures", numeric: true, cell: (w) => formatCount(w.failures) },
  { key: "avgDurationMs", label: "Avg duration", numeric: true, cell: (w) => formatMs(w.avgDurationMs) },
  { key: "p95DurationMs", label: "p95", numeric: true, cell: (w) => formatMs(w.p95DurationMs) },
  { key: "timeSavedMinutes", label: "Time saved", numeric: true, cell: (w) => formatMinutes(w.timeSavedMinutes) },
];

/** Nulls (no data) always sort last, whichever the direction: they are not "smallest". */
function compare(a: WorkflowRow, b: WorkflowRow, key: SortKey, dir: Direction): number {
  const x = a[key];
  const y = b[key];
  if (x == null || y == null) return x == null ? (y == null ? 0 : 1) : -1;
  const order = typeof x === "string" && typeof y === "string" ? x.localeCompare(y) : Number(x) - Number(y);
  return dir === "ascending" ? order : -order;
}

/** Performance per workflow, sortable by any column with buttons in the headers (aria-sort); each name opens its drill-down. */
export function WorkflowsTable({ q, slug, refresh }: { q: DashboardQuery; slug: string; refresh: boolean }) {
  const { data } = useDashboardQuery(workflowsQuery(q), refresh);
  // Sort and search live in the URL (sort, dir, find), so a sorted view can be shared.
  const search = useSearchParams();
  const pathname = usePathname();
  const asked = search.get("sort");
  const sort = {
    key: SORT_KEYS.includes(asked as SortKey) ? (asked as SortKey) : "executions",
    dir: search.get("dir") === "ascending" ? "ascending" : "descending",
  } satisfies { key: SortKey; dir: Direction };
  const find = search.get("find") ?? "";
  const setParams = (changes: Record<string, string | null>) => replaceSearch(pathname, search, changes);
  if (data.workflows.length === 0)
    return <EmptyState title="No workflows yet">None has been collected for this client.</EmptyState>;

  const needle = find.trim().toLowerCase();
  const rows = data.workflows
    .filter((w) => !needle || w.name.toLowerCase().includes(needle))
    .sort((a, b) => compare(a, b, sort.key, sort.dir) || a.name.localeCompare(b.name));
  const sortBy = (key: SortKey) =>
    setParams({
      sort: key,
      dir:
        sort.key === key
          ? sort.dir === "ascending"
            ? "descending"
            : "ascending"
          : key === "name"
            ? "ascending"
            : "descending",
    });

  const header = (key: SortKey, label: string, numeric: boolean) => (
    <SortHeader key={key} column={{ key, label, numeric }} sort={sort} onSort={sortBy} />
  );

  return (
    <div className="space-y-3">
      <div className="max-w-xs">
        <Field
          label="Find a workflow"
          type="search"
          defaultValue={find}
          onChange={(event) => setParams({ find: event.target.value || null })}
          hint={needle ? `${rows.length} of ${data.workflows.length} workflows` : undefined}
        />
      </div>
      <TableScroll label="Workflow table, scrolls sideways on small screens">
        <table className={`${TABLE} ${STACKED.table}`} data-testid="workflows-table">
          <caption className="sr-only">Workflows and their performance; column buttons sort the table.</caption>
          <thead className={`${THEAD} ${STACKED.thead}`}>
            <tr>
              {header("name", "Workflow", false)}
              {COLUMNS.map((c) => header(c.key, c.label, c.numeric))}
              {header("lastRunAt", "Last run", false)}
            </tr>
          </thead>
          <tbody className={`${TBODY} ${STACKED.tbody}`}>
            {rows.map((w) => (
              <tr key={w.workflowId} data-testid="workflow-row" className={STACKED.row}>
                <th scope="row" className={`${CELL_DENSE} min-w-40 text-left font-medium max-sm:block`}>
                  <Link href={workflowHref(slug, q.range, w.workflowId)} className={TEXT_LINK}>
                    {w.name}
                  </Link>
                  {w.archived ? (
                    <span className="ml-2">
                      <Badge>archived</Badge>
                    </span>
                  ) : (
                    !w.active && (
                      <span className="ml-2">
                        <Badge>inactive</Badge>
                      </span>
                    )
                  )}
                </th>
                {COLUMNS.map((c) => (
                  <td
                    key={c.key}
                    className={`${CELL_DENSE} ${STACKED.cell} whitespace-nowrap text-right tabular-nums`}
                    data-col={c.key}
                    data-label={c.label}
                  >
                    {c.key === "failures" && w.failures > 0 ? (
                      <Link
                        href={runsHref(slug, q.range, { ...FAILED_RUNS, workflowId: String(w.workflowId) })}
                        className={TEXT_LINK}
                        aria-label={`${c.cell(w)} failed runs of ${w.name}`}
                      >
                        {c.cell(w)}
                      </Link>
                    ) : (
                      c.cell(w)
                    )}
                  </td>
                ))}
                <td className={`${CELL_DENSE} ${STACKED.cell} whitespace-nowrap`} data-label="Last run">
                  {w.lastRunAt ? (
                    <span className="flex items-center gap-2">
                      {w.lastRunStatus && <StatusBadge status={w.lastRunStatus} />}
                      <time dateTime={w.lastRunAt}>{formatDateTime(w.lastRunAt, q.timeZone)}</time>
                    </span>
                  ) : (
                    "never"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </div>
  );
}
