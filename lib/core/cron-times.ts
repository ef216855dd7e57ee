/**
 * When a cron pattern fires in a time zone: the times in a range, computed per local day
 * from croner's parsed pattern. croner's own nextRun costs 40-80 µs a step, so a week of
 * a ten-minute schedule took 80 ms, and a backtest replays thousands of such windows;
 * this costs well under a microsecond a fire. The semantics are croner's, and the tests
 * compare the two: day of month OR day of week when both are restricted (its default
 * legacy mode); at a DST change a fixed-time pattern (one second, minute and hour) runs
 * once, at the end of a skipped hour or on the first pass of a repeated one, while other
 * patterns skip the missing times and run on both passes of a repeated hour. Patterns
 * with L, W, # or a year are rare and stepped with croner itself.
 */
import { Cron, CronPattern } from "croner";
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from "./time";

const QUARTER_MS = 15 * MINUTE_MS;
/** Fires a day kept per pattern, over all days; the cache is dropped beyond this. */
const MAX_CACHED_FIRES = 200_000;

/**
 * A zone's UTC offset at any instant, from Intl, cached per quarter hour: every zone of
 * today's tz database changes its offset on a quarter hour.
 */
class ZoneOffsets {
  private readonly format: Intl.DateTimeFormat | null;
  private readonly cache = new Map<number, number>();

  /** Throws a RangeError for a zone Intl does not know. */
  constructor(timeZone: string) {
    this.format =
      timeZone === "UTC" || timeZone === "Etc/UTC"
        ? null
        : new Intl.DateTimeFormat("en-US", {
            timeZone,
            hourCycle: "h23",
            year: "numeric",
            month: "numeric",
            day: "numeric",
            hour: "numeric",
            minute: "numeric",
            second: "numeric",
          });
  }

  /** local wall time = t + at(t), in ms. */
  at(t: number): number {
    if (this.format === null) return 0;
    const quarter = Math.floor(t / QUARTER_MS);
    const hit = this.cache.get(quarter);
    if (hit !== undefined) return hit;
    const start = quarter * QUARTER_MS;
    const f: Record<string, number> = {};
    for (const p of this.format.formatToParts(new Date(start))) if (p.type !== "literal") f[p.type] = Number(p.value);
    const offset = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - start;
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(quarter, offset);
    return offset;
  }

  /** The first quarter-hour instant in (a, b] with b's offset: where the clock changed. */
  changeBetween(a: number, b: number): number {
    const target = this.at(b);
    let [lo, hi] = [Math.floor(a / QUARTER_MS), Math.ceil(b / QUARTER_MS)];
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (this.at(mid * QUARTER_MS) === target) hi = mid;
      else lo = mid;
    }
    return hi * QUARTER_MS;
  }
}

export class CronTimes {
  private readonly pattern: CronPattern;
  private readonly offsets: ZoneOffsets;
  /** The pattern's times of day (ms after local midnight), ascending; null: stepped with croner. */
  private readonly timesOfDay: number[] | null;
  private readonly days = new Map<number, number[]>();
  private cachedFires = 0;

  /** Throws for a pattern croner refuses (5 or 6 fields) or a zone Intl does not know. */
  constructor(
    readonly spec: string,
    readonly timeZone: string,
  ) {
    this.pattern = new CronPattern(spec, timeZone, { mode: "5-or-6-parts" });
    this.offsets = new ZoneOffsets(timeZone);
    const p = this.pattern;
    const plain =
      !p.lastDayOfMonth &&
      !p.lastWeekday &&
      p.nearestWeekdays.every((x) => x === 0) &&
      p.dayOfWeek.every((x) => x === 0 || x === 63);
    this.timesOfDay = plain ? timesOfDay(p) : null;
  }

  /** The fire times (epoch ms) in [from, to), ascending, at most `max`. */
  between(from: number, to: number, max = Number.POSITIVE_INFINITY): number[] {
    const out: number[] = [];
    if (!(to > from) || max <= 0) return out;
    if (this.timesOfDay === null) return this.stepped(from, to, max);
    const first = Math.floor((from + this.offsets.at(from)) / DAY_MS) - 1;
    const last = Math.floor((to + this.offsets.at(to)) / DAY_MS) + 1;
    for (let day = first; day <= last; day++) {
      const fires = this.firesOn(day);
      for (let i = firstAtOrAfter(fires, from); i < fires.length; i++) {
        if (fires[i] >= to) return out;
        out.push(fires[i]);
        if (out.length >= max) return out;
      }
    }
    return out;
  }

