import { cron } from "inngest";
import { listActiveClientIds } from "@/lib/jobs";
import { SCHEDULES, inngestCron } from "@/lib/jobs/schedule";
import { inngest } from "../client";
import { getDb } from "@/lib/db/database";
import { clientSyncRequested } from "../events";

/**
 * Fans out one sync event per active client instead of looping here: each client then
 * syncs in its own run, with its own retries, so one failing n8n never blocks the rest.
 */
export const collect = inngest.createFunction(
  { id: "collect", triggers: [cron(inngestCron(SCHEDULES.collect))] },
  async ({ step }) => {
    const clientIds = await step.run("list-active-clients", async () => listActiveClientIds(await getDb()));
    if (clientIds.length === 0) return { clients: 0 };
    await step.sendEvent(
      "request-client-syncs",
      clientIds.map((clientId) => clientSyncRequested.create({ clientId })),
    );
    return { clients: clientIds.length };
  },
);
