/**
 * The coverage ledger: what is known about one client's execution id line. n8n ids are
 * integers allocated in creation order, so the line from the history floor (the oldest id
 * n8n listed when a sync first read to the end) to the newest id is the client's whole
 * history. The ledger keeps the spans of that line whose list pages have been read
 * (collect_ranges) and, inside them, the ids the list did not return and that are not
 * stored (collect_gaps): a running execution (n8n hides those from the list) or one that
 * is gone (pruned, deleted, not visible to the key). Holes between read spans are still
 * to be read: an interrupted sync leaves exactly those, and the next one reads them.
 */
import { and, asc, desc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import { clients, collectGaps, collectRanges, executions } from "@/lib/db/schema";

export interface IdSpan {
  lo: number;
  hi: number;
}

interface StoredRange extends IdSpan {
  id: number;
}

/** Where the next read must go: list the ids below `below` (null: from the newest) down to `stopHi`. */
export interface Hole {
  below: number | null;
  /** The highest id already read under the hole; null: read to the end of the list. */
  stopHi: number | null;
}

export class CoverageLedger {
  private constructor(
    private readonly db: Db,
    private readonly clientId: number,
    /** Read spans, merged, highest first. */
    private ranges: StoredRange[],
    private floorId: number | null,
  ) {}

  static async load(db: Db, clientId: number): Promise<CoverageLedger> {
    const [rows, [client]] = await Promise.all([
      db
        .select({ id: collectRanges.id, lo: collectRanges.lo, hi: collectRanges.hi })
        .from(collectRanges)
        .where(eq(collectRanges.clientId, clientId))
        .orderBy(desc(collectRanges.hi)),
      db.select({ floor: clients.historyFloorId }).from(clients).where(eq(clients.id, clientId)),
    ]);
    return new CoverageLedger(db, clientId, rows, client?.floor ?? null);
  }

  get floor(): number | null {
    return this.floorId;
  }

  /** The first read of a sync: from the newest id down to the newest read span. */
  topHole(): Hole {
    return { below: null, stopHi: this.ranges[0]?.hi ?? null };
  }

  /**
   * The next part of the line to read under a read span that starts at `lo`: down to the
   * next read span, or to the end of the list while the floor is unknown. Null when the
   * span already reaches the floor.
   */
  holeUnder(lo: number): Hole | null {
    if (this.floorId !== null && lo <= this.floorId) return null;
    const next = this.ranges.find((r) => r.hi < lo) ?? null;
    return { below: lo, stopHi: next?.hi ?? null };
  }

  /** The span of the line containing `id`, if read. */
  spanOf(id: number): IdSpan | null {
    return this.ranges.find((r) => r.lo <= id && r.hi >= id) ?? null;
  }

  /**
   * Records [lo, hi] as read, merged with every span it overlaps or touches, in one
   * transaction; an empty span (lo = hi + 1) still joins the spans on both sides.
   */
  async markRead(span: IdSpan): Promise<IdSpan> {
    const touching = this.ranges.filter((r) => r.lo <= span.hi + 1 && r.hi >= span.lo - 1);
    const merged = {
      lo: Math.min(span.lo, ...touching.map((r) => r.lo)),
      hi: Math.max(span.hi, ...touching.map((r) => r.hi)),
    };
    if (merged.hi < merged.lo) return merged;
    if (touching.length === 1 && touching[0].lo === merged.lo && touching[0].hi === merged.hi) return merged;
    const row = await this.db.transaction(async (tx) => {
      if (touching.length > 0) {
        await tx.delete(collectRanges).where(
          inArray(
            collectRanges.id,
            touching.map((r) => r.id),
          ),
        );
      }
      const [inserted] = await tx
        .insert(collectRanges)
        .values({ clientId: this.clientId, lo: merged.lo, hi: merged.hi })
        .returning({ id: collectRanges.id });
      return inserted;
    });
    this.ranges = [...this.ranges.filter((r) => !touching.includes(r)), { id: row.id, ...merged }].sort(
      (a, b) => b.hi - a.hi,
    );
    return merged;
  }

  /** The list was read to its end: the lowest read id is where this client's history starts. */
  async setFloor(floorId: number, at: Date): Promise<void> {
    if (this.floorId !== null && this.floorId <= floorId) return;
    this.floorId = floorId;
    await this.db
      .update(clients)
      .set({
        historyFloorId: floorId,
        historyCompleteAt: sql`coalesce(${clients.historyCompleteAt}, ${at.toISOString()}::timestamptz)`,
        // Kept on the client: retention drops the oldest rows later, the start stays.
        historyStartAt: sql`(select e.started_at from executions e where e.client_id = ${this.clientId}
          and e.n8n_execution_id >= ${floorId} order by e.n8n_execution_id limit 1)`,
      })
      .where(eq(clients.id, this.clientId));
  }

  /**
   * Records the ids of a read span that the list did not return and that are not stored
   * (a stored running execution is hidden from the list, but is not a gap). `listed` are
   * the ids the page returned, any order.
   */
  async recordGaps(span: IdSpan, listed: readonly number[]): Promise<number> {
    const candidates = complement(span, listed);
    if (candidates.length === 0) return 0;
    // Ids already recorded are left out too: a sync killed between recording a page's gaps
    // and marking the page read reads the page again.
    const [stored, recorded] = await Promise.all([storedIdsIn(this.db, this.clientId, span), this.gapsIn(span)]);
    const gaps = withoutSpans(
      candidates.flatMap((c) => complement(c, stored)),
      recorded,
    );
    if (gaps.length === 0) return 0;
    await this.db.insert(collectGaps).values(gaps.map((g) => ({ clientId: this.clientId, lo: g.lo, hi: g.hi })));
    return gaps.reduce((n, g) => n + g.hi - g.lo + 1, 0);
  }

  /**
   * Of `ids` listed again in read ground [lo, hi], those to store: the ones stored (their
   * status may have changed) and the ones recorded as gaps. Any other was stored before
   * and dropped by retention after it was counted.
   */
  async collectable(span: IdSpan, ids: readonly number[]): Promise<Set<number>> {
    const inSpan = ids.filter((id) => id >= span.lo && id <= span.hi);
    if (inSpan.length === 0) return new Set();
    const [stored, gaps] = await Promise.all([storedIdsIn(this.db, this.clientId, span), this.gapsIn(span)]);
    const held = new Set(stored);
    return new Set(inSpan.filter((id) => held.has(id) || gaps.some((g) => g.lo <= id && id <= g.hi)));
  }

  /** Recorded gaps (any state) overlapping the span. */
  private gapsIn(span: IdSpan): Promise<IdSpan[]> {
    return this.db
      .select({ lo: collectGaps.lo, hi: collectGaps.hi })
      .from(collectGaps)
      .where(and(eq(collectGaps.clientId, this.clientId), lte(collectGaps.lo, span.hi), gte(collectGaps.hi, span.lo)));
  }

  /**
   * Removes stored ids from the gaps overlapping [lo, hi]: an id recorded as a gap that
   * was listed or found since (a run that finished, a page re-read across a span edge).
   */
  async dropStoredFromGaps(span: IdSpan): Promise<void> {
    const rows = await this.db
      .select()
      .from(collectGaps)
      .where(and(eq(collectGaps.clientId, this.clientId), lte(collectGaps.lo, span.hi), gte(collectGaps.hi, span.lo)));
    for (const gap of rows) {
      const stored = await storedIdsIn(this.db, this.clientId, gap);
      if (stored.length === 0) continue;
      const rest = complement(gap, stored);
      await this.db.transaction(async (tx) => {
        await tx.delete(collectGaps).where(eq(collectGaps.id, gap.id));
        if (rest.length > 0) {
          const { id: _id, ...keep } = gap;
          await tx.insert(collectGaps).values(rest.map((r) => ({ ...keep, lo: r.lo, hi: r.hi })));
        }
      });
    }
  }
}

/** `spans` minus every span of `remove`, as spans (pruned holes can be a million ids long). */
export function withoutSpans(spans: IdSpan[], remove: readonly IdSpan[]): IdSpan[] {
  let rest = spans;
  for (const r of remove) {
    rest = rest.flatMap((s) => {
      if (r.hi < s.lo || r.lo > s.hi) return [s];
      const parts: IdSpan[] = [];
      if (s.hi > r.hi) parts.push({ lo: r.hi + 1, hi: s.hi });
      if (s.lo < r.lo) parts.push({ lo: s.lo, hi: r.lo - 1 });
      return parts;
    });
  }
  return rest;
}

/** Ids of [lo, hi] not in `ids`, as spans, highest first. */
export function complement(span: IdSpan, ids: readonly number[]): IdSpan[] {
  const inside = [...new Set(ids.filter((id) => id >= span.lo && id <= span.hi))].sort((a, b) => b - a);
  const out: IdSpan[] = [];
  let top = span.hi;
  for (const id of inside) {
    if (id < top) out.push({ lo: id + 1, hi: top });
    top = id - 1;
  }
  if (top >= span.lo) out.push({ lo: span.lo, hi: top });
  return out;
}

async function storedIdsIn(db: Db, clientId: number, span: IdSpan): Promise<number[]> {
  const rows = await db
    .select({ id: executions.n8nExecutionId })
    .from(executions)
    .where(
      and(
        eq(executions.clientId, clientId),
        gte(executions.n8nExecutionId, span.lo),
        lte(executions.n8nExecutionId, span.hi),
      ),
    );
  return rows.map((r) => r.id);
}

/** Unprobed gap ids to ask n8n for, newest first (a running execution is most likely recent). */
export async function unprobedGapIds(db: Db, clientId: number, limit: number): Promise<number[]> {
  if (limit <= 0) return [];
  const ids: number[] = [];
  const rows = await db
    .select({ lo: collectGaps.lo, hi: collectGaps.hi })
    .from(collectGaps)
    .where(and(eq(collectGaps.clientId, clientId), eq(collectGaps.state, "unprobed")))
    .orderBy(desc(collectGaps.hi))
    .limit(limit);
  for (const gap of rows) {
    for (let id = gap.hi; id >= gap.lo && ids.length < limit; id--) ids.push(id);
    if (ids.length >= limit) break;
  }
  return ids;
}

/**
 * Rewrites the unprobed gaps that hold `missing` ids: those ids become `missing` (with
 * the start times of their stored neighbours as their time span), the rest stays
 * unprobed. Ids found (stored meanwhile) are taken out by dropStoredFromGaps.
 */
export async function markMissing(db: Db, clientId: number, missing: readonly number[], now: Date): Promise<void> {
  if (missing.length === 0) return;
  const lo = Math.min(...missing);
  const hi = Math.max(...missing);
  const gaps = await db
    .select()
    .from(collectGaps)
    .where(
      and(
        eq(collectGaps.clientId, clientId),
        eq(collectGaps.state, "unprobed"),
        lte(collectGaps.lo, hi),
        gte(collectGaps.hi, lo),
      ),
    )
    .orderBy(asc(collectGaps.lo));
  const missingSet = new Set(missing);
  for (const gap of gaps) {
    const runs = splitRuns(gap, missingSet);
    if (!runs.some((r) => r.missing)) continue;
    const rows = await Promise.all(
      runs.map(async (r) => {
        const { id: _id, ...keep } = gap;
        if (!r.missing) return { ...keep, lo: r.lo, hi: r.hi };
        const { afterAt, beforeAt } = await neighbourTimes(db, clientId, r);
        return { ...keep, lo: r.lo, hi: r.hi, state: "missing" as const, missingSince: now, afterAt, beforeAt };
      }),
    );
    await db.transaction(async (tx) => {
      await tx.delete(collectGaps).where(eq(collectGaps.id, gap.id));
      await tx.insert(collectGaps).values(rows);
    });
  }
}

/** [lo, hi] cut into runs of ids that are all in `set` or all not. */
function splitRuns(span: IdSpan, set: ReadonlySet<number>): Array<IdSpan & { missing: boolean }> {
  const runs: Array<IdSpan & { missing: boolean }> = [];
  // Walk only the ids in the set; the stretches between them are one run each.
  const inside = [...set].filter((id) => id >= span.lo && id <= span.hi).sort((a, b) => a - b);
  let next = span.lo;
  for (const id of inside) {
    if (id > next) runs.push({ lo: next, hi: id - 1, missing: false });
    const last = runs.at(-1);
    if (last?.missing && last.hi === id - 1) last.hi = id;
    else runs.push({ lo: id, hi: id, missing: true });
    next = id + 1;
  }
  if (next <= span.hi) runs.push({ lo: next, hi: span.hi, missing: false });
  return runs;
}

/** Start times of the stored executions just below and above a span: when its ids ran. */
async function neighbourTimes(
  db: Db,
  clientId: number,
  span: IdSpan,
): Promise<{ afterAt: Date | null; beforeAt: Date | null }> {
  const [below] = await db
    .select({ at: executions.startedAt })
    .from(executions)
    .where(and(eq(executions.clientId, clientId), sql`${executions.n8nExecutionId} < ${span.lo}`))
    .orderBy(desc(executions.n8nExecutionId))
    .limit(1);
  const [above] = await db
    .select({ at: executions.startedAt })
    .from(executions)
    .where(and(eq(executions.clientId, clientId), sql`${executions.n8nExecutionId} > ${span.hi}`))
    .orderBy(asc(executions.n8nExecutionId))
    .limit(1);
  return { afterAt: below?.at ?? null, beforeAt: above?.at ?? null };
}
