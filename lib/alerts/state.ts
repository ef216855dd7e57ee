/**
 * The alert state machine, per rule and subject: ok → pending → firing → resolved.
 * Pure, so the evaluator (which stores what it decides) and the backtest (which replays
 * the stored history in memory) step through exactly the same rules.
 *
 * - The condition holds and nothing is open: a pending episode starts (firing at once
 *   when the rule's "for" is 0).
 * - Pending, and it has held for "for": firing, one notification.
 * - Pending, and it cleared: back to ok, never notified.
 * - Firing, still holding: a reminder once per repeat interval, unless acknowledged; a
 *   firing notification a silence held back (lastNotifiedAt cleared) goes out first.
 * - Firing, and it cleared: resolved, one notification.
 */
import type { AlertEventKind, NotificationKind } from "@/lib/core/vocabulary";
import type { Observation } from "./types";

/** An open episode as the machine needs it. */
export interface OpenEpisode {
  state: "pending" | "firing";
  startedAt: Date;
  firedAt: Date | null;
  lastNotifiedAt: Date | null;
  acknowledgedAt: Date | null;
}

export interface StepResult {
  /** The episode after the step; null when it closed (or none was opened). */
  open: OpenEpisode | null;
  /** How the episode ended at this step, if it did. */
  ended: "resolved" | "ok" | null;
  /** History rows this step adds (an episode's first is its `pending`). */
  events: AlertEventKind[];
  /** The notification this step sends, if any. */
  notify: Exclude<NotificationKind, "test"> | null;
}

export interface Timing {
  forSeconds: number;
  repeatSeconds: number;
}

const seconds = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 1000;

export function step(timing: Timing, open: OpenEpisode | null, holds: Observation | null, at: Date): StepResult {
  if (!open) {
    if (!holds) return { open: null, ended: null, events: [], notify: null };
    const pending: OpenEpisode = {
      state: "pending",
      startedAt: at,
      firedAt: null,
      lastNotifiedAt: null,
      acknowledgedAt: null,
    };
    if (timing.forSeconds > 0) return { open: pending, ended: null, events: ["pending"], notify: null };
    return {
      open: { ...pending, state: "firing", firedAt: at, lastNotifiedAt: at },
      ended: null,
      events: ["pending", "firing"],
      notify: "firing",
    };
  }
  if (!holds) {
    return open.state === "pending"
      ? { open: null, ended: "ok", events: ["ok"], notify: null }
      : { open: null, ended: "resolved", events: ["resolved"], notify: "resolved" };
  }
  if (open.state === "pending") {
    if (seconds(open.startedAt, at) < timing.forSeconds) return { open, ended: null, events: [], notify: null };
    return {
      open: { ...open, state: "firing", firedAt: at, lastNotifiedAt: at },
      ended: null,
      events: ["firing"],
      notify: "firing",
    };
  }
  // A firing notification a silence held back is owed, and goes out once it is not.
  if (open.lastNotifiedAt === null)
    return { open: { ...open, lastNotifiedAt: at }, ended: null, events: [], notify: "firing" };
  const due =
    timing.repeatSeconds > 0 &&
    open.acknowledgedAt === null &&
    seconds(open.lastNotifiedAt, at) >= timing.repeatSeconds;
  if (!due) return { open, ended: null, events: [], notify: null };
  return { open: { ...open, lastNotifiedAt: at }, ended: null, events: ["reminder"], notify: "reminder" };
}
