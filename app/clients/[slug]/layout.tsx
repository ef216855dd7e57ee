import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense, type ReactNode } from "react";
import { ClientTabs } from "@/components/dashboard/client-tabs";
import { RangeToolbar } from "@/components/dashboard/range-toolbar";
import { Badge } from "@/components/ui/badge";
import { FOCUS_RING } from "@/components/ui/focus";
import { Skeleton } from "@/components/ui/skeleton";
import { TIMEFRAMES } from "@/lib/metrics/range";
import { getDashboardClient } from "@/lib/web/dashboard-client";
import { DEFAULT_TIMEFRAME } from "@/lib/web/range";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const client = await getDashboardClient((await params).slug);
  if (!client) return { title: "Client not found" };
  return { title: { default: client.name, template: `%s · ${client.name} · Flowscope` } };
}

/** Client header, range controls and tabs, shared by every tab of one client. */
export default async function ClientLayout({ params, children }: Props & { children: ReactNode }) {
  const client = await getDashboardClient((await params).slug);
  // Unknown, or another client's (for a client user): the same answer, thrown here,
  // before anything streams, so the status is a real 404. app/clients/not-found.tsx renders it.
  if (!client) notFound();

  return (
    <div className="space-y-5">
      <div>
        {client.viewerSeesAll && (
          <Link href="/" className={`rounded text-sm text-indigo-700 hover:underline ${FOCUS_RING}`}>
            <span aria-hidden="true">← </span>All clients
          </Link>
        )}
        <div className="mt-1 flex flex-wrap items-center gap-2">
          <h1 className="text-2xl font-semibold">{client.name}</h1>
          {!client.active && <Badge tone="gray">Inactive</Badge>}
        </div>
      </div>
      {/* These read the URL's search params in the browser; layouts are not given them. */}
      <div className="space-y-1">
        <Suspense fallback={<Skeleton label="range controls" className="h-9" />}>
          <RangeToolbar timeframes={TIMEFRAMES} defaultTimeframe={DEFAULT_TIMEFRAME} timeZone={client.timeZone} />
        </Suspense>
        {/* Days, weeks and months start at the client's midnight: say whose. */}
        <p className="text-xs text-gray-600" data-testid="time-zone">
          Times in {client.timeZone}
        </p>
      </div>
      <Suspense fallback={<Skeleton label="tabs" className="h-10" />}>
        <ClientTabs slug={client.slug} />
      </Suspense>
      {children}
    </div>
  );
}