  /** The fires of one local day (days since 1970-01-01 on the zone's wall clock), ascending. */
  private firesOn(day: number): number[] {
    const cached = this.days.get(day);
    if (cached) return cached;
    const fires = this.computeDay(day);
    if (this.cachedFires + fires.length > MAX_CACHED_FIRES) {
      this.days.clear();
      this.cachedFires = 0;
    }
    if (fires.length <= MAX_CACHED_FIRES / 4) {
      this.days.set(day, fires);
      this.cachedFires += fires.length;
    }
    return fires;
  }

  private computeDay(day: number): number[] {
    const p = this.pattern;
    const wall0 = day * DAY_MS;
    const date = new Date(wall0);
    if (!p.month[date.getUTCMonth()]) return [];
    const dom = p.day[date.getUTCDate() - 1] === 1;
    const dow = p.dayOfWeek[date.getUTCDay()] !== 0;
    const dayOk = p.starDOW ? dom : p.useAndLogic || p.starDOM ? dom && dow : dom || dow;
    if (!dayOk) return [];
    const times = this.timesOfDay as number[];
    // The offsets a day before and two after this wall-clock day: equal unless the clock changes.
    const before = this.offsets.at(wall0 - DAY_MS);
    const after = this.offsets.at(wall0 + 2 * DAY_MS);
    if (before === after) return times.map((x) => wall0 + x - before);
    const out: number[] = [];
    for (const x of times) out.push(...this.instantsOf(wall0 + x, before, after, day));
    return out.sort((a, b) => a - b);
  }

  /** The instants a wall time of a day with a clock change runs at, as croner decides. */
  private instantsOf(wall: number, before: number, after: number, day: number): number[] {
    const candidates = [...new Set([wall - before, wall - after])].sort((a, b) => a - b);
    const valid = candidates.filter((t) => t + this.offsets.at(t) === wall);
    if (valid.length > 0) return this.pattern.isFixedTime ? valid.slice(0, 1) : valid;
    // In the skipped hour: only a fixed-time pattern runs, when the clock has moved on.
    if (!this.pattern.isFixedTime) return [];
    const change = this.offsets.changeBetween(candidates[0], candidates[candidates.length - 1]);
    const sameDay = Math.floor((change + this.offsets.at(change)) / DAY_MS) === day;
    return sameDay ? [change] : [];
  }

  private stepped(from: number, to: number, max: number): number[] {
    const cron = new Cron(this.spec, { timezone: this.timeZone, mode: "5-or-6-parts" });
    const out: number[] = [];
    for (let next = cron.nextRun(new Date(from - 1)); next && next.getTime() < to; next = cron.nextRun(next)) {
      out.push(next.getTime());
      if (out.length >= max) break;
    }
    return out;
  }
}

/** The index of the first time >= t in an ascending list (its length if none). */
function firstAtOrAfter(times: number[], t: number): number {
  let [lo, hi] = [0, times.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function timesOfDay(p: CronPattern): number[] {
  const out: number[] = [];
  for (let h = 0; h < 24; h++) {
    if (!p.hour[h]) continue;
    for (let m = 0; m < 60; m++) {
      if (!p.minute[m]) continue;
      for (let s = 0; s < 60; s++) if (p.second[s]) out.push(h * HOUR_MS + m * MINUTE_MS + s * SECOND_MS);
    }
  }
  return out;
}

const instances = new Map<string, CronTimes>();

/** A shared CronTimes per pattern and zone (its day cache is what makes replays cheap). */
export function cronTimes(spec: string, timeZone: string): CronTimes {
  const key = `${timeZone} ${spec}`;
  let found = instances.get(key);
  if (!found) {
    found = new CronTimes(spec, timeZone);
    if (instances.size >= 256) instances.clear();
    instances.set(key, found);
  }
  return found;
}
