import type { Metadata } from "next";
import type { ReactNode } from "react";
import { RangeLinks } from "@/components/admin/system/range-links";
import {
  CpuChart,
  DatabaseSizeChart,
  EventLoopChart,
  MemoryChart,
  PhaseTimings,
  QueueDepthChart,
  QueueWaitChart,
  SuccessRates,
} from "@/components/admin/system/system-charts";
import { DEFAULT_SYSTEM_RANGE, SYSTEM_RANGES, isSystemRange } from "@/components/admin/system/system-api";
import { LargestTables, RunsTable, StatusPanel } from "@/components/admin/system/system-status";
import { ZoneNote } from "@/components/admin/system/zone-note";
import { Widget } from "@/components/dashboard/widget";
import { requirePageViewer } from "@/lib/accounts/page-guard";

export const metadata: Metadata = { title: "System" };

/** Every panel reads the API in the browser: nothing to prefetch on the server. */
const NO_PREFETCH = [] as const;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} className="space-y-3">
      <h2 id={`${id}-heading`} className="text-lg font-semibold">
        {title}
      </h2>
      <div className="grid gap-4 lg:grid-cols-2">{children}</div>
    </section>
  );
}

/**
 * Admin → System (operators): Flowscope watching itself. The current state (process,
 * database, scheduler, queue, metric recorder), the slowest runs, and its own metrics over
 * 24 h or 7 d: sync phase timings, success rates, memory, CPU, event-loop lag, database
 * size and the queue. Every panel reads the API in the browser and polls it.
 */
export default async function SystemPage({ searchParams }: Props) {
  await requirePageViewer("operator");
  const raw = (await searchParams).range;
  const range = isSystemRange(raw) ? raw : DEFAULT_SYSTEM_RANGE;
  const bucket = SYSTEM_RANGES[range].window === "5m" ? "5-minute" : "hourly";
  return (
    <div className="space-y-8">
      <div className="space-y-3">
        <h1 className="text-2xl font-semibold">System</h1>
        <p className="max-w-3xl text-sm text-gray-700">
          Flowscope&apos;s own work and resources: what every run records, and what the server samples each minute.
          Charts show {bucket} buckets of the {SYSTEM_RANGES[range].spoken.toLowerCase()}. <ZoneNote />
        </p>
        <RangeLinks range={range} />
      </div>

      {/* Each panel is keyed by the range: a new range starts its error boundary clean. */}
      <Section id="now" title="Now">
        <Widget
          key={`status-${range}`}
          id="status"
          queries={NO_PREFETCH}
          title="Current status"
          className="lg:col-span-2"
        >
          <StatusPanel />
        </Widget>
        <Widget
          key={`slowest-runs-${range}`}
          id="slowest-runs"
          queries={NO_PREFETCH}
          className="lg:col-span-2"
          title="Slowest runs, last 24 h"
        >
          <RunsTable which="slowestRuns" />
        </Widget>
        <Widget
          key={`last-runs-${range}`}
          id="last-runs"
          queries={NO_PREFETCH}
          className="lg:col-span-2"
          title="Newest run of each function"
        >
          <RunsTable which="lastRuns" />
        </Widget>
      </Section>

      <Section id="runs" title="Runs and queue">
        <Widget
          key={`phase-timings-${range}`}
          id="phase-timings"
          queries={NO_PREFETCH}
          title="Sync phase timings"
          className="lg:col-span-2"
        >
          <PhaseTimings range={range} />
        </Widget>
        <Widget
          key={`success-rates-${range}`}
          id="success-rates"
          queries={NO_PREFETCH}
          title="Success rate per function"
          className="lg:col-span-2"
        >
          <SuccessRates range={range} />
        </Widget>
        <Widget key={`queue-wait-${range}`} id="queue-wait" queries={NO_PREFETCH} title="Queue wait">
          <QueueWaitChart range={range} />
        </Widget>
        <Widget key={`queue-depth-${range}`} id="queue-depth" queries={NO_PREFETCH} title="Queue depth">
          <QueueDepthChart range={range} />
        </Widget>
      </Section>

      <Section id="resources" title="Resources">
        <Widget key={`memory-${range}`} id="memory" queries={NO_PREFETCH} title="Memory">
          <MemoryChart range={range} />
        </Widget>
        <Widget key={`cpu-${range}`} id="cpu" queries={NO_PREFETCH} title="CPU">
          <CpuChart range={range} />
        </Widget>
        <Widget key={`event-loop-${range}`} id="event-loop" queries={NO_PREFETCH} title="Event-loop lag">
          <EventLoopChart range={range} />
        </Widget>
        <Widget key={`database-${range}`} id="database" queries={NO_PREFETCH} title="Database">
          <div className="space-y-4">
            <DatabaseSizeChart range={range} />
            <LargestTables />
          </div>
        </Widget>
      </Section>
    </div>
  );
}
