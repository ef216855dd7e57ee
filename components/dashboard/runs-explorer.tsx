"use client";

import Form from "next/form";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, SelectField } from "@/components/ui/field";
import { TEXT_LINK } from "@/components/ui/link";
import { CELL_DENSE, STACKED, TABLE, TBODY, THEAD, TableScroll, stackedCell } from "@/components/ui/table";
import { formatCount, formatDateTime, formatMs } from "@/components/format/format";
import { EXECUTION_MODES, EXECUTION_STATUSES, FAILED_STATUSES } from "@/lib/core/vocabulary";
import { EXECUTION_CLASSES } from "@/lib/metrics/explorer-params";
import type { ExplorerItem, ExplorerResponse } from "@/lib/metrics/types";
import type { ExplorerFilters } from "@/lib/web/explorer-search";
import { explorerQuery } from "@/lib/web/metrics-queries";
import type { DashboardQuery } from "@/lib/web/range";
import { useDashboardQuery } from "@/lib/web/use-dashboard-query";
import { StatusBadge } from "./status-badge";

const FAILURES = FAILED_STATUSES.join(",");

/**
 * The filters as a GET form: submitting navigates to the same page with them in the URL
 * (next/form, so without a full reload), keeping the range and refresh parameters.
 * Plain controls, usable from the keyboard; Enter in any field applies them.
 */
