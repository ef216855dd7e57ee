import { withTimeout } from "@/lib/core/timeout";
import type { Db } from "@/lib/db/database";
import { flushMetrics } from "./recorder";
import { stopResourceSampler } from "./sampler";

/** How long a stopping server waits for its buffered points to be written. */
const SHUTDOWN_FLUSH_MS = 3_000;

/**
 * The server's buffered points go out as it stops (SIGTERM, SIGINT). Best effort: Next
 * exits on these signals once its own cleanup is done, without waiting for ours; a killed
 * process loses the buffer (at most the recorder's flush interval of points).
 */
export function flushMetricsOnShutdown(db: Db): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      stopResourceSampler();
      // With no other listener (Next adds none under NEXT_MANUAL_SIG_HANDLE), the signal is
      // raised again once the points are written, so it still ends the process.
      const alone = process.listenerCount(signal) === 0;
      void withTimeout(flushMetrics(db), SHUTDOWN_FLUSH_MS)
        .catch(() => {})
        .finally(() => {
          if (alone) process.kill(process.pid, signal);
        });
    });
  }
}
