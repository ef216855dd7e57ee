"use client";

import Form from "next/form";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { FOCUS_RING } from "@/components/ui/focus";
import { formatDay } from "@/components/format/format";
import { instantOf, isDay, isTimeOfDay, SEARCH } from "@/lib/web/range";
import { searchHref } from "@/lib/web/search-href";
import { DAY_MS } from "@/lib/core/time";

/** The date of `ms` in `timeZone`: a custom range names the client's days. */
const isoDay = (ms: number, timeZone: string) => formatDay(new Date(ms).toISOString(), timeZone);
/** The day a URL's range end names: itself, or the client's day of an instant. */
const dayOf = (value: string, timeZone: string) => (isDay(value) ? value : isoDay(Date.parse(value), timeZone));
/** The time of day (HH:MM) of a URL's range end in `timeZone`: empty for a whole day. */
const timeOf = (value: string | null, timeZone: string) =>
  !value || isDay(value)
    ? ""
    : new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(
        new Date(value),
      );
/** Whole days a timeframe covers, so the custom-range fields start out matching it. */
const TIMEFRAME_DAYS: Record<string, number> = { "7d": 7, "30d": 30, "90d": 90 };

/**
 * Timeframe, custom range and auto-refresh, all kept in the URL so a view can be shared
 * and the server renders it. Timeframes are links and the custom range is a GET form,
 * so both work before hydration too. The custom range's dates are days in `timeZone`,
 * each with an optional time; with a time, that end is the instant (in the URL as ISO
 * 8601, as the API takes it), without, the whole day.
 */
export function RangeToolbar({
  timeframes,
  defaultTimeframe,
  timeZone = "UTC",
}: {
  timeframes: readonly string[];
  defaultTimeframe: string;
  timeZone?: string;
}) {
  const pathname = usePathname();
  const router = useRouter();
  const search = useSearchParams();
  const start = search.get(SEARCH.start);
  const end = search.get(SEARCH.end);
  const custom = Boolean(start || end);
  const active = custom ? null : (search.get(SEARCH.timeframe) ?? defaultTimeframe);
  const refresh = search.get(SEARCH.refresh) === "on";

  const hrefWith = (changes: Record<string, string | null>) => searchHref(pathname, search, changes);

  // Read once: a render must not depend on the clock (the server's and the browser's
  // renders would differ across midnight).
  const [today] = useState(() => Date.now());
  // With the script: days and times become the URL's start and end (instants where a time is given).
  const applyRange = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? "");
    const at = (day: string, time: string) => (isTimeOfDay(time) ? instantOf(day, time, timeZone) : day);
    router.push(
      hrefWith({
        [SEARCH.timeframe]: null,
        [SEARCH.start]: at(value(SEARCH.start), value(SEARCH.startTime)),
        [SEARCH.end]: at(value(SEARCH.end), value(SEARCH.endTime)),
        // Left by a submit without script: folded into start and end now, so dropped.
        [SEARCH.startTime]: null,
        [SEARCH.endTime]: null,
      }),
      { scroll: false },
    );
  };
  return (
    <div className="flex flex-col gap-3 lg:flex-row lg:items-end lg:justify-between" data-testid="range-toolbar">
      {/* Phones: one select instead of a row of buttons. */}
      <label className="flex flex-col text-xs font-medium text-gray-700 sm:hidden">
        Timeframe
        <select
          value={active ?? ""}
          onChange={(event) =>
            router.push(
              hrefWith({ [SEARCH.timeframe]: event.target.value, [SEARCH.start]: null, [SEARCH.end]: null }),
              { scroll: false },
            )
          }
          className={`mt-1 rounded border border-gray-300 bg-white px-2 py-2 text-base text-gray-900 ${FOCUS_RING}`}
        >
          {custom && <option value="">Custom range</option>}
          {timeframes.map((tf) => (
            <option key={tf} value={tf}>
              Last {tf}
            </option>
          ))}
        </select>
      </label>
      <div role="group" aria-label="Timeframe" className="hidden shrink-0 flex-wrap gap-1 sm:flex">
        {timeframes.map((tf) => (
          <Link
            key={tf}
            href={hrefWith({ [SEARCH.timeframe]: tf, [SEARCH.start]: null, [SEARCH.end]: null })}
            scroll={false}
            // Each timeframe is a full server render; prefetching all six on every visit is waste.
            prefetch={false}
            aria-current={tf === active ? "true" : undefined}
            className={buttonClass(tf === active ? "primary" : "secondary", "sm")}
          >
            <span className="sr-only">Last </span>
            {tf}
          </Link>
        ))}
      </div>

      <div className="flex flex-wrap items-end gap-2">
        {/* key: new default dates whenever the URL's range changes. */}
        <Form
          key={`${start}-${end}-${active}`}
          action={pathname}
          scroll={false}
          onSubmit={applyRange}
          className="flex flex-wrap items-end gap-2"
          aria-label="Custom date range"
        >
          <RangeEnd
            label="From"
            day={{
              name: SEARCH.start,
              defaultValue: start
                ? dayOf(start, timeZone)
                : isoDay(today - (TIMEFRAME_DAYS[active ?? ""] ?? 1) * DAY_MS, timeZone),
            }}
            time={{ name: SEARCH.startTime, defaultValue: timeOf(start, timeZone) }}
          />
          <RangeEnd
            label="To"
            day={{ name: SEARCH.end, defaultValue: end ? dayOf(end, timeZone) : isoDay(today, timeZone) }}
            time={{ name: SEARCH.endTime, defaultValue: timeOf(end, timeZone) }}
          />
          {refresh && <input type="hidden" name={SEARCH.refresh} value="on" />}
          <button type="submit" className={buttonClass(custom ? "primary" : "secondary", "sm")}>
            Apply range
          </button>
        </Form>
        <button
          type="button"
          aria-pressed={refresh}
          onClick={() => router.replace(hrefWith({ [SEARCH.refresh]: refresh ? null : "on" }), { scroll: false })}
          className={buttonClass(refresh ? "primary" : "secondary", "sm")}
        >
          Auto-refresh {refresh ? "on" : "off"}
        </button>
      </div>
    </div>
  );
}

const INPUT = `rounded border border-gray-300 bg-white px-2 py-1 text-sm text-gray-900 ${FOCUS_RING}`;

/**
 * One end of the custom range: its day, and beside it an optional time (left empty, the
 * whole day). One visible label over both keeps the toolbar compact; each input has its
 * own accessible name.
 */
function RangeEnd({
  label,
  day,
  time,
}: {
  label: "From" | "To";
  day: { name: string; defaultValue: string };
  time: { name: string; defaultValue: string };
}) {
  return (
    <div
      role="group"
      aria-label={`${label}: day and optional time`}
      className="flex flex-col text-xs font-medium text-gray-700"
    >
      <span aria-hidden="true">{label}</span>
      <span className="mt-1 flex gap-1">
        <input type="date" required aria-label={label} {...day} className={INPUT} />
        <input
          type="time"
          aria-label={`${label} time (optional)`}
          title="Optional time of day"
          {...time}
          className={INPUT}
        />
      </span>
    </div>
  );
}
