import type { Metadata } from "next";
import Link from "next/link";
import { FOCUS_RING } from "@/components/ui/focus";

export const metadata: Metadata = { title: "Page not found" };

/**
 * Replaces Next's built-in 404, whose inline style attributes and unnonced <style> the
 * Content-Security-Policy (proxy.ts) blocks; this one is styled by the app's stylesheet.
 */
export default function NotFound() {
  return (
    <div className="rounded-lg border border-gray-200 bg-white p-6" data-testid="page-not-found">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="mt-2 text-sm text-gray-700">There is nothing at this address.</p>
      <Link
        href="/"
        className={`mt-4 inline-block rounded text-sm font-medium text-indigo-700 hover:underline ${FOCUS_RING}`}
      >
        Back to the start
      </Link>
    </div>
  );
}
