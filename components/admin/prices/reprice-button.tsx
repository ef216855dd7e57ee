"use client";

import Link from "next/link";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { formatCount } from "@/components/format/format";
import { buttonClass } from "@/components/ui/button";
import { TEXT_LINK } from "@/components/ui/link";
import { ALERT, SUCCESS } from "@/components/ui/message";
import { errorText } from "@/lib/web/fetch-json";
import { pricesInForceQuery, repriceStoredUsage } from "./price-api";

/**
 * Re-prices every stored LLM call with the prices in force (each at the price of its
 * time), after a price was added: saving a price changes no stored cost by itself. Says
 * how many calls changed and links the rollup run that carries them into the dashboards.
 */
export function RepriceButton() {
  const queryClient = useQueryClient();
  const reprice = useMutation({
    mutationFn: repriceStoredUsage,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: pricesInForceQuery().queryKey }),
  });
  const result = reprice.data;
  return (
    <div className="space-y-2" data-testid="reprice">
      <button
        type="button"
        className={buttonClass("secondary")}
        disabled={reprice.isPending}
        onClick={() => reprice.mutate()}
      >
        {reprice.isPending ? "Re-pricing…" : "Re-price stored usage"}
      </button>
      <div aria-live="polite">
        {reprice.isError && (
          <p role="alert" className={ALERT}>
            Stored usage was not re-priced: {errorText(reprice.error)}
          </p>
        )}
        {result && (
          <p role="status" className={SUCCESS} data-testid="reprice-result">
            {result.changed === 0
              ? `No cost changed: all ${formatCount(result.repriced)} priced calls already had today’s prices.`
              : `${formatCount(result.changed)} of ${formatCount(result.repriced)} priced calls changed cost. `}
            {result.rollupRunId !== null && (
              <>
                The dashboards follow once{" "}
                <Link href={`/admin/tasks/${result.rollupRunId}`} className={TEXT_LINK}>
                  rollup run #{result.rollupRunId}
                </Link>{" "}
                is done.
              </>
            )}
          </p>
        )}
      </div>
    </div>
  );
}
