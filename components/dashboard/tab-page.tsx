import type { ReactNode } from "react";
import { rangeLabel, type DashboardRange } from "@/lib/web/range";
import { WARNING } from "@/components/ui/message";

/**
 * A tab's heading, the range it shows and the zone its days and times are in, and a note
 * when the URL's range was not usable.
 */
export function TabPage({
  title,
  range,
  rangeProblem,
  timeZone,
  children,
}: {
  title: string;
  range: DashboardRange;
  rangeProblem: string | null;
  /** The client's zone. */
  timeZone: string;
  children: ReactNode;
}) {
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline gap-x-3">
        <h2 className="text-xl font-semibold">{title}</h2>
        <p className="text-sm text-gray-600" data-testid="range-label">
          {rangeLabel(range)} ({timeZone})
        </p>
      </div>
      {rangeProblem && (
        <p role="alert" className={WARNING}>
          The range in the address was not used: {rangeProblem} Showing {rangeLabel(range)} instead.
        </p>
      )}
      {children}
    </div>
  );
}
