import type { JobSender } from "@/lib/jobs/dispatch";
import { inngest } from "./client";
import { clientRulesChanged, clientSyncRequested, retentionRequested, rollupRequested } from "./events";

/** lib/jobs/dispatch.ts's port, as Inngest events: one send per call, all events or none. */
export const inngestJobSender: JobSender = {
  async sendSyncs(runs) {
    await inngest.send(runs.map((run) => clientSyncRequested.create(run)));
  },
  async sendReclassify(run) {
    await inngest.send(clientRulesChanged.create(run));
  },
  async sendRollup(run) {
    await inngest.send(rollupRequested.create(run));
  },
  async sendRetention(run) {
    await inngest.send(retentionRequested.create(run));
  },
};
