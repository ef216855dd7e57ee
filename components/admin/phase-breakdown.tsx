import { formatMs } from "@/components/format/format";
import type { PhaseTimings } from "@/lib/core/vocabulary";
import { PHASE_LABEL, phaseBreakdown } from "./phase-shares";

interface Props {
  phaseMs: PhaseTimings;
  durationMs: number | null;
  /** One line for a table cell, instead of a table of its own. */
  compact?: boolean;
}

/**
 * Where a run's time went: each phase with its time and share, and the total they add up
 * to. Text, not a drawn bar: a server-rendered width would need an inline style, which the
 * Content-Security-Policy refuses.
 */
export function PhaseBreakdown({ phaseMs, durationMs, compact = false }: Props) {
  const data = phaseBreakdown(phaseMs, durationMs);
  if (!data) return <span className="text-gray-600">—</span>;
  if (compact) {
    return (
      <span data-testid="phase-breakdown">
        {data.phases.map((p) => (
          <span key={p.phase} className="mr-2 inline-block whitespace-nowrap">
            {p.phase} {formatMs(p.ms)} <span className="text-gray-600">({p.percent}%)</span>
          </span>
        ))}
        <span className="inline-block whitespace-nowrap font-medium">= {formatMs(data.totalMs)} total</span>
      </span>
    );
  }
  return (
    <table className="w-full text-left text-sm" data-testid="phase-breakdown">
      <caption className="mb-1 text-left font-medium">Where the time went</caption>
      <thead className="text-gray-600">
        <tr>
          <th scope="col" className="py-1 pr-2 font-medium">
            Phase
          </th>
          <th scope="col" className="py-1 pr-2 text-right font-medium">
            Time
          </th>
          <th scope="col" className="py-1 text-right font-medium">
            Share
          </th>
        </tr>
      </thead>
      <tbody>
        {data.phases.map((p) => (
          <tr key={p.phase} className="border-t border-gray-100" data-testid={`phase-${p.phase}`}>
            <th scope="row" className="py-1 pr-2 font-normal">
              {PHASE_LABEL[p.phase]}
            </th>
            <td className="py-1 pr-2 text-right tabular-nums">{formatMs(p.ms)}</td>
            <td className="py-1 text-right tabular-nums">{p.percent}%</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr className="border-t border-gray-300 font-medium">
          <th scope="row" className="py-1 pr-2">
            Total
          </th>
          <td className="py-1 pr-2 text-right tabular-nums" data-testid="phase-total">
            {formatMs(data.totalMs)}
          </td>
          <td className="py-1 text-right tabular-nums">100%</td>
        </tr>
      </tfoot>
    </table>
  );
}
