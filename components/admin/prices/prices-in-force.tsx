"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { Badge, type Tone } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatCount } from "@/components/format/format";
import { formatUsd } from "@/components/format/money";
import { CELL_COMPACT, TABLE, TBODY, THEAD, TableScroll } from "@/components/ui/table";
import type { PriceInForce } from "@/lib/api/prices-in-force";
import { pricesInForceQuery } from "./price-api";

const SOURCE: Record<PriceInForce["source"], { label: string; tone: Tone }> = {
  override: { label: "Override", tone: "blue" },
  catalog: { label: "genai-prices catalog", tone: "gray" },
  unpriced: { label: "Unpriced", tone: "amber" },
};

const usd = (value: number | null) => (value === null ? "—" : formatUsd(value));

/** Where a price comes from, in words: the override and its date, or the catalog's model id. */
function origin(p: PriceInForce): string {
  if (p.source === "override") {
    const replaced = p.catalog
      ? `; the catalog says ${formatUsd(p.catalog.inputPerMillionUsd)} / ${formatUsd(p.catalog.outputPerMillionUsd)}`
      : "";
    return `since ${p.effectiveFrom?.slice(0, 10) ?? "?"}${replaced}`;
  }
  if (p.source === "catalog") return p.matchedModel ?? "";
  return "not in the catalog: add an override";
}

/** Each model in recent usage (and each with an override): the price pricing uses now, and where it comes from. */
export function PricesInForce() {
  const { data } = useSuspenseQuery(pricesInForceQuery());
  if (data.prices.length === 0) {
    return (
      <EmptyState title="No LLM usage yet">
        Models appear here once calls are stored, or once they have an override.
      </EmptyState>
    );
  }
  return (
    <TableScroll boxed label="Prices in force, scrolls sideways on small screens">
      <table className={TABLE} data-testid="prices-in-force">
        <caption className="sr-only">
          The price in force now for each model used in the last {data.usageDays} days or with an override, in USD per
          million tokens
        </caption>
        <thead className={THEAD}>
          <tr>
            <th scope="col" className={`${CELL_COMPACT} font-medium`}>
              Model
            </th>
            <th scope="col" className={`${CELL_COMPACT} font-medium`}>
              Provider
            </th>
            <th scope="col" className={`${CELL_COMPACT} text-right font-medium`}>
              Input $ / 1M
            </th>
            <th scope="col" className={`${CELL_COMPACT} text-right font-medium`}>
              Output $ / 1M
            </th>
            <th scope="col" className={`${CELL_COMPACT} font-medium`}>
              Source
            </th>
            <th scope="col" className={`${CELL_COMPACT} text-right font-medium`}>
              Calls ({data.usageDays} d)
            </th>
          </tr>
        </thead>
        <tbody className={TBODY}>
          {data.prices.map((p) => (
            <tr key={`${p.model}\u0000${p.provider ?? ""}`} data-testid="price-in-force-row" data-source={p.source}>
              <th scope="row" className={`${CELL_COMPACT} text-left font-mono text-xs font-medium`}>
                {p.model}
              </th>
              <td className={CELL_COMPACT}>{p.provider ?? <span className="text-gray-600">any</span>}</td>
              <td className={`${CELL_COMPACT} text-right tabular-nums`}>{usd(p.inputPerMillionUsd)}</td>
              <td className={`${CELL_COMPACT} text-right tabular-nums`}>{usd(p.outputPerMillionUsd)}</td>
              <td className={CELL_COMPACT}>
                <Badge tone={SOURCE[p.source].tone}>{SOURCE[p.source].label}</Badge>
                <span className="mt-1 block text-xs text-gray-600">{origin(p)}</span>
              </td>
              <td className={`${CELL_COMPACT} text-right tabular-nums`}>{formatCount(p.recentCalls)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
