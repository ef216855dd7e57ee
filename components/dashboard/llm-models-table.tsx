"use client";

import { Badge } from "@/components/ui/badge";
import type { LlmUsageByModel } from "@/lib/metrics/llm-usage-types";
import { llmUsageQuery } from "@/lib/web/metrics-queries";
import type { DashboardQuery } from "@/lib/web/range";
import { useDashboardQuery } from "@/lib/web/use-dashboard-query";
import { formatCount } from "@/components/format/format";
import { CELL_DENSE, SortHeader, TABLE, TBODY, THEAD, TableScroll } from "@/components/ui/table";
import { CostCell, LlmEmpty, useSortedRows, type SortColumn } from "./llm-table-parts";

const providerOf = (m: LlmUsageByModel) => m.provider ?? "—";

const COLUMNS: Array<SortColumn<LlmUsageByModel>> = [
  { key: "provider", label: "Provider", numeric: false, value: (m) => m.provider, cell: providerOf },
  {
    key: "model",
    label: "Model",
    numeric: false,
    value: (m) => m.model,
    cell: (m) => (
      <span className="inline-flex flex-wrap items-center gap-2">
        <span className="font-mono text-xs">{m.model}</span>
        {/* Text, not colour alone: a model without a price has no cost, not a $0 one. */}
        {!m.priced && <Badge tone="amber">Unpriced</Badge>}
      </span>
    ),
  },
  { key: "calls", label: "Calls", numeric: true, value: (m) => m.calls, cell: (m) => formatCount(m.calls) },
  {
    key: "totalTokens",
    label: "Tokens",
    numeric: true,
    value: (m) => m.totalTokens,
    cell: (m) => (
      <span title={`${formatCount(m.promptTokens)} prompt · ${formatCount(m.completionTokens)} completion`}>
        {formatCount(m.totalTokens)}
      </span>
    ),
  },
  {
    key: "costUsd",
    label: "Cost",
    numeric: true,
    // An unpriced model sorts with the nulls, last, even if the API sent a figure.
    value: (m) => (m.priced ? m.costUsd : null),
    cell: (m) => (
      <CostCell costUsd={m.priced ? m.costUsd : null} calls={m.priced ? m.calls : 0} unpricedCalls={m.unpricedCalls} />
    ),
  },
];

/** Tokens and cost per provider and model; models without a known price are flagged. */
export function LlmModelsTable({ q, refresh }: { q: DashboardQuery; refresh: boolean }) {
  const { data } = useDashboardQuery(llmUsageQuery(q), refresh);
  const { rows, sort, sortBy } = useSortedRows(
    data.byModel,
    COLUMNS,
    { key: "totalTokens", dir: "descending" },
    (a, b) => a.model.localeCompare(b.model),
  );
  if (data.byModel.length === 0) return <LlmEmpty />;
  const unpriced = data.byModel.filter((m) => !m.priced).length;

  return (
    <div className="space-y-2">
      <TableScroll label="LLM usage by model, scrolls sideways on small screens">
        <table className={TABLE} data-testid="llm-models-table">
          <caption className="sr-only">
            LLM calls, tokens and cost per provider and model; column buttons sort the table.
          </caption>
          <thead className={THEAD}>
            <tr>
              {COLUMNS.map((c) => (
                <SortHeader key={c.key} column={c} sort={sort} onSort={sortBy} />
              ))}
            </tr>
          </thead>
          <tbody className={TBODY}>
            {rows.map((m) => (
              <tr key={`${m.provider ?? ""}/${m.model}`} data-testid="llm-model-row" data-priced={m.priced}>
                <td className={`${CELL_DENSE} whitespace-nowrap`}>{providerOf(m)}</td>
                <th scope="row" className={`${CELL_DENSE} text-left font-medium`}>
                  {COLUMNS[1].cell(m)}
                </th>
                {COLUMNS.slice(2).map((c) => (
                  <td
                    key={c.key}
                    className={`${CELL_DENSE} whitespace-nowrap text-right tabular-nums`}
                    data-col={c.key}
                  >
                    {c.cell(m)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {unpriced > 0 && (
        <p className="text-xs text-gray-600">
          Unpriced: no price is known for{" "}
          {unpriced === 1 ? "this model, so its calls are" : `these ${unpriced} models, so their calls are`} left out of
          the cost. An administrator can set a price on the admin Model prices page.
        </p>
      )}
    </div>
  );
}
