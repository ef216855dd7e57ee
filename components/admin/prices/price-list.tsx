"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { EmptyState } from "@/components/ui/empty-state";
import { formatUsd } from "@/components/format/money";
import { CELL_COMPACT, TABLE, TBODY, THEAD, TableScroll } from "@/components/ui/table";
import { modelPricesQuery, type ModelPrice } from "./price-api";

/** "2026-01-01", or with the time when an override does not start at midnight UTC. */
function effectiveLabel(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = date.toISOString();
  return text.slice(11, 19) === "00:00:00" ? text.slice(0, 10) : `${text.slice(0, 10)} ${text.slice(11, 16)} UTC`;
}

const byModelThenDate = (a: ModelPrice, b: ModelPrice) =>
  a.model.localeCompare(b.model) || Date.parse(a.effectiveFrom) - Date.parse(b.effectiveFrom);

/** Every override, grouped by model, oldest price first: the history of a model's price reads downwards. */
export function PriceList() {
  const { data } = useSuspenseQuery(modelPricesQuery());
  if (data.length === 0) {
    return (
      <EmptyState title="No price overrides yet">
        Costs use the price database. Add an override for a model it does not know or prices differently.
      </EmptyState>
    );
  }
  return (
    <TableScroll boxed label="Price overrides, scrolls sideways on small screens">
      <table className={TABLE} data-testid="price-overrides">
        <caption className="sr-only">Model price overrides, in USD per million tokens</caption>
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
              Effective from
            </th>
          </tr>
        </thead>
        <tbody className={TBODY}>
          {[...data].sort(byModelThenDate).map((p) => (
            <tr key={p.id} data-testid="price-row">
              <th scope="row" className={`${CELL_COMPACT} text-left font-mono text-xs font-medium`}>
                {p.model}
              </th>
              <td className={CELL_COMPACT}>{p.provider ?? <span className="text-gray-600">any</span>}</td>
              <td className={`${CELL_COMPACT} text-right tabular-nums`}>{formatUsd(p.inputPerMillionUsd)}</td>
              <td className={`${CELL_COMPACT} text-right tabular-nums`}>{formatUsd(p.outputPerMillionUsd)}</td>
              <td className={`${CELL_COMPACT} whitespace-nowrap`}>
                <time dateTime={p.effectiveFrom}>{effectiveLabel(p.effectiveFrom)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
