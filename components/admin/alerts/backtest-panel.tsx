"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { formatFigure } from "@/components/alerts/alert-format";
import { backtestRule, type BacktestResult, type RuleBody } from "@/components/alerts/alerts-api";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { SelectField } from "@/components/ui/field";
import { Stat, StatGrid } from "@/components/ui/stat";
import { CELL_COMPACT, STACKED, TABLE, TBODY, THEAD, TableScroll, stackedCell } from "@/components/ui/table";
import { formatCount, formatTimestamp } from "@/components/format/format";
import { BacktestTimeline } from "./backtest-timeline";

type Days = 7 | 30;

const OUTCOME: Record<BacktestResult["episodes"][number]["state"], string> = {
  firing: "still firing",
  pending: "still pending",
  resolved: "resolved",
  ok: "cleared before firing",
};

function times(n: number) {
  return `${formatCount(n)} ${n === 1 ? "time" : "times"}`;
}

function Result({
  result,
  days,
  kind,
  subjectName,
}: {
  result: BacktestResult;
  days: Days;
  kind: string;
  subjectName: (subject: string) => string;
}) {
  const n = result.notifications;
  if (result.episodes.length === 0)
    return (
      <EmptyState title={`Would not have fired in the last ${days} days`}>
        The condition held at none of the {formatCount(result.steps)} checks (every {result.stepMinutes} min). Lower the
        threshold or widen the window to see it fire.
      </EmptyState>
    );
  return (
    <div className="space-y-4">
      <p className="text-sm text-gray-800" data-testid="backtest-summary">
        Over the last {days} days, checked every {result.stepMinutes} min, it would have{" "}
        <strong>
          fired <span data-testid="backtest-fired">{formatCount(result.fired)}</span>{" "}
          {result.fired === 1 ? "time" : "times"}
        </strong>{" "}
        and resolved {times(result.resolved)}.
      </p>
      <StatGrid label="Backtest figures">
        <Stat id="backtest-fired" label="Fired" value={formatCount(result.fired)} />
        <Stat id="backtest-resolved" label="Resolved" value={formatCount(result.resolved)} />
        <Stat id="backtest-notifications" label="Notifications" value={formatCount(n.firing + n.reminder + n.resolved)}>
          {formatCount(n.firing)} firing · {formatCount(n.reminder)} reminders · {formatCount(n.resolved)} resolved
        </Stat>
        <Stat id="backtest-episodes" label="Episodes" value={formatCount(result.episodes.length)}>
          including those that cleared before firing
        </Stat>
      </StatGrid>
      <BacktestTimeline result={result} subjectName={subjectName} />
      <TableScroll boxed label="Backtest episodes, scrolls sideways on small screens">
        <table className={`${TABLE} ${STACKED.table}`} data-testid="backtest-episodes">
          <caption className="sr-only">
            Every episode the rule would have had, oldest first: subject, when it started, fired and ended, its outcome,
            summary and peak value (times in UTC)
          </caption>
          <thead className={`${THEAD} ${STACKED.thead}`}>
            <tr>
              {["Subject", "Started", "Fired", "Ended", "Outcome", "Summary", "Peak"].map((c) => (
                <th key={c} scope="col" className={`${CELL_COMPACT} font-medium`}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className={`${TBODY} ${STACKED.tbody}`}>
            {result.episodes.map((e) => (
              <tr key={`${e.subject}-${e.startedAt}`} className={`align-top ${STACKED.row}`} data-testid="episode-row">
                <td {...stackedCell("Subject")}>{subjectName(e.subject)}</td>
                <td {...stackedCell("Started", "tabular-nums sm:whitespace-nowrap")}>{formatTimestamp(e.startedAt)}</td>
                <td {...stackedCell("Fired", "tabular-nums sm:whitespace-nowrap")}>
                  {e.firedAt ? formatTimestamp(e.firedAt) : "—"}
                </td>
                <td {...stackedCell("Ended", "tabular-nums sm:whitespace-nowrap")}>
                  {e.endedAt ? formatTimestamp(e.endedAt) : "still open"}
                </td>
                <td {...stackedCell("Outcome")}>{OUTCOME[e.state]}</td>
                <td {...stackedCell("Summary", "min-w-56")}>{e.summary}</td>
                <td {...stackedCell("Peak", "tabular-nums")}>{formatFigure(kind, e.peakValue, null).value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {result.truncated && <p className="text-xs text-gray-600">Only the latest 500 episodes are listed.</p>}
    </div>
  );
}

/**
 * "Try against history": the unsaved rule measured over the last 7 or 30 days of stored
 * data, its state machine replayed (POST /api/v1/alerts/rules/backtest). Nothing is saved.
 */
export function BacktestPanel({
  body,
  onProblem,
  subjectName,
}: {
  /** The rule as it would be saved, or why it cannot be sent. */
  body: () => { ok: true; body: RuleBody } | { ok: false; field: string; message: string };
  /** Any failure (a local refusal, the API's 400 naming a field, a 500) goes to the form's one problem box; a success clears it. */
  onProblem: (error: unknown) => void;
  subjectName: (subject: string) => string;
}) {
  const [days, setDays] = useState<Days>(7);
  const headingId = useId();
  const run = useMutation({
    mutationFn: ({ rule, span }: { rule: RuleBody; span: Days }) => backtestRule(rule, span),
    onError: onProblem,
    onSuccess: () => onProblem(null),
  });
  const [tried, setTried] = useState<{ days: Days; json: string; kind: string } | null>(null);
  const current = body();
  const stale = tried !== null && current.ok && JSON.stringify(current.body) !== tried.json;

  function tryIt() {
    const made = body();
    if (!made.ok) {
      onProblem(new Error(made.message));
      return;
    }
    setTried({ days, json: JSON.stringify(made.body), kind: made.body.params.kind });
    run.mutate({ rule: made.body, span: days });
  }

  return (
    <section aria-labelledby={headingId} className="space-y-4" data-testid="backtest">
      <div className="space-y-1">
        <h2 id={headingId} className="text-base font-semibold">
          Try against history
        </h2>
        <p className="text-sm text-gray-700">
          How often this rule, as it stands, would have fired and resolved over the stored data. Nothing is saved and
          silences are not applied.
        </p>
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <SelectField
          label="Span"
          value={String(days)}
          onChange={(e) => setDays(Number(e.currentTarget.value) as Days)}
          className="min-w-40"
        >
          <option value="7">Last 7 days</option>
          <option value="30">Last 30 days</option>
        </SelectField>
        <button type="button" className={buttonClass("secondary")} disabled={run.isPending} onClick={tryIt}>
          {run.isPending ? "Trying…" : "Try against history"}
        </button>
      </div>
      <div aria-live="polite" className="space-y-3" data-testid="backtest-result">
        {run.isPending && (
          <p role="status" className="animate-pulse rounded-lg bg-gray-100 p-4 text-sm text-gray-700">
            Replaying the last {tried?.days ?? days} days…
          </p>
        )}
        {run.isError && <p className="text-sm text-gray-700">Not tried: see the problem under the form.</p>}
        {run.isSuccess && tried && (
          <>
            {stale && (
              <p className="text-sm text-amber-900">
                The rule has changed since this try: try again to see its effect.
              </p>
            )}
            <Result result={run.data} days={tried.days} kind={tried.kind} subjectName={subjectName} />
          </>
        )}
      </div>
    </section>
  );
}
