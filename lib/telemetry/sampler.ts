import type { Db } from "@/lib/db/database";
import { logError } from "@/lib/core/log";
import { HOUR_MS } from "@/lib/core/time";
import { aggregatePendingHours } from "./aggregate";
import { recordMetrics } from "./recorder";
import { sampleResources } from "./resources";

const STATE = Symbol.for("flowscope.resourceSampler");
type WithSampler = typeof globalThis & { [STATE]?: ReturnType<typeof setInterval> };

/**
 * Samples the process's and the database's resources every `seconds` into the metric
 * buffer, and folds finished hours into their hourly aggregates as each hour passes.
 * One per process (a second call does nothing); the timer never keeps the process alive.
 */
export function startResourceSampler(db: Db, seconds: number): () => void {
  const g = globalThis as WithSampler;
  if (seconds <= 0 || g[STATE]) return stopResourceSampler;
  let aggregatedHour = -1;
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      recordMetrics(db, await sampleResources(db));
      const hour = Math.floor(Date.now() / HOUR_MS);
      if (hour !== aggregatedHour) {
        await aggregatePendingHours(db);
        aggregatedHour = hour;
      }
    } catch (err) {
      logError("[telemetry] resource sample failed", err);
    } finally {
      busy = false;
    }
  };
  g[STATE] = setInterval(() => void tick(), seconds * 1000);
  g[STATE].unref?.();
  void tick();
  return stopResourceSampler;
}

export function stopResourceSampler(): void {
  const g = globalThis as WithSampler;
  if (g[STATE]) clearInterval(g[STATE]);
  g[STATE] = undefined;
}
