/**
 * Stale data: a client whose newest successful sync is older than the rule allows, or
 * whose last syncs failed in a row. Read from the recorded sync-client runs, the same
 * runs "last sync" is defined by (lib/runs/last-sync.ts: a success, by finish time).
 */
import { MINUTE_MS } from "@/lib/core/time";
import type { ParamsOf } from "../rules";
import { clientSubject } from "../subject";
import type { ClientTarget, Measurements, RuleToEvaluate } from "../types";
import { durationText, lastSuccessAt, type SyncHistory } from "./context";

export function measureStaleData(
  rule: RuleToEvaluate & { params: ParamsOf<"stale_data"> },
  targets: ClientTarget[],
  syncs: Map<number, SyncHistory>,
  times: Date[],
): Measurements {
  const p = rule.params;
  return times.map((t) => {
    const at = t.getTime();
    const found = [];
    for (const client of targets) {
      const h = syncs.get(client.id);
      if (!h) continue;
      const last = lastSuccessAt(h, at);
      const done = h.finished.filter((r) => r.finishedAt <= at);
      let failedInARow = 0;
      for (let i = done.length - 1; i >= 0 && done[i]!.failed; i--) failedInARow++;
      const age = last ? at - last.finishedAt : null;
      const base = {
        subject: clientSubject(client.id),
        clientId: client.id,
        workflowId: null,
        link: `/admin/clients/${client.id}`,
      };
      if (failedInARow >= p.failedSyncs) {
        found.push({
          ...base,
          value: failedInARow,
          threshold: p.failedSyncs,
          summary: `${client.name}: the last ${failedInARow} syncs failed${age === null ? "" : `; data is ${durationText(age)} old`}`,
          details: { failedInARow, lastSuccessAt: last ? new Date(last.finishedAt).toISOString() : null },
        });
      } else if (age !== null && age > p.maxAgeMinutes * MINUTE_MS) {
        found.push({
          ...base,
          value: Math.round(age / MINUTE_MS),
          threshold: p.maxAgeMinutes,
          summary: `${client.name}: last successful sync ${durationText(age)} ago (older than ${durationText(p.maxAgeMinutes * MINUTE_MS)})`,
          details: { failedInARow, lastSuccessAt: new Date(last!.finishedAt).toISOString() },
        });
      }
    }
    return found;
  });
}
