import type { Metadata } from "next";
import { Suspense } from "react";
import { modelPricesQuery, pricesInForceQuery } from "@/components/admin/prices/price-api";
import { PriceForm } from "@/components/admin/prices/price-form";
import { PriceList } from "@/components/admin/prices/price-list";
import { PricesInForce } from "@/components/admin/prices/prices-in-force";
import { RepriceButton } from "@/components/admin/prices/reprice-button";
import { Prefetch } from "@/components/dashboard/prefetch";
import { WidgetErrorBoundary } from "@/components/ui/error-boundary";
import { Skeleton } from "@/components/ui/skeleton";
import { requirePageViewer } from "@/lib/accounts/page-guard";
import { modelPricesServerQuery, pricesInForceServerQuery } from "@/lib/web/server-queries";

export const metadata: Metadata = { title: "Model prices" };

/**
 * Admin: the prices in force per model and where each comes from, per-model overrides for
 * models the price catalog lacks or prices differently, and re-pricing of stored usage.
 */
export default async function ModelPricesPage() {
  // The guard is the price API's own access (admin), so the lists are prefetched directly.
  await requirePageViewer("admin");
  const today = new Date().toISOString().slice(0, 10);
  return (
    <section aria-labelledby="prices-heading" className="space-y-5">
      <div className="space-y-2">
        <h1 id="prices-heading" className="text-2xl font-semibold">
          Model prices
        </h1>
        <p className="max-w-3xl text-sm text-gray-700">
          LLM costs come from the genai-prices catalog bundled with Flowscope. A price set here overrides it for one
          model (and, optionally, one provider) from its effective date on; a model with neither shows as{" "}
          <strong>Unpriced</strong>, never as $0.
        </p>
      </div>
      <div className="space-y-2">
        <h2 className="text-base font-semibold">Prices in force</h2>
        <WidgetErrorBoundary label="Prices in force" resetKey="prices-in-force">
          <Suspense fallback={<Skeleton label="prices in force" className="h-40" />}>
            {/* A failed prefetch is not fatal: the list fetches again in the browser and its
                error boundary shows the API's message. */}
            <Prefetch queries={[pricesInForceServerQuery(pricesInForceQuery())]}>
              <PricesInForce />
            </Prefetch>
          </Suspense>
        </WidgetErrorBoundary>
      </div>
      <div className="space-y-2">
        <h2 className="text-base font-semibold">Re-price stored usage</h2>
        <p className="max-w-3xl text-sm text-gray-700">
          Past usage keeps the price that was in effect at its time, and saving a price does not change costs already
          stored. Re-pricing prices every stored call again with the prices above, each at the price of its own time
          (costs sent explicitly with usage are kept), then rebuilds the rollups. For one client or range, run a
          backfill with <code>recomputeCosts</code> instead (the <code>rollups/backfill.requested</code> event with{" "}
          <code>{`{"days": 30, "recomputeCosts": true}`}</code>).
        </p>
        <RepriceButton />
      </div>
      <PriceForm today={today} />
      <div className="space-y-2">
        <h2 className="text-base font-semibold">Overrides</h2>
        <WidgetErrorBoundary label="Price overrides" resetKey="model-prices">
          <Suspense fallback={<Skeleton label="price overrides" className="h-40" />}>
            <Prefetch queries={[modelPricesServerQuery(modelPricesQuery())]}>
              <PriceList />
            </Prefetch>
          </Suspense>
        </WidgetErrorBoundary>
      </div>
    </section>
  );
}
