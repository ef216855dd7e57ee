/**
 * A client's bucket calendar: where its hour, day, week and month buckets begin and end.
 * Hours are UTC hours. A day, week or month is labelled by its local midnight in the
 * client's zone (bucket_start) and holds the hours that start in [label, next label):
 * in a zone with a whole-hour offset exactly the local day, in one such as Asia/Kolkata
 * (+05:30) the UTC hours starting in it, so a day runs 00:30 to 00:30 local time.
 *
 * After a zone change the buckets before the change keep their zone (client_zone_eras):
 * the calendar is a list of spans, each in one zone, and a bucket never crosses a span's
 * edge (the last one before it ends there, the first one after it starts there). The SQL
 * twins are `bucketStartSql` and `bucketEndSql` over the client_zone_spans view.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/lib/db/database";
import { arrayParam } from "@/lib/db/sql-literals";
import type { Granularity } from "@/lib/core/vocabulary";
import { ceilHour, DEFAULT_TIME_ZONE, floorHour, zoneAdd, zoneTrunc } from "@/lib/core/zone-time";
import { addBuckets, bucketStart } from "./buckets";

export interface ZoneSpan {
  timeZone: string;
  /** Inclusive; null: since ever. */
  starts: Date | null;
  /** Exclusive; null: from then on. */
  ends: Date | null;
}

export class BucketCalendar {
  static readonly UTC = new BucketCalendar([{ timeZone: DEFAULT_TIME_ZONE, starts: null, ends: null }]);

  private readonly utc: boolean;

  /** `spans` in order, each ending where the next starts. */
  constructor(readonly spans: readonly ZoneSpan[]) {
    this.utc = spans.length === 1 && spans[0].timeZone === DEFAULT_TIME_ZONE;
  }

  /** The zone of the current (last) span: what new buckets and the pages use. */
  get timeZone(): string {
    return this.spans[this.spans.length - 1].timeZone;
  }

  /** Identifies the calendar in cache keys. */
  get key(): string {
    return this.spans.map((s) => `${s.timeZone}@${s.starts?.toISOString() ?? ""}`).join(",");
  }

  private spanAt(t: Date): ZoneSpan {
    for (const s of this.spans) if (!s.ends || t < s.ends) return s;
    return this.spans[this.spans.length - 1];
  }

  /** The label (bucket_start) of the `granularity` bucket holding the hour of `t`. */
  label(t: Date, granularity: Granularity): Date {
    const hour = floorHour(t);
    if (granularity === "hour" || this.utc) return bucketStart(hour, granularity);
    const span = this.spanAt(hour);
    const start = zoneTrunc(hour, granularity, span.timeZone);
    return span.starts && start < span.starts ? span.starts : start;
  }

  /** The label of the bucket after the one labelled `label`. */
  nextLabel(label: Date, granularity: Granularity): Date {
    if (granularity === "hour" || this.utc) return addBuckets(label, granularity, 1);
    const span = this.spanAt(label);
    const next = zoneAdd(zoneTrunc(label, granularity, span.timeZone), granularity, 1, span.timeZone);
    return span.ends && next > span.ends ? span.ends : next;
  }

  /** Where a bucket really begins: the first hour that starts at or after its label. */
  start(label: Date): Date {
    return ceilHour(label);
  }

  /** Where the bucket holding `t` begins. */
  floor(t: Date, granularity: Granularity): Date {
    return this.start(this.label(t, granularity));
  }

  /** Where the bucket after the one beginning at `start` begins. */
  next(start: Date, granularity: Granularity): Date {
    return this.start(this.nextLabel(this.label(start, granularity), granularity));
  }

  /**
   * Labels of the buckets that overlap [from, to). A bucket with no whole hour (the last
   * one before a zone change of a half-hour zone can end before it begins) is left out.
   */
  labelsInRange(from: Date, to: Date, granularity: Granularity): Date[] {
    const out: Date[] = [];
    for (let l = this.label(from, granularity); this.start(l) < to;) {
      const next = this.nextLabel(l, granularity);
      if (this.start(next) > this.start(l)) out.push(l);
      l = next;
    }
    return out;
  }
}

interface SpanRow extends Record<string, unknown> {
  client_id: number;
  time_zone: string;
  starts: number | string;
  ends: number | string;
}

/** Epoch milliseconds, ±Infinity for an open end. */
const bound = (v: number | string): Date | null => {
  const ms = Number(v);
  return Number.isFinite(ms) ? new Date(ms) : null;
};

/** The calendars of `clientIds` (UTC for an id without a client). */
export async function loadCalendars(db: Db, clientIds: number[]): Promise<Map<number, BucketCalendar>> {
  const out = new Map<number, BucketCalendar>();
  if (clientIds.length === 0) return out;
  const rows = await queryRows<SpanRow>(
    db,
    sql`select client_id, time_zone, extract(epoch from starts)::float8 * 1000 as starts,
      extract(epoch from ends)::float8 * 1000 as ends from client_zone_spans
      where client_id = any (${arrayParam(clientIds)}::int[]) order by client_id, starts`,
  );
  const spans = new Map<number, ZoneSpan[]>();
  for (const r of rows) {
    const id = Number(r.client_id);
    if (!spans.has(id)) spans.set(id, []);
    spans.get(id)!.push({ timeZone: r.time_zone, starts: bound(r.starts), ends: bound(r.ends) });
  }
  for (const id of clientIds) {
    const s = spans.get(id);
    out.set(id, s ? new BucketCalendar(s) : BucketCalendar.UTC);
  }
  return out;
}

/** One client's calendar. */
export async function loadCalendar(db: Db, clientId: number): Promise<BucketCalendar> {
  return (await loadCalendars(db, [clientId])).get(clientId)!;
}
