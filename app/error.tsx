"use client";

import { useEffect } from "react";

/**
 * Segment error boundary (Next 16 passes `error: unknown` and `retry`). Server errors
 * arrive with a generic message and a digest that matches the server log.
 */
export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;

  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-white p-6">
      <h1 className="text-lg font-semibold">Something went wrong</h1>
      <p className="mt-2 text-sm text-gray-600">
        The page could not be loaded.{digest ? ` Reference: ${digest}.` : ""}
      </p>
      <button
        type="button"
        onClick={() => retry()}
        className="mt-4 rounded bg-brand px-3 py-2 text-sm font-medium text-white hover:bg-brand-dark focus:outline-none focus-visible:ring-2 focus-visible:ring-brand focus-visible:ring-offset-2"
      >
        Try again
      </button>
    </div>
  );
}
