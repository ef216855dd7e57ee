/**
 * The sentences that explain why patterns flagged something, e.g.
 * "312 executions vs. baseline 120 ± 15 over the previous 168 hours (robust z 8.6)".
 * The ± figure is the MAD the z-score used.
 */
import type { BurstRun, MadSource, Outlier } from "./detect";
import type { BaselineKind } from "./types";

/** Up to one decimal, without a trailing ".0". */
const n1 = (v: number) => String(Math.round(v * 10) / 10);
const percent = (fraction: number) => `${n1(fraction * 100)}%`;
const z1 = (z: number) => (Math.round(z * 10) / 10).toFixed(1);

function over(kind: BaselineKind, window: number): string {
  return kind === "hour-of-day" ? `at this hour on the previous ${window} days` : `over the previous ${window} hours`;
}

/** Why the ± differs from the baseline's own MAD when the baseline is (almost) flat. */
function madNote(o: { madSource: MadSource }): string {
  if (o.madSource === "mean-deviation") return "; baseline MAD is 0, mean deviation used";
  if (o.madSource === "floor") return "; baseline nearly constant, minimum spread used";
  return "";
}

export function volumeReason(o: Outlier, kind: BaselineKind, window: number): string {
  const what = o.value === 1 ? "execution" : "executions";
  return `${n1(o.value)} ${what} vs. baseline ${n1(o.baseline.median)} ± ${n1(o.mad)} ${over(kind, window)} (robust z ${z1(o.z)}${madNote(o)})`;
}

export function failureRateReason(
  o: Outlier,
  failures: number,
  finished: number,
  kind: BaselineKind,
  window: number,
): string {
  return (
    `failure rate ${percent(o.value)} (${failures} of ${finished} finished) vs. baseline ${percent(o.baseline.median)} ± ` +
    `${percent(o.mad)} ${over(kind, window)} (robust z ${z1(o.z)}${madNote(o)})`
  );
}

export function burstReason(run: BurstRun, unit: "hour" | "minute", k: number): string {
  const buckets = run.endIndex - run.startIndex + 1;
  const limit = run.baseline.median + k * run.mad;
  const span = buckets === 1 ? `in one ${unit}` : `over ${buckets} ${unit}s (peak ${n1(run.peak)})`;
  return (
    `${n1(run.total)} executions ${span} vs. baseline ${n1(run.baseline.median)} ± ${n1(run.mad)} per ${unit}` +
    ` (burst above median + ${k}·MAD = ${n1(limit)})`
  );
}
