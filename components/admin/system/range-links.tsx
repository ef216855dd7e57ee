import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { SYSTEM_RANGES, type SystemRange } from "./system-api";

/**
 * The page's one range selector: links, so the range lives in the URL (a view can be
 * shared, and it works before hydration), like the dashboards' timeframes.
 */
export function RangeLinks({ range }: { range: SystemRange }) {
  return (
    <div role="group" aria-label="Range" className="flex flex-wrap gap-1">
      {(Object.keys(SYSTEM_RANGES) as SystemRange[]).map((r) => (
        <Link
          key={r}
          href={`/admin/system?range=${r}`}
          scroll={false}
          prefetch={false}
          aria-current={r === range ? "true" : undefined}
          aria-label={SYSTEM_RANGES[r].spoken}
          className={buttonClass(r === range ? "primary" : "secondary", "sm")}
        >
          {SYSTEM_RANGES[r].label}
        </Link>
      ))}
    </div>
  );
}
