/** Admin console and task routes (clients, rules, syncs, scheduler). */
import { randomBytes } from "node:crypto";
import { defineContract } from "@/lib/api/contract";
import {
  ClientPathParams,
  CreateClientBody,
  RulesBody,
  RunPathParams,
  SyncRunsParams,
  TestConnectionBody,
  UpdateClientBody,
} from "./admin-schemas";

// Example requests must succeed for an admin; a created client needs a slug no earlier
// run of the example took. Port 9 (discard) is closed on test machines: a quick "unreachable".
const exampleSuffix = randomBytes(4).toString("hex");
const CLOSED_URL = "http://127.0.0.1:9";

const KEY_NOTE = "The n8n API key is write-only: answers carry `apiKeyHint` (••••abcd), never the key.";
const ZONE_NOTE =
  "Answers carry `timeZone` (IANA, the zone of the day, week and month figures and of the pages) and `timeZoneFrom` (ISO: where the current zone's buckets begin, earlier ones keep the zone they had; null: all of them).";

export const adminClients = defineContract({
  method: "GET",
  path: "/api/v1/admin/clients",
  tag: "admin",
  summary: "Every client: connection, rules, counts, last sync and time zone",
  description: `${KEY_NOTE} ${ZONE_NOTE}`,
  access: "admin",
  example: {},
});

export const adminClientCreate = defineContract({
  method: "POST",
  path: "/api/v1/admin/clients",
  tag: "admin",
  summary: "Create a client",
  description: `The slug defaults to one made from the name; a taken slug is a 409. \`timeZone\` defaults to UTC; an unknown zone is a 400 naming it. ${KEY_NOTE} ${ZONE_NOTE}`,
  access: "admin",
  body: CreateClientBody,
  status: 201,
  example: {
    body: {
      name: `Example client ${exampleSuffix}`,
      n8nBaseUrl: CLOSED_URL,
      n8nApiKey: `example-key-${exampleSuffix}`,
      timeZone: "Europe/Berlin",
    },
  },
});

export const adminClient = defineContract({
  method: "GET",
  path: "/api/v1/admin/clients/{id}",
  tag: "admin",
  summary: "One client",
  description: `${KEY_NOTE} ${ZONE_NOTE}`,
  access: "admin",
  pathParams: ClientPathParams,
  example: { pathParams: { id: ":client" } },
});

export const adminClientUpdate = defineContract({
  method: "PATCH",
  path: "/api/v1/admin/clients/{id}",
  tag: "admin",
  summary: "Change a client",
  description:
    "Only the given fields change. `active: false` deactivates (no more syncs, history kept); `n8nApiKey` replaces the key. " +
    "A `timeZone` other than the client's is applied after the other fields are saved: the day, week and month figures are rebuilt in it from `timeZoneFrom` on (the first month whose hours are all still held), earlier ones keep the previous zone. " +
    "The answer's `zoneChange` reports it (`{timeZone, previousTimeZone, timeZoneFrom, rebuilt: {day, week, month}}`), null when the zone did not change. " +
    `An unknown zone is a 400 naming \`timeZone\`, and nothing is saved. ${ZONE_NOTE}`,
  access: "admin",
  pathParams: ClientPathParams,
  body: UpdateClientBody,
  example: { pathParams: { id: ":client" }, body: { defaultMinutesSaved: 2 } },
});

export const adminClientTestConnection = defineContract({
  method: "POST",
  path: "/api/v1/admin/clients/{id}/test-connection",
  tag: "admin",
  summary: "Test the client's n8n connection",
  description:
    "Counts workflows and executions (up to 1,000: `executionsCapped`). An n8n failure is a 200 with `ok: false` and `error: {kind, title, message}` (kinds: unauthorized, not_n8n, unreachable, timeout, ...).",
  access: "admin",
  pathParams: ClientPathParams,
  example: { pathParams: { id: ":client" } },
});

export const adminTestConnection = defineContract({
  method: "POST",
  path: "/api/v1/admin/test-connection",
  tag: "admin",
  summary: "Test an n8n URL and key before creating a client",
  description: "The same answer as a client's test-connection; nothing is stored.",
  access: "admin",
  body: TestConnectionBody,
  example: { body: { n8nBaseUrl: CLOSED_URL, n8nApiKey: "example-key" } },
});

