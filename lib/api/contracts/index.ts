/**
 * Every endpoint's contract, in one list: the OpenAPI document is generated from it and
 * the route test checks that each route file is bound to one of these (so neither can
 * miss a route). A contracts file exports contracts only (admin-schemas.ts, which holds
 * request schemas, is not one of them).
 */
import type { Contract } from "@/lib/api/contract";
import * as accounts from "./accounts";
import * as admin from "./admin";
import * as alerts from "./alerts";
import * as llm from "./llm";
import * as metrics from "./metrics";
import * as prometheus from "./prometheus";
import * as system from "./system";
import * as systemMetrics from "./system-metrics";

export const CONTRACTS: readonly Contract[] = [
  metrics,
  admin,
  accounts,
  llm,
  system,
  alerts,
  systemMetrics,
  prometheus,
].flatMap((area) => Object.values(area) as Contract[]);
