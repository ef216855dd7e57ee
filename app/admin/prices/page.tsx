import type { Metadata } from "next";
import { Suspense } from "react";
import { modelPricesQuery } from "@/components/admin/prices/price-api";
import { PriceForm } from "@/components/admin/prices/price-form";
import { PriceList } from "@/components/admin/prices/price-list";
import { Prefetch } from "@/components/dashboard/prefetch";
import { WidgetErrorBoundary } from "@/components/ui/error-boundary";
import { Skeleton } from "@/components/ui/skeleton";
import { requirePageViewer } from "@/lib/accounts/page-guard";
import { modelPricesServerQuery } from "@/lib/web/server-queries";

export const metadata: Metadata = { title: "Model prices" };

/** Admin: per-model price overrides, for models the price database lacks or prices differently. */
export default async function ModelPricesPage() {
  // The guard is the price API's own access (admin), so the list is prefetched directly.
  await requirePageViewer("admin");
  const today = new Date().toISOString().slice(0, 10);
  return (
    <section aria-labelledby="prices-heading" className="space-y-5">
      <div className="space-y-2">
        <h1 id="prices-heading" className="text-2xl font-semibold">
          Model prices
        </h1>
        <p className="max-w-3xl text-sm text-gray-700">
          LLM costs come from a maintained price database. A price set here overrides it for one model (and, optionally,
          one provider) from its effective date on; a model with neither shows as <strong>Unpriced</strong>, never as
          $0.
        </p>
        <p className="max-w-3xl text-sm text-gray-700">
          Past usage keeps the price that was in effect at its time: a new price never rewrites older calls. Costs
          already recorded after the effective date are not changed by saving either; they are recomputed by a backfill
          with <code>recomputeCosts</code> (the <code>rollups/backfill.requested</code> event with{" "}
          <code>{`{"days": 30, "recomputeCosts": true}`}</code>).
        </p>
      </div>
      <PriceForm today={today} />
      <div className="space-y-2">
        <h2 className="text-base font-semibold">Overrides</h2>
        <WidgetErrorBoundary label="Price overrides" resetKey="model-prices">
          <Suspense fallback={<Skeleton label="price overrides" className="h-40" />}>
            {/* A failed prefetch is not fatal: the list fetches again in the browser and its
                error boundary shows the API's message. */}
            <Prefetch queries={[modelPricesServerQuery(modelPricesQuery())]}>
              <PriceList />
            </Prefetch>
          </Suspense>
        </WidgetErrorBoundary>
      </div>
    </section>
  );
}