export const adminClientRulesPreview = defineContract({
  method: "POST",
  path: "/api/v1/admin/clients/{id}/rules/preview",
  tag: "admin",
  summary: "Preview filter rules against the stored history",
  description:
    "What the rules would exclude among the client's stored workflows and executions, by reason, and what would newly be excluded or included compared with the stored classification. " +
    "`verdicts`: every workflow (up to 500) with its tags, whether it is included, the rule that decided it (`decidedBy`: include-pattern, production-tag, non-production-tag, exclude-pattern, test-name or no-rule) and the exclusions it also matches that lost (`overridden`: an include pattern or a production tag wins over a test or dev name). " +
    "`patterns`: each pattern with the workflows it matches. Nothing is saved; an invalid pattern is a 400 naming it.",
  access: "admin",
  pathParams: ClientPathParams,
  body: RulesBody,
  example: { pathParams: { id: ":client" }, body: { rules: { excludePatterns: ["^tmp "] } } },
});

export const adminClientRulesSave = defineContract({
  method: "PUT",
  path: "/api/v1/admin/clients/{id}/rules",
  tag: "admin",
  summary: "Save filter rules and re-classify the history",
  description: "Answers 202 `{runId, rules}` at once; poll tasks/status/{runId} until the re-classification is done.",
  access: "admin",
  pathParams: ClientPathParams,
  body: RulesBody,
  status: 202,
  example: { pathParams: { id: ":client" }, body: { rules: {} } },
});

export const adminClientSyncRuns = defineContract({
  method: "GET",
  path: "/api/v1/admin/clients/{id}/sync-runs",
  tag: "admin",
  summary: "The client's sync history, newest first",
  description:
    "Every recorded run of the client (syncs, re-classifications, rollups) with counts, phase timings and errors.",
  access: "admin",
  pathParams: ClientPathParams,
  query: SyncRunsParams,
  example: { pathParams: { id: ":client" }, query: { limit: "5" } },
});

export const tasksSyncClient = defineContract({
  method: "POST",
  path: "/api/v1/tasks/sync-client/{id}",
  tag: "tasks",
  summary: "Sync one client now",
  description: "Answers 202 `{runId}` at once; poll tasks/status/{runId}.",
  access: "admin",
  pathParams: ClientPathParams,
  status: 202,
  example: { pathParams: { id: ":client" } },
});

export const tasksSyncAll = defineContract({
  method: "POST",
  path: "/api/v1/tasks/sync-all",
  tag: "tasks",
  summary: "Sync every active client now",
  description: "Answers 202 `{runs: [{clientId, runId}]}`, one run per active client.",
  access: "admin",
  status: 202,
  example: {},
});

export const tasksRunStatus = defineContract({
  method: "GET",
  path: "/api/v1/tasks/status/{runId}",
  tag: "tasks",
  summary: "One run: status, counts, phase timings, error",
  description: "Status is queued, running, success or error. An unknown run is a 404.",
  access: "operator",
  pathParams: RunPathParams,
  example: { pathParams: { runId: ":run" } },
});

export const tasksSchedulerStatus = defineContract({
  method: "GET",
  path: "/api/v1/tasks/scheduler-status",
  tag: "tasks",
  summary: "Scheduler mode, jobs with next run, last run and last failure, client freshness",
  description:
    "Mode is inngest, in-process or off. Each job has its `label` and `description` in words, `nextRunAt`, `lastRun`, " +
    "`lastFailure` (the newest failed scheduled run: `runId`, times, `error`, and the client for collect) and `runNowPath`, the endpoint that starts it now (admins). " +
    "A client is stale when no sync succeeded within two collect intervals.",
  access: "operator",
  example: {},
});

export const tasksRollup = defineContract({
  method: "POST",
  path: "/api/v1/tasks/rollup",
  tag: "tasks",
  summary: "Run the rollup job now",
  description:
    "What the daily, weekly and monthly rollup crons run: folds in every client's out-of-date buckets. Answers 202 `{runId}` at once; poll tasks/status/{runId}.",
  access: "admin",
  status: 202,
  example: {},
});

export const tasksRetention = defineContract({
  method: "POST",
  path: "/api/v1/tasks/retention",
  tag: "tasks",
  summary: "Run the retention job now",
  description:
    "Deletes what is past its retention (RETENTION_* settings), as the daily cron does. Answers 202 `{runId}` at once; poll tasks/status/{runId}.",
  access: "admin",
  status: 202,
  example: {},
});
