import type { Db } from "@/lib/db/database";
import { describeError } from "@/lib/core/describe-error";
import type { MetricPoint } from "./point";
import { insertMetricPoints } from "./store";

/** How often buffered points are written; a job's points reach the table within this. */
const FLUSH_INTERVAL_MS = 5_000;
/** A full batch is written at once rather than waiting for the timer. */
const FLUSH_AT = 500;
/** Points kept while the database refuses them; the oldest go first beyond this. */
const MAX_BUFFERED = 20_000;
/** Writes a batch is tried before its points are dropped (a point the table refuses must not jam the buffer). */
const WRITE_ATTEMPTS = 3;

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
 * timer. A failed write is counted and logged, and its points are tried again with the
 * next batch, up to WRITE_ATTEMPTS times.
 */
export class MetricRecorder {
  private buffer: Array<{ point: MetricPoint; attempts: number }> = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> | null = null;
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

  record(points: MetricPoint | readonly MetricPoint[]): void {
    try {
      const list = Array.isArray(points) ? points : [points as MetricPoint];
      for (const point of list) {
        if (!Number.isFinite(point.value)) {
          this.stats.dropped++;
          continue;
        }
        this.buffer.push({ point: { ...point, at: point.at ?? new Date() }, attempts: 0 });
        this.stats.recorded++;
      }
      if (this.buffer.length > MAX_BUFFERED) {
        const over = this.buffer.length - MAX_BUFFERED;
        this.buffer.splice(0, over);
        this.stats.dropped += over;
      }
      this.stats.buffered = this.buffer.length;
      if (this.buffer.length >= FLUSH_AT) void this.flush();
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

  private async writeBatch(batch: Array<{ point: MetricPoint; attempts: number }>): Promise<void> {
    try {
      await this.write(
        this.db,
        batch.map((b) => b.point),
      );
      this.stats.written += batch.length;
    } catch (err) {
      this.fail(err);
      const retry = batch.filter((b) => ++b.attempts < WRITE_ATTEMPTS);
      this.stats.dropped += batch.length - retry.length;
      this.buffer = [...retry, ...this.buffer];
    }
  }

  private fail(err: unknown): void {
    this.stats.failedWrites++;
    this.stats.lastError = describeError(err).message;
    this.stats.lastErrorAt = new Date().toISOString();
    console.error(`[telemetry] could not record system metrics: ${this.stats.lastError}`);
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
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
export function recordMetrics(db: Db, points: MetricPoint | readonly MetricPoint[]): void {
  metricRecorder(db).record(points);
}

/** Writes what is buffered for `db` (tests, the collect endpoint, shutdown). */
export function flushMetrics(db: Db): Promise<void> {
  return metricRecorder(db).flush();
}
