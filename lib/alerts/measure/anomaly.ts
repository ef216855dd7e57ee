/**
 * Anomalies: an hour the patterns detector (lib/metrics/execution/patterns.ts, the one on
 * the Patterns tab) flags for volume or failure rate, completed within the trailing
 * window before where the client's data ends. The detector's baseline trails each hour,
 * so one run over the whole span judges every hour as it was judged at the time.
 */
import type { Db } from "@/lib/db/database";
import { HOUR_MS, MINUTE_MS } from "@/lib/core/time";
import { floorHour } from "@/lib/core/zone-time";
import { FAILED_STATUSES } from "@/lib/core/vocabulary";
import { getPatternMetrics } from "@/lib/metrics/execution";
import type { ParamsOf } from "../rules";
import { clientSubject } from "../subject";
import type { ClientTarget, Measurements, RuleToEvaluate } from "../types";
import { dataHorizon, durationText, runsLink, type SyncHistory } from "./context";

export async function measureAnomaly(
  db: Db,
  rule: RuleToEvaluate & { params: ParamsOf<"anomaly"> },
  targets: ClientTarget[],
  syncs: Map<number, SyncHistory>,
  times: Date[],
): Promise<Measurements> {
  const out: Measurements = times.map(() => []);
  if (times.length === 0) return out;
  const windowMs = rule.params.windowMinutes * MINUTE_MS;
  const first = Math.min(...times.map((t) => t.getTime()));
  const last = Math.max(...times.map((t) => t.getTime()));
  const end = new Date(floorHour(new Date(last)).getTime() + HOUR_MS);
  // At least 7 hours: shorter ranges also get the minute-level burst scan, which alerts do not read.
  const start = new Date(
    Math.min(floorHour(new Date(first - windowMs - HOUR_MS)).getTime(), end.getTime() - 7 * HOUR_MS),
  );
  const wanted = new Set<string>(rule.params.metrics);

  for (const client of targets) {
    const patterns = await getPatternMetrics(db, {
      clientId: client.id,
      range: {
        start,
        end,
        granularity: "hour",
        previous: { start: new Date(2 * start.getTime() - end.getTime()), end: start },
      },
      now: new Date(last),
    });
    const flagged = patterns.anomalies
      .filter((a) => wanted.has(a.metric))
      .map((a) => ({ ...a, endsAt: Date.parse(a.bucket) + HOUR_MS }));
    times.forEach((t, i) => {
      const h = dataHorizon(syncs.get(client.id), t.getTime());
      if (h === null) return;
      const recent = flagged.filter((a) => a.endsAt <= h && a.endsAt > h - windowMs);
      if (recent.length === 0) return;
      const worst = recent.reduce((a, b) => (Math.abs(b.robustZ) > Math.abs(a.robustZ) ? b : a));
      const from = new Date(Date.parse(worst.bucket));
      out[i]!.push({
        subject: clientSubject(client.id),
        clientId: client.id,
        workflowId: null,
        value: worst.value,
        threshold: worst.baselineMedian,
        summary: `${client.name}: ${recent.length} anomalous hour${recent.length === 1 ? "" : "s"} in the last ${durationText(windowMs)}; ${worst.reason}`,
        link: runsLink(
          client.slug,
          from,
          new Date(worst.endsAt),
          worst.metric === "failure_rate" ? { status: FAILED_STATUSES.join(",") } : {},
        ),
        details: {
          anomalies: recent.map((a) => ({
            bucket: a.bucket,
            metric: a.metric,
            direction: a.direction,
            value: a.value,
          })),
        },
      });
    });
  }
  return out;
}
