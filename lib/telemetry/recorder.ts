import type { Db } from "@/lib/db/database";
import { describeError } from "@/lib/core/describe-error";
import { hasSqlStateClass } from "@/lib/db/sql-state";
import type { MetricPoint } from "./point";
import { insertMetricPoints } from "./store";

/** How often buffered points are written; a job's points reach the table within this. */
const FLUSH_INTERVAL_MS = 5_000;
/** A full batch is written at once rather than waiting for the timer. */
const FLUSH_AT = 500;
/** Points kept while the database is unreachable; the oldest go first beyond this. */
const MAX_BUFFERED = 20_000;
/** After a failed write the next waits this long, doubling up to MAX_BACKOFF_MS. */
const FIRST_BACKOFF_MS = 5_000;
const MAX_BACKOFF_MS = 60_000;
/**
 * SQLSTATE classes of a statement the database refused for what it holds (22 data
 * exception, 23 integrity, 54 a limit such as an index entry's size): trying the same
 * points again would fail again, unlike a lost connection.
 */
const REFUSED_CLASSES = ["22", "23", "54"];

type PointsToRecord = MetricPoint | readonly MetricPoint[] | (() => MetricPoint | readonly MetricPoint[]);

/** What the recorder has done since the process started: the status page and Prometheus show it. */
export interface RecorderStats {
  recorded: number;
  written: number;
  buffered: number;
  failedWrites: number;
  dropped: number;
  lastError: string | null;
  lastErrorAt: string | null;
}

/**
 * Flowscope's own points go through here: `record` only appends to a buffer and never
 * throws, so measuring a job can never break it; the buffer is written in batches by a
 * timer. A failed write is counted and logged. While the database is unreachable the
 * points stay buffered (up to MAX_BUFFERED) and writes back off, so an outage of minutes
 * loses nothing; a batch the database refuses for its content is written point by point
 * once, and only the points refused alone are dropped.
 */
export class MetricRecorder {
  private buffer: MetricPoint[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> | null = null;
  /** Consecutive failed writes: the backoff's exponent. */
  private failures = 0;
  readonly stats: RecorderStats = {
    recorded: 0,
    written: 0,
    buffered: 0,
    failedWrites: 0,
    dropped: 0,
    lastError: null,
    lastErrorAt: null,
  };

  constructor(
    private readonly db: Db,
    private readonly write: (db: Db, points: MetricPoint[]) => Promise<unknown> = insertMetricPoints,
  ) {}

  /** Points, or a function making them: one that throws is counted here, never in the job. */
  record(points: PointsToRecord): void {
    try {
      const made = typeof points === "function" ? points() : points;
      const list = Array.isArray(made) ? made : [made as MetricPoint];
      for (const point of list) {
        if (!Number.isFinite(point.value)) {
          this.stats.dropped++;
          continue;
        }
        this.buffer.push({ ...point, at: point.at ?? new Date() });
        this.stats.recorded++;
      }
      this.trim();
      // A full buffer is written at once, unless writes are backing off after a failure.
      if (this.buffer.length >= FLUSH_AT && this.failures === 0) void this.flush();
      else this.schedule();
    } catch (err) {
      // Nothing above should throw; if it does, the job being measured must not notice.
      this.fail(err);
    }
  }

  /** Writes everything buffered now; resolves when written or given up on, never rejects. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => (this.buffer.length > 0 ? this.flush() : undefined));
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.buffer.length === 0) return Promise.resolve();
    const batch = this.buffer;
    this.buffer = [];
    this.flushing = this.writeBatch(batch).finally(() => {
      this.flushing = null;
      this.stats.buffered = this.buffer.length;
      if (this.buffer.length > 0) this.schedule();
    });
    return this.flushing;
  }

  private async writeBatch(batch: MetricPoint[]): Promise<void> {
    try {
      await this.write(this.db, batch);
      this.stats.written += batch.length;
      this.failures = 0;
    } catch (err) {
      this.fail(err);
      if (hasSqlStateClass(err, REFUSED_CLASSES)) {
        await this.writeOneByOne(batch);
        return;
      }
      this.keepForLater(batch);
    }
  }

  /** The points of a refused batch alone: the good ones are stored, the refused dropped. */
  private async writeOneByOne(batch: MetricPoint[]): Promise<void> {
    for (const [i, point] of batch.entries()) {
      try {
        await this.write(this.db, [point]);
        this.stats.written++;
      } catch (err) {
        if (hasSqlStateClass(err, REFUSED_CLASSES)) {
          this.stats.dropped++;
          continue;
        }
        // The database went away meanwhile: the rest waits for it.
        this.fail(err);
        this.keepForLater(batch.slice(i));
        return;
      }
    }
  }

  /**
   * Points a write failed for a reason other than their content (the database unreachable,
   * or failing on its own): back at the head of the buffer, and the next write backs off.
   */
  private keepForLater(points: MetricPoint[]): void {
    this.failures++;
    this.buffer = [...points, ...this.buffer];
    this.trim();
  }

  /** Drops the oldest points beyond MAX_BUFFERED, counting them. */
  private trim(): void {
    if (this.buffer.length > MAX_BUFFERED) {
      const over = this.buffer.length - MAX_BUFFERED;
      this.buffer.splice(0, over);
      this.stats.dropped += over;
    }
    this.stats.buffered = this.buffer.length;
  }

  private fail(err: unknown): void {
    this.stats.failedWrites++;
    this.stats.lastError = describeError(err).message;
    this.stats.lastErrorAt = new Date().toISOString();
    console.error(`[telemetry] could not record system metrics: ${this.stats.lastError}`);
  }

  private schedule(): void {
    if (this.timer) return;
    const delay =
      this.failures === 0 ? FLUSH_INTERVAL_MS : Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (this.failures - 1));
    this.timer = setTimeout(() => void this.flush(), delay);
    this.timer.unref?.();
  }
}

// Per database handle: tests open several, and a point belongs to the database of the job it measures.
const RECORDERS = Symbol.for("flowscope.metricRecorders");
type WithRecorders = typeof globalThis & { [RECORDERS]?: WeakMap<Db, MetricRecorder> };

function recorders(): WeakMap<Db, MetricRecorder> {
  const g = globalThis as WithRecorders;
  return (g[RECORDERS] ??= new WeakMap());
}

export function metricRecorder(db: Db): MetricRecorder {
  let recorder = recorders().get(db);
  if (!recorder) {
    recorder = new MetricRecorder(db);
    recorders().set(db, recorder);
  }
  return recorder;
}

/** Buffers points for `db`; never throws. */
export function recordMetrics(db: Db, points: PointsToRecord): void {
  metricRecorder(db).record(points);
}

/** Writes what is buffered for `db` (tests, the collect endpoint, shutdown). */
export function flushMetrics(db: Db): Promise<void> {
  return metricRecorder(db).flush();
}
