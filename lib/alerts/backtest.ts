/**
 * Backtest: how a rule would have behaved over the last 7 or 30 days of stored data,
 * before anyone is paged by it. It measures the rule at every step of the span (the
 * measurement the evaluator makes, at past instants) and replays the state machine
 * (state.ts) over them in memory: the episodes it reports are those the evaluator,
 * run at each step, would have stored. Silences and acknowledgements are not replayed:
 * the notifications counted are those the rule itself would send.
 */
import type { Db } from "@/lib/db/database";
import { MINUTE_MS, DAY_MS } from "@/lib/core/time";
import { AppError } from "@/lib/core/errors";
import { measureRule, targetClients } from "./measure";
import { step, type OpenEpisode } from "./state";
import type { Observation, RuleToEvaluate } from "./types";
import type { AlertRuleInput } from "./rules";
import { checkRuleReferences } from "./rule-store";

export const BACKTEST_DAYS = [7, 30] as const;
export type BacktestDays = (typeof BACKTEST_DAYS)[number];

/** Step between replayed evaluations: the evaluator runs every minute, the replay samples. */
export const BACKTEST_STEP_MINUTES: Record<BacktestDays, number> = { 7: 5, 30: 15 };

export interface BacktestEpisode {
  subject: string;
  clientId: number;
  workflowId: number | null;
  startedAt: string;
  firedAt: string | null;
  /** When it resolved (or went back to ok, never having fired); null: still open at the end. */
  endedAt: string | null;
  state: "pending" | "firing" | "resolved" | "ok";
  /** The summary when it fired (or first held), and the largest value seen while open. */
  summary: string;
  peakValue: number;
}

export interface BacktestResult {
  from: string;
  to: string;
  stepMinutes: number;
  steps: number;
  /** Episodes that fired, and how many resolved within the span. */
  fired: number;
  resolved: number;
  notifications: { firing: number; reminder: number; resolved: number };
  /** Every episode, pending ones that cleared included, oldest first (at most 500). */
  episodes: BacktestEpisode[];
  truncated: boolean;
}

const MAX_EPISODES = 500;

/** The instants a backtest of `days` ending at `now` evaluates at: on the step, oldest first. */
export function backtestTimes(days: BacktestDays, now: Date): Date[] {
  const stepMs = BACKTEST_STEP_MINUTES[days] * MINUTE_MS;
  const end = Math.floor(now.getTime() / stepMs) * stepMs;
  const times: Date[] = [];
  for (let t = end - days * DAY_MS + stepMs; t <= end; t += stepMs) times.push(new Date(t));
  return times;
}

export async function backtestRule(
  db: Db,
  rule: RuleToEvaluate,
  opts: { days: BacktestDays; now?: Date },
): Promise<BacktestResult> {
  if (!BACKTEST_DAYS.includes(opts.days)) throw new AppError("bad_request", "days: must be 7 or 30");
  return backtestAt(db, rule, backtestTimes(opts.days, opts.now ?? new Date()));
}

/** The rule measured at each of `times` (ascending) and the state machine replayed over them. */
export async function backtestAt(db: Db, rule: RuleToEvaluate, times: Date[]): Promise<BacktestResult> {
  const targets = await targetClients(db, rule);
  const measured = await measureRule(db, rule, targets, times);
  return replay(rule, times, measured);
}

/** The state machine over measurements, as the evaluator would have stepped it. */
export function replay(rule: RuleToEvaluate, times: Date[], measured: Observation[][]): BacktestResult {
  const open = new Map<string, { episode: OpenEpisode; record: BacktestEpisode }>();
  const episodes: BacktestEpisode[] = [];
  const notifications = { firing: 0, reminder: 0, resolved: 0 };
  let fired = 0;
  let resolved = 0;

  times.forEach((at, i) => {
    const observed = new Map((measured[i] ?? []).map((o) => [o.subject, o]));
    for (const subject of new Set([...open.keys(), ...observed.keys()])) {
      const current = open.get(subject);
      const holds = observed.get(subject) ?? null;
      const s = step(rule, current?.episode ?? null, holds, at);
      if (s.notify) notifications[s.notify]++;
      let record = current?.record;
      if (!record && holds) {
        record = {
          subject,
          clientId: holds.clientId,
          workflowId: holds.workflowId,
          startedAt: at.toISOString(),
          firedAt: null,
          endedAt: null,
          state: "pending",
          summary: holds.summary,
          peakValue: holds.value,
        };
        episodes.push(record);
      }
      if (!record) continue;
      if (holds) record.peakValue = Math.max(record.peakValue, holds.value);
      if (s.events.includes("firing")) {
        fired++;
        record.firedAt = at.toISOString();
        if (holds) record.summary = holds.summary;
      }
      if (s.open) {
        record.state = s.open.state;
        open.set(subject, { episode: s.open, record });
      } else {
        if (s.ended) {
          record.state = s.ended;
          record.endedAt = at.toISOString();
          if (s.ended === "resolved") resolved++;
        }
        open.delete(subject);
      }
    }
  });

  return {
    from: times[0]?.toISOString() ?? new Date().toISOString(),
    to: times.at(-1)?.toISOString() ?? new Date().toISOString(),
    stepMinutes: times.length > 1 ? Math.round((times[1]!.getTime() - times[0]!.getTime()) / MINUTE_MS) : 0,
    steps: times.length,
    fired,
    resolved,
    notifications,
    episodes: episodes.slice(-MAX_EPISODES),
    truncated: episodes.length > MAX_EPISODES,
  };
}

/** A rule as the editor holds it, unsaved: backtested as if it were stored. */
export async function backtestDraft(db: Db, input: AlertRuleInput, days: BacktestDays, now?: Date) {
  await checkRuleReferences(db, input);
  const rule: RuleToEvaluate = {
    id: 0,
    name: input.name,
    clientId: input.clientId,
    workflowId: input.workflowId,
    params: input.params,
    severity: input.severity,
    forSeconds: input.forSeconds,
    repeatSeconds: input.repeatSeconds,
    labels: input.labels,
  };
  return backtestRule(db, rule, { days, now });
}
