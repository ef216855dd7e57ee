import { metricsAllClients } from "@/lib/api/contracts/metrics";
import { apiRoute } from "@/lib/api/handler";
import { getAllClientsOverview } from "@/lib/metrics/all-clients";
import { allClientsCsvRows } from "@/lib/metrics/csv-rows";
import { rangeOf } from "@/lib/metrics/params";

/** Operator overview of every client, with data freshness. */
export const GET = apiRoute(metricsAllClients, {
  name: "all-clients",
  handler: ({ db, query }) => getAllClientsOverview(db, { range: rangeOf(query) }),
  csv: allClientsCsvRows,
});
