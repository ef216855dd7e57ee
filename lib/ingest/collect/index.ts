export { syncClient, type SyncClientOptions } from "./sync-client";
export { syncAllClients, listActiveClientIds, type ClientSyncOutcome } from "./sync-all";
