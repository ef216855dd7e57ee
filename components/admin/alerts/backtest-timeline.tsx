import type { BacktestResult } from "@/components/alerts/alerts-api";

/** Subjects drawn as rows; a rule over many workflows shows its busiest ones. */
const MAX_ROWS = 8;

/**
 * The span as a bar per subject, each episode a block from its start to its end (or the
 * span's end): red when it fired, amber when it cleared while pending. A picture of the
 * episodes table beside it, so it is hidden from screen readers. Rendered in the browser
 * only (after a try), so its positions are style props set through the DOM, which the
 * Content-Security-Policy allows (no server-rendered style attribute).
 */
export function BacktestTimeline({
  result,
  subjectName,
}: {
  result: BacktestResult;
  subjectName: (subject: string) => string;
}) {
  const from = Date.parse(result.from);
  const to = Date.parse(result.to);
  const span = Math.max(1, to - from);
  const bySubject = new Map<string, BacktestResult["episodes"]>();
  for (const e of result.episodes) bySubject.set(e.subject, [...(bySubject.get(e.subject) ?? []), e]);
  const rows = [...bySubject.entries()].sort((a, b) => b[1].length - a[1].length).slice(0, MAX_ROWS);
  if (rows.length === 0) return null;
  const pct = (t: number) => `${(Math.min(Math.max(t - from, 0), span) / span) * 100}%`;

  return (
    <div aria-hidden="true" className="space-y-1" data-testid="backtest-timeline">
      {rows.map(([subject, episodes]) => (
        <div key={subject} className="grid grid-cols-[minmax(0,8rem)_1fr] items-center gap-2">
          <span className="truncate text-xs text-gray-700">{subjectName(subject)}</span>
          <div className="relative h-4 rounded bg-gray-100">
            {episodes.map((e) => {
              const start = Date.parse(e.startedAt);
              const end = e.endedAt ? Date.parse(e.endedAt) : to;
              return (
                <span
                  key={e.startedAt}
                  className={`absolute top-0 h-4 rounded-sm ${e.firedAt ? "bg-red-600" : "bg-amber-400"}`}
                  style={{ left: pct(start), width: `max(3px, calc(${pct(end)} - ${pct(start)}))` }}
                />
              );
            })}
          </div>
        </div>
      ))}
      <div className="grid grid-cols-[minmax(0,8rem)_1fr] gap-2 text-xs text-gray-600">
        <span />
        <span className="flex justify-between">
          <span>{result.from.slice(0, 10)}</span>
          <span>{result.to.slice(0, 10)}</span>
        </span>
      </div>
    </div>
  );
}
