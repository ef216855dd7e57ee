import type { ReactNode } from "react";

/** One labelled figure; `id` gives it a test id so e2e can read the number. */
export function Stat({
  id,
  label,
  value,
  children,
}: {
  id?: string;
  label: string;
  value: ReactNode;
  children?: ReactNode;
}) {
  return (
    <div className="rounded-lg border border-gray-200 p-3" data-testid={id ? `stat-${id}` : undefined}>
      <dt className="text-xs font-medium text-gray-600">{label}</dt>
      <dd className="mt-1 text-xl font-semibold tabular-nums" data-testid={id ? "stat-value" : undefined}>
        {value}
      </dd>
      {children && <dd className="mt-1 text-xs text-gray-600">{children}</dd>}
    </div>
  );
}

export function StatGrid({ label, children }: { label: string; children: ReactNode }) {
  return (
    // The name goes on a group around the list: ARIA does not allow naming a <dl>.
    <div role="group" aria-label={label}>
      <dl className="grid grid-cols-2 gap-3 md:grid-cols-3 lg:grid-cols-4">{children}</dl>
    </div>
  );
}
