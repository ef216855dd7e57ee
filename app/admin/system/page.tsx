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
import {
  DEFAULT_SYSTEM_RANGE,
  SYSTEM_RANGES,
  isSystemRange,
  type SystemRange,
} from "@/components/admin/system/system-api";
import { LargestTables, RunsTable, StatusPanel } from "@/components/admin/system/system-status";
import { ZoneNote } from "@/components/admin/system/zone-note";
import { Widget } from "@/components/dashboard/widget";
import { requirePageViewer } from "@/lib/accounts/page-guard";

export const metadata: Metadata = { title: "System" };

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
 * One widget of the page. Keyed by the range, so a new range starts its error boundary
 * clean; every panel reads the API in the browser, so there is nothing to prefetch.
 */
function Panel({
  id,
  range,
  title,
  wide = false,
  children,
}: {
  id: string;
  range: SystemRange;
  title: string;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <Widget
      key={`${id}-${range}`}
      id={id}
      queries={NO_PREFETCH}
      title={title}
      className={wide ? "lg:col-span-2" : undefined}
    >
      {children}
    </Widget>
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

      <Section id="now" title="Now">
        <Panel id="status" range={range} title="Current status" wide>
          <StatusPanel />
        </Panel>
        <Panel id="slowest-runs" range={range} title="Slowest runs, last 24 h" wide>
          <RunsTable which="slowestRuns" />
        </Panel>
        <Panel id="last-runs" range={range} title="Newest run of each function" wide>
          <RunsTable which="lastRuns" />
        </Panel>
      </Section>

      <Section id="runs" title="Runs and queue">
        <Panel id="phase-timings" range={range} title="Sync phase timings" wide>
          <PhaseTimings range={range} />
        </Panel>
        <Panel id="success-rates" range={range} title="Success rate per function" wide>
          <SuccessRates range={range} />
        </Panel>
        <Panel id="queue-wait" range={range} title="Queue wait">
          <QueueWaitChart range={range} />
        </Panel>
        <Panel id="queue-depth" range={range} title="Queue depth">
          <QueueDepthChart range={range} />
        </Panel>
      </Section>

      <Section id="resources" title="Resources">
        <Panel id="memory" range={range} title="Memory">
          <MemoryChart range={range} />
        </Panel>
        <Panel id="cpu" range={range} title="CPU">
          <CpuChart range={range} />
        </Panel>
        <Panel id="event-loop" range={range} title="Event-loop lag">
          <EventLoopChart range={range} />
        </Panel>
        <Panel id="database" range={range} title="Database">
          <div className="space-y-4">
            <DatabaseSizeChart range={range} />
            <LargestTables />
          </div>
        </Panel>
      </Section>
    </div>
  );
}
