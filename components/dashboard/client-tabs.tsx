"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useRef } from "react";
import { FOCUS_RING } from "@/components/ui/focus";

export const TABS = [
  { segment: "", label: "Overview" },
  { segment: "executions", label: "Executions" },
  { segment: "runs", label: "Runs" },
  { segment: "throughput", label: "Throughput" },
  { segment: "latency", label: "Latency" },
  { segment: "workflows", label: "Workflows" },
  { segment: "llm", label: "LLM usage" },
  { segment: "patterns", label: "Patterns" },
] as const;

/**
 * Tabs are links, one URL per tab, and carry the range and refresh parameters along so
 * switching tabs keeps the view. Client-side only because they read the search params
 * (a layout is not given them).
 */
export function ClientTabs({ slug }: { slug: string }) {
  const pathname = usePathname();
  const query = useSearchParams().toString();
  const base = `/clients/${encodeURIComponent(slug)}`;
  const list = useRef<HTMLUListElement>(null);
  // On a phone the row scrolls: bring the current tab into view (a no-op where all fit).
  useEffect(() => {
    list.current?.querySelector("[aria-current]")?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [pathname]);
  return (
    <nav aria-label="Dashboard tabs">
      {/* One row that scrolls sideways on phones, instead of wrapping into three. */}
      <ul
        ref={list}
        className="flex gap-1 overflow-x-auto overflow-y-hidden whitespace-nowrap border-b border-gray-200 sm:flex-wrap sm:overflow-visible"
      >
        {TABS.map((tab) => {
          const href = tab.segment ? `${base}/${tab.segment}` : base;
          // A page under a tab (a workflow's drill-down) keeps the tab marked, as the current section.
          const current =
            pathname === href ? "page" : tab.segment && pathname.startsWith(`${href}/`) ? "true" : undefined;
          return (
            <li key={tab.segment}>
              <Link
                href={query ? `${href}?${query}` : href}
                aria-current={current}
                className={`-mb-px inline-block rounded-t border-b-2 px-3 py-2 text-sm font-medium ${FOCUS_RING} ${
                  current ? "border-indigo-600 text-indigo-700" : "border-transparent text-gray-700 hover:text-gray-900"
                }`}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