export function RunsFilters({
  filters,
  workflows,
  keep,
}: {
  filters: ExplorerFilters;
  workflows: ReadonlyArray<{ id: number; name: string }>;
  /** The range and refresh parameters, carried along. */
  keep: Record<string, string>;
}) {
  return (
    <Form action="" className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-8" aria-label="Filter executions">
      {Object.entries(keep).map(([key, value]) => (
        <input key={key} type="hidden" name={key} value={value} />
      ))}
      <SelectField label="Status" name="status" defaultValue={filters.status ?? ""}>
        <option value="">Any</option>
        <option value={FAILURES}>Failures (error, crashed)</option>
        {EXECUTION_STATUSES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Workflow"
        name="workflowId"
        defaultValue={filters.workflowId ?? ""}
        className="col-span-2 sm:col-span-1 lg:col-span-2"
      >
        <option value="">All workflows</option>
        {workflows.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </SelectField>
      <SelectField label="Mode" name="mode" defaultValue={filters.mode ?? ""}>
        <option value="">Any</option>
        {EXECUTION_MODES.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </SelectField>
      <SelectField label="Counted" name="class" defaultValue={filters.class ?? "all"}>
        {EXECUTION_CLASSES.map((c) => (
          <option key={c} value={c}>
            {c === "all" ? "All" : c === "production" ? "Production" : "Excluded"}
          </option>
        ))}
      </SelectField>
      <Field
        label="Min duration (ms)"
        name="minDurationMs"
        type="number"
        min={0}
        inputMode="numeric"
        defaultValue={filters.minDurationMs ?? ""}
      />
      <Field label="Execution id" name="executionId" inputMode="numeric" defaultValue={filters.executionId ?? ""} />
      <div className="col-span-2 flex items-end gap-2 sm:col-span-1">
        <button type="submit" className={buttonClass("primary", "md")}>
          Apply filters
        </button>
      </div>
      {/* Set by links (a reason, an error group, an hour of failures): kept when the form is applied. */}
      {(["reason", "error", "node", "hour"] as const).map((key) =>
        filters[key] ? <input key={key} type="hidden" name={key} value={filters[key]} /> : null,
      )}
    </Form>
  );
}

const COLUMNS = ["Execution", "Workflow", "Status", "Mode", "Started", "Duration", "Error"] as const;
/** A run's cell: dense, stacked under its column's name on phones. */
const cell = (column: (typeof COLUMNS)[number], extra = "") => stackedCell(column, extra, CELL_DENSE);

function RunRow({ item, timeZone }: { item: ExplorerItem; timeZone: string }) {
  return (
    <tr className={`align-top ${STACKED.row}`} data-testid="run-row">
      <td {...cell("Execution", "whitespace-nowrap font-mono")}>
        <a
          href={item.n8nUrl}
          target="_blank"
          rel="noopener noreferrer"
          className={TEXT_LINK}
          data-testid="run-id"
          aria-label={`Execution ${item.executionId} in n8n (opens in a new tab)`}
        >
          #{item.executionId}
        </a>
      </td>
      <td {...cell("Workflow", "min-w-40 break-words")}>{item.workflowName}</td>
      <td {...cell("Status")} data-testid="run-status">
        <StatusBadge status={item.status} />
      </td>
      <td {...cell("Mode", "whitespace-nowrap")}>
        {item.mode}
        {!item.isProduction && (
          <span className="ml-1">
            <Badge tone="gray">excluded{item.exclusionReason ? `: ${item.exclusionReason}` : ""}</Badge>
          </span>
        )}
      </td>
      <td {...cell("Started", "whitespace-nowrap")}>
        {item.startedAt ? (
          <time dateTime={item.startedAt}>{formatDateTime(item.startedAt, timeZone)}</time>
        ) : (
          "not started"
        )}
      </td>
      <td {...cell("Duration", "whitespace-nowrap text-right tabular-nums")}>{formatMs(item.durationMs)}</td>
      <td {...cell("Error", "min-w-48 break-words text-red-800")}>
        {item.errorMessage && (
          <>
            {item.errorNode && <span className="font-medium">{item.errorNode}: </span>}
            {item.errorMessage}
            {item.errorType && <span className="block text-xs text-gray-600">{item.errorType}</span>}
          </>
        )}
      </td>
    </tr>
  );
}

/**
 * The filtered executions, newest first: the first page prefetched on the server, older
 * ones appended a page at a time by their cursor. Times in the client's zone.
 */
export function RunsTable({ q, filters, refresh }: { q: DashboardQuery; filters: ExplorerFilters; refresh: boolean }) {
  const queryClient = useQueryClient();
  const { data: first } = useDashboardQuery(explorerQuery(q, filters), refresh);
  // The older pages loaded after `base`, the first page they continue.
  const [chain, setChain] = useState<{ base: ExplorerResponse; older: ExplorerResponse[] }>({ base: first, older: [] });
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  // A refetched first page (auto-refresh) starts the list again.
  if (chain.base !== first) setChain({ base: first, older: [] });
  const older = chain.base === first ? chain.older : [];
  const pages = [first, ...older];
  const items = pages.flatMap((p) => p.items);
  const cursor = pages[pages.length - 1].nextCursor;

  const loadOlder = async () => {
    if (!cursor) return;
    const base = first;
    setLoading(true);
    setFailure(null);
    try {
      const page = await queryClient.fetchQuery(explorerQuery(q, filters, cursor));
      // Only onto the list it was asked for, and only where that list still ends: after
      // an auto-refresh started it again, appending would skip the runs between.
      setChain((c) =>
        c.base === base && (c.older[c.older.length - 1] ?? c.base).nextCursor === cursor
          ? { ...c, older: [...c.older, page] }
          : c,
      );
    } catch (err) {
      setFailure(err instanceof Error ? err.message : "Could not load older executions.");
    } finally {
      setLoading(false);
    }
  };

  if (items.length === 0)
    return (
      <EmptyState title="No executions match">
        None in this range with these filters. Widen the range or clear a filter.
      </EmptyState>
    );
  return (
    <div className="space-y-3" data-testid="runs">
      <TableScroll label="Executions table, scrolls sideways on small screens">
        <table className={`${TABLE} ${STACKED.table}`}>
          <thead className={`${THEAD} ${STACKED.thead}`}>
            <tr>
              {COLUMNS.map((label) => (
                <th key={label} scope="col" className={`${CELL_DENSE} ${label === "Duration" ? "text-right" : ""}`}>
                  {label === "Started" ? `Started (${q.timeZone})` : label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className={`${TBODY} ${STACKED.tbody}`}>
            {items.map((item) => (
              <RunRow key={item.executionId} item={item} timeZone={q.timeZone} />
            ))}
          </tbody>
        </table>
      </TableScroll>
      <div className="flex flex-wrap items-center gap-3 text-sm text-gray-700">
        <span aria-live="polite">
          {formatCount(items.length)} shown{cursor ? "" : ", all that match"}
        </span>
        {cursor && (
          <button type="button" onClick={loadOlder} disabled={loading} className={buttonClass("secondary", "sm")}>
            {loading ? "Loading…" : "Load older executions"}
          </button>
        )}
        {failure && (
          <span role="alert" className="text-red-800">
            {failure}
          </span>
        )}
      </div>
    </div>
  );
}
