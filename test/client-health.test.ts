import { describe, expect, it } from "vitest";
import { clientHealth, type HealthInput } from "@/lib/metrics/client-health";

const base: HealthInput = {
  active: true,
  finished: 100,
  successRate: 99.5,
  lastSyncAt: "2026-11-30T10:00:00Z",
  stale: false,
  lastRunStatus: "success",
};

describe("a client's health on the overview", () => {
  it.each([
    [{}, "healthy", "Syncing and succeeding"],
    [{ successRate: 95 }, "degraded", "Success rate below 98%"],
    [{ successRate: 80 }, "failing", "Success rate below 90%"],
    [{ successRate: 50, finished: 4 }, "healthy", "Syncing and succeeding"],
    [{ stale: true }, "degraded", "Data is stale"],
    [{ lastRunStatus: "error" }, "failing", "Last sync failed"],
    [{ lastSyncAt: null, lastRunStatus: "running" }, "first-sync", "First sync in progress"],
    [{ lastSyncAt: null, lastRunStatus: null, stale: true }, "first-sync", "Waiting for its first sync"],
    [{ lastSyncAt: null, lastRunStatus: "error" }, "failing", "First sync failed"],
    [{ active: false, lastRunStatus: "error" }, "inactive", "Not collected (inactive)"],
  ] as const)("%j is %s", (change, state, reason) => {
    expect(clientHealth({ ...base, ...change })).toEqual({ state, reason });
  });
});
