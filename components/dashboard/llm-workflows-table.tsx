"use client";

import type { LlmUsageByWorkflow } from "@/lib/metrics/llm-usage-types";
import { llmUsageQuery } from "@/lib/web/metrics-queries";
import type { DashboardQuery } from "@/lib/web/range";
import { useDashboardQuery } from "@/lib/web/use-dashboard-query";
import { formatCount } from "@/components/format/format";
import { CELL_DENSE, SortHeader, TABLE, TBODY, THEAD, TableScroll } from "@/components/ui/table";
import { CostCell, LlmEmpty, useSortedRows, type SortColumn } from "./llm-table-parts";

/** Ingested usage may name no known workflow; it still counts, under this name. */
const NO_WORKFLOW = "No workflow (ingested)";

const nameOf = (w: LlmUsageByWorkflow) => w.workflowName ?? NO_WORKFLOW;

const COLUMNS: Array<SortColumn<LlmUsageByWorkflow>> = [
  { key: "name", label: "Workflow", numeric: false, value: nameOf, cell: nameOf },
  { key: "calls", label: "Calls", numeric: true, value: (w) => w.calls, cell: (w) => formatCount(w.calls) },
  {
    key: "promptTokens",
    label: "Prompt tokens",
    numeric: true,
    value: (w) => w.promptTokens,
    cell: (w) => formatCount(w.promptTokens),
  },
  {
    key: "completionTokens",
    label: "Completion tokens",
    numeric: true,
    value: (w) => w.completionTokens,
    cell: (w) => formatCount(w.completionTokens),
  },
  {
    key: "totalTokens",
    label: "Total tokens",
    numeric: true,
    value: (w) => w.totalTokens,
    cell: (w) => formatCount(w.totalTokens),
  },
  { key: "costUsd", label: "Cost", numeric: true, value: (w) => w.costUsd, cell: (w) => <CostCell {...w} /> },
];
const [NAME, ...FIGURES] = COLUMNS;

/** Tokens and cost per workflow, largest first; every column header sorts (aria-sort). */
export function LlmWorkflowsTable({ q, refresh }: { q: DashboardQuery; refresh: boolean }) {
  const { data } = useDashboardQuery(llmUsageQuery(q), refresh);
  const { rows, sort, sortBy } = useSortedRows(
    data.byWorkflow,
    COLUMNS,
    { key: "totalTokens", dir: "descending" },
    (a, b) => nameOf(a).localeCompare(nameOf(b)),
  );
  if (data.byWorkflow.length === 0) return <LlmEmpty />;

  return (
    <TableScroll label="LLM usage by workflow, scrolls sideways on small screens">
      <table className={TABLE} data-testid="llm-workflows-table">
        <caption className="sr-only">LLM calls, tokens and cost per workflow; column buttons sort the table.</caption>
        <thead className={THEAD}>
          <tr>
            {COLUMNS.map((c) => (
              <SortHeader key={c.key} column={c} sort={sort} onSort={sortBy} />
            ))}
          </tr>
        </thead>
        <tbody className={TBODY}>
          {rows.map((w) => (
            <tr key={w.workflowId ?? "none"} data-testid="llm-workflow-row">
              <th
                scope="row"
                className={`min-w-40 ${CELL_DENSE} text-left font-medium ${w.workflowName ? "" : "italic text-gray-700"}`}
              >
                {NAME.cell(w)}
              </th>
              {FIGURES.map((c) => (
                <td key={c.key} className={`${CELL_DENSE} whitespace-nowrap text-right tabular-nums`} data-col={c.key}>
                  {c.cell(w)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
