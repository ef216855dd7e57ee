import { Suspense, type ReactNode } from "react";
import { CsvLink } from "@/components/ui/csv-link";
import { WidgetErrorBoundary } from "@/components/ui/error-boundary";
import { Skeleton } from "@/components/ui/skeleton";
import type { ServerQuery } from "@/lib/web/server-queries";
import { Prefetch } from "./prefetch";

/**
 * A titled panel whose data is prefetched on the server. Each has its own Suspense (a
 * slow query holds back only this panel, behind its skeleton) and its own error
 * boundary (a failed one does not take the tab down).
 */
export function Widget({
  id,
  title,
  queries,
  csv,
  skeleton,
  className = "",
  children,
}: {
  /** Stable id for the heading and test ids, e.g. "summary". */
  id: string;
  title: string;
  queries: readonly ServerQuery[];
  csv?: string;
  skeleton?: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  const headingId = `${id}-heading`;
  // The query keys identify the data: a new range resets a failed widget.
  const resetKey = JSON.stringify(queries.map((q) => q.queryKey));
  return (
    <section
      aria-labelledby={headingId}
      data-testid={`widget-${id}`}
      className={`min-w-0 rounded-lg border border-gray-200 bg-white p-4 ${className}`}
    >
      <div className="mb-3 flex items-center justify-between gap-2">
        <h3 id={headingId} className="text-base font-semibold text-gray-900">
          {title}
        </h3>
        {csv && <CsvLink href={csv} label={title} />}
      </div>
      <WidgetErrorBoundary label={title} resetKey={resetKey}>
        <Suspense fallback={skeleton ?? <Skeleton label={title} />}>
          <Prefetch queries={queries}>{children}</Prefetch>
        </Suspense>
      </WidgetErrorBoundary>
    </section>
  );
}
