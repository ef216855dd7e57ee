/**
 * Reads the stored parameters of n8n's Schedule Trigger (n8n-nodes-base.scheduleTrigger)
 * and legacy Cron node (n8n-nodes-base.cron) into cron patterns. n8n stores a parameter
 * only when it differs from the node's default, so every default is filled in here as
 * the node description declares it (ScheduleTrigger.node.ts: field "days", 30 seconds,
 * 5 minutes, 1 hour/day/week/month, hour 0, minute 0, Sunday, day 1 of the month;
 * Cron.node.ts: mode everyDay at 14:00, weekday Monday, day 1, every 2 hours).
 */
import { CronPattern } from "croner";

export type RuleReading = { cron: string; text: string } | { reason: string };

/** A rule that cannot be read; thrown inside a rule's reading, caught per rule. */
class Skip extends Error {}

const FROM_ACTIVATION = "n8n counts these from when the workflow was activated, which its API does not show";
const DAY_NAMES = ["Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays"];

type Item = Record<string, unknown>;

const EXPRESSION = "it uses an n8n expression, known only when n8n runs it";

export function readRules(type: string, parameters: Record<string, unknown>): RuleReading[] {
  if (type === "n8n-nodes-base.scheduleTrigger") return readScheduleTrigger(parameters);
  if (type === "n8n-nodes-base.cron") return readCronNode(parameters);
  return [{ reason: `${type} is not a schedule trigger` }];
}

function readScheduleTrigger(parameters: Record<string, unknown>): RuleReading[] {
  const rule = parameters.rule;
  if (typeof rule === "string" && rule.startsWith("=")) return [{ reason: EXPRESSION }];
  // Stored without rules, the node runs n8n's default daily rule at an hour n8n may pick itself.
  if (!isItem(rule) || !Array.isArray(rule.interval)) return [{ reason: "no trigger rules are stored" }];
  if (rule.interval.length === 0) return [{ reason: "no trigger rules: it never runs" }];
  return rule.interval.map((item) => read(item, scheduleRule));
}

function readCronNode(parameters: Record<string, unknown>): RuleReading[] {
  const times = parameters.triggerTimes;
  if (typeof times === "string" && times.startsWith("=")) return [{ reason: EXPRESSION }];
  const items = isItem(times) && Array.isArray(times.item) ? times.item : [];
  if (items.length === 0) return [{ reason: "no trigger times: it never runs" }];
  return items.map((item) => read(item, cronNodeRule));
}

function read(item: unknown, f: (item: Item) => { cron: string; text: string }): RuleReading {
  if (hasExpression(item)) return { reason: EXPRESSION };
  try {
    return f(isItem(item) ? item : {});
  } catch (err) {
    if (err instanceof Skip) return { reason: err.message };
    throw err;
  }
}

/** ScheduleTrigger.node.ts, one entry of rule.interval (toCronExpression, with second 0). */
function scheduleRule(item: Item): { cron: string; text: string } {
  const field = item.field ?? "days";
  const minute = () => int(item, "triggerAtMinute", 0, 0, 59);
  const hour = () => int(item, "triggerAtHour", 0, 0, 23);
  const only = (key: string, what: string) => {
    const n = int(item, key, 1, 1, 1_000);
    if (n !== 1) throw new Skip(`every ${n} ${what}: ${FROM_ACTIVATION}`);
  };
  switch (field) {
    case "seconds": {
      const s = int(item, "secondsInterval", 30, 1, 59);
      return { cron: `*/${s} * * * * *`, text: s === 1 ? "every second" : `every ${s} seconds` };
    }
    case "minutes":
      return everyMinutes(int(item, "minutesInterval", 5, 1, 59));
    case "hours": {
      const h = int(item, "hoursInterval", 1, 1, 23);
      const m = minute();
      if (24 % h !== 0) throw new Skip(`every ${h} hours: ${FROM_ACTIVATION}`);
      const at = `:${pad(m)}`;
      return h === 1
        ? { cron: `0 ${m} * * * *`, text: `every hour at ${at}` }
        : { cron: `0 ${m} */${h} * * *`, text: `every ${h} hours at ${at} (from midnight)` };
    }
    case "days":
      only("daysInterval", "days");
      return daily(hour(), minute());
    case "weeks": {
      only("weeksInterval", "weeks");
      const days = weekdays(item.triggerAtDay ?? [0]);
      return weekly(days, hour(), minute());
    }
    case "months": {
      only("monthsInterval", "months");
      return monthly(int(item, "triggerAtDayOfMonth", 1, 1, 31), hour(), minute());
    }
    case "cronExpression":
      return custom(item.expression ?? "");
    default:
      throw new Skip(`unknown rule "${String(field)}"`);
  }
}

