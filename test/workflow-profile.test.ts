import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db/database";
import { AppError } from "@/lib/core/errors";
import { getWorkflowProfile } from "@/lib/metrics/workflow-profile";
import { createTestDatabase } from "./helpers/db";
import { createClient, createWorkflow } from "./helpers/factories";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => handle.close());

describe("the workflow drill-down's profile", () => {
  it("says whether its runs count and which rule decided, with its n8n link", async () => {
    const client = await createClient(handle.db, { n8nBaseUrl: "https://n8n.example.com/api/v1/" });
    const kept = await createWorkflow(handle.db, client.id, {
      name: "Test invoice sync",
      n8nWorkflowId: "Vb8kQ2mXr4TzN1pL",
      tags: ["production"],
      minutesSavedPerExecution: 5,
      active: true,
    });
    const dev = await createWorkflow(handle.db, client.id, { name: "CRM migration", tags: ["dev"] });

    const profile = await getWorkflowProfile(handle.db, client.id, kept.id);
    expect(profile).toMatchObject({
      name: "Test invoice sync",
      active: true,
      tags: ["production"],
      minutesSavedPerExecution: 5,
      n8nUrl: "https://n8n.example.com/workflow/Vb8kQ2mXr4TzN1pL",
      manualExcluded: true,
      verdict: {
        included: true,
        decidedBy: "production-tag",
        decidedValue: "production",
        overridden: [{ rule: "test-name", value: "test" }],
      },
    });
    expect((await getWorkflowProfile(handle.db, client.id, dev.id)).verdict).toMatchObject({
      included: false,
      reason: "tag:dev",
      decidedBy: "non-production-tag",
    });
  });

  it("is a 404 for another client's workflow", async () => {
    const [a, b] = [await createClient(handle.db), await createClient(handle.db)];
    const wf = await createWorkflow(handle.db, a.id);
    await expect(getWorkflowProfile(handle.db, b.id, wf.id)).rejects.toMatchObject({
      constructor: AppError,
      code: "not_found",
    });
  });
});
