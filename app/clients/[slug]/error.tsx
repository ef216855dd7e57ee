"use client";

import { useEffect } from "react";
import { FOCUS_RING } from "@/components/ui/focus";

/**
 * The tab's error boundary: a failure outside any widget (the client lookup, the page
 * itself) replaces only the tab's content; the header, range controls and tabs stay.
 */
export default function TabError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-white p-6">
      <h2 className="text-lg font-semibold">This tab could not be loaded</h2>
      <p className="mt-2 text-sm text-gray-700">
        The figures are unavailable right now.{digest ? ` Reference: ${digest}.` : ""}
      </p>
      <button
        type="button"
        onClick={() => retry()}
        className={`mt-4 rounded bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700 ${FOCUS_RING}`}
      >
        Try again
      </button>
    </div>
  );
}
