import { backfill } from "./functions/backfill";
import { collect } from "./functions/collect";
import { evaluateAlerts } from "./functions/evaluate-alerts";
import { reclassify } from "./functions/reclassify";
import { retention } from "./functions/retention";
import { retentionNow } from "./functions/retention-now";
import { rollupNow } from "./functions/rollup-now";
import { rollupDaily } from "./functions/rollup-daily";
import { rollupMonthly } from "./functions/rollup-monthly";
import { rollupWeekly } from "./functions/rollup-weekly";
import { syncClientFn } from "./functions/sync-client";

/** Every function the /api/inngest endpoint serves. */
export const functions = [
  collect,
  syncClientFn,
  rollupDaily,
  rollupWeekly,
  rollupMonthly,
  retention,
  rollupNow,
  retentionNow,
  backfill,
  reclassify,
  evaluateAlerts,
];

export { inngest } from "./client";
