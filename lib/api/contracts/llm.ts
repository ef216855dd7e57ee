/** LLM usage: the metrics endpoint, ingest, and price overrides. */
import { defineContract } from "@/lib/api/contract";
import { LlmUsageQuery } from "@/lib/metrics/llm-usage";
import { UsageBatchBody, UsageBatchResult, UsageEvent, UsageIngestResult } from "@/lib/ingest/llm/ingest-schema";
import { ModelPrice, ModelPriceBody, ModelPricesResponse } from "@/lib/metrics/model-prices";
import { LlmUsageResponse } from "@/lib/metrics/llm-usage-types";
import { PricesInForceResponse } from "@/lib/api/prices-in-force";
import { RepriceResult } from "@/lib/jobs/reprice";

const EXAMPLE_EVENT = {
  clientId: ":client",
  workflowId: "wf-example",
  model: "gpt-4o-mini",
  provider: "openai",
  promptTokens: 1200,
  completionTokens: 300,
  reason: "ticket summary",
  timestamp: ":now",
};

const PRODUCTION_NOTE =
  "Usage of a stored non-production execution (manual or test run) is not counted, as in the rollups; usage without an execution is.";

export const metricsLlmUsage = defineContract({
  method: "GET",
  path: "/api/v1/metrics/llm-usage",
  tag: "llm",
  summary: "LLM tokens, calls and cost per workflow and per model, and cost over time",
  description:
    "Range: `timeframe` (1h, 6h, 24h, 7d, 30d, 90d; default 7d) or `start`/`end`; whole buckets of the range's level (≤7d hourly, ≤90d daily, beyond monthly) unless `source` overrides it. " +
    `A null cost means unpriced (unknown model), never $0. ${PRODUCTION_NOTE} CSV: \`table\` picks workflow, model or cost.`,
  query: LlmUsageQuery,
  response: { name: "LlmUsageResponse", schema: LlmUsageResponse },
  csv: true,
  client: "query",
  access: "viewer",
  example: { query: { clientId: ":client" } },
});

export const usageIngest = defineContract({
  method: "POST",
  path: "/api/v1/usage",
  tag: "llm",
  summary: "Record one LLM usage event",
  description:
    "Priced from the model at `timestamp` unless `costUsd` is given (then kept as given, also by later re-pricing). " +
    "`idempotencyKey` (default: a hash of the event) makes a retry count once: `duplicates: 1`. " +
    "A client token only posts for its own client; another client answers 404.",
  body: UsageEvent,
  response: { name: "UsageIngestResult", schema: UsageIngestResult },
  access: "ingest",
  example: { body: EXAMPLE_EVENT },
});

export const usageIngestBatch = defineContract({
  method: "POST",
  path: "/api/v1/usage/batch",
  tag: "llm",
  summary: "Record up to 1000 LLM usage events",
  description:
    "Each event is validated alone: valid ones are stored together (all or none on a database failure), invalid ones are listed in `errors` by index with the field at fault. " +
    'An event for a client outside the caller\'s scope is rejected as "clientId: not found". More than 1000 events is a 400.',
  body: UsageBatchBody,
  // 1,000 events of a few hundred bytes each.
  maxBodyBytes: 2 * 1024 * 1024,
  perItem: "events",
  response: { name: "UsageBatchResult", schema: UsageBatchResult },
  access: "ingest",
  example: {
    body: { events: [EXAMPLE_EVENT, { ...EXAMPLE_EVENT, model: "claude-3-5-haiku", provider: "anthropic" }] },
  },
});

export const adminModelPrices = defineContract({
  method: "GET",
  path: "/api/v1/admin/model-prices",
  tag: "llm",
  summary: "Per-model price overrides",
  description:
    "Prices in USD per million tokens; they take precedence over the bundled price catalog from their effectiveFrom on.",
  response: { name: "ModelPricesResponse", schema: ModelPricesResponse },
  access: "admin",
});

export const adminModelPriceCreate = defineContract({
  method: "POST",
  path: "/api/v1/admin/model-prices",
  tag: "llm",
  summary: "Add a price override for a model",
  description:
    "Applies to calls from `effectiveFrom` on; `provider` omitted applies to the model under any provider. 409 when the model already has a price from that instant. " +
    "Stored costs change only when re-priced: POST model-prices/reprice, or a backfill with `recomputeCosts`.",
  body: ModelPriceBody,
  response: { name: "ModelPrice", schema: ModelPrice },
  status: 201,
  access: "admin",
  example: {
    body: {
      model: "example-model",
      inputPerMillionUsd: 0.5,
      outputPerMillionUsd: 1.5,
      effectiveFrom: "2026-01-01T00:00:00Z",
    },
  },
});

export const adminPricesInForce = defineContract({
  method: "GET",
  path: "/api/v1/admin/model-prices/in-force",
  tag: "llm",
  summary: "The price in force now for each model in use",
  description:
    "Every model in the last 90 days of LLM usage, and every model with an override: input and output USD per million tokens as pricing uses them now, " +
    "and `source`: override (with its `effectiveFrom`), catalog (the bundled genai-prices catalog, `matchedModel` its id) or unpriced. " +
    "`catalog` is the catalog's own price, shown beside an override that replaces it.",
  response: { name: "PricesInForceResponse", schema: PricesInForceResponse },
  access: "admin",
  example: {},
});

export const adminReprice = defineContract({
  method: "POST",
  path: "/api/v1/admin/model-prices/reprice",
  tag: "llm",
  summary: "Re-price stored LLM usage with today's prices",
  description:
    "Every stored call whose cost came from pricing is priced again, at the price in force at its time (costs given explicitly at ingest are kept). " +
    "Answers how many calls were re-priced and how many changed, and `rollupRunId`, the rollup run that carries the new costs into the dashboards (null when nothing changed).",
  response: { name: "RepriceResult", schema: RepriceResult },
  access: "admin",
  example: {},
});
