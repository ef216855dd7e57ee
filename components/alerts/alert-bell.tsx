"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { NAV_LINK } from "@/components/ui/link";
import { ALERTS_REFRESH_MS, alertCountQuery } from "./alerts-api";

/** "3 firing alerts", or "Alerts, none firing": the bell's name for screen readers. */
export function bellLabel(firing: number | undefined): string {
  if (firing === undefined) return "Alerts";
  if (firing === 0) return "Alerts, none firing";
  return `${firing} firing ${firing === 1 ? "alert" : "alerts"}`;
}

/**
 * The header's bell: how many alerts the viewer may see are firing, refreshed every
 * minute, linking to the list. The count is hidden at zero; the link stays.
 */
export function AlertBell({ initialCount }: { initialCount: number | null }) {
  const { data } = useQuery({
    ...alertCountQuery(),
    ...(initialCount === null ? {} : { initialData: { firing: initialCount } }),
    refetchInterval: ALERTS_REFRESH_MS,
  });
  const firing = data?.firing;
  return (
    <Link
      href="/alerts"
      aria-label={bellLabel(firing)}
      title={bellLabel(firing)}
      className={`${NAV_LINK} relative inline-flex items-center`}
      data-testid="alert-bell"
      data-count={firing ?? ""}
    >
      <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="h-5 w-5">
        <path d="M10 2a5 5 0 0 0-5 5v2.6c0 .5-.2 1-.5 1.4L3.3 12.7A1 1 0 0 0 4.1 14.3h11.8a1 1 0 0 0 .8-1.6L15.5 11a2.3 2.3 0 0 1-.5-1.4V7a5 5 0 0 0-5-5Zm0 18a3 3 0 0 0 2.8-2H7.2A3 3 0 0 0 10 20Z" />
      </svg>
      {firing !== undefined && firing > 0 && (
        <span
          aria-hidden="true"
          className="ml-1 min-w-5 rounded-full bg-red-700 px-1.5 text-center text-xs font-semibold leading-5 text-white tabular-nums"
        >
          {firing > 99 ? "99+" : firing}
        </span>
      )}
    </Link>
  );
}
