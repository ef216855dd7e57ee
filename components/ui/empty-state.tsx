import type { ReactNode } from "react";

/** What a widget shows when the range holds no data: say so, and say what to try. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-gray-300 p-6 text-center" data-testid="empty-state">
      <p className="font-medium text-gray-800">{title}</p>
      {children && <p className="mt-1 text-sm text-gray-600">{children}</p>}
    </div>
  );
}