/** Cron.node.ts (the legacy Cron node), one entry of triggerTimes.item. */
function cronNodeRule(item: Item): { cron: string; text: string } {
  const mode = item.mode ?? "everyDay";
  const minute = () => int(item, "minute", 0, 0, 59);
  const hour = () => int(item, "hour", 14, 0, 23);
  switch (mode) {
    case "everyMinute":
      return everyMinutes(1);
    case "everyHour": {
      const m = minute();
      return { cron: `0 ${m} * * * *`, text: `every hour at :${pad(m)}` };
    }
    case "everyDay":
      return daily(hour(), minute());
    case "everyWeek":
      return weekly(weekdays([item.weekday ?? "1"]), hour(), minute());
    case "everyMonth":
      return monthly(int(item, "dayOfMonth", 1, 1, 31), hour(), minute());
    case "everyX": {
      const value = int(item, "value", 2, 1, 1_000);
      if ((item.unit ?? "hours") === "minutes") {
        if (value > 59) throw new Skip(`every ${value} minutes: the value is out of range (1-59)`);
        return everyMinutes(value);
      }
      throw new Skip(`every ${value} hours: n8n picks the minute of these runs itself`);
    }
    case "custom":
      return custom(item.cronExpression ?? "* * * * * *");
    default:
      throw new Skip(`unknown mode "${String(mode)}"`);
  }
}

function everyMinutes(n: number): { cron: string; text: string } {
  if (n === 1) return { cron: "0 * * * * *", text: "every minute" };
  // "*/7" restarts at every full hour, as n8n's cron does: :00, :07 … :56, then :00.
  const text = 60 % n === 0 ? `every ${n} minutes` : `every ${n} minutes (restarting each hour)`;
  return { cron: `0 */${n} * * * *`, text };
}

function daily(h: number, m: number) {
  return { cron: `0 ${m} ${h} * * *`, text: `daily at ${pad(h)}:${pad(m)}` };
}

function weekly(days: number[], h: number, m: number) {
  const at = `${pad(h)}:${pad(m)}`;
  if (days.length === 0 || days.length === 7) return { cron: `0 ${m} ${h} * * *`, text: `daily at ${at}` };
  const names =
    days.join(",") === "1,2,3,4,5"
      ? "Mondays to Fridays"
      : days.length === 1
        ? DAY_NAMES[days[0]]
        : `${days
            .slice(0, -1)
            .map((d) => DAY_NAMES[d])
            .join(", ")} and ${DAY_NAMES[days[days.length - 1]]}`;
  return { cron: `0 ${m} ${h} * * ${days.join(",")}`, text: `${names} at ${at}` };
}

function monthly(day: number, h: number, m: number) {
  const short = day > 28 ? " (not in months without that day)" : "";
  return { cron: `0 ${m} ${h} ${day} * *`, text: `monthly on the ${ordinal(day)} at ${pad(h)}:${pad(m)}${short}` };
}

function custom(value: unknown): { cron: string; text: string } {
  const expression = typeof value === "string" ? value.trim().replace(/\s+/g, " ") : "";
  if (expression === "") throw new Skip("the cron expression is empty");
  try {
    new CronPattern(expression, undefined, { mode: "5-or-6-parts" });
  } catch (err) {
    throw new Skip(`the cron expression "${expression}" cannot be read: ${(err as Error).message}`);
  }
  return { cron: expression, text: `cron ${expression}` };
}

/** A whole number from the rule (n8n stores numbers; an API client may store digits). */
function int(item: Item, key: string, fallback: number, min: number, max: number): number {
  const raw = item[key] ?? fallback;
  const n = typeof raw === "string" && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== "number" || !Number.isInteger(n)) throw new Skip(`${key} is not a whole number: ${String(raw)}`);
  if (n < min || n > max) throw new Skip(`${key} ${n} is out of range (${min}-${max})`);
  return n;
}

/** Weekdays as n8n numbers them (Sunday 0 … Saturday 6; 7 is Sunday too), unique, ascending. */
function weekdays(value: unknown): number[] {
  const list = Array.isArray(value) ? value : [value];
  const days = list.map((d) => (typeof d === "string" && /^\d$/.test(d) ? Number(d) : d));
  if (!days.every((d): d is number => typeof d === "number" && Number.isInteger(d) && d >= 0 && d <= 7)) {
    throw new Skip(`weekdays ${JSON.stringify(value)} cannot be read`);
  }
  return [...new Set(days.map((d) => d % 7))].sort((a, b) => a - b);
}

function hasExpression(value: unknown): boolean {
  if (typeof value === "string") return value.startsWith("=");
  if (Array.isArray(value)) return value.some(hasExpression);
  if (isItem(value)) return Object.values(value).some(hasExpression);
  return false;
}

function isItem(value: unknown): value is Item {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const pad = (n: number) => String(n).padStart(2, "0");

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}
