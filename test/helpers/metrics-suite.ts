import { afterAll, beforeAll, vi } from "vitest";
import type { DatabaseHandle } from "@/lib/db/database";
import { createTestDatabase } from "./db";
import { pinClock, useAsAppDatabase } from "./app-db";
import { DAY, END, seedMetrics, START, type Seeded } from "./metrics-seed";

/** The handlers' clock: a day after the seeded week, well inside every retention window. */
export const NOW = new Date("2026-03-10T12:00:00Z");
export const range = { start: START.toISOString(), end: END.toISOString() };
export const PREVIOUS_START = new Date(START.getTime() - 7 * DAY);

/**
 * Registers the lifecycle the metrics API tests share: a pinned clock, a fresh database
 * that the route handlers use, and the seeded week. Read `suite.handle` and `suite.seed`
 * inside tests (they are set by beforeAll).
 */
export function useSeededMetricsDatabase(): { handle: DatabaseHandle; seed: Seeded } {
  const suite = {} as { handle: DatabaseHandle; seed: Seeded };
  beforeAll(async () => {
    pinClock(vi, NOW);
    suite.handle = await createTestDatabase();
    useAsAppDatabase(suite.handle);
    suite.seed = await seedMetrics(suite.handle.db);
  });
  afterAll(async () => {
    vi.useRealTimers();
    await suite.handle.close();
  });
  return suite;
}
