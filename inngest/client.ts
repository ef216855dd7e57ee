import { Inngest } from "inngest";

/**
 * The one Inngest client. Mode and keys come from the SDK's own env variables
 * (INNGEST_DEV=1 for the dev server; INNGEST_SIGNING_KEY / INNGEST_EVENT_KEY in cloud);
 * v4 defaults to cloud mode, so dev must opt in.
 */
export const inngest = new Inngest({ id: "flowscope" });

/**
 * Concurrency shared by every function that writes one client's data (sync-client,
 * reclassify): the same key in the environment scope is one queue across functions.
 */
export const CLIENT_CONCURRENCY = { limit: 1, key: '"client-" + event.data.clientId', scope: "env" } as const;
