import type { Db } from "@/lib/db/database";
import { loadCoverage, missingInRange } from "@/lib/ingest/collect/coverage";
import { resolveRange, type RangeParams } from "./range";
import type { CoverageResponse } from "./types";

/** A client's coverage, and how many executions are unknown within the range (default 30 days). */
export async function getCoverage(
  db: Db,
  opts: { clientId: number; range: Partial<RangeParams>; now?: Date },
): Promise<CoverageResponse> {
  const range = resolveRange({ source: "auto", ...opts.range }, opts.now, "30d");
  const [coverage, missing] = await Promise.all([
    loadCoverage(db, opts.clientId),
    missingInRange(db, opts.clientId, range.start, range.end),
  ]);
  return {
    clientId: opts.clientId,
    ...coverage,
    range: { start: range.start.toISOString(), end: range.end.toISOString(), missing },
  };
}
