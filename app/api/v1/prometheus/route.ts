import { apiRoute } from "@/lib/api/handler";
import { prometheusMetrics } from "@/lib/api/contracts/prometheus";
import { renderPrometheus, scrapeTokenViewer } from "@/lib/metrics/prometheus";

export const GET = apiRoute(prometheusMetrics, {
  credential: scrapeTokenViewer,
  handler: async ({ db }) => {
    const { contentType, text } = await renderPrometheus(db);
    return new Response(text, { headers: { "content-type": contentType, "cache-control": "no-store" } });
  },
});
