import type { Comparison, MetricName, MetricUnit } from "@/lib/metrics/types";
import { describeDelta } from "@/components/format/format";

/** -700 shades keep 4.5:1 on white; the arrow and words carry the meaning, not the colour. */
const TONE = { good: "text-emerald-700", bad: "text-red-700", flat: "text-gray-600" } as const;

export function Delta({ comparison, unit, metric }: { comparison: Comparison; unit: MetricUnit; metric?: MetricName }) {
  const d = describeDelta(comparison, unit, metric);
  if (!d.text) return <span className="text-xs text-gray-600">No previous data</span>;
  return (
    <span className={`text-xs font-medium ${TONE[d.tone]}`} data-testid="delta">
      <span aria-hidden="true">{d.text}</span>
      <span className="sr-only">{d.spoken}</span>
    </span>
  );
}
